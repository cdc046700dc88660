package io.leadmkt.streams.outcome;

import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.streams.auction.Pricing;

/** The final outcome of an auctioned lead, and the reasons a lead goes unsold. */
public final class Outcomes {
    public static final String NO_ELIGIBLE_BUYERS = "NO_ELIGIBLE_BUYERS";
    /** Every pinged buyer passed, timed out or erred. */
    public static final String NO_BIDS = "NO_BIDS";
    /** There were bids, none paying the seller (net of the platform margin) at least the floor. */
    public static final String BELOW_FLOOR = "BELOW_FLOOR";
    /** Every bidder above the floor was posted the lead and none accepted it. */
    public static final String ALL_REJECTED = "ALL_REJECTED";
    /** Every winnable bid's buyer was at a cap or out of balance. */
    public static final String CAPPED = "CAPPED";
    /** The consumer opted out or asked to be erased while the auction ran: the lead is not posted. */
    public static final String SUPPRESSED = "SUPPRESSED";
    /**
     * The lead could not be offered within its campaign's time to decision (maxLeadAgeMs), or some
     * of its buyers were never reached before the backstop, or a post of ours never reached its buyer
     * (PostReasons): the platform was behind, not the buyers.
     * Shed load, counted apart from unsold leads.
     */
    public static final String STALE = "STALE";

    private Outcomes() {
    }

    /**
     * A sale at {@code priceCents}, what the buyer pays, split exactly into the seller's payout and the
     * platform fee under the winning buyer's own margin (the campaign's when it has none).
     */
    public static Outcome sold(AuctionState auction, String buyerId, long priceCents, long now) {
        long payout = Pricing.payoutCents(priceCents, Pricing.Terms.of(auction), buyerId);
        return base(auction, now).setStatus(OutcomeStatus.SOLD).setBuyerId(buyerId).setPriceCents(priceCents)
                .setSellerPayoutCents(payout)
                .setPlatformFeeCents(priceCents - payout)
                .build();
    }

    public static Outcome unsold(AuctionState auction, String reason, long now) {
        return base(auction, now).setStatus(OutcomeStatus.UNSOLD).setReason(reason).build();
    }

    private static Outcome.Builder base(AuctionState auction, long now) {
        return Outcome.newBuilder()
                .setLeadId(auction.getLeadId())
                .setCampaignId(auction.getCampaignId())
                .setSourceId(auction.getSourceId())
                .setState(auction.getState())
                .setSubId(auction.getSubId())
                .setCreatedAt(auction.getCreatedAt())
                .setReceivedAt(auction.getReceivedAt())
                .setDecidedAt(now)
                .setBuyersPinged(auction.getBuyers().size())
                .setBidsReceived(auction.getBids().size())
                .setPostAttempts(auction.getAttempt());
    }
}
