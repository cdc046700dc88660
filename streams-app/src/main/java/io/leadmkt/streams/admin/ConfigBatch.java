package io.leadmkt.streams.admin;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Buyers and campaigns read from one or more documents, and every problem found in them. A batch
 * with errors must not be written at all: {@link #ok()} first.
 */
public record ConfigBatch(List<BuyerConfig> buyers, List<CampaignConfig> campaigns, List<String> errors) {

    public ConfigBatch {
        buyers = List.copyOf(buyers);
        campaigns = List.copyOf(campaigns);
        errors = List.copyOf(errors);
    }

    public static ConfigBatch empty() {
        return new ConfigBatch(List.of(), List.of(), List.of());
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Both batches; an id defined in both is an error, since which one wins would be an accident of order. */
    public ConfigBatch plus(ConfigBatch other) {
        List<BuyerConfig> b = new ArrayList<>(buyers);
        List<CampaignConfig> c = new ArrayList<>(campaigns);
        List<String> e = new ArrayList<>(errors);
        e.addAll(other.errors);
        Set<String> buyerIds = new HashSet<>(buyers.stream().map(BuyerConfig::getBuyerId).toList());
        for (BuyerConfig buyer : other.buyers) {
            if (!buyerIds.add(buyer.getBuyerId())) {
                e.add("buyer '" + buyer.getBuyerId() + "' is defined more than once");
            }
            b.add(buyer);
        }
        Set<String> campaignIds = new HashSet<>(campaigns.stream().map(CampaignConfig::getCampaignId).toList());
        for (CampaignConfig campaign : other.campaigns) {
            if (!campaignIds.add(campaign.getCampaignId())) {
                e.add("campaign '" + campaign.getCampaignId() + "' is defined more than once");
            }
            c.add(campaign);
        }
        return new ConfigBatch(b, c, e);
    }
}
