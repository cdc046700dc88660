package io.leadmkt.ops;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The one bucket layout of every latency histogram (a buyer's ping and post answers, a lead's time
 * to decision): fixed SLO boundaries from 5 ms to 60 s, so percentiles come from the buckets with
 * Prometheus' {@code histogram_quantile} — summed across instances, which client-side percentiles
 * cannot be — and recording costs a bucket increment, nothing per record on the heap.
 */
public final class Latency {
    static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60)};

    private Latency() {
    }

    /** A timer builder with the shared buckets; add tags and register it once, then keep it. */
    public static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
    }
}
