package io.leadmkt.streams.privacy;

import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionStatus;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.StateStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Collects each deletion request's events (keyed by deletion id) in one store entry, served by
 * {@code GET /v1/privacy/deletions/{id}} from the instance that owns the id ({@link DeletionProgress}
 * says where the request is). The events topic itself, kept forever, is the proof.
 */
public final class DeletionStatusProcessor implements Processor<String, DeletionEvent, Void, Void> {
    public static final String STORE = "privacy-deletion-status-store";

    private KeyValueStore<String, DeletionStatus> statuses;

    public static ProcessorSupplier<String, DeletionEvent, Void, Void> supplier(AvroSerde<DeletionStatus> serde,
                                                                              boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, DeletionEvent, Void, Void> get() {
                return new DeletionStatusProcessor();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.keyValue(STORE, Serdes.String(), serde, inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.statuses = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, DeletionEvent> record) {
        DeletionEvent event = record.value();
        if (event == null || event.getDeletionId() == null) {
            return;
        }
        DeletionStatus status = statuses.get(event.getDeletionId());
        List<DeletionEvent> events = new ArrayList<>(status == null ? List.of() : status.getEvents());
        events.add(event);
        statuses.put(event.getDeletionId(), DeletionStatus.newBuilder().setDeletionId(event.getDeletionId())
                .setEvents(events).build());
    }
}
