package io.leadmkt.streams.eligibility;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Lead;
import java.util.List;

/**
 * Which buyers may be pinged for a lead: active buyers (webhook buyers with ping and post URLs, or
 * Kafka-native buyers, which need no URL) that take the lead's state, the campaign's vertical and
 * the campaign itself, whose minimum score the lead meets, and whom the seller has not blocked.
 * A pure function of the lead and the config tables.
 */
public final class BuyerEligibility {
    private BuyerEligibility() {
    }

    public static List<String> eligibleBuyers(Lead lead, CampaignConfig campaign, List<BuyerConfig> buyers) {
        String state = lead.getProfile().getState();
        int score = lead.getEnrichment().getScore();
        return buyers.stream()
                .filter(BuyerConfig::getActive)
                // Kafka-native buyers get their pings on their own topic from the connector: no URL needed.
                .filter(b -> b.getDelivery() == Delivery.KAFKA || (b.getPingUrl() != null && b.getPostUrl() != null))
                .filter(b -> b.getStates().isEmpty() || b.getStates().contains(state))
                .filter(b -> b.getVerticals().isEmpty() || b.getVerticals().contains(campaign.getVertical()))
                .filter(b -> b.getCampaigns().isEmpty() || b.getCampaigns().contains(campaign.getCampaignId()))
                .filter(b -> score >= b.getMinScore())
                .filter(b -> !campaign.getBlockedBuyers().contains(b.getBuyerId()))
                .map(BuyerConfig::getBuyerId)
                .sorted()
                .toList();
    }
}
