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
    /**
     * Pings our side did not get to the buyer in time, or whose answer it never heard (BidReasons: the
     * platform was behind): counted in PINGS, never as the buyer's timeouts, nor in its bid rate.
     */
    PINGS_NOT_REACHED("pingsNotReached", false),
    /**
     * Posts our side never delivered or never heard back from (PostReasons): counted in POSTS, never as
     * the buyer's timeouts or errors, nor in its accept rate.
     */
    POSTS_NOT_REACHED("postsNotReached", false),
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
    CONVERSION_VALUE("conversionValue", true),
    /** Bids by price band (the price the auction ranked), so a buyer's bid distribution merges by sum: under $5. */
    BIDS_UNDER_5("bidsUnder5", false),
    /** Bids of $5 to under $10. */
    BIDS_5_TO_10("bids5to10", false),
    /** Bids of $10 to under $20. */
    BIDS_10_TO_20("bids10to20", false),
    /** Bids of $20 to under $50. */
    BIDS_20_TO_50("bids20to50", false),
    /** Bids of $50 to under $100. */
    BIDS_50_TO_100("bids50to100", false),
    /** Bids of $100 and more. */
    BIDS_100_UP("bids100up", false),
    /** Ping answers (any status) by how long the buyer took: within 10 ms. */
    ANSWERS_IN_10MS("answersIn10ms", false),
    /** Answered in more than 10 and at most 50 ms. */
    ANSWERS_IN_50MS("answersIn50ms", false),
    /** In more than 50 and at most 100 ms. */
    ANSWERS_IN_100MS("answersIn100ms", false),
    /** In more than 100 and at most 250 ms. */
    ANSWERS_IN_250MS("answersIn250ms", false),
    /** In more than 250 and at most 500 ms. */
    ANSWERS_IN_500MS("answersIn500ms", false),
    /** In more than 500 ms and at most 1 s. */
    ANSWERS_IN_1S("answersIn1s", false),
    /** In more than 1 s. */
    ANSWERS_OVER_1S("answersOver1s", false);

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
