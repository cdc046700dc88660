package io.leadmkt.connector.ping;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a buyer's silence was its own: were other pings, called no earlier than its own, answered
 * while it said nothing?
 *
 * <p>A ping without an answer within its timeout is a failure the gate counts towards pausing the
 * buyer. But when the connector itself lags (a cold start, a saturated core, a long GC pause),
 * every buyer called in that stretch times out together, and pausing them all would turn our own
 * lag into lost leads for half a minute. So a timeout is held against the buyer only if some ping
 * called at or after its own got an answer in the meantime: the connector was demonstrably hearing
 * from buyers, and this one did not answer. Without that evidence (a lag, or a lone lead at night)
 * it is not counted either way.
 *
 * <p>Thread-safe; times are whatever clock the caller uses, compared only with each other.
 */
final class AnswerPulse {

    private final AtomicLong latestCallAnswered = new AtomicLong(Long.MIN_VALUE);

    /** A ping called at {@code calledAt} got its answer (any HTTP answer, within its timeout). */
    void answered(long calledAt) {
        latestCallAnswered.accumulateAndGet(calledAt, Math::max);
    }

    /** Whether a ping called at or after {@code calledAt} has been answered: silence since then is the buyer's. */
    boolean heardSince(long calledAt) {
        return latestCallAnswered.get() >= calledAt;
    }
}
