package io.leadmkt.streams.whatif;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.WaterfallOrder;
import io.leadmkt.schema.WhatIfAuction;
import io.leadmkt.schema.WhatIfOffer;
import io.leadmkt.streams.auction.BidRanking;
import io.leadmkt.streams.auction.Pricing;
import io.leadmkt.streams.eligibility.PingRounds;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What recorded auctions would have brought under another policy: the auction with another floor,
 * a waterfall in the buyers' priority order, or tiers by priority. A pure function of the recorded
 * auctions ({@link WhatIfAuction}) and the policy; the rules that pick and price are the auction's
 * own ({@link PingRounds} for who is offered the lead in which round, {@link BidRanking} and
 * {@link Pricing} for who wins and what it pays), so a what-if can never drift from the market.
 *
 * <p><b>What it assumes.</b> Every buyer answers as it did (the same bid, pass or silence, whoever
 * else was asked and whatever the floor); a buyer the lead was never offered does not bid. A post
 * whose result was recorded goes the same way again (accepted, or not: rejected, timed out,
 * errored, refused by its caps). A buyer whose post was never tried takes the lead with its
 * observed accept rate ({@link AcceptRates}): the lead then counts as sold with that probability,
 * so sold leads and money are expected values, rounded half up to the cent at the end. Caps and
 * budgets are not replayed: a buyer refused by its caps stays refused, and one never posted is
 * never capped.
 */
public final class FloorWhatIf {
    /** A post the auction never sent. */
    public static final String NOT_TRIED = "NOT_TRIED";
    /** A post its buyer's caps refused (never sent). */
    public static final String CAP_REFUSED = "CAP_REFUSED";
    /** An offered buyer that never answered. */
    public static final String UNANSWERED = "UNANSWERED";
    private static final String ACCEPTED = "ACCEPTED";
    private static final MathContext EXACT_ENOUGH = MathContext.DECIMAL128;

    private FloorWhatIf() {
    }

    /** How leads are offered: the auction (every buyer at once), a waterfall or tiers; with a floor, or each lead's own (null). */
    public record Policy(RoutingMode routing, Long floorCents) {
        public Policy {
            routing = routing == null ? RoutingMode.PARALLEL : routing;
            if (floorCents != null && floorCents < 0) {
                throw new IllegalArgumentException("negative floor " + floorCents);
            }
        }

        public static Policy auction(Long floorCents) {
            return new Policy(RoutingMode.PARALLEL, floorCents);
        }
    }

    /**
     * What a set of leads brought, or would have brought: leads (decided), sold (an expected count
     * when an acceptance was unknown), revenue, seller payout and platform fee in cents (expected
     * values, unrounded), and how many leads' results rest on an unknown acceptance.
     */
    public record Result(long leads, BigDecimal sold, BigDecimal revenueCents, BigDecimal payoutCents,
                         BigDecimal feeCents, long estimatedLeads) {
        static final Result NONE = new Result(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0);

        Result plus(Result other) {
            return new Result(leads + other.leads, sold.add(other.sold), revenueCents.add(other.revenueCents),
                    payoutCents.add(other.payoutCents), feeCents.add(other.feeCents),
                    estimatedLeads + other.estimatedLeads);
        }

        /** Revenue in whole cents, half up. */
        public long revenue() {
            return cents(revenueCents);
        }

        /** Seller payout in whole cents, half up. */
        public long payout() {
            return cents(payoutCents);
        }

        /** The platform fee: revenue less payout, so the three still add up after rounding. */
        public long fee() {
            return revenue() - payout();
        }

        /** Sold leads per decided lead, in percent with one decimal (half up); null without leads. */
        public BigDecimal sellThroughPercent() {
            return leads == 0 ? null : sold.multiply(BigDecimal.valueOf(100))
                    .divide(BigDecimal.valueOf(leads), 1, RoundingMode.HALF_UP);
        }

        /** Sold leads, two decimals at most (whole when every acceptance was known). */
        public BigDecimal soldRounded() {
            BigDecimal rounded = sold.setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
            return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
        }

        private static long cents(BigDecimal amount) {
            return amount.setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
    }

    /** Posts and acceptances per buyer, as recorded; the basis of the rate assumed for a post never tried. */
    public record AcceptRates(Map<String, long[]> byBuyer, long posts, long accepted) {
        /** The recorded posts' results: every post sent (answered or timed out), by buyer. */
        public static AcceptRates observed(List<WhatIfAuction> auctions) {
            Map<String, long[]> byBuyer = new TreeMap<>();
            long posts = 0;
            long accepted = 0;
            for (WhatIfAuction auction : auctions) {
                for (WhatIfOffer offer : auction.getOffers()) {
                    String post = offer.getPost();
                    if (NOT_TRIED.equals(post) || CAP_REFUSED.equals(post)) {
                        continue;
                    }
                    long[] counts = byBuyer.computeIfAbsent(offer.getBuyerId(), b -> new long[2]);
                    counts[0]++;
                    posts++;
                    if (ACCEPTED.equals(post)) {
                        counts[1]++;
                        accepted++;
                    }
                }
            }
            return new AcceptRates(byBuyer, posts, accepted);
        }

        /**
         * The chance a post to {@code buyerId} is accepted: its own recorded rate; without a post of its
         * own, the rate of every recorded post; without any post at all, 1.
         */
        public BigDecimal rate(String buyerId) {
            long[] own = byBuyer.get(buyerId);
            if (own != null && own[0] > 0) {
                return fraction(own[1], own[0]);
            }
            return market();
        }

        /** The rate of every recorded post; 1 without any. */
        public BigDecimal market() {
            return posts > 0 ? fraction(accepted, posts) : BigDecimal.ONE;
        }

        /** Whether {@code buyerId}'s rate is its own (false: the market's, or 1). */
        public boolean observed(String buyerId) {
            long[] own = byBuyer.get(buyerId);
            return own != null && own[0] > 0;
        }

        private static BigDecimal fraction(long numerator, long denominator) {
            return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), EXACT_ENOUGH);
        }
    }

    /** The recorded auctions as they ended: the recorded outcomes' counts and money, in whole cents. */
    public static Result recorded(List<WhatIfAuction> auctions) {
        Result total = Result.NONE;
        for (WhatIfAuction auction : auctions) {
            Outcome outcome = auction.getOutcome();
            boolean sold = outcome.getStatus() == OutcomeStatus.SOLD && outcome.getPriceCents() != null;
            long price = sold ? outcome.getPriceCents() : 0;
            long payout = sold && outcome.getSellerPayoutCents() != null ? outcome.getSellerPayoutCents() : 0;
            total = total.plus(new Result(1, sold ? BigDecimal.ONE : BigDecimal.ZERO, BigDecimal.valueOf(price),
                    BigDecimal.valueOf(payout), BigDecimal.valueOf(price - payout), 0));
        }
        return total;
    }

    /** What {@code auctions} would have brought under {@code policy}, a post never tried accepted at {@code rates}. */
    public static Result replay(List<WhatIfAuction> auctions, Policy policy, AcceptRates rates) {
        Result total = Result.NONE;
        for (WhatIfAuction auction : auctions) {
            total = total.plus(replay(auction, policy, rates));
        }
        return total;
    }

    /**
     * One lead under {@code policy}: round by round as the policy offers it, the winnable bids of the
     * round best first, each posted at its clearing price until one accepts. Known results are
     * certain; an untried post is accepted with its buyer's rate, and the rest of the lead's chances
     * go on down the ranking.
     */
    static Result replay(WhatIfAuction auction, Policy policy, AcceptRates rates) {
        Pricing.Terms terms = terms(auction, policy.floorCents() == null ? auction.getFloorCents() : policy.floorCents());
        Map<String, WhatIfOffer> offers = new HashMap<>();
        List<PingRounds.Candidate> candidates = new ArrayList<>();
        for (WhatIfOffer offer : auction.getOffers()) {
            offers.put(offer.getBuyerId(), offer);
            candidates.add(new PingRounds.Candidate(offer.getBuyerId(), offer.getPriority(),
                    offer.getFixedPrice() ? offer.getPriceCents() : null));
        }
        String leadId = auction.getOutcome().getLeadId();
        BigDecimal unsold = BigDecimal.ONE; // the chance the lead is still unsold
        BigDecimal sold = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal payout = BigDecimal.ZERO;
        boolean estimated = false;
        Set<String> posted = new HashSet<>();
        for (List<String> round : PingRounds.rounds(policy.routing(), WaterfallOrder.PRIORITY, candidates)) {
            List<Bid> bids = round.stream().map(offers::get).filter(o -> BidStatus.BID.name().equals(o.getStatus()))
                    .map(o -> bid(leadId, o)).toList();
            for (List<Bid> ranked = BidRanking.winnable(bids, terms, posted); !ranked.isEmpty()
                    && unsold.signum() > 0; ranked = BidRanking.winnable(bids, terms, posted)) {
                Bid best = ranked.get(0);
                long price = BidRanking.clearingPriceCents(ranked, terms);
                posted.add(best.getBuyerId());
                String post = offers.get(best.getBuyerId()).getPost();
                BigDecimal accepts;
                if (NOT_TRIED.equals(post)) {
                    accepts = rates.rate(best.getBuyerId());
                    estimated = true;
                } else {
                    accepts = ACCEPTED.equals(post) ? BigDecimal.ONE : BigDecimal.ZERO;
                }
                BigDecimal sells = unsold.multiply(accepts, EXACT_ENOUGH);
                sold = sold.add(sells);
                revenue = revenue.add(sells.multiply(BigDecimal.valueOf(price)));
                payout = payout.add(sells.multiply(BigDecimal.valueOf(
                        Pricing.payoutCents(price, terms, best.getBuyerId()))));
                unsold = unsold.subtract(sells);
            }
        }
        return new Result(1, sold, revenue, payout, revenue.subtract(payout), estimated ? 1 : 0);
    }

    /** The lead's money terms as recorded, under {@code floorCents}. */
    static Pricing.Terms terms(WhatIfAuction auction, long floorCents) {
        Map<String, Pricing.Margin> margins = new HashMap<>();
        Map<String, Integer> acceptance = new HashMap<>();
        int bp = auction.getMarginPercentBasisPoints();
        long fixed = auction.getMarginFixedCents();
        for (WhatIfOffer offer : auction.getOffers()) {
            if (offer.getMarginPercentBasisPoints() != null || offer.getMarginFixedCents() != null) {
                margins.put(offer.getBuyerId(), new Pricing.Margin(
                        offer.getMarginPercentBasisPoints() == null ? bp : offer.getMarginPercentBasisPoints(),
                        offer.getMarginFixedCents() == null ? fixed : offer.getMarginFixedCents()));
            }
            if (offer.getAcceptanceRateBasisPoints() != null) {
                acceptance.put(offer.getBuyerId(), offer.getAcceptanceRateBasisPoints());
            }
        }
        return new Pricing.Terms(floorCents, bp, fixed, auction.getPricing(), auction.getSecondPriceIncrementCents(),
                Set.copyOf(auction.getPreferredBuyers()), margins, acceptance, auction.getAcceptanceDiscount());
    }

    private static Bid bid(String leadId, WhatIfOffer offer) {
        return Bid.newBuilder().setLeadId(leadId).setBuyerId(offer.getBuyerId()).setStatus(BidStatus.BID)
                .setPriceCents(offer.getPriceCents()).setRespondedAt(offer.getRespondedAt()).setLatencyMs(0).build();
    }
}
