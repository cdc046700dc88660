package io.leadmkt.streams;

import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.comply.SuppressionRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Read access to the config tables (buyers, campaigns, suppression list) and the two derived
 * buyer tables eligibility reads (cap status: who is full until when; buyer stats: recent
 * post-acceptance rate). They are global tables: every instance holds all of them, so any stage
 * can look up any buyer or hash without a repartition, and a change on the compacted topic is
 * effective for the next lead.
 */
public final class ConfigTables {
    public static final String BUYERS_STORE = "config-buyers-store";
    public static final String CAMPAIGNS_STORE = "config-campaigns-store";
    public static final String SUPPRESSION_STORE = "config-suppression-store";
    public static final String CAP_STATUS_STORE = "caps-status-store";
    public static final String BUYER_STATS_STORE = "buyers-stats-store";

    private final TimestampedKeyValueStore<String, BuyerConfig> buyers;
    private final TimestampedKeyValueStore<String, CampaignConfig> campaigns;
    private final TimestampedKeyValueStore<String, SuppressionEntry> suppression;
    private final TimestampedKeyValueStore<String, BuyerCapStatus> capStatus;
    private final TimestampedKeyValueStore<String, BuyerStats> buyerStats;
    private final ProcessingContext context;

    public ConfigTables(ProcessingContext context) {
        this.context = context;
        this.buyers = context.getStateStore(BUYERS_STORE);
        this.campaigns = context.getStateStore(CAMPAIGNS_STORE);
        this.suppression = context.getStateStore(SUPPRESSION_STORE);
        this.capStatus = context.getStateStore(CAP_STATUS_STORE);
        this.buyerStats = context.getStateStore(BUYER_STATS_STORE);
    }

    public Optional<CampaignConfig> campaign(String campaignId) {
        return campaignId == null ? Optional.empty() : Optional.ofNullable(valueOf(campaigns.get(campaignId)));
    }

    public Optional<BuyerConfig> buyer(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(valueOf(buyers.get(buyerId)));
    }

    /** Whether the hash is on the suppression list now (wall clock): an expired entry no longer counts. */
    public boolean suppressed(String identityHash) {
        return identityHash != null
                && SuppressionRules.inForce(valueOf(suppression.get(identityHash)), context.currentSystemTimeMs());
    }

    /** The buyer's cap status from {@code caps.status}; empty when the cap keeper never wrote one (open). */
    /** When the buyer's document was last written (the config record's timestamp); 0 when unknown. */
    public long buyerChangedAt(String buyerId) {
        ValueAndTimestamp<BuyerConfig> stored = buyerId == null ? null : buyers.get(buyerId);
        return stored == null ? 0 : stored.timestamp();
    }

    public Optional<BuyerCapStatus> capStatus(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(valueOf(capStatus.get(buyerId)));
    }

    /** The buyer's recent post results from {@code buyers.stats}; empty before its first post result. */
    public Optional<BuyerStats> buyerStats(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(valueOf(buyerStats.get(buyerId)));
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
