package io.leadmkt.streams.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A report asked for: rows of one dimension in buckets of an hour or a day, for the buckets from
 * the one holding {@code from} up to {@code to} (exclusive), UTC.
 */
public record ReportRequest(ReportDimension dimension, ReportBucket bucket, Instant from, Instant to) {

    /** A parameter of a report request that cannot be read; {@code parameter} names it. */
    public static final class BadParameter extends IllegalArgumentException {
        private final String parameter;

        public BadParameter(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /**
     * Reads the API's parameters: {@code bucket} defaults to {@code hour}, {@code to} to now and
     * {@code from} to a day before {@code to}; times are ISO instants ({@code 2026-11-30T08:00:00Z})
     * or dates ({@code 2026-11-30}, its midnight UTC).
     */
    public static ReportRequest parse(String dimension, String bucket, String from, String to, Instant now) {
        ReportDimension d = ReportDimension.ofPath(dimension).orElseThrow(() -> new BadParameter("dimension",
                "dimension must be one of buyer, seller, source, campaign, state"));
        ReportBucket b = bucket == null || bucket.isEmpty() ? ReportBucket.HOUR : ReportBucket.ofPath(bucket)
                .orElseThrow(() -> new BadParameter("bucket", "bucket must be hour or day"));
        Instant until = to == null || to.isEmpty() ? now : time("to", to);
        Instant since = from == null || from.isEmpty() ? until.minus(Duration.ofDays(1)) : time("from", from);
        if (!since.isBefore(until)) {
            throw new BadParameter("from", "from must be before to");
        }
        return new ReportRequest(d, b, b.startOf(since), until);
    }

    /** An ISO instant or a date (its midnight UTC); a {@link BadParameter} naming {@code parameter} otherwise. */
    public static Instant time(String parameter, String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameter(parameter, parameter + " must be an ISO instant (2026-11-30T08:00:00Z) or a date (2026-11-30)");
        }
    }

    /** The store's key range holding this report's hours. */
    public String lowestKey() {
        return ReportKey.lowest(dimension, from);
    }

    public String highestKey() {
        return ReportKey.highest(dimension, to);
    }
}
