package io.leadmkt.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The app's own key-value stores, RocksDB or in-memory by {@code storeType}; both are changelogged.
 * Caching is enabled on every one (its size is {@code statestore.cache.max.bytes}; 0 turns it off):
 * an auction rewrites its state on every bid, and a lead kept for its auction is often deleted again
 * before the next commit — the cache turns those into one changelog record or none. In the
 * Processor API a cache holds back only store writes, never {@code context.forward}, and under
 * exactly-once nothing a task writes is visible before its commit anyway.
 */
public final class StateStores {
    private StateStores() {
    }

    public static <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keys, Serde<V> values,
                                                                    boolean inMemory) {
        return Stores.keyValueStoreBuilder(
                inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), keys, values)
                .withCachingEnabled();
    }

    /** As {@link #keyValue(String, Serde, Serde, boolean)}, its changelog topic created with {@code changelogConfig}. */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keys, Serde<V> values,
                                                                    boolean inMemory, Map<String, String> changelogConfig) {
        return keyValue(name, keys, values, inMemory).withLoggingEnabled(changelogConfig);
    }

    /**
     * A bounded map for the values a processor wrote or read last, kept decoded so that its next event on
     * the same key does not decode the store's bytes again (least recently used go first). Decoding store
     * values was a large part of the stream thread's time with C2 (JFR, 200 leads/s). The processor writes
     * every change through to its store at once, so the store and its changelog stay the truth, and clears
     * the map in {@code init}: a task restored, or revived after an aborted transaction, reads its store again.
     */
    public static <K, V> Map<K, V> decodedValues(int max) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
