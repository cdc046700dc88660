package io.leadmkt.simulator;

/**
 * How a simulated buyer answers. Prices are cents: the buyer's {@link Valuation} of each lead when
 * it has one, else drawn uniformly from {@code [minPriceCents, maxPriceCents]} (fixed when they are
 * equal) whatever the lead; latency is drawn uniformly from {@code [minLatencyMs, maxLatencyMs]}
 * for every ping and post.
 *
 * @param bidProbability   chance of bidding on a ping (otherwise a pass: 204 or {@code bid:false}); with a
 *                         valuation, the chance on a lead that fits the buyer fully
 * @param acceptProbability chance of accepting a post whose token and price match the bid
 * @param mode             NORMAL, or one of the misbehaviours a real market has
 * @param slowMs           SLOW mode: how long every ping waits before the answer (past any deadline)
 * @param valuation        prices each lead on its merits; null: the uniform price range
 */
public record BuyerBehaviour(
        double bidProbability,
        long minPriceCents,
        long maxPriceCents,
        int minLatencyMs,
        int maxLatencyMs,
        double acceptProbability,
        Mode mode,
        int slowMs,
        Valuation valuation) {

    public enum Mode {
        /** Answers pings and posts per the probabilities. */
        NORMAL,
        /** Answers pings only after {@code slowMs}, past any auction deadline. */
        SLOW,
        /** Bids like NORMAL, then rejects every post. */
        REJECTS_POSTS,
        /** Answers pings with an HTML error page or truncated JSON. */
        GARBAGE
    }

    public BuyerBehaviour {
        if (bidProbability < 0 || bidProbability > 1 || acceptProbability < 0 || acceptProbability > 1) {
            throw new IllegalArgumentException("probabilities must be within [0, 1]");
        }
        if (minPriceCents < 0 || maxPriceCents < minPriceCents) {
            throw new IllegalArgumentException("price range must satisfy 0 <= min <= max");
        }
        if (minLatencyMs < 0 || maxLatencyMs < minLatencyMs || slowMs < 0) {
            throw new IllegalArgumentException("latency range must satisfy 0 <= min <= max");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
    }

    /** Bids {@code priceCents} on every ping, answers at once, accepts every matching post. */
    public static BuyerBehaviour alwaysBids(long priceCents) {
        return new BuyerBehaviour(1.0, priceCents, priceCents, 0, 0, 1.0, Mode.NORMAL, 0, null);
    }

    /** Bids on every ping with a uniform price in the range. */
    public static BuyerBehaviour bidsBetween(long minPriceCents, long maxPriceCents) {
        return new BuyerBehaviour(1.0, minPriceCents, maxPriceCents, 0, 0, 1.0, Mode.NORMAL, 0, null);
    }

    /** Prices every lead by {@code valuation}, bids on every lead that fits fully, answers at once. */
    public static BuyerBehaviour values(Valuation valuation) {
        return new BuyerBehaviour(1.0, 0, 0, 0, 0, 1.0, Mode.NORMAL, 0, valuation);
    }

    public BuyerBehaviour withBidProbability(double probability) {
        return new BuyerBehaviour(probability, minPriceCents, maxPriceCents, minLatencyMs, maxLatencyMs,
                acceptProbability, mode, slowMs, valuation);
    }

    public BuyerBehaviour withLatency(int minMs, int maxMs) {
        return new BuyerBehaviour(bidProbability, minPriceCents, maxPriceCents, minMs, maxMs, acceptProbability,
                mode, slowMs, valuation);
    }

    public BuyerBehaviour withAcceptProbability(double probability) {
        return new BuyerBehaviour(bidProbability, minPriceCents, maxPriceCents, minLatencyMs, maxLatencyMs,
                probability, mode, slowMs, valuation);
    }

    public BuyerBehaviour withMode(Mode newMode) {
        return new BuyerBehaviour(bidProbability, minPriceCents, maxPriceCents, minLatencyMs, maxLatencyMs,
                acceptProbability, newMode, slowMs, valuation);
    }

    /** SLOW mode with every ping answered after {@code ms}. */
    public BuyerBehaviour slow(int ms) {
        return new BuyerBehaviour(bidProbability, minPriceCents, maxPriceCents, minLatencyMs, maxLatencyMs,
                acceptProbability, Mode.SLOW, ms, valuation);
    }
}
