package io.leadmkt.streams.comply;

import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import io.leadmkt.streams.outcome.Rejections;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Refuses a second lead for the same consumer (same identity hash) within the dedupe window.
 * Runs on a stream re-keyed by identity hash, so two identical leads arriving at the same instant
 * meet on one partition and one thread: the first wins, the second is a DUPLICATE, whatever the
 * number of instances. A redelivered copy of the first lead (same lead id) passes again; the
 * auction downstream ignores the repeat.
 */
public final class DuplicateGuard implements Processor<String, Lead, String, Object> {
    public static final String STORE = "identity-dedupe-store";

    private final long windowMs;
    /** Entries past the window, found a slice at a time: one lives at most a quarter of the window longer. */
    private final StoreSweep<String, String> sweep;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, String> seen;

    public DuplicateGuard(long windowMs) {
        this.windowMs = windowMs;
        this.sweep = StoreSweep.quarterOf(Duration.ofMillis(windowMs));
    }

    public static ProcessorSupplier<String, Lead, String, Object> supplier(long windowMs, boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Lead, String, Object> get() {
                return new DuplicateGuard(windowMs);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.writeThrough(STORE, Serdes.String(), Serdes.String(), inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetExpired);
    }

    @Override
    public void process(Record<String, Lead> record) {
        Lead lead = record.value();
        long now = context.currentSystemTimeMs();
        String identity = record.key();
        String previous = seen.get(identity);
        if (previous != null) {
            String firstLeadId = previous.substring(0, previous.lastIndexOf('|'));
            if (!firstLeadId.equals(lead.getLeadId()) && now - firstSeenAt(previous) < windowMs) {
                Rejection rejection = Rejections.of(lead, Rejections.DUPLICATE, List.of(Rejections.error("contact",
                        "DUPLICATE", "same consumer as lead " + firstLeadId)), now, "dedupe");
                Rejections.forward(context, record, rejection, now, Map.of("duplicateOf", firstLeadId));
                return;
            }
        }
        if (previous == null || !previous.startsWith(lead.getLeadId() + "|")) {
            seen.put(identity, lead.getLeadId() + "|" + now);
        }
        context.forward(record);
    }

    /** When an entry's lead was first seen: its value is {@code leadId|firstSeenAt}. */
    private static long firstSeenAt(String seenValue) {
        return Long.parseLong(seenValue.substring(seenValue.lastIndexOf('|') + 1));
    }

    private void forgetExpired(long now) {
        sweep.next(seen, value -> now - firstSeenAt(value) >= windowMs).forEach(expired -> seen.delete(expired.key));
    }
}
