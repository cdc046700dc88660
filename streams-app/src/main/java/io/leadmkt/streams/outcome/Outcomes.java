package io.leadmkt.streams.outcome;

import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;

/** The final outcome of an auctioned lead, and the reasons a lead goes unsold. */
public final class Outcomes {
    public static final String NO_ELIGIBLE_BUYERS = "NO_ELIGIBLE_BUYERS";
    /** Every pinged buyer passed, timed out or erred. */
    public static final String NO_BIDS = "NO_BIDS";
    /** There were bids, none at or above the floor. */
    public static final String BELOW_FLOOR = "BELOW_FLOOR";
    /** Every bidder above the floor was posted the lead and none accepted it. */
    public static final String ALL_REJECTED = "ALL_REJECTED";

    private Outcomes() {
    }

    public static Outcome sold(Lead lead, String campaignId, String buyerId, long priceCents, long now,
                               int buyersPinged, int bids, int attempts) {
        return base(lead, campaignId, now, buyersPinged, bids, attempts)
                .setStatus(OutcomeStatus.SOLD).setBuyerId(buyerId).setPriceCents(priceCents).build();
    }

    public static Outcome unsold(Lead lead, String campaignId, String reason, long now,
                                 int buyersPinged, int bids, int attempts) {
        return base(lead, campaignId, now, buyersPinged, bids, attempts)
                .setStatus(OutcomeStatus.UNSOLD).setReason(reason).build();
    }

    private static Outcome.Builder base(Lead lead, String campaignId, long now, int buyersPinged, int bids, int attempts) {
        return Outcome.newBuilder()
                .setLeadId(lead.getLeadId())
                .setCampaignId(campaignId)
                .setSourceId(lead.getSourceId())
                .setCreatedAt(lead.getCreatedAt())
                .setReceivedAt(lead.getEnrichment().getReceivedAt())
                .setDecidedAt(now)
                .setBuyersPinged(buyersPinged)
                .setBidsReceived(bids)
                .setPostAttempts(attempts);
    }
}
