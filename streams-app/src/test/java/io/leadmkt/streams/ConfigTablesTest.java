package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.SuppressionEntry;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The config tables as the stages read them: decoded once between writes, never stale after one. */
class ConfigTablesTest {
    private static final long T0 = 1_000_000L;

    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private TimestampedKeyValueStore<String, BuyerConfig> buyers;
    private TimestampedKeyValueStore<String, CampaignConfig> campaigns;
    private ConfigTables tables;

    @BeforeEach
    void setUp() {
        buyers = MockStores.timestamped(context, ConfigTables.BUYERS_STORE, BuyerConfig.class);
        campaigns = MockStores.timestamped(context, ConfigTables.CAMPAIGNS_STORE, CampaignConfig.class);
        MockStores.timestamped(context, ConfigTables.SUPPRESSION_STORE, SuppressionEntry.class);
        MockStores.timestamped(context, ConfigTables.CAP_STATUS_STORE, BuyerCapStatus.class);
        MockStores.timestamped(context, ConfigTables.BUYER_STATS_STORE, BuyerStats.class);
        context.setCurrentSystemTimeMs(T0);
        tables = new ConfigTables(context);
    }

    private static BuyerConfig buyer(String id, String name) {
        return MarketFixtures.buyer(id).setName(name).build();
    }

    @Test
    void shouldDecodeTheBuyersOnceWhenNothingWasWrittenBetweenReads() {
        ConfigTables.apply(buyers, "a", buyer("a", "Alpha"), T0);
        ConfigTables.apply(buyers, "b", buyer("b", "Beta"), T0);

        List<BuyerConfig> first = tables.allBuyers();
        context.setCurrentSystemTimeMs(T0 + 1_000);

        assertThat(first).extracting(BuyerConfig::getBuyerId).containsExactly("a", "b");
        assertThat(tables.allBuyers()).isSameAs(first);
        assertThat(tables.buyer("a")).containsSame(first.get(0));
    }

    @Test
    void shouldReadAChangedOrDeletedBuyerAtTheNextReadWhenTheWriteCameAfterADecoding() {
        ConfigTables.apply(buyers, "a", buyer("a", "Alpha"), T0);
        assertThat(tables.buyer("a")).map(BuyerConfig::getName).contains("Alpha");

        ConfigTables.apply(buyers, "a", buyer("a", "Alpha Leads"), T0 + 5);
        assertThat(tables.buyer("a")).map(BuyerConfig::getName).contains("Alpha Leads");
        assertThat(tables.buyerChangedAt("a")).isEqualTo(T0 + 5);

        ConfigTables.apply(buyers, "a", null, T0 + 6);
        assertThat(tables.buyer("a")).isEmpty();
        assertThat(tables.allBuyers()).isEmpty();
    }

    @Test
    void shouldSeeAWriteThatWasNotCountedOnceTheDecodingIsOlderThanItsTrust() {
        ConfigTables.apply(campaigns, "c1", MarketFixtures.campaign(500, 500).setCampaignId("c1").build(), T0);
        assertThat(tables.campaign("c2")).isEmpty();
        campaigns.put("c2", ValueAndTimestamp.make(MarketFixtures.campaign(700, 500).setCampaignId("c2").build(), T0));

        context.setCurrentSystemTimeMs(T0 + ConfigTables.TRUST_MS - 1);
        assertThat(tables.campaign("c2")).as("within its trust, a decoding is kept").isEmpty();
        context.setCurrentSystemTimeMs(T0 + ConfigTables.TRUST_MS);
        assertThat(tables.campaign("c2")).map(CampaignConfig::getFloorCents).contains(700L);
    }

    @Test
    void shouldApplyARecordAndItsTombstoneAndSkipOneWithoutAKeyWhenTheGlobalThreadWritesThem() {
        Processor<String, BuyerConfig, Void, Void> writer = ConfigTables.writer(ConfigTables.BUYERS_STORE);
        writer.init(context);
        assertThat(tables.allBuyers()).isEmpty();

        writer.process(new Record<>("a", buyer("a", "Alpha"), T0 + 1));
        writer.process(new Record<>(null, buyer("b", "Beta"), T0 + 2));

        assertThat(tables.allBuyers()).extracting(BuyerConfig::getBuyerId).containsExactly("a");
        assertThat(tables.buyerChangedAt("a")).isEqualTo(T0 + 1);
        assertThat(buyers.approximateNumEntries()).isEqualTo(1);

        writer.process(new Record<>("a", null, T0 + 3));
        assertThat(tables.buyer("a")).isEmpty();
    }
}
