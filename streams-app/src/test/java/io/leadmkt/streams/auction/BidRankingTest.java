package io.leadmkt.streams.auction;

import static io.leadmkt.streams.auction.PricingFixtures.bid;
import static io.leadmkt.streams.auction.PricingFixtures.terms;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.PricingMode;
import io.leadmkt.streams.outcome.Outcomes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ranking by net bid, preference, acceptance rate and answer time; prices and splits under each buyer's margin. */
class BidRankingTest {
    private static final Pricing.Margin TWENTY_PERCENT = new Pricing.Margin(2_000, 0);

    private static List<String> order(List<Bid> bids, Pricing.Terms terms) {
        return BidRanking.winnable(bids, terms, List.of()).stream().map(Bid::getBuyerId).toList();
    }

    @Test
    void shouldRankByNetBidWhenBuyerMarginsDiffer() {
        // 10 % campaign margin; a pays 20 %: a's 2,000 nets 1,600, b's 1,800 nets 1,620
        Pricing.Terms terms = terms(0, 1_000, PricingMode.FIRST_PRICE, Set.of(), Map.of("a", TWENTY_PERCENT), Map.of(),
                false);
        assertThat(order(List.of(bid("a", 2_000, 0), bid("b", 1_800, 1)), terms)).containsExactly("b", "a");
        assertThat(BidRanking.netCents(bid("a", 2_000, 0), terms)).isEqualTo(1_600);
    }

    @Test
    void shouldApplyFloorUnderBuyersOwnMarginWhenItHasOne() {
        // floor 1,000: a's 1,200 nets 960 under its 20 %, b's 1,100 nets 1,100 under the campaign's none
        Pricing.Terms terms = terms(1_000, 0, PricingMode.FIRST_PRICE, Set.of(), Map.of("a", TWENTY_PERCENT), Map.of(),
                false);
        assertThat(order(List.of(bid("a", 1_200, 0), bid("b", 1_100, 1)), terms)).containsExactly("b");
        assertThat(Pricing.meetsFloor(1_200, terms, "a")).isFalse();
        assertThat(Pricing.meetsFloor(1_200, terms)).isTrue();
    }

    @Test
    void shouldBreakNetTieByPreferenceThenRateThenTimeWhenDiscountIsOff() {
        Pricing.Terms terms = terms(0, 0, PricingMode.FIRST_PRICE, Set.of("d"), Map.of(),
                Map.of("a", 9_000, "b", 9_500, "c", 9_500, "d", 1_000), false);
        List<Bid> bids = List.of(bid("a", 1_000, 0), bid("b", 1_000, 5), bid("c", 1_000, 3), bid("d", 1_000, 9),
                bid("e", 999, 0));
        // d preferred; then b/c (95 %) by time, then a (90 %); e's lower net is last whatever its rate
        assertThat(order(bids, terms)).containsExactly("d", "c", "b", "a", "e");
    }

    @Test
    void shouldTreatBuyerWithoutHistoryAsFullRateWhenBreakingTies() {
        Pricing.Terms terms = terms(0, 0, PricingMode.FIRST_PRICE, Set.of(), Map.of(), Map.of("a", 9_999), false);
        assertThat(order(List.of(bid("a", 1_000, 0), bid("new", 1_000, 5)), terms)).containsExactly("new", "a");
    }

    @Test
    void shouldNotLetRateBeatHigherNetWhenDiscountIsOff() {
        Pricing.Terms terms = terms(0, 0, PricingMode.FIRST_PRICE, Set.of(), Map.of(), Map.of("a", 100, "b", 10_000),
                false);
        assertThat(order(List.of(bid("a", 1_001, 0), bid("b", 1_000, 0)), terms)).containsExactly("a", "b");
    }

    @Test
    void shouldRankByDiscountedNetWhenDiscountIsOn() {
        // a: 2,000 × 50 % = 1,000; b: 1,500 × 90 % = 1,350; c: 1,200, no history, no discount
        Pricing.Terms terms = terms(0, 0, PricingMode.FIRST_PRICE, Set.of(), Map.of(), Map.of("a", 5_000, "b", 9_000),
                true);
        List<Bid> bids = List.of(bid("a", 2_000, 0), bid("b", 1_500, 0), bid("c", 1_200, 0));
        assertThat(order(bids, terms)).containsExactly("b", "c", "a");
        assertThat(BidRanking.rankCents(bids.get(1), terms)).isEqualTo(1_350);
        // the discount only orders: the winner pays its own bid
        assertThat(BidRanking.clearingPriceCents(BidRanking.winnable(bids, terms, List.of()), terms)).isEqualTo(1_500);
    }

    @Test
    void shouldRoundDiscountedNetDownWhenItIsNotWholeCents() {
        // 999 × 33.33 % = 332.9667 → 332
        Pricing.Terms terms = terms(0, 0, PricingMode.FIRST_PRICE, Set.of(), Map.of(), Map.of("a", 3_333), true);
        assertThat(BidRanking.rankCents(bid("a", 999, 0), terms)).isEqualTo(332);
    }

    @Test
    void shouldPutZeroRateBuyerLastWhenDiscountRoundsBothToZero() {
        // a (preferred, never accepts) and b (1 bp) both discount to 0; b may still accept, a will not
        Pricing.Terms terms = terms(0, 0, PricingMode.FIRST_PRICE, Set.of("a"), Map.of(), Map.of("a", 0, "b", 1), true);
        assertThat(order(List.of(bid("a", 5_000, 0), bid("b", 5_000, 1)), terms)).containsExactly("b", "a");
    }

    @Test
    void shouldChargeNextBidPlusIncrementWhenSecondPriceAndMarginsDiffer() {
        // winner b (no margin) pays a's 1,900 + 1; a (20 %) nets 1,520 < b's 1,700
        Pricing.Terms terms = terms(1_000, 0, PricingMode.SECOND_PRICE, Set.of(), Map.of("a", TWENTY_PERCENT), Map.of(),
                false);
        List<Bid> ranked = BidRanking.winnable(List.of(bid("a", 1_900, 0), bid("b", 1_700, 0)), terms, List.of());
        assertThat(ranked).extracting(Bid::getBuyerId).containsExactly("b", "a");
        assertThat(BidRanking.clearingPriceCents(ranked, terms)).as("capped at the winner's own bid").isEqualTo(1_700);
    }

    @Test
    void shouldRaiseSecondPriceToWinnersFloorPriceWhenWinnerPaysHigherMargin() {
        // floor 1,000; winner a pays 20 %: its lowest price paying 1,000 is 1,249
        // (fee floor(249.8) = 249; 1,248 pays 999); b's 1,050 + 1 is below that
        Pricing.Terms terms = terms(1_000, 0, PricingMode.SECOND_PRICE, Set.of(), Map.of("a", TWENTY_PERCENT), Map.of(),
                false);
        List<Bid> ranked = BidRanking.winnable(List.of(bid("a", 3_000, 0), bid("b", 1_050, 0)), terms, List.of());
        assertThat(ranked).extracting(Bid::getBuyerId).containsExactly("a", "b");
        long price = BidRanking.clearingPriceCents(ranked, terms);
        assertThat(price).isEqualTo(1_249);
        assertThat(Pricing.payoutCents(price, terms, "a")).isEqualTo(1_000);
    }

    @Test
    void shouldSplitSaleUnderWinnersMarginWhenBuyerHasItsOwn() {
        AuctionState auction = PricingFixtures.auction(1_000, 1_000, 25)
                .setBuyerTerms(Map.of("a", PricingFixtures.buyerTerms().setMarginPercentBasisPoints(2_000).build()))
                .build();
        // a: 20 % of 2,000 + the campaign's 25 fixed = 425; b: 10 % + 25 = 225
        Outcome toA = Outcomes.sold(auction, "a", 2_000, 1L);
        assertThat(toA.getPlatformFeeCents()).isEqualTo(425);
        assertThat(toA.getSellerPayoutCents()).isEqualTo(1_575);
        Outcome toB = Outcomes.sold(auction, "b", 2_000, 1L);
        assertThat(toB.getPlatformFeeCents()).isEqualTo(225);
        assertThat(toB.getSellerPayoutCents()).isEqualTo(1_775);
    }

    @Test
    void shouldUseCampaignMarginWhenBuyerTermsLeaveItNull() {
        AuctionState auction = PricingFixtures.auction(0, 1_500, 10)
                .setBuyerTerms(Map.of("a", PricingFixtures.buyerTerms().setMarginFixedCents(0L)
                        .setAcceptanceRateBasisPoints(8_000).build()))
                .setAcceptanceDiscount(true).build();
        Pricing.Terms terms = Pricing.Terms.of(auction);
        assertThat(terms.margin("a")).isEqualTo(new Pricing.Margin(1_500, 0));
        assertThat(terms.margin("b")).isEqualTo(new Pricing.Margin(1_500, 10));
        assertThat(terms.acceptanceRate("a")).isEqualTo(8_000);
        assertThat(terms.acceptanceDiscount()).isTrue();
    }
}
