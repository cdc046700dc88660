package io.leadmkt.streams.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A report's time bucket, in UTC. Rows are stored by the hour; a day's row is its 24 hours merged
 * when read, so each event updates one row per dimension, not two.
 */
public enum ReportBucket {
    HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    ReportBucket(ChronoUnit unit) {
        this.unit = unit;
    }

    /** The start of the bucket holding {@code epochMs}. */
    public Instant startOf(long epochMs) {
        return startOf(Instant.ofEpochMilli(epochMs));
    }

    public Instant startOf(Instant at) {
        return at.truncatedTo(unit);
    }

    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportBucket> ofPath(String path) {
        return Arrays.stream(values()).filter(b -> b.path().equals(path)).findFirst();
    }
}
