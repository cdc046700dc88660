package io.leadmkt.streams.eligibility;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.SourceAdjustment;
import io.leadmkt.streams.MarketFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuyerTermsResolverTest {

    /** A TX lead from seller-1, sub-id sub-7. */
    private static Lead lead() {
        return MarketFixtures.lead("L1", 0).build();
    }

    private static BuyerTerms terms(BuyerConfig buyer) {
        return BuyerTermsResolver.resolve(buyer, lead(), null);
    }

    private static SourceAdjustment adjustment(String source, String subId, int multiplier, long penalty) {
        return SourceAdjustment.newBuilder().setSourceId(source).setSubId(subId)
                .setMultiplierBasisPoints(multiplier).setPenaltyCents(penalty).build();
    }

    private static BuyerStats stats(String recent, int rate) {
        return BuyerStats.newBuilder().setBuyerId("a").setRecent(recent).setAcceptanceRateBasisPoints(rate)
                .setUpdatedAt(0).build();
    }

    @Test
    void shouldUseTheStatePriceWhenTheBuyerHasOneForTheLeadsState() {
        BuyerConfig fixed = buyer("a").setFixedPriceCents(2_000L)
                .setFixedPriceByStateCents(Map.of("TX", 3_500L, "CA", 4_000L)).build();

        assertThat(terms(fixed).getFixedPriceCents()).isEqualTo(3_500L);
    }

    @Test
    void shouldUseTheGeneralFixedPriceWhenTheLeadsStateHasNoPrice() {
        BuyerConfig fixed = buyer("a").setFixedPriceCents(2_000L).setFixedPriceByStateCents(Map.of("CA", 4_000L)).build();

        assertThat(terms(fixed).getFixedPriceCents()).isEqualTo(2_000L);
    }

    @Test
    void shouldUseTheStatePriceWhenTheBuyerHasNoGeneralPrice() {
        assertThat(terms(buyer("a").setFixedPriceByStateCents(Map.of("TX", 900L)).build()).getFixedPriceCents())
                .isEqualTo(900L);
        assertThat(terms(buyer("b").setFixedPriceByStateCents(Map.of("CA", 900L)).build()).getFixedPriceCents())
                .isNull();
    }

    @Test
    void shouldLeaveTheDefaultsWhenTheBuyerSetsNoTerms() {
        BuyerTerms terms = terms(buyer("a").build());

        assertThat(terms.getFixedPriceCents()).isNull();
        assertThat(terms.getMultiplierBasisPoints()).isEqualTo(10_000);
        assertThat(terms.getPenaltyCents()).isZero();
        assertThat(terms.getMarginPercentBasisPoints()).isNull();
        assertThat(terms.getMarginFixedCents()).isNull();
        assertThat(terms.getAcceptanceRateBasisPoints()).isNull();
        assertThat(terms.getCapped()).isFalse();
    }

    @Test
    void shouldTakeTheSubIdAdjustmentWhenOneMatchesTheLeadsSubId() {
        BuyerConfig scored = buyer("a").setSourceAdjustments(List.of(
                adjustment("seller-1", null, 9_000, 50),
                adjustment("seller-1", "sub-7", 7_500, 125),
                adjustment("seller-1", "sub-8", 5_000, 0))).build();

        BuyerTerms terms = terms(scored);

        assertThat(terms.getMultiplierBasisPoints()).isEqualTo(7_500);
        assertThat(terms.getPenaltyCents()).isEqualTo(125);
    }

    @Test
    void shouldTakeTheSourceWideAdjustmentWhenNoSubIdEntryMatches() {
        BuyerConfig scored = buyer("a").setSourceAdjustments(List.of(
                adjustment("seller-1", "sub-8", 5_000, 0),
                adjustment("seller-1", null, 9_000, 50),
                adjustment("seller-2", "sub-7", 1_000, 999))).build();

        BuyerTerms terms = terms(scored);

        assertThat(terms.getMultiplierBasisPoints()).isEqualTo(9_000);
        assertThat(terms.getPenaltyCents()).isEqualTo(50);
    }

    @Test
    void shouldApplyNoAdjustmentWhenNoEntryNamesTheLeadsSource() {
        BuyerConfig scored = buyer("a").setSourceAdjustments(List.of(adjustment("seller-2", null, 5_000, 10))).build();
        Lead noSource = MarketFixtures.lead("L2", 0).setSourceId(null).build();

        assertThat(terms(scored).getMultiplierBasisPoints()).isEqualTo(10_000);
        assertThat(terms(scored).getPenaltyCents()).isZero();
        assertThat(BuyerTermsResolver.resolve(scored, noSource, null).getMultiplierBasisPoints()).isEqualTo(10_000);
    }

    @Test
    void shouldCopyTheMarginOverridesWhenTheBuyerSetsThem() {
        BuyerTerms terms = terms(buyer("a").setMarginPercentBasisPoints(1_250).setMarginFixedCents(75L).build());

        assertThat(terms.getMarginPercentBasisPoints()).isEqualTo(1_250);
        assertThat(terms.getMarginFixedCents()).isEqualTo(75L);
    }

    @Test
    void shouldMarkTheBuyerCappedWhenItHasACapOrAPrepaidBalance() {
        BuyerCap daily = BuyerCap.newBuilder().setPeriod(CapPeriod.DAY).setMaxLeads(10).build();

        assertThat(terms(buyer("caps").setCaps(List.of(daily)).build()).getCapped()).isTrue();
        assertThat(terms(buyer("prepaid").setPrepaidCents(0L).build()).getCapped()).isTrue();
        assertThat(terms(buyer("credit-only").setCreditLimitCents(5_000).build()).getCapped()).isFalse();
    }

    @Test
    void shouldLeaveTheAcceptanceRateNullWhenFewerThanTwentyResultsAreKnown() {
        BuyerConfig b = buyer("a").build();

        assertThat(BuyerTermsResolver.resolve(b, lead(), stats("A".repeat(19), 10_000)).getAcceptanceRateBasisPoints())
                .isNull();
        assertThat(BuyerTermsResolver.resolve(b, lead(), stats("AR".repeat(10), 5_000)).getAcceptanceRateBasisPoints())
                .isEqualTo(5_000);
    }
}
