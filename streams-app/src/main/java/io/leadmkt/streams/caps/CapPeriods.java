package io.leadmkt.streams.caps;

import io.leadmkt.schema.CapPeriod;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * The calendar period a moment falls in, in the buyer's own time zone: an hour, a day from local
 * midnight, an ISO week from Monday's local midnight, a month from the 1st's local midnight.
 * Periods are named by the instant they start, so a DST change (a 23- or 25-hour day, a repeated
 * hour) never merges or splits one.
 */
public final class CapPeriods {
    /** The key of the lifetime total a prepaid balance is checked against. */
    public static final String LIFETIME = "LIFETIME";

    private CapPeriods() {
    }

    /** One period: its usage key (unique per buyer, period kind and start) and when it ends. */
    public record Span(String key, long startsAt, long endsAt) {
    }

    public static Span of(String buyerId, CapPeriod period, ZoneId zone, long now) {
        ZonedDateTime at = Instant.ofEpochMilli(now).atZone(zone);
        ZonedDateTime start;
        ZonedDateTime end;
        switch (period) {
            case HOUR -> {
                start = at.truncatedTo(ChronoUnit.HOURS);
                // Add on the instant line: 01:00 + 1 h during a fall-back hour is the repeated 01:00.
                end = start.plusHours(1);
            }
            case DAY -> {
                LocalDate day = at.toLocalDate();
                start = day.atStartOfDay(zone);
                end = day.plusDays(1).atStartOfDay(zone);
            }
            case WEEK -> {
                LocalDate monday = at.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                start = monday.atStartOfDay(zone);
                end = monday.plusWeeks(1).atStartOfDay(zone);
            }
            case MONTH -> {
                LocalDate first = at.toLocalDate().withDayOfMonth(1);
                start = first.atStartOfDay(zone);
                end = first.plusMonths(1).atStartOfDay(zone);
            }
            default -> throw new IllegalArgumentException("unknown period " + period);
        }
        long startsAt = start.toInstant().toEpochMilli();
        return new Span(buyerId + "|" + period + "|" + startsAt, startsAt, end.toInstant().toEpochMilli());
    }

    public static Span lifetime(String buyerId) {
        return new Span(buyerId + "|" + LIFETIME, Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
