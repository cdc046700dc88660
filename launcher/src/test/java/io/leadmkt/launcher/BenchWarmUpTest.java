package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchWarmUpTest {

    @Test
    void shouldWarmUpAtFiftyLeadsPerSecondWhenTheFirstMeasuredRateIsHigher() {
        assertThat(Bench.warmUpRate(150)).isEqualTo(50.0);
        assertThat(Bench.warmUpRate(50)).isEqualTo(50.0);
    }

    @Test
    void shouldWarmUpAtTheFirstMeasuredRateWhenItIsLower() {
        assertThat(Bench.warmUpRate(25)).isEqualTo(25.0);
    }

    @Test
    void shouldWarmUpForFortyFiveSecondsWhenTheUntimedStartIsShort() {
        assertThat(Bench.warmUpLength(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void shouldOutlastTheUntimedStartWhenItIsLongerThanTheWarmUp() {
        assertThat(Bench.warmUpLength(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(65));
    }

    @Test
    void shouldCountTheJitSettledWhenItCompiledUnderFivePercentOfTheWindow() {
        long tenSeconds = Duration.ofSeconds(10).toNanos();
        assertThat(JitSettle.settled(1_000, 1_499, tenSeconds)).isTrue();
        assertThat(JitSettle.settled(1_000, 1_500, tenSeconds)).isFalse();
    }

    @Test
    void shouldNotCountTheJitSettledWhenTheWindowIsEmpty() {
        assertThat(JitSettle.settled(1_000, 1_000, 0)).isFalse();
    }
}
