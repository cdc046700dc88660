package io.leadmkt.streams.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.ConfigTables;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report processor alone over an in-memory store: the rows it keeps decoded between events never
 * hide what the store holds once the task is initialised again (restored, or revived after an aborted
 * transaction).
 */
class ReportProcessorTest {
    private final Topics topics = Topics.embedded();
    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private KeyValueStore<String, ReportFigures> rows;
    private final ReportProcessor processor = new ReportProcessor();

    @BeforeEach
    void setUp() {
        rows = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ReportProcessor.STORE), Serdes.String(),
                topics.serde(ReportFigures.class)).withLoggingDisabled().build();
        rows.init(context.getStateStoreContext(), rows);
        context.addStateStore(rows);
        configStore(ConfigTables.BUYERS_STORE, BuyerConfig.class);
        configStore(ConfigTables.CAMPAIGNS_STORE, CampaignConfig.class);
        configStore(ConfigTables.SUPPRESSION_STORE, SuppressionEntry.class);
        configStore(ConfigTables.CAP_STATUS_STORE, BuyerCapStatus.class);
        configStore(ConfigTables.BUYER_STATS_STORE, BuyerStats.class);
        processor.init(context);
    }

    private <V extends SpecificRecord> void configStore(String name, Class<V> type) {
        var store = Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                topics.serde(type)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private void process(SpecificRecord event, String leadId) {
        processor.process(new Record<>(leadId, event, 0L));
    }

    private long sourceLeads() {
        String key = ReportKey.of(ReportDimension.SOURCE, ReportRowTest.AT, "src-1").encoded();
        return ReportRow.fromAvro(rows.get(key)).get(Figure.LEADS);
    }

    @Test
    void shouldAddEachEventToTheRowItWroteLastWhenARowIsUpdatedTwice() {
        process(ReportRowTest.sold("L1", "alpha", 1_000, 900), "L1");
        process(ReportRowTest.sold("L2", "alpha", 2_000, 1_800), "L2");

        assertThat(sourceLeads()).isEqualTo(2);
        String buyer = ReportKey.of(ReportDimension.BUYER, ReportRowTest.AT, "alpha").encoded();
        assertThat(ReportRow.fromAvro(rows.get(buyer)).get(Figure.REVENUE)).isEqualTo(3_000);
    }

    @Test
    void shouldReadRowsFromTheStoreAgainWhenTheTaskIsInitialisedAgain() {
        process(ReportRowTest.sold("L1", "alpha", 1_000, 900), "L1");
        // the store as a restore leaves it: without the first lead, which an aborted transaction took back
        rows.delete(ReportKey.of(ReportDimension.SOURCE, ReportRowTest.AT, "src-1").encoded());

        processor.init(context);
        process(ReportRowTest.sold("L2", "alpha", 2_000, 1_800), "L2");

        assertThat(sourceLeads()).isEqualTo(1);
    }
}
