package io.leadmkt.streams.comply;

import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.outcome.Rejections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
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
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final long windowMs;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, String> seen;

    public DuplicateGuard(long windowMs) {
        this.windowMs = windowMs;
    }

    public static ProcessorSupplier<String, Lead, String, Object> supplier(long windowMs, boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Lead, String, Object> get() {
                return new DuplicateGuard(windowMs);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.keyValue(STORE, Serdes.String(), Serdes.String(), inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetExpired);
    }

    @Override
    public void process(Record<String, Lead> record) {
        Lead lead = record.value();
        long now = context.currentSystemTimeMs();
        String identity = record.key();
        String previous = seen.get(identity);
        if (previous != null) {
            int bar = previous.lastIndexOf('|');
            String firstLeadId = previous.substring(0, bar);
            long firstSeenAt = Long.parseLong(previous.substring(bar + 1));
            if (!firstLeadId.equals(lead.getLeadId()) && now - firstSeenAt < windowMs) {
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

    private void forgetExpired(long now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = seen.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                long firstSeenAt = Long.parseLong(entry.value.substring(entry.value.lastIndexOf('|') + 1));
                if (now - firstSeenAt >= windowMs) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seen::delete);
    }
}
