package io.leadmkt.streams;

/**
 * Decides whether a stage that just wrote output another stage is waiting for (a lead to its next
 * stage, a ping, a post, an outcome) asks Kafka Streams to commit now, instead of at the next commit
 * interval. Under exactly-once nothing a stream thread writes is readable before its commit, and an
 * idle thread only reaches its interval commit when its poll times out ({@code poll.ms}): asking
 * takes that wait out of every hop of a lead in light traffic, which lets {@code poll.ms} be long
 * (an idle thread then costs almost nothing). Under load asking would commit after every handful of
 * records (a transaction each), so requests are paced by a token bucket: bursts of up to
 * {@code burst} requests, refilled at {@code perSecond}; output whose request is refused waits for
 * the next granted one or the commit interval, which under load comes within milliseconds anyway.
 *
 * <p>One pacer per stream thread (commits are per thread under exactly-once v2); not thread-safe.
 */
public final class CommitPacer {

    private final double perMs;
    private final double burst;
    private double tokens;
    private long lastMs = Long.MIN_VALUE;

    /** @param perSecond granted requests per second in the long run (0: never ask) */
    public CommitPacer(int perSecond, int burst) {
        if (perSecond < 0 || burst < 1) {
            throw new IllegalArgumentException("perSecond >= 0 and burst >= 1 required");
        }
        this.perMs = perSecond / 1000.0;
        this.burst = perSecond == 0 ? 0 : burst;
        this.tokens = this.burst;
    }

    /** Whether output written at {@code nowMs} should be committed right away. */
    public boolean tryAcquire(long nowMs) {
        if (lastMs != Long.MIN_VALUE && nowMs > lastMs) {
            tokens = Math.min(burst, tokens + (nowMs - lastMs) * perMs);
        }
        lastMs = Math.max(lastMs, nowMs);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
