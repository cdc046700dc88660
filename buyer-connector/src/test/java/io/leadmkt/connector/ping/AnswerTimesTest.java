package io.leadmkt.connector.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.connector.ping.AnswerTimes.Policy;
import org.junit.jupiter.api.Test;

class AnswerTimesTest {

    private static final long FULL = 1_000;

    /** A tighter policy than the default, so the arithmetic shows in small numbers. */
    private static final Policy TIGHT = new Policy(100, 20, 0.99, 1.5, 25, 50);
    private final AnswerTimes times = new AnswerTimes(TIGHT);

    private void answers(String buyerId, int count, long latencyMs) {
        for (int i = 0; i < count; i++) {
            times.answered(buyerId, latencyMs);
        }
    }

    @Test
    void shouldWaitTheFullTimeoutWhenBuyerHasFewerAnswersThanMinSamples() {
        assertThat(times.waitMs("new", FULL)).isEqualTo(FULL);

        answers("new", 19, 10);

        assertThat(times.waitMs("new", FULL)).isEqualTo(FULL);
        assertThat(times.usualMs("new")).isEmpty();
    }

    /** The buyer answered once in each of 1, 2, ... {@code upToMs} ms. */
    private static void answeredOneToN(AnswerTimes into, String buyerId, int upToMs) {
        for (int ms = 1; ms <= upToMs; ms++) {
            into.answered(buyerId, ms);
        }
    }

    @Test
    void shouldWaitP99TimesFactorPlusMarginWhenBuyerHasEnoughAnswers() {
        answeredOneToN(times, "b", 100);

        // nearest rank: the 99th of 100 sorted latencies is 99 ms; 99 × 1.5 = 148.5 → 149, + 25
        assertThat(times.usualMs("b")).hasValue(99);
        assertThat(times.waitMs("b", FULL)).isEqualTo(174);
    }

    @Test
    void shouldUseNearestRankWhenQuantileTimesSizeIsNotWhole() {
        AnswerTimes p95 = new AnswerTimes(new Policy(100, 20, 0.95, 1.0, 0, 1));
        answeredOneToN(p95, "b", 20);

        assertThat(p95.usualMs("b")).hasValue(19);
        assertThat(p95.waitMs("b", FULL)).isEqualTo(19);
    }

    @Test
    void shouldWaitTheFloorWhenBuyerAnswersFasterThanIt() {
        answers("fast", 20, 2);

        assertThat(times.waitMs("fast", FULL)).isEqualTo(50);
    }

    @Test
    void shouldWaitTheFullTimeoutWhenItIsShorterThanTheFloor() {
        answers("fast", 20, 2);

        assertThat(times.waitMs("fast", 30)).isEqualTo(30);
    }

    @Test
    void shouldNeverWaitLongerThanTheFullTimeoutWhenBuyerIsUsuallySlow() {
        answers("slowish", 50, 400);

        assertThat(times.waitMs("slowish", 500)).isEqualTo(500);
        assertThat(times.waitMs("slowish", FULL)).isEqualTo(625);
    }

    @Test
    void shouldRiseAtOnceWhenBuyerAnswersSlowerThanUsual() {
        answers("b", 100, 20);
        assertThat(times.waitMs("b", FULL)).isEqualTo(55);

        answers("b", 1, 200);
        // one slow answer in a hundred is the 1 % the p99 leaves out ...
        assertThat(times.waitMs("b", FULL)).isEqualTo(55);

        answers("b", 1, 200);
        // ... two are not
        assertThat(times.waitMs("b", FULL)).isEqualTo(325);
    }

    @Test
    void shouldForgetTheOldestAnswersWhenTheWindowIsFull() {
        answers("b", 100, 300);
        answers("b", 98, 10);
        assertThat(times.usualMs("b")).hasValue(300);

        answers("b", 1, 10);

        assertThat(times.usualMs("b")).hasValue(10);
        assertThat(times.waitMs("b", FULL)).isEqualTo(50);
    }

    @Test
    void shouldAgreeWithSortingTheWindowWhenAnswersComeInAnyOrder() {
        // Every quantile read off the kept-sorted window equals the nearest rank of the last 10 answers sorted.
        AnswerTimes small = new AnswerTimes(new Policy(10, 1, 0.5, 1.0, 0, 1));
        java.util.Random random = new java.util.Random(42);
        java.util.Deque<Long> window = new java.util.ArrayDeque<>();
        for (int i = 0; i < 2_000; i++) {
            long latency = random.nextInt(i % 3 == 0 ? 5 : 400); // many repeats, as real latencies have
            small.answered("b", latency);
            window.addLast(latency);
            if (window.size() > 10) {
                window.removeFirst();
            }
            long[] sorted = window.stream().mapToLong(Long::longValue).sorted().toArray();
            int rank = (int) Math.ceil(0.5 * sorted.length - 1e-9);
            assertThat(small.usualMs("b")).as("after answer %d", i).hasValue(sorted[Math.max(0, rank - 1)]);
        }
    }

    @Test
    void shouldWaitTheFullTimeoutOnceWhenTheLastPingWasCutShort() {
        answers("b", 20, 100);
        assertThat(times.waitMs("b", FULL)).isEqualTo(175);

        times.cutShort("b");

        assertThat(times.waitMs("b", FULL)).isEqualTo(FULL);
        assertThat(times.waitMs("b", FULL)).isEqualTo(175);
    }

    @Test
    void shouldKeepBuyersApartWhenOneIsSlow() {
        answers("fast", 20, 10);
        answers("slow", 20, 300);
        times.cutShort("slow");

        assertThat(times.waitMs("fast", FULL)).isEqualTo(50);
        assertThat(times.waitMs("slow", FULL)).isEqualTo(FULL);
    }

    @Test
    void shouldRefusePolicyWhenItCouldNeverDecide() {
        assertThatThrownBy(() -> new Policy(10, 20, 0.99, 1.5, 25, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(100, 20, 0, 1.5, 25, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(100, 20, 0.99, 0.5, 25, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
