package io.leadmkt.streams.admin;

import io.leadmkt.schema.ApiKey;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.SuppressionEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The config topics, as far as the admin API can tell: what was written, and by whom. */
public final class FakeConfigStore implements ConfigStore {
    public final List<BuyerConfig> buyers = new CopyOnWriteArrayList<>();
    public final List<CampaignConfig> campaigns = new CopyOnWriteArrayList<>();
    public final List<ConfigChanges.Author> authors = new CopyOnWriteArrayList<>();
    public final Map<String, SuppressionEntry> suppressions = new ConcurrentHashMap<>();
    public final Map<String, BuyerCapStatus> capStatus = new ConcurrentHashMap<>();
    public final Map<String, BuyerStats> stats = new ConcurrentHashMap<>();
    public final Map<String, ApiKey> keys = new java.util.concurrent.ConcurrentSkipListMap<>();
    public final List<ConfigChange> changes = new CopyOnWriteArrayList<>();

    @Override
    public List<ApiKey> apiKeys() {
        return List.copyOf(keys.values());
    }

    @Override
    public ConfigChange putApiKey(ApiKey key, ConfigChanges.Author author) {
        authors.add(author);
        keys.put(key.getKeyId(), key);
        ConfigChange change = ConfigChanges.change(ConfigChanges.API_KEY, key.getKeyId(), null,
                io.leadmkt.streams.access.ApiKeys.document(key, false), author, 0L).orElseThrow();
        changes.add(change);
        return change;
    }

    @Override
    public Optional<ConfigChange> revokeApiKey(String keyId, ConfigChanges.Author author) {
        authors.add(author);
        ApiKey gone = keys.remove(keyId);
        Optional<ConfigChange> change = gone == null ? Optional.empty() : ConfigChanges.change(
                ConfigChanges.API_KEY, keyId, io.leadmkt.streams.access.ApiKeys.document(gone, false), null, author, 0L);
        change.ifPresent(changes::add);
        return change;
    }

    @Override
    public Optional<BuyerCapStatus> capStatus(String buyerId) {
        return Optional.ofNullable(capStatus.get(buyerId));
    }

    @Override
    public Optional<BuyerStats> stats(String buyerId) {
        return Optional.ofNullable(stats.get(buyerId));
    }

    @Override
    public List<BuyerConfig> buyers() {
        return buyers;
    }

    @Override
    public Optional<ConfigChange> put(BuyerConfig buyer, ConfigChanges.Author author) {
        authors.add(author);
        buyers.removeIf(b -> b.getBuyerId().equals(buyer.getBuyerId()));
        buyers.add(buyer);
        return ConfigChanges.change("buyer", buyer.getBuyerId(), null, ConfigChanges.document(buyer), author, 0L);
    }

    @Override
    public Optional<ConfigChange> put(CampaignConfig campaign, ConfigChanges.Author author) {
        authors.add(author);
        campaigns.add(campaign);
        return ConfigChanges.change("campaign", campaign.getCampaignId(), null, ConfigChanges.document(campaign),
                author, 0L);
    }

    @Override
    public Optional<ConfigChange> deleteBuyer(String buyerId, ConfigChanges.Author author) {
        authors.add(author);
        Optional<BuyerConfig> gone = buyers.stream().filter(b -> b.getBuyerId().equals(buyerId)).findFirst();
        gone.ifPresent(buyers::remove);
        return gone.flatMap(b -> ConfigChanges.change("buyer", buyerId, ConfigChanges.document(b), null, author, 0L));
    }

    @Override
    public Optional<ConfigChange> deleteCampaign(String campaignId, ConfigChanges.Author author) {
        authors.add(author);
        return Optional.empty();
    }

    @Override
    public List<ConfigChange> suppress(List<SuppressionEntry> entries, ConfigChanges.Author author) {
        authors.add(author);
        List<ConfigChange> changes = new ArrayList<>();
        for (SuppressionEntry entry : entries) {
            SuppressionEntry before = suppressions.put(entry.getHash(), entry);
            ConfigChanges.change(ConfigChanges.SUPPRESSION, entry.getHash(), ConfigChanges.document(before),
                    ConfigChanges.document(entry), author, 0L).ifPresent(changes::add);
        }
        return changes;
    }
}
