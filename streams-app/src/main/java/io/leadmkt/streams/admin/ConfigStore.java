package io.leadmkt.streams.admin;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import java.util.List;

/** What the admin API reads and writes: the live buyers table and the config topics. */
public interface ConfigStore {

    /** Every buyer as this instance currently sees it (the streams app's global table). */
    List<BuyerConfig> buyers();

    /** Writes the buyer to its compacted topic; returns once the broker has it. */
    void put(BuyerConfig buyer);

    /** Writes the campaign to its compacted topic; returns once the broker has it. */
    void put(CampaignConfig campaign);
}
