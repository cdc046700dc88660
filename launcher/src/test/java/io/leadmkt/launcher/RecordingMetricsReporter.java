package io.leadmkt.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * A metrics reporter that only remembers the configuration of every Kafka client that created it:
 * passed through as {@code metric.reporters}, it shows which clients a pass-through property reached.
 */
public final class RecordingMetricsReporter implements MetricsReporter {

    private static final ConcurrentLinkedQueue<Map<String, ?>> CONFIGURED = new ConcurrentLinkedQueue<>();

    /** The configurations recorded since the last call, oldest first. */
    static List<Map<String, ?>> drain() {
        List<Map<String, ?>> drained = new ArrayList<>();
        for (Map<String, ?> c; (c = CONFIGURED.poll()) != null; ) {
            drained.add(c);
        }
        return drained;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        CONFIGURED.add(new HashMap<>(configs)); // values may be null: no Map.copyOf
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
    }

    @Override
    public void metricChange(KafkaMetric metric) {
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
    }

    @Override
    public void close() {
    }
}
