package io.leadmkt.streams.admin;

import io.leadmkt.schema.ApiKey;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.admin.ConfigChanges.Author;
import java.util.List;
import java.util.Optional;

/**
 * What the admin API reads and writes: the live buyers table and the config topics. Every write is
 * audited by {@code author} (see {@link ConfigTopics}); each returns the change it made, empty when
 * there was nothing to change.
 */
public interface ConfigStore {

    /** Every buyer as this instance currently sees it (the streams app's global table). */
    List<BuyerConfig> buyers();

    /** The campaign as this instance currently sees it (the streams app's global table); empty: none. */
    default Optional<CampaignConfig> campaign(String campaignId) {
        return Optional.empty();
    }

    /** What the buyer's cap keeper last published (caps.status); empty: never full. */
    default Optional<BuyerCapStatus> capStatus(String buyerId) {
        return Optional.empty();
    }

    /** The buyer's recent post results (buyers.stats); empty: no post yet. */
    default Optional<BuyerStats> stats(String buyerId) {
        return Optional.empty();
    }

    /** Writes the buyer to its compacted topic, with its change; returns once the broker has them. */
    Optional<ConfigChange> put(BuyerConfig buyer, Author author);

    /** Writes the campaign to its compacted topic, with its change; returns once the broker has them. */
    Optional<ConfigChange> put(CampaignConfig campaign, Author author);

    /** A tombstone for the buyer, with its change; empty when there is no such buyer. */
    Optional<ConfigChange> deleteBuyer(String buyerId, Author author);

    /** A tombstone for the campaign, with its change; empty when there is no such campaign. */
    Optional<ConfigChange> deleteCampaign(String campaignId, Author author);

    /**
     * Puts the entries on the suppression list, each with its change, skipping those already there
     * with the same kind and reason; the changes written (empty: nothing new).
     */
    List<ConfigChange> suppress(List<SuppressionEntry> entries, Author author);

    /** Every API key in force, as this instance knows them (hashes only), oldest first. */
    List<ApiKey> apiKeys();

    /** Writes a new API key (its hash) with its change; returns the change once the broker has them. */
    ConfigChange putApiKey(ApiKey key, Author author);

    /** A tombstone for the key, with its change; empty when there is no such key. */
    Optional<ConfigChange> revokeApiKey(String keyId, Author author);
}
