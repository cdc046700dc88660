package io.leadmkt.streams.intake;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How far behind this instance's intake is, for load shedding at the HTTP door: while the leads it
 * reads are old (a backlog on {@code leads.inbound}: a slow machine, a burst, a takeover), a new lead
 * would only queue behind them and age, so the HTTP intake answers 503 with Retry-After instead and
 * the pipeline sells what it already has at normal speed.
 *
 * <p>Two observations make the estimate: the age of each lead intake reads (now minus its record
 * timestamp, its arrival), remembered for {@link #MEMORY_MS}; and, per {@code leads.inbound}
 * partition this instance reads, the oldest lead its own HTTP intake wrote there that intake has not
 * read past yet — which catches a pipeline that has stalled and reads nothing at all. Partitions
 * another instance reads are that instance's to judge. A third observation covers the backlog
 * downstream of intake (the repartition topics, the auction's queue), which intake cannot see: how
 * long leads took from intake to their auction's opening, remembered the same way. Approximate by
 * design: it needs no extra records, stores or round trips on the hot path. Thread-safe.
 */
public final class IntakeBacklog {
    /** How long an observed age counts: long enough to span a few polls, short enough to recover fast. */
    public static final long MEMORY_MS = 1_000;

    private long lastAgeMs;
    private long lastAgeSeenAt = Long.MIN_VALUE / 2;
    private long lastDownstreamMs;
    private long lastDownstreamSeenAt = Long.MIN_VALUE / 2;
    private final Set<Integer> reading = new HashSet<>();
    /** Partition → arrival of the oldest lead written here that intake has not read past. */
    private final Map<Integer, Long> pendingSince = new HashMap<>();

    /** This instance's intake reads {@code partition} of leads.inbound (its task started). */
    public synchronized void reading(int partition) {
        reading.add(partition);
    }

    /** This instance's intake no longer reads {@code partition} (its task moved or closed). */
    public synchronized void stoppedReading(int partition) {
        reading.remove(partition);
        pendingSince.remove(partition);
    }

    /** Intake read, from {@code partition}, a lead that arrived at {@code arrivedAt}. */
    public synchronized void read(int partition, long arrivedAt, long now) {
        long age = Math.max(0, now - arrivedAt);
        if (now - lastAgeSeenAt > MEMORY_MS || age >= lastAgeMs) {
            lastAgeMs = age;
            lastAgeSeenAt = now;
        }
        Long pending = pendingSince.get(partition);
        if (pending != null && arrivedAt >= pending) {
            pendingSince.remove(partition);
        }
    }

    /** This instance's HTTP intake wrote, to {@code partition}, a lead that arrived at {@code arrivedAt}. */
    public synchronized void written(int partition, long arrivedAt) {
        if (reading.contains(partition)) {
            pendingSince.putIfAbsent(partition, arrivedAt);
        }
    }

    /** An auction opened for a lead that intake had read at {@code readAt}. */
    public synchronized void auctionOpened(long readAt, long now) {
        long delay = Math.max(0, now - readAt);
        if (now - lastDownstreamSeenAt > MEMORY_MS || delay >= lastDownstreamMs) {
            lastDownstreamMs = delay;
            lastDownstreamSeenAt = now;
        }
    }

    /** How long a lead read now will likely wait between intake and its auction; 0 when that keeps up. */
    public synchronized long downstreamMs(long now) {
        return now - lastDownstreamSeenAt <= MEMORY_MS ? lastDownstreamMs : 0;
    }

    /**
     * The estimated age of the leads waiting to be read, and of what waits behind intake: 0 when the
     * pipeline keeps up.
     */
    public synchronized long lagMs(long now) {
        long observed = now - lastAgeSeenAt <= MEMORY_MS ? lastAgeMs : 0;
        long waiting = pendingSince.values().stream().mapToLong(since -> Math.max(0, now - since)).max().orElse(0);
        return Math.max(observed, waiting) + downstreamMs(now);
    }

    /** Seconds a client should wait before retrying, for a lag of {@code lagMs}: at least 1, at most 60. */
    public static long retryAfterSeconds(long lagMs) {
        return Math.max(1, Math.min(60, (lagMs + 999) / 1000));
    }
}
