package io.leadmkt.streams;

import io.leadmkt.schema.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/** In-memory stores registered on a {@link MockProcessorContext}, where a processor under test finds them by name. */
public final class MockStores {
    private static final Topics TOPICS = Topics.embedded();

    private MockStores() {
    }

    /** A processor's own key-value store of Avro values. */
    public static <V extends SpecificRecord> KeyValueStore<String, V> keyValue(MockProcessorContext<?, ?> context,
                                                                               String name, Class<V> type) {
        return registered(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                TOPICS.serde(type)));
    }

    /** A global table's store, as {@link ConfigTables} reads it. */
    public static <V extends SpecificRecord> TimestampedKeyValueStore<String, V> timestamped(
            MockProcessorContext<?, ?> context, String name, Class<V> type) {
        return registered(context, Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), TOPICS.serde(type)));
    }

    private static <S extends StateStore> S registered(MockProcessorContext<?, ?> context, StoreBuilder<S> builder) {
        S store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
