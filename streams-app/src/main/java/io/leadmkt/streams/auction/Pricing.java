package io.leadmkt.streams.auction;

import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.PricingMode;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The money rules of one auction, in whole cents and integer arithmetic only (never a double).
 *
 * <ul>
 *   <li>The platform fee on a price is {@code floor(price × bp / 10000) + fixed}, capped at the
 *       price; the seller's payout is the rest, so {@code payout + fee == price} and the payout is
 *       never negative.</li>
 *   <li>The margin ({@code bp}, {@code fixed}) is the campaign's unless the buyer has its own
 *       (either part may be overridden alone): a sale to a buyer is split under that buyer's margin.
 *       The buyer-less methods use the campaign's margin.</li>
 *   <li>The floor is what the seller receives: a bid is winnable only if its payout under its own
 *       buyer's margin is ≥ floor.</li>
 *   <li>First price: the winner pays its bid. Second price: the winner pays
 *       {@code max(next winnable bid + increment, lowest price whose payout under the winner's
 *       margin meets the floor)}, never more than its own bid. The next bid counts at its price,
 *       not its net: buyers are charged in prices, and the winner's margin is the one its price is
 *       split under.</li>
 * </ul>
 */
public final class Pricing {
    public static final int MAX_BASIS_POINTS = 10_000;

    private Pricing() {
    }

    /** A platform margin: percent of the price in basis points (0..10000) plus a fixed amount. */
    public record Margin(int percentBasisPoints, long fixedCents) {
        public static final Margin NONE = new Margin(0, 0);

        public Margin {
            if (percentBasisPoints < 0 || percentBasisPoints > MAX_BASIS_POINTS) {
                throw new IllegalArgumentException("margin basis points out of 0.." + MAX_BASIS_POINTS + ": "
                        + percentBasisPoints);
            }
            if (fixedCents < 0) {
                throw new IllegalArgumentException("negative fixed margin " + fixedCents);
            }
        }
    }

    /**
     * An auction's money and ranking terms: the campaign's floor, margin, pricing mode, increment and
     * preferred buyers, plus each buyer's own margin (buyers absent from {@code buyerMargins} pay the
     * campaign's), each buyer's post-acceptance rate in basis points (absent: not enough history) and
     * whether the ranking discounts net bids by that rate.
     */
    public record Terms(long floorCents, int marginPercentBasisPoints, long marginFixedCents, PricingMode pricing,
                        long secondPriceIncrementCents, Set<String> preferredBuyers,
                        Map<String, Margin> buyerMargins, Map<String, Integer> acceptanceRates,
                        boolean acceptanceDiscount) {
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
            buyerMargins = buyerMargins == null ? Map.of() : Map.copyOf(buyerMargins);
            acceptanceRates = acceptanceRates == null ? Map.of() : Map.copyOf(acceptanceRates);
            for (Map.Entry<String, Integer> rate : acceptanceRates.entrySet()) {
                if (rate.getValue() < 0 || rate.getValue() > MAX_BASIS_POINTS) {
                    throw new IllegalArgumentException("acceptance rate of " + rate.getKey() + " out of 0.."
                            + MAX_BASIS_POINTS + ": " + rate.getValue());
                }
            }
        }

        /** The campaign's terms alone: no buyer has its own margin or an acceptance rate. */
        public Terms(long floorCents, int marginPercentBasisPoints, long marginFixedCents, PricingMode pricing,
                     long secondPriceIncrementCents, Set<String> preferredBuyers) {
            this(floorCents, marginPercentBasisPoints, marginFixedCents, pricing, secondPriceIncrementCents,
                    preferredBuyers, Map.of(), Map.of(), false);
        }

        /** No margin, first price, no preference: the auction as it was before margins. */
        public static Terms floorOnly(long floorCents) {
            return new Terms(floorCents, 0, 0, PricingMode.FIRST_PRICE, 1, Set.of());
        }

        /** The auction's terms; out-of-range values (a bad config) are clamped rather than stopping the stream. */
        public static Terms of(AuctionState state) {
            int bp = clampBasisPoints(state.getMarginPercentBasisPoints());
            long fixed = Math.max(0, state.getMarginFixedCents());
            Map<String, Margin> margins = new HashMap<>();
            Map<String, Integer> rates = new HashMap<>();
            Map<?, BuyerTerms> buyerTerms = state.getBuyerTerms();
            if (buyerTerms != null) {
                for (Map.Entry<?, BuyerTerms> entry : buyerTerms.entrySet()) {
                    // Avro may hand map keys over as Utf8: the buyer id is the key's text.
                    String buyerId = String.valueOf(entry.getKey());
                    BuyerTerms terms = entry.getValue();
                    if (terms == null) {
                        continue;
                    }
                    if (terms.getMarginPercentBasisPoints() != null || terms.getMarginFixedCents() != null) {
                        margins.put(buyerId, new Margin(
                                terms.getMarginPercentBasisPoints() == null ? bp
                                        : clampBasisPoints(terms.getMarginPercentBasisPoints()),
                                terms.getMarginFixedCents() == null ? fixed : Math.max(0, terms.getMarginFixedCents())));
                    }
                    if (terms.getAcceptanceRateBasisPoints() != null) {
                        rates.put(buyerId, clampBasisPoints(terms.getAcceptanceRateBasisPoints()));
                    }
                }
            }
            return new Terms(Math.max(0, state.getFloorCents()), bp, fixed, state.getPricing(),
                    Math.max(0, state.getSecondPriceIncrementCents()), toSet(state.getPreferredBuyers()),
                    margins, rates, state.getAcceptanceDiscount());
        }

        public boolean preferred(String buyerId) {
            return preferredBuyers.contains(buyerId);
        }

        /** The campaign's margin, which every buyer without its own pays. */
        public Margin campaignMargin() {
            return new Margin(marginPercentBasisPoints, marginFixedCents);
        }

        /** The margin taken on a sale to {@code buyerId}: its own, else the campaign's. */
        public Margin margin(String buyerId) {
            Margin own = buyerId == null ? null : buyerMargins.get(buyerId);
            return own == null ? campaignMargin() : own;
        }

        /** The buyer's post-acceptance rate in basis points, or null while it has too little history. */
        public Integer acceptanceRate(String buyerId) {
            return buyerId == null ? null : acceptanceRates.get(buyerId);
        }

        private static Set<String> toSet(Collection<String> buyers) {
            return buyers == null ? Set.of() : Set.copyOf(buyers);
        }

        private static int clampBasisPoints(int bp) {
            return Math.max(0, Math.min(MAX_BASIS_POINTS, bp));
        }
    }

    /**
     * {@code floor(amount × bp / 10000)} for {@code amount ≥ 0} and {@code 0 ≤ bp ≤ 10000}, without
     * overflow: with {@code amount = q × 10000 + r} it is {@code q × bp + floor(r × bp / 10000)}, and
     * {@code q × bp ≤ amount}.
     */
    static long basisPointsOf(long amount, long bp) {
        return (amount / MAX_BASIS_POINTS) * bp + (amount % MAX_BASIS_POINTS) * bp / MAX_BASIS_POINTS;
    }

    /** What the platform keeps of a price under a margin: percent (rounded down to the cent) plus fixed, at most the price. */
    public static long feeCents(long priceCents, Margin margin) {
        if (priceCents < 0) {
            throw new IllegalArgumentException("negative price " + priceCents);
        }
        long fee = basisPointsOf(priceCents, margin.percentBasisPoints()) + margin.fixedCents();
        return fee < 0 || fee > priceCents ? priceCents : fee; // fee < 0 only on overflow of a huge fixed margin
    }

    /** The platform's fee on a price under the campaign's margin. */
    public static long feeCents(long priceCents, Terms terms) {
        return feeCents(priceCents, terms.campaignMargin());
    }

    /** The platform's fee on a price paid by {@code buyerId}, under that buyer's margin. */
    public static long feeCents(long priceCents, Terms terms, String buyerId) {
        return feeCents(priceCents, terms.margin(buyerId));
    }

    /** What the seller receives of a price under the campaign's margin, never negative. */
    public static long payoutCents(long priceCents, Terms terms) {
        return priceCents - feeCents(priceCents, terms);
    }

    /** What the seller receives of a price paid by {@code buyerId} (its net bid), never negative. */
    public static long payoutCents(long priceCents, Terms terms, String buyerId) {
        return priceCents - feeCents(priceCents, terms, buyerId);
    }

    /** Whether a price pays the seller at least the floor under the campaign's margin. */
    public static boolean meetsFloor(long priceCents, Terms terms) {
        return payoutCents(priceCents, terms) >= terms.floorCents();
    }

    /** Whether a price paid by {@code buyerId} pays the seller at least the floor under that buyer's margin. */
    public static boolean meetsFloor(long priceCents, Terms terms, String buyerId) {
        return payoutCents(priceCents, terms, buyerId) >= terms.floorCents();
    }

    /** {@link #lowestPriceMeetingFloor(long, Terms, String)} under the campaign's margin. */
    public static long lowestPriceMeetingFloor(long ceilingCents, Terms terms) {
        return lowestPriceMeetingFloor(ceilingCents, terms, null);
    }

    /**
     * The lowest price (≤ {@code ceilingCents}) whose payout under {@code buyerId}'s margin meets the
     * floor, or -1 when none does. The payout never falls as the price rises (bp ≤ 10000), so a
     * binary search finds it.
     */
    public static long lowestPriceMeetingFloor(long ceilingCents, Terms terms, String buyerId) {
        if (ceilingCents < 0 || !meetsFloor(ceilingCents, terms, buyerId)) {
            return -1;
        }
        long lo = 0;
        long hi = ceilingCents;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (meetsFloor(mid, terms, buyerId)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** {@link #clearingPriceCents(long, Long, Terms, String)} under the campaign's margin. */
    public static long clearingPriceCents(long winnerCents, Long nextBestCents, Terms terms) {
        return clearingPriceCents(winnerCents, nextBestCents, terms, null);
    }

    /**
     * What the winner pays. First price: its bid. Second price: the next winnable bid plus the
     * increment (or nothing when there is no next bid), raised to the lowest price whose payout under
     * the winner's margin meets the floor and capped at the winner's own bid.
     *
     * @param winnerCents    the winning bid, whose payout under the winner's margin meets the floor
     * @param nextBestCents  the next-best winnable bid's price, or null when there is none
     * @param winnerBuyerId  the winner, whose margin applies (null: the campaign's)
     */
    public static long clearingPriceCents(long winnerCents, Long nextBestCents, Terms terms, String winnerBuyerId) {
        if (!meetsFloor(winnerCents, terms, winnerBuyerId)) {
            throw new IllegalArgumentException("winning bid " + winnerCents + " pays the seller below the floor");
        }
        if (terms.pricing() == PricingMode.FIRST_PRICE) {
            return winnerCents;
        }
        long price = lowestPriceMeetingFloor(winnerCents, terms, winnerBuyerId);
        if (nextBestCents != null) {
            long next = nextBestCents > Long.MAX_VALUE - terms.secondPriceIncrementCents()
                    ? Long.MAX_VALUE : nextBestCents + terms.secondPriceIncrementCents();
            price = Math.max(price, next);
        }
        return Math.min(price, winnerCents);
    }
}
