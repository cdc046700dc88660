package io.leadmkt.streams.auction;

import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.PricingMode;
import java.util.Collection;
import java.util.Set;

/**
 * The money rules of one auction, in whole cents and integer arithmetic only (never a double).
 *
 * <ul>
 *   <li>The platform fee on a price is {@code floor(price × bp / 10000) + fixed}, capped at the
 *       price; the seller's payout is the rest, so {@code payout + fee == price} and the payout is
 *       never negative.</li>
 *   <li>The floor is what the seller receives: a bid is winnable only if its payout ≥ floor.</li>
 *   <li>First price: the winner pays its bid. Second price: the winner pays
 *       {@code max(next winnable bid + increment, lowest price whose payout meets the floor)},
 *       never more than its own bid.</li>
 * </ul>
 */
public final class Pricing {
    public static final int MAX_BASIS_POINTS = 10_000;

    private Pricing() {
    }

    /** A campaign's money terms, as carried by the auction. */
    public record Terms(long floorCents, int marginPercentBasisPoints, long marginFixedCents, PricingMode pricing,
                        long secondPriceIncrementCents, Set<String> preferredBuyers) {
        public Terms {
            if (marginPercentBasisPoints < 0 || marginPercentBasisPoints > MAX_BASIS_POINTS) {
                throw new IllegalArgumentException("margin basis points out of 0.." + MAX_BASIS_POINTS + ": "
                        + marginPercentBasisPoints);
            }
            if (floorCents < 0 || marginFixedCents < 0 || secondPriceIncrementCents < 0) {
                throw new IllegalArgumentException("negative floor, fixed margin or increment");
            }
            pricing = pricing == null ? PricingMode.FIRST_PRICE : pricing;
            preferredBuyers = preferredBuyers == null ? Set.of() : Set.copyOf(preferredBuyers);
        }

        /** No margin, first price, no preference: the auction as it was before margins. */
        public static Terms floorOnly(long floorCents) {
            return new Terms(floorCents, 0, 0, PricingMode.FIRST_PRICE, 1, Set.of());
        }

        /** The auction's terms; out-of-range values (a bad config) are clamped rather than stopping the stream. */
        public static Terms of(AuctionState state) {
            int bp = Math.max(0, Math.min(MAX_BASIS_POINTS, state.getMarginPercentBasisPoints()));
            return new Terms(Math.max(0, state.getFloorCents()), bp, Math.max(0, state.getMarginFixedCents()),
                    state.getPricing(), Math.max(0, state.getSecondPriceIncrementCents()),
                    toSet(state.getPreferredBuyers()));
        }

        public boolean preferred(String buyerId) {
            return preferredBuyers.contains(buyerId);
        }

        private static Set<String> toSet(Collection<String> buyers) {
            return buyers == null ? Set.of() : Set.copyOf(buyers);
        }
    }

    /** What the platform keeps of a price: percent (rounded down to the cent) plus fixed, at most the price. */
    public static long feeCents(long priceCents, Terms terms) {
        if (priceCents < 0) {
            throw new IllegalArgumentException("negative price " + priceCents);
        }
        long bp = terms.marginPercentBasisPoints();
        // floor(price × bp / 10000) without overflow: price = q × 10000 + r.
        long percent = (priceCents / MAX_BASIS_POINTS) * bp + (priceCents % MAX_BASIS_POINTS) * bp / MAX_BASIS_POINTS;
        long fee = percent + terms.marginFixedCents();
        return fee < 0 || fee > priceCents ? priceCents : fee; // fee < 0 only on overflow of a huge fixed margin
    }

    /** What the seller receives of a price: the price net of the platform fee, never negative. */
    public static long payoutCents(long priceCents, Terms terms) {
        return priceCents - feeCents(priceCents, terms);
    }

    /** Whether a price pays the seller at least the floor. */
    public static boolean meetsFloor(long priceCents, Terms terms) {
        return payoutCents(priceCents, terms) >= terms.floorCents();
    }

    /**
     * The lowest price (≤ {@code ceilingCents}) whose payout meets the floor, or -1 when none does.
     * The payout never falls as the price rises (bp ≤ 10000), so a binary search finds it.
     */
    public static long lowestPriceMeetingFloor(long ceilingCents, Terms terms) {
        if (ceilingCents < 0 || !meetsFloor(ceilingCents, terms)) {
            return -1;
        }
        long lo = 0;
        long hi = ceilingCents;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (meetsFloor(mid, terms)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * What the winner pays. First price: its bid. Second price: the next winnable bid plus the
     * increment (or nothing when there is no next bid), raised to the lowest price whose payout meets
     * the floor and capped at the winner's own bid.
     *
     * @param winnerCents   the winning bid, whose payout meets the floor
     * @param nextBestCents the next-best winnable bid, or null when there is none
     */
    public static long clearingPriceCents(long winnerCents, Long nextBestCents, Terms terms) {
        if (!meetsFloor(winnerCents, terms)) {
            throw new IllegalArgumentException("winning bid " + winnerCents + " pays the seller below the floor");
        }
        if (terms.pricing() == PricingMode.FIRST_PRICE) {
            return winnerCents;
        }
        long atFloor = lowestPriceMeetingFloor(winnerCents, terms);
        long price = atFloor;
        if (nextBestCents != null) {
            long next = nextBestCents > Long.MAX_VALUE - terms.secondPriceIncrementCents()
                    ? Long.MAX_VALUE : nextBestCents + terms.secondPriceIncrementCents();
            price = Math.max(price, next);
        }
        return Math.min(price, winnerCents);
    }
}
