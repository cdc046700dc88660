package io.leadmkt.connector.ping;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each buyer usually takes to answer a ping, and so how long a lead should wait for it.
 *
 * <p>A buyer's ping timeout is a promise ("I answer within 1 s"), not how it behaves: most buyers
 * answer in a fraction of it, and when one of them goes quiet, an auction that waits the whole
 * timeout waits for an answer that almost never comes. So each buyer's recent answer latencies are
 * kept (the last {@link Policy#window()} answers, any HTTP answer, good or bad), and a lead waits
 * for it {@code quantile × factor + margin} — never less than the floor, never more than the full
 * timeout, and the full timeout while fewer than {@link Policy#minSamples()} answers are known.
 *
 * <p>Only answers are samples; a ping that got none tells how long the buyer did NOT take, and
 * counting it at the timeout would pin every buyer that ever stalls to its full timeout — exactly
 * the buyers whose stalls cost the most. Buyers that never answer are the gate's business (it
 * pauses them). The estimate can still rise: the dispatcher keeps listening for a cut-short answer
 * until the full timeout (so a buyer that got slower is measured as it is, not as we cut it), and
 * the ping after a cut waits the full timeout, so a buyer that is merely slower than usual loses at
 * most one lead before its estimate catches up.
 *
 * <p>Pure and clock-free: latencies come in as numbers, so rules are tested with numbers.
 * Thread-safe: each buyer's window has its own lock.
 */
public final class AnswerTimes {

    /**
     * How the wait is derived from the window.
     *
     * @param window      answers kept per buyer (the most recent ones)
     * @param minSamples  below this many answers the buyer gets its full timeout
     * @param quantile    of the window's latencies, nearest rank (0.99: the 99th of 100)
     * @param factor      headroom over the quantile (a buyer a bit slower than its usual still counts)
     * @param marginMs    added after the factor: scheduling jitter that a small quantile would not cover
     * @param floorMs     the least wait (the buyer schema's least ping timeout), unless the full timeout is less
     */
    public record Policy(int window, int minSamples, double quantile, double factor, long marginMs, long floorMs) {

        /**
         * p99 of the last 100 answers × 2 + 100 ms, at least 250 ms, from the 20th answer on: a buyer
         * answering in 5-140 ms is waited for up to ~380 ms instead of its 1 s timeout. Generous on
         * purpose: the time runs on our side too (a busy core, a GC pause, a rebalance delays the
         * answer's processing), and with 1.5 × p99 + 25 ms, at least 50 ms, a fault test on a loaded
         * 2-core machine saw the best bidder cut and leads sold to the next-best at $12 instead of $20.
         */
        public static final Policy DEFAULTS = new Policy(100, 20, 0.99, 2.0, 100, 250);

        public Policy {
            if (window < 1 || minSamples < 1 || minSamples > window) {
                throw new IllegalArgumentException("need 1 <= minSamples <= window");
            }
            if (!(quantile > 0 && quantile <= 1) || !(factor >= 1) || marginMs < 0 || floorMs < 1) {
                throw new IllegalArgumentException("need 0 < quantile <= 1, factor >= 1, marginMs >= 0, floorMs >= 1");
            }
        }
    }

    private final Policy policy;
    private final Map<String, Buyer> buyers = new ConcurrentHashMap<>();

    public AnswerTimes(Policy policy) {
        this.policy = policy;
    }

    public AnswerTimes() {
        this(Policy.DEFAULTS);
    }

    /** The buyer answered (whatever it said) {@code latencyMs} after it was called. */
    public void answered(String buyerId, long latencyMs) {
        buyer(buyerId).add(Math.max(0, latencyMs));
    }

    /** A lead stopped waiting for the buyer before its full timeout: its next ping waits the full timeout. */
    public void cutShort(String buyerId) {
        buyer(buyerId).probeNext();
    }

    /** How long the next lead waits for the buyer, given the full timeout it is owed: at most that. */
    public long waitMs(String buyerId, long fullTimeoutMs) {
        Buyer buyer = buyers.get(buyerId);
        if (buyer == null || buyer.takeProbe()) {
            return fullTimeoutMs;
        }
        OptionalLong usual = buyer.quantile(policy.quantile(), policy.minSamples());
        if (usual.isEmpty()) {
            return fullTimeoutMs;
        }
        long wait = (long) Math.ceil(usual.getAsLong() * policy.factor()) + policy.marginMs();
        return Math.min(fullTimeoutMs, Math.max(policy.floorMs(), wait));
    }

    /** The buyer's answer time at the policy's quantile, once it has enough answers. */
    public OptionalLong usualMs(String buyerId) {
        Buyer buyer = buyers.get(buyerId);
        return buyer == null ? OptionalLong.empty() : buyer.quantile(policy.quantile(), policy.minSamples());
    }

    private Buyer buyer(String buyerId) {
        return buyers.computeIfAbsent(buyerId, id -> new Buyer(policy.window()));
    }

    /**
     * One buyer's most recent answer latencies, in a ring, and the same values kept sorted: every ping
     * asks for a quantile, so it is read off the sorted copy instead of sorting the window per ping
     * (that sort was an eighth of the ping dispatcher's thread, JFR at 220 leads/s).
     */
    private static final class Buyer {

        private final long[] latencies;
        private final long[] sorted;
        private int size;
        private int next;
        private boolean probe;

        Buyer(int window) {
            latencies = new long[window];
            sorted = new long[window];
        }

        synchronized void add(long latencyMs) {
            if (size == latencies.length) {
                // The oldest answer leaves the window: any one of its equal values in the sorted copy will do.
                int leaving = Arrays.binarySearch(sorted, 0, size, latencies[next]);
                System.arraycopy(sorted, leaving + 1, sorted, leaving, size - leaving - 1);
                size--;
            }
            int at = Arrays.binarySearch(sorted, 0, size, latencyMs);
            at = at < 0 ? -at - 1 : at;
            System.arraycopy(sorted, at, sorted, at + 1, size - at);
            sorted[at] = latencyMs;
            size++;
            latencies[next] = latencyMs;
            next = (next + 1) % latencies.length;
        }

        synchronized void probeNext() {
            probe = true;
        }

        synchronized boolean takeProbe() {
            boolean was = probe;
            probe = false;
            return was;
        }

        synchronized OptionalLong quantile(double quantile, int minSamples) {
            if (size < minSamples) {
                return OptionalLong.empty();
            }
            // Nearest rank; the epsilon keeps 0.95 × 20 = 19.000000000000004 at rank 19.
            int rank = (int) Math.ceil(quantile * size - 1e-9);
            return OptionalLong.of(sorted[Math.max(0, rank - 1)]);
        }
    }
}
