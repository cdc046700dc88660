package io.leadmkt.streams.report;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A stored row's key: {@code dimension|hour|value}, the hour as {@code 2026-11-30T08:00:00Z}. The
 * dimension and hour lead so that one range query reads a dimension's rows for a time range, in
 * time order (ISO instants of one width sort as text).
 */
public record ReportKey(ReportDimension dimension, Instant hour, String value) {
    private static final char SEPARATOR = '|';

    /** The key of the row holding an event of {@code value} at {@code epochMs}; a missing value is {@link ReportDimension#UNKNOWN}. */
    public static ReportKey of(ReportDimension dimension, long epochMs, String value) {
        return new ReportKey(dimension, ReportBucket.HOUR.startOf(epochMs),
                value == null || value.isEmpty() ? ReportDimension.UNKNOWN : value);
    }

    public String encoded() {
        return dimension.path() + SEPARATOR + DateTimeFormatter.ISO_INSTANT.format(hour) + SEPARATOR + value;
    }

    public static ReportKey decode(String key) {
        int first = key.indexOf(SEPARATOR);
        int second = key.indexOf(SEPARATOR, first + 1);
        return new ReportKey(ReportDimension.valueOf(key.substring(0, first).toUpperCase(Locale.ROOT)),
                Instant.parse(key.substring(first + 1, second)), key.substring(second + 1));
    }

    /** The lowest key of {@code dimension}'s rows from the hour holding {@code from}. */
    public static String lowest(ReportDimension dimension, Instant from) {
        return dimension.path() + SEPARATOR + DateTimeFormatter.ISO_INSTANT.format(ReportBucket.HOUR.startOf(from));
    }

    /** Above every key of {@code dimension}'s rows for hours before {@code to}. */
    public static String highest(ReportDimension dimension, Instant to) {
        // The hour of a key is never after its last millisecond, and every value sorts below U+FFFF.
        return dimension.path() + SEPARATOR + DateTimeFormatter.ISO_INSTANT.format(
                ReportBucket.HOUR.startOf(to.minusMillis(1))) + SEPARATOR + '\uffff';
    }
}
