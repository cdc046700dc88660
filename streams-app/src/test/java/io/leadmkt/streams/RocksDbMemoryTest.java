package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksDbMemoryTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldPutEveryStoreUnderOneSharedBudgetWhenConfigured() {
        RocksDbMemory setter = new RocksDbMemory();
        Map<String, Object> configs = Map.of(RocksDbMemory.BUDGET_BYTES_CONFIG, 32L << 20);
        try (Options auction = new Options().setTableFormatConfig(new BlockBasedTableConfig());
             Options status = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            setter.setConfig("auction-store", auction, configs);
            setter.setConfig("lead-status-store", status, configs);

            assertThat(auction.writeBufferManager()).isNotNull().isSameAs(status.writeBufferManager());
            assertThat(auction.writeBufferSize()).isEqualTo(2L << 20);
            assertThat(auction.maxWriteBufferNumber()).isEqualTo(2);
            BlockBasedTableConfig table = (BlockBasedTableConfig) auction.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
        }
    }

    @Test
    void shouldReadTheBudgetWhenItComesAsText() {
        assertThat(RocksDbMemory.budget(Map.of(RocksDbMemory.BUDGET_BYTES_CONFIG, "67108864"))).isEqualTo(64L << 20);
    }

    @Test
    void shouldRefuseToGuessWhenTheBudgetIsMissing() {
        assertThatThrownBy(() -> RocksDbMemory.budget(Map.of()))
                .hasMessageContaining(RocksDbMemory.BUDGET_BYTES_CONFIG);
    }
}
