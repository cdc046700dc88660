package io.leadmkt.launcher;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where one lead's time went, from the times its records carry: the lead's creation, the auction's
 * ping and post, when the connector called the buyers and when they answered (an answer's
 * {@code respondedAt} minus its {@code latencyMs}), when the broker appended the answers (bids and
 * post results are broker-timed), the decision, and when a read-committed consumer first saw the
 * outcome. All are epoch millis of one clock (the demo runs everything in one JVM). The buyers' own
 * answer times are hops of their own, so {@link Hop#OVERHEAD} is what the platform added: the issue's
 * "lead in → outcome, minus the buyers' answer time", and the sum of the other hops. A lead with
 * several rounds or posts is timed by its first of each.
 */
final class LeadHops {

    /** The hops in the order a lead passes them. */
    enum Hop {
        INTAKE("lead->ping written"),
        PING_TO_CALL("ping->buyers called"),
        BUYERS_BID("buyers answer"),
        BIDS_WRITTEN("answers->bids written"),
        AUCTION("bids->post written"),
        POST_TO_CALL("post->buyer called"),
        BUYER_POST("buyer post"),
        RESULT_WRITTEN("answer->result written"),
        DECISION("result->decided"),
        OUTCOME_COMMIT("decided->outcome visible"),
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

    /** One call to buyers and its answers: called, last answered, the answers' record written. */
    private record Call(long called, long answered, long written) {
    }

    private static final Call NONE = new Call(UNSET, UNSET, UNSET);

    private long pingedAt = UNSET;
    private Call round = NONE;
    private long postedAt = UNSET;
    private Call post = NONE;

    void ping(long pingedAt) {
        if (this.pingedAt == UNSET) {
            this.pingedAt = pingedAt;
        }
    }

    /**
     * A round's answers, written at {@code writtenAt}: the buyers were called at {@code calledAt} (the
     * earliest call) and the last answered at {@code answeredAt}.
     */
    void bids(long writtenAt, long calledAt, long answeredAt) {
        round = round == NONE ? new Call(calledAt, answeredAt, writtenAt) : round;
    }

    void post(long postedAt) {
        if (this.postedAt == UNSET) {
            this.postedAt = postedAt;
        }
    }

    void postResult(long writtenAt, long calledAt, long answeredAt) {
        post = post == NONE ? new Call(calledAt, answeredAt, writtenAt) : post;
    }

    /**
     * The hops this lead's records allow, once its outcome (created, decided) was seen at {@code seenAt}:
     * a lead shed before its ping, or sold without a post, has only the hops its records span. A hop the
     * clocks make negative (within a millisecond) counts as 0. Overhead needs the whole path.
     */
    Map<Hop, Long> ended(long createdAt, long decidedAt, long seenAt) {
        Map<Hop, Long> hops = new EnumMap<>(Hop.class);
        long[] path = {createdAt, pingedAt, round.called(), round.answered(), round.written(), postedAt,
                post.called(), post.answered(), post.written(), decidedAt, seenAt};
        Hop[] between = {Hop.INTAKE, Hop.PING_TO_CALL, Hop.BUYERS_BID, Hop.BIDS_WRITTEN, Hop.AUCTION,
                Hop.POST_TO_CALL, Hop.BUYER_POST, Hop.RESULT_WRITTEN, Hop.DECISION, Hop.OUTCOME_COMMIT};
        for (int i = 0; i < between.length; i++) {
            if (path[i] != UNSET && path[i + 1] != UNSET) {
                hops.put(between[i], Math.max(0, path[i + 1] - path[i]));
            }
        }
        if (hops.size() == between.length) {
            long buyers = hops.get(Hop.BUYERS_BID) + hops.get(Hop.BUYER_POST);
            hops.put(Hop.OVERHEAD, Math.max(0, seenAt - createdAt - buyers));
        }
        return hops;
    }
}
