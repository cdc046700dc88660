package io.leadmkt.streams.admin;

import io.leadmkt.schema.ApiKey;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.access.ApiKeyTable;
import io.leadmkt.streams.admin.ConfigChanges.Author;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The running app's config: reads the global buyers and campaigns tables and this instance's {@link ApiKeyTable},
 * writes through {@link ConfigTopics}.
 */
public final class StreamsConfigStore implements ConfigStore {

    private final ConfigTopics topics;
    private final Supplier<KafkaStreams> streams;
    private final ApiKeyTable keys;

    public StreamsConfigStore(ConfigTopics topics, Supplier<KafkaStreams> streams, ApiKeyTable keys) {
        this.topics = topics;
        this.streams = streams;
        this.keys = keys;
    }

    @Override
    public List<BuyerConfig> buyers() {
        ReadOnlyKeyValueStore<String, BuyerConfig> store = table(ConfigTables.BUYERS_STORE);
        List<BuyerConfig> all = new ArrayList<>();
        try (KeyValueIterator<String, BuyerConfig> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, BuyerConfig> next = it.next();
                if (next.value != null) {
                    all.add(next.value);
                }
            }
        }
        return all;
    }

    /** One buyer's document, as every instance holds the buyers table whole. */
    public Optional<BuyerConfig> buyer(String buyerId) {
        return Optional.ofNullable(this.<BuyerConfig>table(ConfigTables.BUYERS_STORE).get(buyerId));
    }

    @Override
    public Optional<CampaignConfig> campaign(String campaignId) {
        return Optional.ofNullable(this.<CampaignConfig>table(ConfigTables.CAMPAIGNS_STORE).get(campaignId));
    }

    @Override
    public Optional<BuyerCapStatus> capStatus(String buyerId) {
        return Optional.ofNullable(this.<BuyerCapStatus>table(ConfigTables.CAP_STATUS_STORE).get(buyerId));
    }

    @Override
    public Optional<BuyerStats> stats(String buyerId) {
        return Optional.ofNullable(this.<BuyerStats>table(ConfigTables.BUYER_STATS_STORE).get(buyerId));
    }

    /** One of the global tables, as every instance holds it whole. */
    private <V> ReadOnlyKeyValueStore<String, V> table(String name) {
        KafkaStreams running = streams.get();
        if (running == null) {
            throw new IllegalStateException("streams app is starting");
        }
        return running.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    @Override
    public Optional<ConfigChange> put(BuyerConfig buyer, Author author) {
        return topics.put(buyer, author);
    }

    @Override
    public Optional<ConfigChange> put(CampaignConfig campaign, Author author) {
        return topics.put(campaign, author);
    }

    @Override
    public Optional<ConfigChange> deleteBuyer(String buyerId, Author author) {
        return topics.deleteBuyer(buyerId, author);
    }

    @Override
    public Optional<ConfigChange> deleteCampaign(String campaignId, Author author) {
        return topics.deleteCampaign(campaignId, author);
    }

    @Override
    public List<ConfigChange> suppress(List<SuppressionEntry> entries, Author author) {
        return topics.suppress(entries, author);
    }

    @Override
    public List<ApiKey> apiKeys() {
        return keys.all();
    }

    @Override
    public ConfigChange putApiKey(ApiKey key, Author author) {
        return topics.putApiKey(key, author);
    }

    @Override
    public Optional<ConfigChange> revokeApiKey(String keyId, Author author) {
        return topics.revokeApiKey(keyId, author);
    }
}
