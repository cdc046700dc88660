package io.leadmkt.streams.auction;

import io.leadmkt.schema.BuyerTerms;
import java.math.BigInteger;

/**
 * Vendor scoring: what a buyer's bid is worth for a lead from a given source or sub-id. The buyer
 * scales its raw bid by a multiplier (basis points, 10000 = x1.00) and takes off a penalty:
 * {@code max(0, floor(raw × multiplier / 10000) − penalty)}, in exact integer cents. The auction
 * ranks and charges the adjusted price; the raw one is only audited.
 */
public final class BidAdjustment {
    private static final long BP = Pricing.MAX_BASIS_POINTS;

    private BidAdjustment() {
    }

    /**
     * The adjusted bid: {@code floor(raw × multiplierBasisPoints / 10000) − penaltyCents}, never below
     * 0 and at most {@code Long.MAX_VALUE}, exact for every input (no buyer terms: the raw price, at
     * least 0).
     */
    public static long adjustedCents(long rawCents, BuyerTerms terms) {
        if (terms == null) {
            return Math.max(0, rawCents);
        }
        return adjustedCents(rawCents, terms.getMultiplierBasisPoints(), terms.getPenaltyCents());
    }

    /** {@link #adjustedCents(long, BuyerTerms)} from the multiplier and penalty themselves. */
    public static long adjustedCents(long rawCents, int multiplierBasisPoints, long penaltyCents) {
        // As in Pricing.feeCents: raw = q × 10000 + r (0 ≤ r < 10000) makes
        // floor(raw × m / 10000) = q × m + floor(r × m / 10000), where r × m always fits in a long.
        long q = Math.floorDiv(rawCents, BP);
        long r = Math.floorMod(rawCents, BP);
        long fraction = Math.floorDiv(r * multiplierBasisPoints, BP);
        long adjusted;
        try {
            adjusted = Math.subtractExact(Math.addExact(Math.multiplyExact(q, multiplierBasisPoints), fraction),
                    penaltyCents);
        } catch (ArithmeticException overflow) {
            // Only a multiplier above x1.00 on an absurd price, or an absurd penalty, gets here.
            adjusted = exact(rawCents, multiplierBasisPoints, penaltyCents);
        }
        return Math.max(0, adjusted);
    }

    private static long exact(long rawCents, int multiplierBasisPoints, long penaltyCents) {
        BigInteger product = BigInteger.valueOf(rawCents).multiply(BigInteger.valueOf(multiplierBasisPoints));
        BigInteger[] qr = product.divideAndRemainder(BigInteger.valueOf(BP));
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        BigInteger adjusted = floor.subtract(BigInteger.valueOf(penaltyCents));
        if (adjusted.bitLength() < Long.SIZE) {
            return adjusted.longValue();
        }
        return adjusted.signum() < 0 ? 0 : Long.MAX_VALUE;
    }
}
