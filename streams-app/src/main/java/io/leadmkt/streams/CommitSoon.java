package io.leadmkt.streams;

import io.leadmkt.schema.AuditEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Passes records on to a sink and asks for a prompt commit when one is output a next stage waits
 * for ({@link CommitPacer} says when). Audit events wait for the next commit: nobody is waiting
 * on them, and they are always written with (or after) the output that matters. It sits right
 * before a sink or a repartition, so it never changes a key and no repartition follows from it.
 */
final class CommitSoon<V> implements Processor<String, V, String, V> {

    /** Commits are per stream thread, so is the pacing; a replaced thread starts a fresh pacer. */
    private static final ThreadLocal<CommitPacer> PACERS = new ThreadLocal<>();

    private final int perSecond;
    private final int burst;
    private ProcessorContext<String, V> context;

    private CommitSoon(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    static <V> ProcessorSupplier<String, V, String, V> supplier(int perSecond, int burst) {
        return () -> new CommitSoon<>(perSecond, burst);
    }

    @Override
    public void init(ProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, V> record) {
        context.forward(record);
        if (!(record.value() instanceof AuditEvent) && pacer().tryAcquire(context.currentSystemTimeMs())) {
            context.commit();
        }
    }

    /** The pacer of the stream thread running this task now (a task can move between threads). */
    private CommitPacer pacer() {
        CommitPacer pacer = PACERS.get();
        if (pacer == null) {
            pacer = new CommitPacer(perSecond, burst);
            PACERS.set(pacer);
        }
        return pacer;
    }
}
