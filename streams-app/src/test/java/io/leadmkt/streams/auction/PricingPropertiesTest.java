package io.leadmkt.streams.auction;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.PricingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
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

/** Property-based tests (jqwik) of margins, seller floors, first/second price and ranking. */
class PricingPropertiesTest {
    private static final long MAX = io.leadmkt.schema.Money.MAX_BID_CENTS;
    private static final List<String> BUYERS = List.of("a", "b", "c", "d", "e", "f");

    @Provide
    Arbitrary<Pricing.Terms> terms() {
        return Combinators.combine(
                Arbitraries.longs().between(0, 50_000),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 10_000), Arbitraries.of(0, 1_500, 9_999, 10_000)),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 5_000), Arbitraries.just(0L)),
                Arbitraries.of(PricingMode.class),
                Arbitraries.longs().between(0, 1_000),
                Arbitraries.subsetOf(BUYERS))
                .as(Pricing.Terms::new);
    }

    @Provide
    Arbitrary<List<Bid>> bids() {
        Arbitrary<Bid> bid = Combinators.combine(
                Arbitraries.of(BUYERS),
                Arbitraries.of(BidStatus.BID, BidStatus.BID, BidStatus.BID, BidStatus.PASS, BidStatus.ERROR),
                // few distinct prices and times, so ties are common
                Arbitraries.oneOf(Arbitraries.longs().between(0, 60_000), Arbitraries.of(1_000L, 2_000L, 5_000L)),
                Arbitraries.longs().between(0, 5))
                .as((buyer, status, price, at) -> Bid.newBuilder().setLeadId("L").setBuyerId(buyer).setStatus(status)
                        .setPriceCents(status == BidStatus.BID ? price : null).setRespondedAt(at).build());
        // one answer per buyer, as in the auction
        return bid.list().ofMaxSize(BUYERS.size()).uniqueElements(Bid::getBuyerId);
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

    @Property(tries = 1_000)
    void payoutNeverNegativeForExtremePrices(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long price,
                                             @ForAll @IntRange(min = 0, max = 10_000) int bp,
                                             @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long fixed) {
        Pricing.Terms terms = new Pricing.Terms(0, bp, fixed, PricingMode.FIRST_PRICE, 1, Set.of());
        long payout = Pricing.payoutCents(price, terms);
        assertThat(payout).isBetween(0L, price);
        assertThat(payout + Pricing.feeCents(price, terms)).isEqualTo(price);
    }

    @Property(tries = 1_000)
    void percentFeeIsExactRoundDown(@ForAll @LongRange(min = 0, max = MAX) long price,
                                    @ForAll @IntRange(min = 0, max = 10_000) int bp) {
        Pricing.Terms terms = new Pricing.Terms(0, bp, 0, PricingMode.FIRST_PRICE, 1, Set.of());
        java.math.BigInteger exact = java.math.BigInteger.valueOf(price).multiply(java.math.BigInteger.valueOf(bp))
                .divide(java.math.BigInteger.valueOf(10_000));
        assertThat(Pricing.feeCents(price, terms)).isEqualTo(exact.longValueExact());
    }

    @Property(tries = 2_000)
    void winnerPayoutNeverBelowFloorAndClearingPriceBounded(@ForAll("bids") List<Bid> bids,
                                                            @ForAll("terms") Pricing.Terms terms) {
        List<Bid> ranked = BidRanking.winnable(bids, terms, List.of());
        for (Bid bid : ranked) {
            assertThat(Pricing.payoutCents(bid.getPriceCents(), terms)).isGreaterThanOrEqualTo(terms.floorCents());
        }
        if (ranked.isEmpty()) {
            // nothing winnable: every priced bid pays the seller less than the floor
            bids.stream().filter(b -> b.getStatus() == BidStatus.BID).forEach(b ->
                    assertThat(Pricing.payoutCents(b.getPriceCents(), terms)).isLessThan(terms.floorCents()));
            return;
        }
        Bid winner = ranked.get(0);
        long price = BidRanking.clearingPriceCents(ranked, terms);
        assertThat(price).as("never above the winning bid").isLessThanOrEqualTo(winner.getPriceCents());
        assertThat(Pricing.payoutCents(price, terms)).as("clearing price pays the floor")
                .isGreaterThanOrEqualTo(terms.floorCents());
        if (terms.pricing() == PricingMode.FIRST_PRICE) {
            assertThat(price).isEqualTo(winner.getPriceCents());
        } else if (ranked.size() > 1) {
            long next = ranked.get(1).getPriceCents();
            assertThat(price).isEqualTo(Math.min(winner.getPriceCents(),
                    Math.max(next + terms.secondPriceIncrementCents(),
                            Pricing.lowestPriceMeetingFloor(winner.getPriceCents(), terms))));
            assertThat(price).isGreaterThanOrEqualTo(next);
        }
    }

    @Property(tries = 2_000)
    void secondPriceNeverAboveFirstAndLowestFloorPriceIsMinimal(@ForAll @LongRange(min = 0, max = MAX) long winner,
                                                               @ForAll @LongRange(min = 0, max = MAX) long next,
                                                               @ForAll("terms") Pricing.Terms terms) {
        long high = Math.max(winner, next);
        long low = Math.min(winner, next);
        if (!Pricing.meetsFloor(high, terms)) {
            assertThat(Pricing.lowestPriceMeetingFloor(high, terms)).isEqualTo(-1);
            return;
        }
        long atFloor = Pricing.lowestPriceMeetingFloor(high, terms);
        assertThat(Pricing.meetsFloor(atFloor, terms)).isTrue();
        if (atFloor > 0) {
            assertThat(Pricing.meetsFloor(atFloor - 1, terms)).isFalse();
        }
        long price = Pricing.clearingPriceCents(high, low, terms);
        assertThat(price).isBetween(atFloor, high);
        assertThat(Pricing.payoutCents(price, terms)).isGreaterThanOrEqualTo(terms.floorCents());
        long noNext = Pricing.clearingPriceCents(high, null, terms);
        assertThat(noNext).isEqualTo(terms.pricing() == PricingMode.FIRST_PRICE ? high : atFloor);
    }

    @Property(tries = 1_000)
    void rankingIsTotalAndIndependentOfInputOrder(@ForAll("bids") List<Bid> bids, @ForAll("terms") Pricing.Terms terms,
                                                  @ForAll long seed) {
        List<Bid> shuffled = new ArrayList<>(bids);
        Collections.shuffle(shuffled, new Random(seed));
        List<Bid> a = BidRanking.winnable(bids, terms, List.of());
        List<Bid> b = BidRanking.winnable(shuffled, terms, List.of());
        assertThat(b).isEqualTo(a);
        // total: no two distinct bids compare equal, and the order is by price, then preference
        var order = BidRanking.bestFirst(terms);
        for (int i = 0; i + 1 < a.size(); i++) {
            Bid x = a.get(i);
            Bid y = a.get(i + 1);
            assertThat(order.compare(x, y)).isNegative();
            assertThat(order.compare(y, x)).isPositive();
            assertThat(x.getPriceCents()).isGreaterThanOrEqualTo(y.getPriceCents());
            if (x.getPriceCents().equals(y.getPriceCents()) && terms.preferred(y.getBuyerId())) {
                assertThat(terms.preferred(x.getBuyerId())).as("a preferred buyer is never behind an equal unpreferred bid")
                        .isTrue();
            }
        }
        assertThat(new HashSet<>(a.stream().map(Bid::getBuyerId).toList())).hasSize(a.size());
    }
}
