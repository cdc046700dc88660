package io.leadmkt.simulator;

import io.leadmkt.schema.BuyerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A set of simulated buyers started together and closed together. */
public final class BuyerFarm implements AutoCloseable {

    private final List<SimulatedBuyer> buyers;

    private BuyerFarm(List<SimulatedBuyer> buyers) {
        this.buyers = List.copyOf(buyers);
    }

    /** Starts one buyer per spec, each remembering its requests; if one fails to start, the ones already started are closed. */
    public static BuyerFarm start(List<BuyerSpec> specs) {
        return start(specs, SimulatedBuyer.Memory.REQUESTS);
    }

    /** Starts one buyer per spec, each remembering what {@code memory} says; on a failure the ones started are closed. */
    public static BuyerFarm start(List<BuyerSpec> specs, SimulatedBuyer.Memory memory) {
        List<SimulatedBuyer> started = new ArrayList<>();
        try {
            for (BuyerSpec spec : specs) {
                started.add(SimulatedBuyer.start(spec, memory));
            }
        } catch (RuntimeException e) {
            started.forEach(SimulatedBuyer::close);
            throw e;
        }
        return new BuyerFarm(started);
    }

    /**
     * A realistic mixed market of {@code n} buyers: national and regional buyers across the sample
     * verticals, each pricing every lead on its merits ({@link #marketSpecs}), with varied latencies
     * and appetites; with six or more buyers, one is slow, one rejects its posts and one answers
     * garbage, as some always do.
     */
    public static BuyerFarm market(int n, long seed) {
        return start(marketSpecs(n, seed));
    }

    /**
     * A well-behaved market for measuring the platform rather than the buyers: {@code n} national
     * buyers of every vertical that always bid (distinct price ranges), answer in 1-5 ms and accept
     * every post. Every auction then closes early on its last answer, never at the deadline.
     */
    public static BuyerFarm fast(int n, long seed) {
        return fast(n, 0, seed);
    }

    /**
     * As {@link #fast(int, long)}, but the last {@code slow} of the {@code n} buyers answer pings only
     * after 2 s: every auction then closes at its deadline, which measures how punctually it does.
     */
    public static BuyerFarm fast(int n, int slow, long seed) {
        return start(fastSpecs(n, slow, seed));
    }

    /** The specs {@link #fast(int, int, long)} starts. */
    public static List<BuyerSpec> fastSpecs(int n, int slow, long seed) {
        Random random = new Random(seed);
        List<BuyerSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long min = 2_000 + 100L * i;
            BuyerBehaviour behaviour = BuyerBehaviour.bidsBetween(min, min + 1_000).withLatency(1, 5);
            boolean isSlow = i >= n - slow;
            if (isSlow) {
                behaviour = behaviour.slow(2_000);
            }
            BuyerSpec spec = new BuyerSpec(String.format(isSlow ? "slow-%02d" : "fast-%02d", i + 1), List.of(),
                    List.of(), 0, 1_000, 3_000, behaviour, random.nextLong());
            specs.add(spec);
        }
        return specs;
    }

    /** What a typical lead of each vertical is worth to a buyer whose main vertical it is, in cents. */
    static final Map<String, Long> TYPICAL_CENTS = Map.of(
            SampleData.AUTO_INSURANCE, 2_200L, SampleData.SOLAR, 5_500L, SampleData.HOME_SERVICES, 3_200L);

    /**
     * The specs {@link #market(int, long)} starts. Each buyer prices leads by its own {@link Valuation}:
     * its appetite for its main vertical and, for less, for any other it buys; its tastes in states
     * and sources; how much the lead's answers matter to it; a reserve below which it passes, and a
     * capacity to bid at all. Regional buyers pay a premium in their states. So the best bid for a
     * lead comes from different buyers, and the same lead gets the same bids in every routing mode.
     * Deterministic per seed.
     */
    public static List<BuyerSpec> marketSpecs(int n, long seed) {
        Random random = new Random(seed);
        List<BuyerSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String vertical = SampleData.VERTICALS.get(i % SampleData.VERTICALS.size());
            // Every third buyer is regional; the rest buy nationally.
            boolean regional = i % 3 == 2;
            List<String> states = regional ? randomStates(random, 6) : List.of();
            // Its main vertical, and each other one with even odds, for less.
            Map<String, Long> base = new HashMap<>();
            List<String> buys = new ArrayList<>();
            for (String v : SampleData.VERTICALS) {
                boolean main = v.equals(vertical);
                if (main || random.nextDouble() < 0.5) {
                    double appetite = main ? between(random, 0.85, 1.25) : between(random, 0.6, 1.0);
                    base.put(v, Math.round(TYPICAL_CENTS.get(v) * appetite * (regional ? 1.2 : 1.0)));
                    buys.add(v);
                }
            }
            Valuation valuation = new Valuation(base, between(random, 0.1, 0.4), between(random, 0.05, 0.2),
                    between(random, 0.6, 1.4), 1.0, between(random, 0.08, 0.15), between(random, 0.45, 0.7),
                    random.nextLong());
            BuyerBehaviour behaviour = BuyerBehaviour.values(valuation)
                    .withBidProbability(between(random, 0.8, 0.98))
                    .withAcceptProbability(0.85 + random.nextInt(15) / 100.0)
                    .withLatency(5, 20 + random.nextInt(120));
            String role = "buyer";
            if (n >= 6 && i == n - 1) {
                behaviour = behaviour.slow(2_000);
                role = "slow";
            } else if (n >= 6 && i == n - 2) {
                behaviour = behaviour.withMode(BuyerBehaviour.Mode.REJECTS_POSTS);
                role = "picky";
            } else if (n >= 6 && i == n - 3) {
                behaviour = behaviour.withMode(BuyerBehaviour.Mode.GARBAGE);
                role = "flaky";
            }
            List<String> verticals = buys.size() == SampleData.VERTICALS.size() ? List.of() : buys;
            BuyerSpec spec = new BuyerSpec(String.format("%s-%02d", role, i + 1), states, verticals,
                    random.nextInt(3) * 10, 1_000, 3_000, behaviour, random.nextLong());
            // Their contracts let the connector pause them, so auctions stop waiting on them.
            specs.add(role.equals("slow") || role.equals("flaky")
                    ? spec.withIntegration(BuyerSpec.PAUSED_AFTER_FIVE_FAILURES) : spec);
        }
        return specs;
    }

    private static double between(Random random, double min, double max) {
        return min + (max - min) * random.nextDouble();
    }

    private static List<String> randomStates(Random random, int count) {
        List<String> all = new ArrayList<>(SampleData.STATES);
        java.util.Collections.shuffle(all, random);
        return List.copyOf(all.subList(0, Math.min(count, all.size())));
    }

    public List<SimulatedBuyer> buyers() {
        return buyers;
    }

    public Optional<SimulatedBuyer> buyer(String buyerId) {
        return buyers.stream().filter(b -> b.buyerId().equals(buyerId)).findFirst();
    }

    public Map<String, SimulatedBuyer> byId() {
        return buyers.stream().collect(Collectors.toMap(SimulatedBuyer::buyerId, Function.identity()));
    }

    /** The buyers' registrations for {@code config.buyers}. */
    public List<BuyerConfig> configs() {
        return buyers.stream().map(SimulatedBuyer::toConfig).toList();
    }

    @Override
    public void close() {
        buyers.forEach(SimulatedBuyer::close);
    }
}
