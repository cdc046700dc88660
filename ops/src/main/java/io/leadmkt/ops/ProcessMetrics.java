package io.leadmkt.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * One process's metrics: a Prometheus registry with the JVM's own meters (memory, GC pauses and
 * overhead, threads, CPU, class loading, uptime, file descriptors) bound, every meter tagged
 * {@code process} with the process's role, so one dashboard can tell the streams app from the connector. Kafka clients are
 * bound with {@link #bind}: their binders share one refresh thread ({@link #kafkaRefresh()}), which
 * picks up metrics that appear later (a partition's lag after an assignment).
 */
public final class ProcessMetrics implements AutoCloseable {
    /** The common tag naming the process's role: {@code streams-app}, {@code buyer-connector}. */
    public static final String PROCESS_TAG = "process";

    private final PrometheusMeterRegistry registry;
    private final ScheduledExecutorService kafkaRefresh;
    private final Deque<AutoCloseable> bound = new ArrayDeque<>();

    private ProcessMetrics(String process) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(PROCESS_TAG, process);
        this.kafkaRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-kafka-refresh-" + process);
            t.setDaemon(true);
            return t;
        });
        // JvmGcMetrics' pause timers appear with the first collection; JvmHeapPressureMetrics' GC overhead
        // is there from the start, so a dashboard always has a GC series.
        for (MeterBinder jvm : new MeterBinder[] {new ClassLoaderMetrics(), new JvmMemoryMetrics(), new JvmGcMetrics(),
                new JvmHeapPressureMetrics(), new JvmThreadMetrics(), new JvmInfoMetrics(), new ProcessorMetrics(),
                new UptimeMetrics(), new FileDescriptorMetrics()}) {
            bind(jvm);
        }
    }

    /** A registry for the process playing {@code process} (its {@value #PROCESS_TAG} tag). */
    public static ProcessMetrics start(String process) {
        return new ProcessMetrics(process);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The shared refresh thread to give Micrometer's Kafka binders (they do not shut it down). */
    public ScheduledExecutorService kafkaRefresh() {
        return kafkaRefresh;
    }

    /** Binds {@code binder}; a closeable one is closed (its meters removed) with this. */
    public <B extends MeterBinder> B bind(B binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            synchronized (bound) {
                bound.push(closeable);
            }
        }
        return binder;
    }

    /**
     * A gauge {@code leadmkt_ready}: 1 while {@code health} says ready, else 0 — so an alert can see a
     * process that answers scrapes but should get no traffic. A failing health check reads as 0.
     */
    public void watch(Supplier<Health> health) {
        // Strong: a gauge holds its object weakly, and nothing else keeps a method reference alive.
        Gauge.builder("leadmkt.ready", health, h -> Health.checked(h).ready() ? 1 : 0).strongReference(true)
                .description("1 while the process is ready for traffic, else 0").register(registry);
    }

    /** Every meter in the Prometheus text format (0.0.4), as served on {@code GET /metrics}. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        synchronized (bound) {
            while (!bound.isEmpty()) {
                try {
                    bound.pop().close();
                } catch (Exception e) {
                    // a binder that cannot let go of its meters changes nothing for a closing process
                }
            }
        }
        kafkaRefresh.shutdownNow();
        registry.close();
    }
}
