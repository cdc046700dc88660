package io.leadmkt.streams.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.PricingMode;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.WhatIfAuction;
import io.leadmkt.schema.WhatIfOffer;
import io.leadmkt.streams.whatif.FloorWhatIf.AcceptRates;
import io.leadmkt.streams.whatif.FloorWhatIf.Policy;
import io.leadmkt.streams.whatif.FloorWhatIf.Result;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloorWhatIfTest {

    @Test
    void shouldSellNothingWhenTheFloorIsAboveEveryBid() {
        List<WhatIfAuction> auctions = List.of(
                sold(500, "x", 2_500, 2_500, offer("x", 1, 2_500, "ACCEPTED"), offer("y", 1, 1_200, "NOT_TRIED")),
                sold(500, "y", 1_800, 1_800, offer("x", 1, 1_000, "REJECTED"), offer("y", 1, 1_800, "ACCEPTED")));

        Result result = FloorWhatIf.replay(auctions, Policy.auction(2_501L), AcceptRates.observed(auctions));

        assertThat(result.leads()).isEqualTo(2);
        assertThat(result.sold()).isZero();
        assertThat(result.revenue()).isZero();
        assertThat(result.payout()).isZero();
        assertThat(result.sellThroughPercent()).isEqualByComparingTo("0");
    }

    @Test
    void shouldReproduceTheRecordedOutcomeWhenReplayedAtTheFloorItWasRecordedWith() {
        List<WhatIfAuction> auctions = List.of(
                // the best bidder rejected, the next accepted; the cheapest was never needed
                sold(0, "y", 1_200, 1_200, offer("x", 1, 2_500, "REJECTED"), offer("y", 1, 1_200, "ACCEPTED"),
                        offer("z", 1, 700, "NOT_TRIED")),
                sold(0, "x", 3_000, 3_000, offer("x", 1, 3_000, "ACCEPTED"), offer("y", 1, 100, "NOT_TRIED")),
                unsold(0, "NO_BIDS", offer("x", 1, null, "NOT_TRIED", "PASS"), offer("y", 1, null, "NOT_TRIED", "TIMEOUT")),
                unsold(0, "ALL_REJECTED", offer("x", 1, 900, "REJECTED"), offer("y", 1, 800, "TIMEOUT")));
        AcceptRates rates = AcceptRates.observed(auctions);

        Result replayed = FloorWhatIf.replay(auctions, Policy.auction(0L), rates);
        Result asRecorded = FloorWhatIf.replay(auctions, Policy.auction(null), rates);
        Result recorded = FloorWhatIf.recorded(auctions);

        for (Result result : List.of(replayed, asRecorded)) {
            assertThat(result.leads()).isEqualTo(recorded.leads()).isEqualTo(4);
            assertThat(result.sold()).isEqualByComparingTo(recorded.sold()).isEqualByComparingTo("2");
            assertThat(result.revenue()).isEqualTo(recorded.revenue()).isEqualTo(4_200);
            assertThat(result.payout()).isEqualTo(recorded.payout());
            assertThat(result.estimatedLeads()).isZero();
        }
    }

    @Test
    void shouldSplitPayoutAndFeeUnderTheCampaignMarginAndApplyTheFloorToThePayoutWhenReplayed() {
        // 10 % margin: a 20.00 bid pays the seller 18.00; a floor of 18.00 keeps it, 18.01 does not
        WhatIfAuction auction = WhatIfAuction.newBuilder(sold(500, "x", 2_000, 1_800, offer("x", 1, 2_000, "ACCEPTED")))
                .setMarginPercentBasisPoints(1_000).build();
        AcceptRates rates = AcceptRates.observed(List.of(auction));

        Result kept = FloorWhatIf.replay(List.of(auction), Policy.auction(1_800L), rates);
        assertThat(kept.revenue()).isEqualTo(2_000);
        assertThat(kept.payout()).isEqualTo(1_800);
        assertThat(kept.fee()).isEqualTo(200);
        assertThat(FloorWhatIf.replay(List.of(auction), Policy.auction(1_801L), rates).sold()).isZero();
    }

    @Test
    void shouldChargeTheNextBidUnderSecondPriceWhenTheFloorLetsItIn() {
        WhatIfAuction auction = WhatIfAuction.newBuilder(sold(0, "x", 1_201, 1_201, offer("x", 1, 3_000, "ACCEPTED"),
                offer("y", 1, 1_200, "NOT_TRIED"))).setPricing(PricingMode.SECOND_PRICE).build();
        AcceptRates rates = AcceptRates.observed(List.of(auction));

        assertThat(FloorWhatIf.replay(List.of(auction), Policy.auction(0L), rates).revenue()).isEqualTo(1_201);
        // y's bid no longer clears: the winner pays what the floor needs
        assertThat(FloorWhatIf.replay(List.of(auction), Policy.auction(2_000L), rates).revenue()).isEqualTo(2_000);
    }

    @Test
    void shouldPostInTheBuyersPriorityOrderWhenReplayedAsAWaterfall() {
        // a (priority 1) bid 10.00 and was never posted; b (priority 2) bid 30.00 and accepted.
        // a's own posts elsewhere: one accepted, one rejected, so it takes the lead half the time.
        WhatIfAuction auction = sold(0, "b", 3_000, 3_000, offer("a", 1, 1_000, "NOT_TRIED"), offer("b", 2, 3_000, "ACCEPTED"));
        List<WhatIfAuction> window = List.of(auction,
                sold(0, "a", 900, 900, offer("a", 1, 900, "ACCEPTED")),
                unsold(0, "ALL_REJECTED", offer("a", 1, 800, "REJECTED")));
        AcceptRates rates = AcceptRates.observed(window);
        assertThat(rates.rate("a")).isEqualByComparingTo("0.5");

        Result waterfall = FloorWhatIf.replay(List.of(auction), new Policy(RoutingMode.WATERFALL, null), rates);

        // half the time a takes it at 10.00, else b at 30.00
        assertThat(waterfall.sold()).isEqualByComparingTo("1");
        assertThat(waterfall.revenue()).isEqualTo(2_000);
        assertThat(waterfall.estimatedLeads()).isEqualTo(1);
        assertThat(FloorWhatIf.replay(List.of(auction), Policy.auction(null), rates).revenue()).isEqualTo(3_000);
    }

    @Test
    void shouldSellInTheFirstTierThatClearsWhenReplayedAsTiers() {
        // tier 1: a passed, c bid 15.00 (never posted; every recorded post was accepted); tier 2: b bid 30.00
        WhatIfAuction auction = sold(0, "b", 3_000, 3_000, offer("a", 1, null, "NOT_TRIED", "PASS"),
                offer("c", 1, 1_500, "NOT_TRIED"), offer("b", 2, 3_000, "ACCEPTED"));
        AcceptRates rates = AcceptRates.observed(List.of(auction));

        Result tiers = FloorWhatIf.replay(List.of(auction), new Policy(RoutingMode.TIERS, null), rates);

        assertThat(tiers.revenue()).isEqualTo(1_500);
        assertThat(tiers.sold()).isEqualByComparingTo("1");
        // with a floor above c's bid, tier 1 has nothing and tier 2 sells as recorded
        assertThat(FloorWhatIf.replay(List.of(auction), new Policy(RoutingMode.TIERS, 2_000L), rates).revenue())
                .isEqualTo(3_000);
    }

    @Test
    void shouldAssumeTheMarketsAcceptRateForABuyerNeverPostedWhenItsAcceptanceIsUnknown() {
        List<WhatIfAuction> window = List.of(
                sold(0, "x", 1_000, 1_000, offer("x", 1, 1_000, "ACCEPTED"), offer("z", 1, 500, "NOT_TRIED")),
                unsold(0, "ALL_REJECTED", offer("y", 1, 1_000, "REJECTED"), offer("q", 1, 1_000, "CAP_REFUSED")),
                unsold(0, "ALL_REJECTED", offer("y", 1, 1_000, "TIMEOUT")));
        AcceptRates rates = AcceptRates.observed(window);

        assertThat(rates.posts()).isEqualTo(3); // a cap refusal was never posted
        assertThat(rates.rate("x")).isEqualByComparingTo("1");
        assertThat(rates.rate("y")).isEqualByComparingTo("0");
        assertThat(rates.observed("z")).isFalse();
        assertThat(rates.rate("z")).isEqualByComparingTo(new BigDecimal(1).divide(new BigDecimal(3), java.math.MathContext.DECIMAL128));
        assertThat(AcceptRates.observed(List.of()).rate("z")).isEqualByComparingTo("1");
    }

    @Test
    void shouldNeverSellALeadNoBuyerWasOfferedWhateverThePolicy() {
        List<WhatIfAuction> none = List.of(unsold(500, "NO_ELIGIBLE_BUYERS"));
        for (RoutingMode mode : RoutingMode.values()) {
            Result result = FloorWhatIf.replay(none, new Policy(mode, 0L), AcceptRates.observed(none));
            assertThat(result.leads()).isEqualTo(1);
            assertThat(result.sold()).isZero();
        }
    }

    // ---- fixtures ----

    static WhatIfOffer offer(String buyerId, int priority, Long priceCents, String post) {
        return offer(buyerId, priority, priceCents, post, "BID");
    }

    static WhatIfOffer offer(String buyerId, int priority, long priceCents, String post) {
        return offer(buyerId, priority, (Long) priceCents, post);
    }

    static WhatIfOffer offer(String buyerId, int priority, Long priceCents, String post, String status) {
        return WhatIfOffer.newBuilder().setBuyerId(buyerId).setPriority(priority).setStatus(status)
                .setPriceCents(priceCents).setPost(post).build();
    }

    static WhatIfAuction sold(long floorCents, String buyerId, long priceCents, long payoutCents, WhatIfOffer... offers) {
        return auction(floorCents, outcome(OutcomeStatus.SOLD, null).setBuyerId(buyerId).setPriceCents(priceCents)
                .setSellerPayoutCents(payoutCents).setPlatformFeeCents(priceCents - payoutCents).build(), offers);
    }

    static WhatIfAuction unsold(long floorCents, String reason, WhatIfOffer... offers) {
        return auction(floorCents, outcome(OutcomeStatus.UNSOLD, reason).build(), offers);
    }

    private static int leads;

    private static Outcome.Builder outcome(OutcomeStatus status, String reason) {
        return Outcome.newBuilder().setLeadId("L" + (++leads)).setStatus(status).setReason(reason)
                .setCampaignId("camp").setSourceId("src").setCreatedAt(0).setReceivedAt(0).setDecidedAt(1_000)
                .setBuyersPinged(0).setBidsReceived(0).setPostAttempts(0);
    }

    private static WhatIfAuction auction(long floorCents, Outcome outcome, WhatIfOffer... offers) {
        return WhatIfAuction.newBuilder().setOutcome(outcome).setFloorCents(floorCents).setOffers(List.of(offers)).build();
    }
}
