package io.leadmkt.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The app's own key-value stores, RocksDB or in-memory by {@code storeType}; both are changelogged. */
public final class StateStores {
    private StateStores() {
    }

    public static <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keys, Serde<V> values,
                                                                    boolean inMemory) {
        return Stores.keyValueStoreBuilder(
                inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), keys, values);
    }
}
