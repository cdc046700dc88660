package io.leadmkt.streams.returns;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.ReturnApproval;
import io.leadmkt.schema.ReturnPolicy;

/**
 * Whether a buyer may have its money back for a lead, by the return policy of its contract. Pure:
 * the returns desk keeps the sale and the period's tally and applies the verdict.
 *
 * <p>The checks, in order, each with the reason code a refused return carries: the contract allows
 * returns at all ({@value #NO_RETURN_POLICY}); the return reached the platform within the window
 * after the sale ({@value #OUTSIDE_WINDOW}); its reason is one the contract names
 * ({@value #REASON_NOT_ALLOWED}); it keeps the period's returns within the contract's share of the
 * period's sales ({@value #RETURN_LIMIT}). A return that passes is accepted at once, or held for the
 * seller's review when the contract says so.
 */
public final class ReturnRules {
    public static final String NO_RETURN_POLICY = "NO_RETURN_POLICY";
    public static final String OUTSIDE_WINDOW = "OUTSIDE_WINDOW";
    public static final String REASON_NOT_ALLOWED = "REASON_NOT_ALLOWED";
    public static final String RETURN_LIMIT = "RETURN_LIMIT";
    /** The buyer reporting did not buy the lead (or bought it longer ago than the platform keeps sales). */
    public static final String NOT_BOUGHT = "NOT_BOUGHT";
    /** The seller (or an admin) refused a return held for review. */
    public static final String SELLER_REFUSED = "SELLER_REFUSED";

    /** How long after a sale conversions are taken when the buyer's document does not say: the schema's default. */
    public static final long DEFAULT_CONVERSION_WINDOW_MS = ((Number) BuyerConfig.getClassSchema()
            .getField("conversionWindowMs").defaultVal()).longValue();

    private ReturnRules() {
    }

    /**
     * @param status ACCEPTED, REFUSED or PENDING_REVIEW
     * @param reason why a return was refused; null otherwise
     */
    public record Verdict(PostbackStatus status, String reason) {
        static Verdict refused(String reason) {
            return new Verdict(PostbackStatus.REFUSED, reason);
        }
    }

    /**
     * @param policy          the buyer's return policy now; null: its contract takes no returns
     * @param soldAt          when the lead was sold
     * @param reason          the buyer's reason code for the return
     * @param at              when the return reached the platform (the broker's time)
     * @param periodSales     the buyer's sales in the policy period holding {@code at}
     * @param periodReturns   its returns already accepted or held in that period
     */
    public static Verdict judgeReturn(ReturnPolicy policy, long soldAt, String reason, long at, long periodSales,
                                      long periodReturns) {
        if (policy == null) {
            return Verdict.refused(NO_RETURN_POLICY);
        }
        if (at - soldAt > policy.getWindowMs()) {
            return Verdict.refused(OUTSIDE_WINDOW);
        }
        if (!policy.getReasonCodes().isEmpty()
                && (reason == null || policy.getReasonCodes().stream().noneMatch(code -> code.toString().equals(reason)))) {
            return Verdict.refused(REASON_NOT_ALLOWED);
        }
        Integer maxBasisPoints = policy.getMaxPercentBasisPoints();
        // returns / sales <= max% in whole numbers: (returns + 1) * 10000 <= max * sales
        if (maxBasisPoints != null && (periodReturns + 1) * 10_000 > (long) maxBasisPoints * periodSales) {
            return Verdict.refused(RETURN_LIMIT);
        }
        return new Verdict(policy.getApproval() == ReturnApproval.REVIEW ? PostbackStatus.PENDING_REVIEW
                : PostbackStatus.ACCEPTED, null);
    }

    /** A conversion is taken while the buyer's conversion window after the sale is open. */
    public static Verdict judgeConversion(long conversionWindowMs, long soldAt, long at) {
        return at - soldAt > conversionWindowMs ? Verdict.refused(OUTSIDE_WINDOW)
                : new Verdict(PostbackStatus.ACCEPTED, null);
    }
}
