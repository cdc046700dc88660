package io.leadmkt.streams.auction;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Vendor scoring: raw bid × multiplier − penalty, exact, never negative. */
class BidAdjustmentTest {
    private static final BigInteger BP = BigInteger.valueOf(10_000);

    /** max(0, floor(raw × m / 10000) − penalty), at most Long.MAX_VALUE, in BigInteger. */
    private static long exact(long raw, int multiplier, long penalty) {
        BigInteger scaled = BigInteger.valueOf(raw).multiply(BigInteger.valueOf(multiplier));
        BigInteger[] qr = scaled.divideAndRemainder(BP);
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        BigInteger adjusted = floor.subtract(BigInteger.valueOf(penalty)).max(BigInteger.ZERO);
        return adjusted.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    @Test
    void shouldKeepRawPriceWhenBuyerHasDefaultTerms() {
        assertThat(BidAdjustment.adjustedCents(1_234, PricingFixtures.buyerTerms().build())).isEqualTo(1_234);
        assertThat(BidAdjustment.adjustedCents(1_234, null)).isEqualTo(1_234);
    }

    @Test
    void shouldScaleAndRoundDownWhenMultiplierIsSet() {
        // 1,999 × 0.85 = 1,699.15 → 1,699; 1,001 × 1.25 = 1,251.25 → 1,251
        assertThat(BidAdjustment.adjustedCents(1_999, PricingFixtures.buyerTerms().setMultiplierBasisPoints(8_500).build()))
                .isEqualTo(1_699);
        assertThat(BidAdjustment.adjustedCents(1_001, PricingFixtures.buyerTerms().setMultiplierBasisPoints(12_500).build()))
                .isEqualTo(1_251);
    }

    @Test
    void shouldTakePenaltyAfterScalingWhenBothAreSet() {
        // floor(2,000 × 0.9) − 150 = 1,650
        assertThat(BidAdjustment.adjustedCents(2_000,
                PricingFixtures.buyerTerms().setMultiplierBasisPoints(9_000).setPenaltyCents(150).build()))
                .isEqualTo(1_650);
    }

    @Test
    void shouldStopAtZeroWhenPenaltyExceedsBid() {
        assertThat(BidAdjustment.adjustedCents(100, PricingFixtures.buyerTerms().setPenaltyCents(101).build())).isZero();
        assertThat(BidAdjustment.adjustedCents(100, PricingFixtures.buyerTerms().setMultiplierBasisPoints(0).build()))
                .isZero();
    }

    @Test
    void shouldSaturateInsteadOfOverflowingWhenPriceAndMultiplierAreHuge() {
        assertThat(BidAdjustment.adjustedCents(Long.MAX_VALUE, Integer.MAX_VALUE, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(BidAdjustment.adjustedCents(Long.MAX_VALUE, 10_000, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(BidAdjustment.adjustedCents(Long.MAX_VALUE, 10_000, Long.MAX_VALUE)).isZero();
        assertThat(BidAdjustment.adjustedCents(Long.MAX_VALUE, 20_000, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(BidAdjustment.adjustedCents(Long.MAX_VALUE, 10_000, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<Long> prices() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, io.leadmkt.schema.Money.MAX_BID_CENTS),
                Arbitraries.longs(), Arbitraries.of(0L, 1L, 9_999L, 10_000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
    }

    @Provide
    Arbitrary<Integer> multipliers() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 30_000), Arbitraries.integers(),
                Arbitraries.of(0, 1, 9_999, 10_000, 10_001, Integer.MAX_VALUE, Integer.MIN_VALUE, -1));
    }

    @Provide
    Arbitrary<Long> penalties() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 10_000), Arbitraries.longs(),
                Arbitraries.of(0L, Long.MAX_VALUE, Long.MIN_VALUE));
    }

    @Property(tries = 5_000)
    void adjustedIsExactFloorAndNeverNegativeForAllInputs(@ForAll("prices") long raw,
                                                          @ForAll("multipliers") int multiplier,
                                                          @ForAll("penalties") long penalty) {
        long adjusted = BidAdjustment.adjustedCents(raw, multiplier, penalty);
        assertThat(adjusted).isNotNegative().isEqualTo(exact(raw, multiplier, penalty));
        assertThat(BidAdjustment.adjustedCents(raw, PricingFixtures.buyerTerms().setMultiplierBasisPoints(multiplier)
                .setPenaltyCents(penalty).build())).isEqualTo(adjusted);
    }

    @Property(tries = 2_000)
    void adjustedNeverAboveRawWhenMultiplierAtMostOneAndPenaltyNonNegative(
            @ForAll("prices") long raw, @ForAll("multipliers") int multiplier, @ForAll("penalties") long penalty) {
        if (raw >= 0 && multiplier >= 0 && multiplier <= 10_000 && penalty >= 0) {
            assertThat(BidAdjustment.adjustedCents(raw, multiplier, penalty)).isBetween(0L, raw);
        }
    }
}
