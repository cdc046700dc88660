package io.leadmkt.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Puts every RocksDB store of the process under one memory budget: one block cache shared by all of
 * them, and their memtables charged to it through one {@link WriteBufferManager}. Streams' default
 * gives each store instance its own 50 MB block cache and up to 3 × 16 MB memtables; with a few
 * stores on every partition (~45 instances on the default 3 partitions) that is gigabytes of
 * off-heap memory that a slow, steady write load fills over hours — the resident set grew by
 * ~7 MB a minute in a 10-minute soak with a 512 MB heap. Bounded, it stays flat (the same soak:
 * see README "Performance"). Reads rarely reach RocksDB at all (the record cache serves an open
 * auction), so a small cache costs little.
 *
 * <p>Streams names the class, not an instance, so the budget travels in the Streams properties
 * ({@link #BUDGET_BYTES_CONFIG}) and the shared cache is kept per budget for the life of the process
 * (several apps in one JVM, as in tests, share it).
 */
public final class RocksDbMemory implements RocksDBConfigSetter {

    /** Streams property carrying {@link StreamsAppConfig#ROCKSDB_MEMORY_BYTES}. */
    public static final String BUDGET_BYTES_CONFIG = "leadmkt.rocksdb.memory.bytes";

    /** Memtables may use this share of the budget before RocksDB flushes the largest. */
    private static final double MEMTABLE_SHARE = 0.5;
    /** Index and filter blocks are cached with high priority, in this share of the cache, so data blocks cannot evict them. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
    }

    private static final Map<Long, Shared> BY_BUDGET = new ConcurrentHashMap<>();

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long budget = budget(configs);
        Shared shared = BY_BUDGET.computeIfAbsent(budget, b -> {
            Cache cache = new LRUCache(b, -1, false, HIGH_PRIORITY_SHARE);
            return new Shared(cache, new WriteBufferManager((long) (b * MEMTABLE_SHARE), cache));
        });
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
        // A store's writes are small (an auction is a few hundred bytes): two small memtables flush
        // often enough for the shared manager to keep the total in budget.
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(Math.max(1L << 20, Math.min(8L << 20, budget / 16)));
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store of the process: never closed here.
    }

    static long budget(Map<String, Object> configs) {
        Object value = configs.get(BUDGET_BYTES_CONFIG);
        if (value == null) {
            throw new IllegalStateException(BUDGET_BYTES_CONFIG + " missing from the Streams properties");
        }
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
    }
}
