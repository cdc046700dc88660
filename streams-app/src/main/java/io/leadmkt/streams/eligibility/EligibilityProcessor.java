package io.leadmkt.streams.eligibility;

import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.streams.LeadStage;
import io.leadmkt.streams.audit.Audit;
import io.leadmkt.streams.outcome.Rejections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Names the buyers to ping and the auction's terms (floor — the campaign's floor for the lead's
 * state when it has one —, deadlines) from the campaign, and
 * re-keys the lead by its id for the auction. A lead with no eligible buyer still opens an
 * auction, which ends it UNSOLD at once: outcomes come from one place.
 */
public final class EligibilityProcessor extends LeadStage {

    @Override
    protected void judge(Record<String, Lead> record, Lead lead, long now) {
        Optional<CampaignConfig> found = config.campaign(lead.getCampaignId());
        if (found.isEmpty()) {
            // The campaign was deleted between compliance and here (a config change in flight).
            Rejections.forward(context, record, Rejections.of(lead, Rejections.UNKNOWN_CAMPAIGN,
                    List.of(Rejections.error("campaignId", "UNKNOWN", "no campaign " + lead.getCampaignId())), now,
                    "eligibility"), now, Map.of());
            return;
        }
        CampaignConfig campaign = found.get();
        List<String> buyers = BuyerEligibility.eligibleBuyers(lead, campaign, config.allBuyers(), now);
        QualifiedLead qualified = QualifiedLead.newBuilder()
                .setLead(lead)
                .setCampaignId(campaign.getCampaignId())
                .setFloorCents(BuyerEligibility.floorCents(campaign, lead))
                .setPingDeadlineMs(campaign.getPingDeadlineMs())
                .setPostTimeoutMs(campaign.getPostTimeoutMs())
                .setBuyers(buyers)
                .setMarginPercentBasisPoints(campaign.getMarginPercentBasisPoints())
                .setMarginFixedCents(campaign.getMarginFixedCents())
                .setPricing(campaign.getPricing())
                .setSecondPriceIncrementCents(campaign.getSecondPriceIncrementCents())
                .setPreferredBuyers(campaign.getPreferredBuyers())
                .build();
        context.forward(record.withKey(lead.getLeadId()).withValue(qualified));
        context.forward(record.withKey(lead.getLeadId()).withValue(Audit.event(lead.getLeadId(), AuditType.QUALIFIED, now,
                Map.of("eligibleBuyers", Integer.toString(buyers.size()), "score",
                        Integer.toString(lead.getEnrichment().getScore())))));
    }
}
