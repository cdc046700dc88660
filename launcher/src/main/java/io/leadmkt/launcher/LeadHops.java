package io.leadmkt.launcher;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where one lead's time went between its records, from the times they carry (the lead's creation, the
 * auction's ping and post, the connector's answers, the decision) and the moments a read-committed
 * consumer first saw the ping, the post and the outcome. All times are epoch millis of one clock (the
 * demo runs everything in one JVM). The buyers' own answer times are hops of their own, so
 * {@link Hop#OVERHEAD} is what the platform added: the "lead in → outcome, minus the buyers'
 * answer time". A lead with several rounds or posts is timed by its first of each.
 */
final class LeadHops {

    /** The hops in the order a lead passes them. */
    enum Hop {
        INTAKE("lead->ping written"),
        PING_COMMIT("ping visible"),
        CONNECTOR_PING("connector ping"),
        BUYERS_BID("buyers bid"),
        AUCTION("bids->post written"),
        POST_COMMIT("post visible"),
        CONNECTOR_POST("connector post"),
        BUYER_POST("buyer post"),
        DECISION("result->decided"),
        OUTCOME_COMMIT("outcome visible"),
        OVERHEAD("overhead");

        private final String label;

        Hop(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** A hop's (or the overhead's) median and 99th percentile over many leads. */
    record Percentiles(long p50Ms, long p99Ms) {
    }

    private static final long UNSET = Long.MIN_VALUE;

    private long pingedAt = UNSET;
    private long pingSeen = UNSET;
    private long bidWritten = UNSET;
    private long bidLatency = UNSET;
    private long postedAt = UNSET;
    private long postSeen = UNSET;
    private long resultWritten = UNSET;
    private long resultLatency = UNSET;

    /** The auction wrote the lead's ping at {@code pingedAt}; it became visible at {@code seenAt}. */
    void ping(long pingedAt, long seenAt) {
        if (this.pingedAt == UNSET) {
            this.pingedAt = pingedAt;
            this.pingSeen = seenAt;
        }
    }

    /** The connector wrote a round's answers at {@code writtenAt}; the slowest buyer took {@code slowestMs}. */
    void bids(long writtenAt, long slowestMs) {
        if (bidWritten == UNSET) {
            bidWritten = writtenAt;
            bidLatency = slowestMs;
        }
    }

    void post(long postedAt, long seenAt) {
        if (this.postedAt == UNSET) {
            this.postedAt = postedAt;
            this.postSeen = seenAt;
        }
    }

    void postResult(long writtenAt, long latencyMs) {
        if (resultWritten == UNSET) {
            resultWritten = writtenAt;
            resultLatency = latencyMs;
        }
    }

    /**
     * The hops this lead's records allow, once its outcome (created, decided) was seen at {@code seenAt}:
     * a lead shed before its ping, or sold without a post, has only the hops its records span. A hop the
     * clocks make negative (a record's time written before the previous one was seen, within the
     * millisecond) counts as 0. Overhead needs the whole path: ping, bids, post and result.
     */
    Map<Hop, Long> ended(long createdAt, long decidedAt, long seenAt) {
        Map<Hop, Long> hops = new EnumMap<>(Hop.class);
        put(hops, Hop.INTAKE, createdAt, pingedAt);
        put(hops, Hop.PING_COMMIT, pingedAt, pingSeen);
        if (pingSeen != UNSET && bidWritten != UNSET) {
            hops.put(Hop.CONNECTOR_PING, Math.max(0, bidWritten - pingSeen - bidLatency));
            hops.put(Hop.BUYERS_BID, Math.max(0, bidLatency));
        }
        put(hops, Hop.AUCTION, bidWritten, postedAt);
        put(hops, Hop.POST_COMMIT, postedAt, postSeen);
        if (postSeen != UNSET && resultWritten != UNSET) {
            hops.put(Hop.CONNECTOR_POST, Math.max(0, resultWritten - postSeen - resultLatency));
            hops.put(Hop.BUYER_POST, Math.max(0, resultLatency));
        }
        put(hops, Hop.DECISION, resultWritten, decidedAt);
        put(hops, Hop.OUTCOME_COMMIT, decidedAt, seenAt);
        if (pingedAt != UNSET && bidWritten != UNSET && postedAt != UNSET && resultWritten != UNSET) {
            hops.put(Hop.OVERHEAD, Math.max(0, seenAt - createdAt - bidLatency - resultLatency));
        }
        return hops;
    }

    private static void put(Map<Hop, Long> hops, Hop hop, long from, long to) {
        if (from != UNSET && to != UNSET) {
            hops.put(hop, Math.max(0, to - from));
        }
    }
}
