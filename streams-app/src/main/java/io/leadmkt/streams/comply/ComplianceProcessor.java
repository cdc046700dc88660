package io.leadmkt.streams.comply;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.LeadStage;
import io.leadmkt.streams.intake.IntakeBacklog;
import io.leadmkt.streams.outcome.Rejections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Compliance comes before any buyer sees anything: consent evidence, a live campaign of the
 * lead's vertical, the campaign's own consent rules ({@link ConsentRules}), and a consumer who is
 * not on the suppression list (entries past their expiry no longer count). A lead already too old to be
 * offered within its campaign's time to decision is shed here too ({@code STALE}). Forwards the
 * lead unchanged, or a rejection and its audit event.
 */
public final class ComplianceProcessor extends LeadStage {
    private final IntakeBacklog backlog;

    /** @param backlog how long leads now wait between here and their buyers being called, for shedding early */
    public ComplianceProcessor(IntakeBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    protected void judge(Record<String, Lead> record, Lead lead, long now) {
        List<FieldError> consentErrors = ConsentCheck.check(lead, now);
        if (!consentErrors.isEmpty()) {
            reject(record, Rejections.NO_CONSENT, consentErrors, now);
            return;
        }
        Optional<CampaignConfig> campaign = config.campaign(lead.getCampaignId());
        if (campaign.isEmpty() || !campaign.get().getActive()) {
            reject(record, Rejections.UNKNOWN_CAMPAIGN, List.of(Rejections.error("campaignId",
                    campaign.isEmpty() ? "UNKNOWN" : "INACTIVE", "no active campaign " + lead.getCampaignId())), now);
            return;
        }
        String vertical = lead.getProfile().getVertical();
        if (!campaign.get().getVertical().equalsIgnoreCase(vertical)) {
            reject(record, Rejections.INVALID, List.of(Rejections.error("profile.vertical", "MISMATCH",
                    "campaign " + lead.getCampaignId() + " buys " + campaign.get().getVertical() + ", not " + vertical)), now);
            return;
        }
        List<FieldError> evidenceErrors = ConsentRules.check(lead, campaign.get(), now);
        if (!evidenceErrors.isEmpty()) {
            reject(record, Rejections.CONSENT_EVIDENCE, evidenceErrors, now);
            return;
        }
        long decideBy = TimeToDecision.decideBy(lead, campaign.get());
        boolean decidedInTime = campaign.get().getDecideWithinMaxLeadAge();
        if (!TimeToDecision.canOffer(decideBy, now + (decidedInTime ? backlog.untilDecisionMs(now)
                : backlog.untilOfferMs(now)))) {
            // Too old already, or will be by the time its buyers are called (or, for a campaign that wants
            // its leads decided in time, by its decision) behind the queues ahead: shed here, where it costs
            // least, so what is kept is offered (decided) in time.
            reject(record, Rejections.STALE, List.of(Rejections.error("leadAgeMs", "STALE", "arrived "
                    + (now - TimeToDecision.arrivedAt(lead)) + " ms ago; campaign " + lead.getCampaignId()
                    + (decidedInTime ? " decides" : " offers") + " leads within "
                    + campaign.get().getMaxLeadAgeMs() + " ms")), now);
            return;
        }
        Enrichment enrichment = lead.getEnrichment();
        if (config.suppressed(enrichment.getPhoneHash()) || config.suppressed(enrichment.getEmailHash())) {
            reject(record, Rejections.SUPPRESSED, List.of(Rejections.error("contact", "SUPPRESSED",
                    "the consumer asked not to be contacted")), now);
            return;
        }
        context.forward(record);
    }

    private void reject(Record<String, Lead> record, String code, List<FieldError> errors, long now) {
        Rejections.forward(context, record, Rejections.of(record.value(), code, errors, now, "comply"), now, Map.of());
    }
}
