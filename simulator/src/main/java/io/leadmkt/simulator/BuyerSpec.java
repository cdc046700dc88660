package io.leadmkt.simulator;

import java.util.List;

/**
 * One simulated buyer to start: who it is, what it says it wants (filters that go into its
 * {@link io.leadmkt.schema.BuyerConfig}) and how it behaves.
 *
 * @param states      two-letter state codes it buys; empty means every state
 * @param verticals   verticals it buys; empty means every vertical
 * @param seed        seed of the buyer's own {@link java.util.Random}
 * @param integration its {@code BuyerConfig.integration} document (e.g. only {@code limits}); null: none
 */
public record BuyerSpec(
        String buyerId,
        List<String> states,
        List<String> verticals,
        int minScore,
        int pingTimeoutMs,
        int postTimeoutMs,
        BuyerBehaviour behaviour,
        long seed,
        String integration) {

    /**
     * The integration document of a buyer whose contract lets the connector pause it after five
     * failed pings in a row (30 s, then one probe): the demo's slow and garbage-answering buyers.
     */
    public static final String PAUSED_AFTER_FIVE_FAILURES = "{\"limits\":{\"pauseAfterErrors\":5}}";

    public BuyerSpec {
        states = List.copyOf(states);
        verticals = List.copyOf(verticals);
    }

    public BuyerSpec(String buyerId, List<String> states, List<String> verticals, int minScore, int pingTimeoutMs,
                     int postTimeoutMs, BuyerBehaviour behaviour, long seed) {
        this(buyerId, states, verticals, minScore, pingTimeoutMs, postTimeoutMs, behaviour, seed, null);
    }

    /** Buys everything, with a 1 s ping timeout and a 3 s post timeout. */
    public static BuyerSpec of(String buyerId, BuyerBehaviour behaviour) {
        return new BuyerSpec(buyerId, List.of(), List.of(), 0, 1000, 3000, behaviour, buyerId.hashCode());
    }

    public BuyerSpec withStates(List<String> newStates) {
        return new BuyerSpec(buyerId, newStates, verticals, minScore, pingTimeoutMs,
                postTimeoutMs, behaviour, seed, integration);
    }

    public BuyerSpec withVerticals(List<String> newVerticals) {
        return new BuyerSpec(buyerId, states, newVerticals, minScore, pingTimeoutMs,
                postTimeoutMs, behaviour, seed, integration);
    }

    public BuyerSpec withMinScore(int score) {
        return new BuyerSpec(buyerId, states, verticals, score, pingTimeoutMs,
                postTimeoutMs, behaviour, seed, integration);
    }

    public BuyerSpec withTimeouts(int pingMs, int postMs) {
        return new BuyerSpec(buyerId, states, verticals, minScore, pingMs, postMs, behaviour, seed, integration);
    }

    public BuyerSpec withIntegration(String document) {
        return new BuyerSpec(buyerId, states, verticals, minScore, pingTimeoutMs,
                postTimeoutMs, behaviour, seed, document);
    }

    public BuyerSpec withSeed(long newSeed) {
        return new BuyerSpec(buyerId, states, verticals, minScore, pingTimeoutMs,
                postTimeoutMs, behaviour, newSeed, integration);
    }
}
