package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadGenerator.Kind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;

/** Valid leads sent at a steady rate from a background thread until {@link #stop()}: load for fault tests. */
final class SteadyLeads implements AutoCloseable {

    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final LeadGenerator generator;
    private final Producer<String, byte[]> producer;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "steady-leads");
        thread.setDaemon(true);
        return thread;
    });

    private SteadyLeads(LeadGenerator generator, Producer<String, byte[]> producer) {
        this.generator = generator;
        this.producer = producer;
    }

    /** Starts sending {@code perSecond} valid leads a second from {@code generator}, which writes with {@code producer}. */
    static SteadyLeads start(LeadGenerator generator, Producer<String, byte[]> producer, double perSecond) {
        SteadyLeads leads = new SteadyLeads(generator, producer);
        leads.scheduler.scheduleAtFixedRate(() -> leads.ids.add(generator.send(Kind.VALID).leadId()),
                0, Math.round(1_000_000 / perSecond), TimeUnit.MICROSECONDS);
        return leads;
    }

    /** Stops sending and waits until every lead sent is on the broker. */
    void stop() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("lead sender did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        producer.flush();
        assertThat(generator.failedSends()).as("lead sends that failed").isZero();
    }

    List<String> ids() {
        return List.copyOf(ids);
    }

    int sentCount() {
        return ids.size();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
