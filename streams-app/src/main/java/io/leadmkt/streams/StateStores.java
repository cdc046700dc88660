package io.leadmkt.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The app's own key-value stores, RocksDB or in-memory by {@code storeType}; both are changelogged.
 *
 * <p>Two kinds. {@link #keyValue} stores go through Kafka Streams' record cache (its size is
 * {@code statestore.cache.max.bytes}; 0 turns it off): an auction rewrites its state on every bid, a
 * report row on every lead of its bucket, a buyer's stats on every post result — the cache turns
 * those into one changelog record per commit. {@link #writeThrough} stores skip it: their keys are
 * written once (a timeline event, a disclosure index entry, a dedupe mark) or again only commits
 * later (a lead's status when it ends, the lead an auction keeps until it is decided), so the cache
 * could fold nothing there, and their clean entries would fill it. A full cache makes every put
 * evict from the store being written to, so the hot stores lost their own entries on every write
 * and flushed early whenever the one evicted was dirty (JFR at 300 leads/s: a fifth of the stream
 * thread in the cache's puts, evictions and flushes). In the Processor API a cache holds back only
 * store writes, never {@code context.forward}, and under exactly-once nothing a task writes is
 * visible before its commit anyway.
 */
public final class StateStores {
    private StateStores() {
    }

    /** A store written often per key between commits: through the record cache. */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(String name, Serde<K> keys, Serde<V> values,
                                                                    boolean inMemory) {
        return writeThrough(name, keys, values, inMemory).withCachingEnabled();
    }

    /** A store whose keys are written once, or again only commits apart: past the record cache. */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> writeThrough(String name, Serde<K> keys, Serde<V> values,
                                                                        boolean inMemory) {
        return Stores.keyValueStoreBuilder(
                inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name), keys, values);
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
