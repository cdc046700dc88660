package io.leadmkt.streams.auction;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.PricingMode;
import io.leadmkt.streams.outcome.Outcomes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Property-based tests (jqwik) of margins (campaign and per buyer), seller floors, first/second price and ranking. */
class PricingPropertiesTest {
    private static final long MAX = io.leadmkt.schema.Money.MAX_BID_CENTS;
    private static final List<String> BUYERS = List.of("a", "b", "c", "d", "e", "f");
    /** The buyers bids come from, and one no terms mention. */
    private static final List<String> ANY_BUYER = List.of("a", "b", "c", "d", "e", "f", "stranger");

    private static Arbitrary<Integer> basisPoints() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 10_000), Arbitraries.of(0, 1_500, 9_999, 10_000));
    }

    private static Arbitrary<Long> fixedCents() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 5_000), Arbitraries.just(0L));
    }

    @Provide
    Arbitrary<Pricing.Terms> terms() {
        Arbitrary<Pricing.Terms> campaign = Combinators.combine(
                // a low floor often, so tiny bids (whose discounted net rounds to 0) can win
                Arbitraries.oneOf(Arbitraries.longs().between(0, 50_000), Arbitraries.longs().between(0, 10)),
                basisPoints(),
                fixedCents(),
                Arbitraries.of(PricingMode.class),
                Arbitraries.longs().between(0, 1_000),
                Arbitraries.subsetOf(BUYERS))
                .as(Pricing.Terms::new);
        Arbitrary<Map<String, Pricing.Margin>> margins = Arbitraries.maps(Arbitraries.of(BUYERS),
                Combinators.combine(basisPoints(), fixedCents()).as(Pricing.Margin::new)).ofMaxSize(BUYERS.size());
        Arbitrary<Map<String, Integer>> rates = Arbitraries.maps(Arbitraries.of(BUYERS),
                Arbitraries.oneOf(basisPoints(), Arbitraries.of(0, 1, 5_000))).ofMaxSize(BUYERS.size());
        return Combinators.combine(campaign, margins, rates, Arbitraries.of(false, true))
                .as((t, m, r, discount) -> new Pricing.Terms(t.floorCents(), t.marginPercentBasisPoints(),
                        t.marginFixedCents(), t.pricing(), t.secondPriceIncrementCents(), t.preferredBuyers(), m, r,
                        discount));
    }

    @Provide
    Arbitrary<Pricing.Terms> discounted() {
        return terms().map(t -> withDiscount(t, true));
    }

    @Provide
    Arbitrary<Pricing.Terms> undiscounted() {
        return terms().map(t -> withDiscount(t, false));
    }

    @Provide
    Arbitrary<String> buyer() {
        return Arbitraries.of(ANY_BUYER);
    }

    @Provide
    Arbitrary<List<Bid>> bids() {
        Arbitrary<Bid> bid = Combinators.combine(
                Arbitraries.of(BUYERS),
                Arbitraries.of(BidStatus.BID, BidStatus.BID, BidStatus.BID, BidStatus.PASS, BidStatus.ERROR),
                // few distinct prices and times, so ties are common; tiny prices round to nothing
                Arbitraries.oneOf(Arbitraries.longs().between(0, 60_000), Arbitraries.of(1_000L, 2_000L, 5_000L),
                        Arbitraries.longs().between(0, 20)),
                Arbitraries.longs().between(0, 5))
                .as((buyer, status, price, at) -> Bid.newBuilder().setLeadId("L").setBuyerId(buyer).setStatus(status)
                        .setPriceCents(status == BidStatus.BID ? price : null).setRespondedAt(at).build());
        // one answer per buyer, as in the auction
        return bid.list().ofMaxSize(BUYERS.size()).uniqueElements(Bid::getBuyerId);
    }

    private static Pricing.Terms withDiscount(Pricing.Terms t, boolean discount) {
        return new Pricing.Terms(t.floorCents(), t.marginPercentBasisPoints(), t.marginFixedCents(), t.pricing(),
                t.secondPriceIncrementCents(), t.preferredBuyers(), t.buyerMargins(), t.acceptanceRates(), discount);
    }

    private static Pricing.Terms withoutRates(Pricing.Terms t) {
        return new Pricing.Terms(t.floorCents(), t.marginPercentBasisPoints(), t.marginFixedCents(), t.pricing(),
                t.secondPriceIncrementCents(), t.preferredBuyers(), t.buyerMargins(), Map.of(), t.acceptanceDiscount());
    }

    private static long net(Bid bid, Pricing.Terms terms) {
        return Pricing.payoutCents(bid.getPriceCents(), terms, bid.getBuyerId());
    }

    private static int rate(Bid bid, Pricing.Terms terms) {
        Integer rate = terms.acceptanceRate(bid.getBuyerId());
        return rate == null ? 10_000 : rate;
    }

    @Property(tries = 2_000)
    void payoutPlusFeeIsPriceAndPayoutNeverNegative(@ForAll @LongRange(min = 0, max = MAX) long price,
                                                    @ForAll("terms") Pricing.Terms terms) {
        long payout = Pricing.payoutCents(price, terms);
        long fee = Pricing.feeCents(price, terms);
        assertThat(payout + fee).isEqualTo(price);
        assertThat(payout).isBetween(0L, price);
        assertThat(fee).isBetween(0L, price);
    }

    @Property(tries = 2_000)
    void payoutPlusFeeIsPriceForEveryBuyerMargin(@ForAll @LongRange(min = 0, max = MAX) long price,
                                                 @ForAll("terms") Pricing.Terms terms, @ForAll("buyer") String buyer) {
        long payout = Pricing.payoutCents(price, terms, buyer);
        long fee = Pricing.feeCents(price, terms, buyer);
        assertThat(payout + fee).isEqualTo(price);
        assertThat(payout).isBetween(0L, price);
        assertThat(fee).isEqualTo(Pricing.feeCents(price, terms.margin(buyer)));
        if (!terms.buyerMargins().containsKey(buyer)) {
            assertThat(fee).as("a buyer without its own margin pays the campaign's").isEqualTo(Pricing.feeCents(price, terms));
        }
    }

    @Property(tries = 1_000)
    void soldOutcomeSplitsPriceUnderWinnersMargin(@ForAll @LongRange(min = 0, max = MAX) long price,
                                                  @ForAll @IntRange(min = -5, max = 20_000) int campaignBp,
                                                  @ForAll("maybeBasisPoints") Integer buyerBp,
                                                  @ForAll("maybeFixed") Long buyerFixed,
                                                  @ForAll("buyer") String winner) {
        BuyerTerms a = PricingFixtures.buyerTerms().setMarginPercentBasisPoints(buyerBp).setMarginFixedCents(buyerFixed)
                .build();
        var auction = PricingFixtures.auction(0, campaignBp, 30).setBuyerTerms(Map.of("a", a)).build();
        Outcome outcome = Outcomes.sold(auction, winner, price, 1L);
        assertThat(outcome.getSellerPayoutCents() + outcome.getPlatformFeeCents()).isEqualTo(price);
        assertThat(outcome.getSellerPayoutCents()).isEqualTo(Pricing.payoutCents(price, Pricing.Terms.of(auction), winner))
                .isBetween(0L, price);
    }

    @Provide
    Arbitrary<Integer> maybeBasisPoints() {
        return Arbitraries.oneOf(basisPoints(), Arbitraries.of(-1, 10_001)).injectNull(0.3);
    }

    @Provide
    Arbitrary<Long> maybeFixed() {
        return Arbitraries.oneOf(fixedCents(), Arbitraries.just(-7L)).injectNull(0.3);
    }

    @Property(tries = 1_000)
    void payoutNeverNegativeForExtremePrices(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long price,
                                             @ForAll @IntRange(min = 0, max = 10_000) int bp,
                                             @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long fixed) {
        Pricing.Terms terms = new Pricing.Terms(0, bp, fixed, PricingMode.FIRST_PRICE, 1, Set.of());
        long payout = Pricing.payoutCents(price, terms);
        assertThat(payout).isBetween(0L, price);
        assertThat(payout + Pricing.feeCents(price, terms)).isEqualTo(price);
        Pricing.Terms own = new Pricing.Terms(0, 0, 0, PricingMode.FIRST_PRICE, 1, Set.of(),
                Map.of("a", new Pricing.Margin(bp, fixed)), Map.of(), false);
        assertThat(Pricing.payoutCents(price, own, "a")).isEqualTo(payout);
    }

    @Property(tries = 1_000)
    void percentFeeIsExactRoundDown(@ForAll @LongRange(min = 0, max = MAX) long price,
                                    @ForAll @IntRange(min = 0, max = 10_000) int bp) {
        Pricing.Terms terms = new Pricing.Terms(0, bp, 0, PricingMode.FIRST_PRICE, 1, Set.of());
        BigInteger exact = BigInteger.valueOf(price).multiply(BigInteger.valueOf(bp)).divide(BigInteger.valueOf(10_000));
        assertThat(Pricing.feeCents(price, terms)).isEqualTo(exact.longValueExact());
    }

    @Property(tries = 3_000)
    void winnerPayoutNeverBelowFloorUnderOwnMarginAndClearingPriceBounded(@ForAll("bids") List<Bid> bids,
                                                                          @ForAll("terms") Pricing.Terms terms) {
        List<Bid> ranked = BidRanking.winnable(bids, terms, List.of());
        for (Bid bid : ranked) {
            assertThat(net(bid, terms)).isGreaterThanOrEqualTo(terms.floorCents());
        }
        if (ranked.isEmpty()) {
            // nothing winnable: every priced bid pays the seller less than the floor under its buyer's margin
            bids.stream().filter(b -> b.getStatus() == BidStatus.BID).forEach(b ->
                    assertThat(net(b, terms)).isLessThan(terms.floorCents()));
            return;
        }
        Bid winner = ranked.get(0);
        long bid = winner.getPriceCents();
        long price = BidRanking.clearingPriceCents(ranked, terms);
        long atFloor = Pricing.lowestPriceMeetingFloor(bid, terms, winner.getBuyerId());
        assertThat(price).as("never above the winning bid").isLessThanOrEqualTo(bid);
        assertThat(price).as("never below the winner's floor price").isGreaterThanOrEqualTo(atFloor);
        assertThat(Pricing.payoutCents(price, terms, winner.getBuyerId())).as("clearing price pays the floor")
                .isGreaterThanOrEqualTo(terms.floorCents());
        if (terms.pricing() == PricingMode.FIRST_PRICE) {
            assertThat(price).isEqualTo(bid);
        } else if (ranked.size() > 1) {
            long next = ranked.get(1).getPriceCents();
            assertThat(price).isEqualTo(Math.min(bid, Math.max(next + terms.secondPriceIncrementCents(), atFloor)));
            assertThat(price).isGreaterThanOrEqualTo(Math.min(bid, next));
        } else {
            assertThat(price).isEqualTo(atFloor);
        }
    }

    @Property(tries = 2_000)
    void secondPriceNeverAboveFirstAndLowestFloorPriceIsMinimal(@ForAll @LongRange(min = 0, max = MAX) long winner,
                                                               @ForAll @LongRange(min = 0, max = MAX) long next,
                                                               @ForAll("terms") Pricing.Terms terms,
                                                               @ForAll("buyer") String buyer) {
        long high = Math.max(winner, next);
        long low = Math.min(winner, next);
        if (!Pricing.meetsFloor(high, terms, buyer)) {
            assertThat(Pricing.lowestPriceMeetingFloor(high, terms, buyer)).isEqualTo(-1);
            return;
        }
        long atFloor = Pricing.lowestPriceMeetingFloor(high, terms, buyer);
        assertThat(Pricing.meetsFloor(atFloor, terms, buyer)).isTrue();
        if (atFloor > 0) {
            assertThat(Pricing.meetsFloor(atFloor - 1, terms, buyer)).isFalse();
        }
        long price = Pricing.clearingPriceCents(high, low, terms, buyer);
        assertThat(price).isBetween(atFloor, high);
        assertThat(Pricing.payoutCents(price, terms, buyer)).isGreaterThanOrEqualTo(terms.floorCents());
        long noNext = Pricing.clearingPriceCents(high, null, terms, buyer);
        assertThat(noNext).isEqualTo(terms.pricing() == PricingMode.FIRST_PRICE ? high : atFloor);
        if (Pricing.meetsFloor(low, terms, buyer)) {
            // with buyer margins the next bid may be the higher price: the winner still never pays above its own
            assertThat(Pricing.clearingPriceCents(low, high, terms, buyer)).isLessThanOrEqualTo(low);
        }
    }

    @Property(tries = 2_000)
    void rankingIsTotalAndIndependentOfInputOrder(@ForAll("bids") List<Bid> bids, @ForAll("terms") Pricing.Terms terms,
                                                  @ForAll long seed) {
        List<Bid> shuffled = new ArrayList<>(bids);
        Collections.shuffle(shuffled, new Random(seed));
        List<Bid> a = BidRanking.winnable(bids, terms, List.of());
        List<Bid> b = BidRanking.winnable(shuffled, terms, List.of());
        assertThat(b).isEqualTo(a);
        // total: no two distinct bids compare equal, transitively; first key the (discounted) net bid
        var order = BidRanking.bestFirst(terms);
        for (int i = 0; i < a.size(); i++) {
            assertThat(order.compare(a.get(i), a.get(i))).isZero();
            for (int j = i + 1; j < a.size(); j++) {
                Bid x = a.get(i);
                Bid y = a.get(j);
                assertThat(order.compare(x, y)).isNegative();
                assertThat(order.compare(y, x)).isPositive();
                assertThat(BidRanking.rankCents(x, terms)).isGreaterThanOrEqualTo(BidRanking.rankCents(y, terms));
            }
        }
        assertThat(new HashSet<>(a.stream().map(Bid::getBuyerId).toList())).hasSize(a.size());
    }

    @Property(tries = 2_000)
    void rankingWithoutDiscountIsNetThenPreferenceAndRateOnlyBreaksTheirTies(
            @ForAll("bids") List<Bid> bids, @ForAll("undiscounted") Pricing.Terms terms) {
        List<Bid> ranked = BidRanking.winnable(bids, terms, List.of());
        for (int i = 0; i + 1 < ranked.size(); i++) {
            Bid x = ranked.get(i);
            Bid y = ranked.get(i + 1);
            assertThat(BidRanking.rankCents(x, terms)).isEqualTo(net(x, terms));
            assertThat(net(x, terms)).isGreaterThanOrEqualTo(net(y, terms));
            if (net(x, terms) == net(y, terms)) {
                assertThat(terms.preferred(x.getBuyerId()) || !terms.preferred(y.getBuyerId()))
                        .as("a preferred buyer is never behind an equal net bid").isTrue();
                if (terms.preferred(x.getBuyerId()) == terms.preferred(y.getBuyerId())) {
                    assertThat(rate(x, terms)).isGreaterThanOrEqualTo(rate(y, terms));
                }
            }
        }
        // forgetting every rate moves no bid across a different net bid or preference
        List<Bid> rateless = BidRanking.winnable(bids, withoutRates(terms), List.of());
        assertThat(rateless.stream().map(x -> List.of(net(x, terms), terms.preferred(x.getBuyerId()))).toList())
                .isEqualTo(ranked.stream().map(x -> List.of(net(x, terms), terms.preferred(x.getBuyerId()))).toList());
    }

    @Property(tries = 2_000)
    void zeroRateNeverOutranksPositiveRateWithPositiveBidWhenDiscounted(@ForAll("bids") List<Bid> bids,
                                                                        @ForAll("discounted") Pricing.Terms terms) {
        List<Bid> ranked = BidRanking.winnable(bids, terms, List.of());
        for (int i = 0; i < ranked.size(); i++) {
            for (int j = i + 1; j < ranked.size(); j++) {
                Bid ahead = ranked.get(i);
                Bid behind = ranked.get(j);
                if (rate(behind, terms) > 0 && behind.getPriceCents() > 0) {
                    assertThat(rate(ahead, terms)).as("%s (rate 0) ahead of %s", ahead.getBuyerId(), behind.getBuyerId())
                            .isPositive();
                }
                assertThat(BidRanking.rankCents(ahead, terms)).isGreaterThanOrEqualTo(BidRanking.rankCents(behind, terms));
            }
        }
    }

    @Property(tries = 1_000)
    void discountChangesOnlyTheOrderNeverWhatAnyonePays(@ForAll("bids") List<Bid> bids,
                                                        @ForAll("discounted") Pricing.Terms terms) {
        Pricing.Terms plain = withDiscount(terms, false);
        List<Bid> discounted = BidRanking.winnable(bids, terms, List.of());
        assertThat(new HashSet<>(discounted)).isEqualTo(new HashSet<>(BidRanking.winnable(bids, plain, List.of())));
        for (Bid bid : discounted) {
            long key = BidRanking.rankCents(bid, terms);
            long net = net(bid, terms);
            assertThat(net).isEqualTo(net(bid, plain));
            assertThat(key).isBetween(0L, net);
            assertThat(key).isEqualTo(BigInteger.valueOf(net).multiply(BigInteger.valueOf(rate(bid, terms)))
                    .divide(BigInteger.valueOf(10_000)).longValueExact());
            // the bid alone in the running pays the same either way
            assertThat(BidRanking.clearingPriceCents(List.of(bid), terms))
                    .isEqualTo(BidRanking.clearingPriceCents(List.of(bid), plain));
        }
        if (discounted.size() > 1) {
            assertThat(BidRanking.clearingPriceCents(discounted, terms))
                    .isEqualTo(BidRanking.clearingPriceCents(discounted, plain));
        }
    }

    @Property(tries = 500)
    void termsOfStateResolvesEachBuyersMarginAndRate(@ForAll("maybeBasisPoints") Integer buyerBp,
                                                     @ForAll("maybeFixed") Long buyerFixed,
                                                     @ForAll("maybeBasisPoints") Integer rate,
                                                     @ForAll @IntRange(min = 0, max = 10_000) int campaignBp) {
        BuyerTerms a = PricingFixtures.buyerTerms().setMarginPercentBasisPoints(buyerBp).setMarginFixedCents(buyerFixed)
                .setAcceptanceRateBasisPoints(rate).build();
        Map<String, BuyerTerms> map = new HashMap<>();
        map.put("a", a);
        Pricing.Terms terms = Pricing.Terms.of(PricingFixtures.auction(100, campaignBp, 40).setBuyerTerms(map).build());
        Pricing.Margin margin = terms.margin("a");
        assertThat(margin.percentBasisPoints())
                .isEqualTo(buyerBp == null ? campaignBp : Math.max(0, Math.min(10_000, buyerBp)));
        assertThat(margin.fixedCents()).isEqualTo(buyerFixed == null ? 40 : Math.max(0, buyerFixed));
        assertThat(terms.margin("b")).isEqualTo(terms.campaignMargin());
        assertThat(terms.acceptanceRate("a")).isEqualTo(rate == null ? null : Math.max(0, Math.min(10_000, rate)));
        assertThat(terms.acceptanceRate("b")).isNull();
    }
}
