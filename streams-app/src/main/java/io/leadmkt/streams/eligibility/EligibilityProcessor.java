package io.leadmkt.streams.eligibility;

import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.streams.LeadStage;
import io.leadmkt.streams.access.AccessRules;
import io.leadmkt.streams.audit.Audit;
import io.leadmkt.streams.comply.TimeToDecision;
import io.leadmkt.streams.outcome.Rejections;
import io.leadmkt.streams.privacy.Disclosures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Names the buyers to ping and the auction's terms (floor — the campaign's floor for the lead's
 * state when it has one —, deadlines) from the campaign, and
 * re-keys the lead by its id for the auction. A lead with no eligible buyer still opens an
 * auction, which ends it UNSOLD at once: outcomes come from one place.
 *
 * <p>A buyer the cap keeper reports full ({@code caps.status} {@code fullUntil} after now) is
 * left out and named in the QUALIFIED audit event's {@code capped} detail (buyer ids only). Every
 * eligible buyer gets its own {@link BuyerTerms} ({@link BuyerTermsResolver}), and the campaign's
 * routing orders them into ping rounds ({@link PingRounds}); {@code buyers} stays the full list.
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
        List<BuyerConfig> eligible = new ArrayList<>();
        List<String> capped = new ArrayList<>();
        for (BuyerConfig buyer : BuyerEligibility.eligible(lead, campaign, config.allBuyers(), now)) {
            BuyerCapStatus cap = config.capStatus(buyer.getBuyerId()).orElse(null);
            // When the buyer's document changed is a second read (and decode) of it: only a cap status needs it.
            if (cap != null && BuyerEligibility.capFull(cap, config.buyerChangedAt(buyer.getBuyerId()), now)) {
                capped.add(buyer.getBuyerId());
            } else {
                eligible.add(buyer);
            }
        }
        List<String> buyers = eligible.stream().map(BuyerConfig::getBuyerId).toList();
        Map<String, BuyerTerms> terms = new HashMap<>();
        for (BuyerConfig buyer : eligible) {
            terms.put(buyer.getBuyerId(), BuyerTermsResolver.resolve(buyer, lead,
                    config.buyerStats(buyer.getBuyerId()).orElse(null)));
        }
        List<List<String>> rounds = PingRounds.rounds(campaign, eligible, terms);
        RoutingMode routing = campaign.getRouting() == null ? RoutingMode.PARALLEL : campaign.getRouting();
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
                .setRouting(routing)
                .setRounds(rounds)
                .setBuyerTerms(terms)
                .setAcceptanceDiscount(campaign.getAcceptanceDiscount())
                .setDecideBy(TimeToDecision.decideBy(lead, campaign))
                .build();
        // Ids, counts and modes only: the audit trail holds no PII.
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("eligibleBuyers", Integer.toString(buyers.size()));
        if (lead.getSourceId() != null) {
            detail.put(AccessRules.SOURCE_DETAIL, lead.getSourceId()); // who may read the lead while it is open
        }
        detail.put("score", Integer.toString(lead.getEnrichment().getScore()));
        detail.put("routing", routing.name());
        detail.put("rounds", Integer.toString(rounds.size()));
        if (!capped.isEmpty()) {
            detail.put("capped", String.join(",", capped));
        }
        detail.putAll(Disclosures.qualifiedDetail(lead));
        context.forward(record.withKey(lead.getLeadId()).withValue(Audit.event(lead.getLeadId(), AuditType.QUALIFIED, now,
                detail)));
        // After its QUALIFIED record: the auction runs in this same task and its PINGED must come later.
        context.forward(record.withKey(lead.getLeadId()).withValue(qualified));
    }
}
