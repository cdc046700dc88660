package io.leadmkt.streams.report;

/**
 * The counted figures of a report row, each an integer: a count, or money in cents. The names are
 * what the API and the stored rows call them; derived figures (EPL, RPL) are worked out when read.
 */
public enum Figure {
    /** Every lead accounted for: rejected, shed or ended with an outcome. */
    LEADS("leads", false),
    /** Refused before any buyer saw it (not counting shed leads); by reason in the row's rejectedByReason. */
    REJECTED("rejected", false),
    /** Could not be offered in time: STALE at intake or at the auction. */
    SHED("shed", false),
    /** Offers of a lead to a buyer: one per buyer per round. */
    PINGS("pings", false),
    /** Pings answered with a price. */
    BIDS("bids", false),
    /** Auctions won outright: the buyer was the auction's first choice (post attempt 1). */
    WINS("wins", false),
    /** Full leads sent to the buyer, as first choice or after a better bidder turned it down. */
    POSTS("posts", false),
    /** Posts the buyer accepted. */
    ACCEPTED("accepted", false),
    /** Pings or posts the buyer did not answer in time. */
    TIMEOUTS("timeouts", false),
    /** Pings or posts answered with an error (a bad price counts as one). */
    ERRORS("errors", false),
    /** Leads sold. */
    SOLD("sold", false),
    /** What buyers paid for the leads sold. */
    REVENUE("revenue", true),
    /** What sellers receive for them. */
    SELLER_PAYOUT("sellerPayout", true),
    /** The platform's margin: revenue minus seller payout. */
    PLATFORM_FEE("platformFee", true),
    /** Returns accepted (at once, or approved on review), counted when accepted. */
    RETURNS("returns", false),
    /** What accepted returns credited back to their buyers: the leads' prices. */
    RETURN_CREDIT("returnCredit", true),
    /** Seller payout taken back for accepted returns, where the campaign claws back. */
    CLAWBACK("clawback", true),
    /** Conversions buyers reported on leads they bought. */
    CONVERSIONS("conversions", false),
    /** What those conversions were worth, as the buyers said. */
    CONVERSION_VALUE("conversionValue", true);

    private final String label;
    private final boolean money;

    Figure(String label, boolean money) {
        this.label = label;
        this.money = money;
    }

    /** The figure's name in the API and in the stored rows. */
    public String label() {
        return label;
    }

    /** Cents, shown as a decimal string; otherwise a count. */
    public boolean money() {
        return money;
    }
}
