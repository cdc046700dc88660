package io.leadmkt.streams;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.SuppressionEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Read access to the three config tables (buyers, campaigns, suppression list). They are global
 * tables: every instance holds all of them, so any stage can look up any buyer or hash without a
 * repartition, and a change on the compacted topic is effective for the next lead.
 */
public final class ConfigTables {
    public static final String BUYERS_STORE = "config-buyers-store";
    public static final String CAMPAIGNS_STORE = "config-campaigns-store";
    public static final String SUPPRESSION_STORE = "config-suppression-store";

    private final TimestampedKeyValueStore<String, BuyerConfig> buyers;
    private final TimestampedKeyValueStore<String, CampaignConfig> campaigns;
    private final TimestampedKeyValueStore<String, SuppressionEntry> suppression;

    public ConfigTables(ProcessingContext context) {
        this.buyers = context.getStateStore(BUYERS_STORE);
        this.campaigns = context.getStateStore(CAMPAIGNS_STORE);
        this.suppression = context.getStateStore(SUPPRESSION_STORE);
    }

    public Optional<CampaignConfig> campaign(String campaignId) {
        return campaignId == null ? Optional.empty() : Optional.ofNullable(valueOf(campaigns.get(campaignId)));
    }

    public Optional<BuyerConfig> buyer(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(valueOf(buyers.get(buyerId)));
    }

    public boolean suppressed(String identityHash) {
        return identityHash != null && valueOf(suppression.get(identityHash)) != null;
    }

    public List<BuyerConfig> allBuyers() {
        List<BuyerConfig> all = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<BuyerConfig>> it = buyers.all()) {
            while (it.hasNext()) {
                KeyValue<String, ValueAndTimestamp<BuyerConfig>> next = it.next();
                BuyerConfig buyer = valueOf(next.value);
                if (buyer != null) {
                    all.add(buyer);
                }
            }
        }
        return all;
    }

    private static <V> V valueOf(ValueAndTimestamp<V> stored) {
        return stored == null ? null : stored.value();
    }
}
