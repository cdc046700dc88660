package io.leadmkt.streams.ping;

import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadPreview;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Profile;
import io.leadmkt.schema.QualifiedLead;
import java.util.HashMap;
import java.util.List;

/**
 * Builds the one ping per lead. Its preview is assembled field by field from the qualifying
 * profile and the enrichment: the Contact sub-record is never read here, so no buyer can see PII
 * before it wins.
 */
public final class PingFactory {
    private PingFactory() {
    }

    public static Ping ping(QualifiedLead qualified, long pingedAt, long deadlineAt) {
        return ping(qualified.getLead(), qualified.getCampaignId(), qualified.getFloorCents(), qualified.getBuyers(),
                pingedAt, deadlineAt);
    }

    /** A ping of {@code lead} to {@code buyers}: one round of its auction. */
    public static Ping ping(Lead lead, String campaignId, long floorCents, List<String> buyers, long pingedAt,
                            long deadlineAt) {
        return Ping.newBuilder()
                .setLeadId(lead.getLeadId())
                .setCampaignId(campaignId)
                .setFloorCents(floorCents)
                .setPingedAt(pingedAt)
                .setDeadlineAt(deadlineAt)
                .setBuyers(buyers)
                .setPreview(preview(lead))
                .build();
    }

    public static LeadPreview preview(Lead lead) {
        Profile profile = lead.getProfile();
        return LeadPreview.newBuilder()
                .setVertical(profile.getVertical())
                .setSourceId(lead.getSourceId())
                .setSubId(lead.getSubId())
                .setState(profile.getState())
                .setZip(profile.getZip())
                .setScore(lead.getEnrichment().getScore())
                .setLeadAgeMs(lead.getEnrichment().getLeadAgeMs())
                .setAttributes(new HashMap<>(profile.getAttributes()))
                .build();
    }
}
