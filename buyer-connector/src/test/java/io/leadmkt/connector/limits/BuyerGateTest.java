package io.leadmkt.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.ManualClock;
import io.leadmkt.connector.limits.BuyerGate.Admission;
import io.leadmkt.connector.limits.BuyerGate.Permit;
import io.leadmkt.connector.limits.BuyerGate.Refusal;
import io.leadmkt.connector.limits.BuyerHealth.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuyerGateTest {

    private static final BuyerLimits PAUSE_AFTER_3 = new BuyerLimits(100, 0, 3, 1000);

    private final ManualClock clock = new ManualClock();
    private final BuyerGate gate = new BuyerGate(clock);

    private Permit admitted(String buyerId, BuyerLimits limits) {
        Admission admission = gate.admitPing(buyerId, limits);
        assertThat(admission).isInstanceOf(Permit.class);
        return (Permit) admission;
    }

    private String refusal(String buyerId, BuyerLimits limits) {
        Admission admission = gate.admitPing(buyerId, limits);
        assertThat(admission).isInstanceOf(Refusal.class);
        return ((Refusal) admission).reason();
    }

    private State state(String buyerId) {
        return gate.health(buyerId).orElseThrow().state();
    }

    @Test
    void shouldThrottleWhenBuyerHasMaxConcurrentRequestsInFlight() {
        BuyerLimits two = new BuyerLimits(2, 0, 0, 1000);
        Permit first = admitted("b", two);
        admitted("b", two);

        assertThat(refusal("b", two)).isEqualTo(BuyerGate.THROTTLED);
        assertThat(gate.health("b").orElseThrow().inFlight()).isEqualTo(2);

        first.succeeded();
        admitted("b", two);
    }

    @Test
    void shouldThrottleWhenBuyerIsOverItsPingRateUntilTokensRefill() {
        BuyerLimits twoPerSecond = new BuyerLimits(100, 2, 0, 1000);
        admitted("b", twoPerSecond).succeeded();
        admitted("b", twoPerSecond).succeeded();

        assertThat(refusal("b", twoPerSecond)).isEqualTo(BuyerGate.THROTTLED);

        clock.advance(Duration.ofMillis(500));
        admitted("b", twoPerSecond).succeeded();
        assertThat(refusal("b", twoPerSecond)).isEqualTo(BuyerGate.THROTTLED);
    }

    @Test
    void shouldKeepBuyersApartWhenOneIsAtItsLimits() {
        BuyerLimits one = new BuyerLimits(1, 0, 0, 1000);
        admitted("busy", one);

        assertThat(refusal("busy", one)).isEqualTo(BuyerGate.THROTTLED);
        admitted("other", one);
    }

    @Test
    void shouldPauseBuyerWhenItFailsPauseAfterErrorsTimesInARow() {
        admitted("b", PAUSE_AFTER_3).failed();
        admitted("b", PAUSE_AFTER_3).failed();
        admitted("b", PAUSE_AFTER_3).succeeded();
        admitted("b", PAUSE_AFTER_3).failed();
        admitted("b", PAUSE_AFTER_3).failed();
        assertThat(state("b")).isEqualTo(State.ACTIVE);

        admitted("b", PAUSE_AFTER_3).failed();

        BuyerHealth health = gate.health("b").orElseThrow();
        assertThat(health.state()).isEqualTo(State.PAUSED);
        assertThat(health.pausedUntil()).isEqualTo(clock.instant().plusMillis(1000));
        assertThat(health.consecutiveErrors()).isEqualTo(3);
        assertThat(refusal("b", PAUSE_AFTER_3)).isEqualTo(BuyerGate.PAUSED);
        assertThat(gate.paused()).containsExactly("b");
    }

    @Test
    void shouldLetOneProbeThroughAndResumeWhenPauseHasEndedAndProbeSucceeds() {
        pause("b");
        clock.advance(Duration.ofMillis(999));
        assertThat(refusal("b", PAUSE_AFTER_3)).isEqualTo(BuyerGate.PAUSED);
        clock.advance(Duration.ofMillis(1));
        assertThat(state("b")).isEqualTo(State.HALF_OPEN);

        Permit probe = admitted("b", PAUSE_AFTER_3);
        assertThat(probe.probe()).isTrue();
        assertThat(refusal("b", PAUSE_AFTER_3)).isEqualTo(BuyerGate.PAUSED);

        probe.succeeded();

        assertThat(gate.health("b").orElseThrow())
                .extracting(BuyerHealth::state, BuyerHealth::consecutiveErrors, BuyerHealth::pausedUntil)
                .containsExactly(State.ACTIVE, 0, null);
        assertThat(admitted("b", PAUSE_AFTER_3).probe()).isFalse();
        assertThat(gate.paused()).isEmpty();
    }

    @Test
    void shouldPauseAgainWhenProbeFails() {
        pause("b");
        clock.advance(Duration.ofMillis(1000));

        admitted("b", PAUSE_AFTER_3).failed();

        assertThat(state("b")).isEqualTo(State.PAUSED);
        assertThat(gate.health("b").orElseThrow().pausedUntil()).isEqualTo(clock.instant().plusMillis(1000));
        assertThat(refusal("b", PAUSE_AFTER_3)).isEqualTo(BuyerGate.PAUSED);
    }

    @Test
    void shouldLetAnotherProbeThroughWhenProbeWasCancelled() {
        pause("b");
        clock.advance(Duration.ofMillis(1000));

        admitted("b", PAUSE_AFTER_3).cancelled();

        assertThat(admitted("b", PAUSE_AFTER_3).probe()).isTrue();
    }

    @Test
    void shouldPauseUntilRetryAfterWhenBuyerAnswersRateLimited() {
        BuyerLimits neverPauses = new BuyerLimits(100, 0, 0, 1000);

        admitted("b", neverPauses).rateLimited(Duration.ofSeconds(30));

        assertThat(gate.health("b").orElseThrow().pausedUntil()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(refusal("b", neverPauses)).isEqualTo(BuyerGate.PAUSED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(admitted("b", neverPauses).probe()).isTrue();
    }

    /**
     * A 429 that arrives while the half-open probe is out starts a new pause: the probe, sent before the
     * buyer asked us to wait, neither ends that pause by succeeding nor shortens it by failing.
     */
    @Test
    void shouldKeepARetryAfterThatCameWhileTheProbeWasOutWhateverTheProbesAnswer() {
        BuyerLimits neverPauses = new BuyerLimits(100, 0, 0, 1000);
        for (boolean probeSucceeds : new boolean[] {true, false}) {
            BuyerGate gate = new BuyerGate(clock);
            Permit first = (Permit) gate.admitPing("b", neverPauses);
            Permit second = (Permit) gate.admitPing("b", neverPauses);
            first.rateLimited(Duration.ZERO);
            Permit probe = (Permit) gate.admitPing("b", neverPauses);
            assertThat(probe.probe()).isTrue();

            second.rateLimited(Duration.ofSeconds(20));
            if (probeSucceeds) {
                probe.succeeded();
            } else {
                probe.failed();
            }

            clock.advance(Duration.ofSeconds(2));
            assertThat(gate.admitPing("b", neverPauses)).as("probe succeeded: %s", probeSucceeds)
                    .isEqualTo(new Refusal(BuyerGate.PAUSED));
            clock.advance(Duration.ofSeconds(18));
            assertThat(gate.admitPing("b", neverPauses)).isInstanceOf(Permit.class);
        }
    }

    @Test
    void shouldPauseForThirtySecondsAfterFiveFailuresInARowWhenTheBuyerAsksForIt() {
        BuyerLimits afterFive = new BuyerLimits(256, 0, 5, 30_000);
        for (int i = 0; i < 4; i++) {
            admitted("b", afterFive).failed();
        }
        assertThat(state("b")).isEqualTo(State.ACTIVE);

        admitted("b", afterFive).failed();

        assertThat(gate.health("b").orElseThrow())
                .extracting(BuyerHealth::state, BuyerHealth::pausedUntil, BuyerHealth::consecutiveErrors)
                .containsExactly(State.PAUSED, clock.instant().plusSeconds(30), 5);
        clock.advance(Duration.ofSeconds(30));
        assertThat(admitted("b", afterFive).probe()).isTrue();
    }

    @Test
    void shouldNeverPauseWhenPauseAfterErrorsIsZero() {
        BuyerLimits neverPauses = new BuyerLimits(100, 0, 0, 1000);
        for (int i = 0; i < 1000; i++) {
            admitted("b", neverPauses).failed();
        }

        assertThat(state("b")).isEqualTo(State.ACTIVE);
        assertThat(gate.health("b").orElseThrow().consecutiveErrors()).isEqualTo(1000);
    }

    @Test
    void shouldNotCountSilenceAgainstBuyerWhenItIsUnjudged() {
        admitted("b", PAUSE_AFTER_3).failed();
        for (int i = 0; i < 5; i++) {
            admitted("b", PAUSE_AFTER_3).unjudged();
        }

        assertThat(gate.health("b").orElseThrow())
                .extracting(BuyerHealth::state, BuyerHealth::consecutiveErrors, BuyerHealth::inFlight)
                .containsExactly(State.ACTIVE, 1, 0);
    }

    @Test
    void shouldLetAnotherProbeThroughWhenProbeWasUnjudged() {
        pause("b");
        clock.advance(Duration.ofMillis(1000));

        admitted("b", PAUSE_AFTER_3).unjudged();

        assertThat(admitted("b", PAUSE_AFTER_3).probe()).isTrue();
    }

    @Test
    void shouldAdmitPostsWhenBuyerIsPausedOrAtItsLimits() {
        BuyerLimits one = new BuyerLimits(1, 0, 1, 1000);
        admitted("b", one).failed();
        assertThat(state("b")).isEqualTo(State.PAUSED);

        Permit post = gate.admitPost("b");
        Permit another = gate.admitPost("b");
        assertThat(gate.health("b").orElseThrow().inFlight()).isEqualTo(2);

        post.failed();
        another.failed();
        clock.advance(Duration.ofMillis(1000));
        assertThat(gate.health("b").orElseThrow())
                .extracting(BuyerHealth::state, BuyerHealth::inFlight, BuyerHealth::consecutiveErrors)
                .containsExactly(State.HALF_OPEN, 0, 1);
    }

    @Test
    void shouldCountEachReleaseOnceWhenPermitIsReportedTwice() {
        Permit permit = admitted("b", PAUSE_AFTER_3);

        permit.failed();
        permit.failed();

        assertThat(gate.health("b").orElseThrow())
                .extracting(BuyerHealth::inFlight, BuyerHealth::consecutiveErrors).containsExactly(0, 1);
    }

    @Test
    void shouldNeverAdmitMoreThanMaxConcurrentWhenManyThreadsAskAtOnce() throws Exception {
        BuyerLimits five = new BuyerLimits(5, 0, 0, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Admission>> asked = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    return gate.admitPing("b", five);
                }));
            }
            start.countDown();
            long admitted = 0;
            for (Future<Admission> admission : asked) {
                if (admission.get(10, TimeUnit.SECONDS) instanceof Permit) {
                    admitted++;
                }
            }
            assertThat(admitted).isEqualTo(5);
            assertThat(gate.health("b").orElseThrow().inFlight()).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    private void pause(String buyerId) {
        for (int i = 0; i < 3; i++) {
            admitted(buyerId, PAUSE_AFTER_3).failed();
        }
        assertThat(state(buyerId)).isEqualTo(State.PAUSED);
    }
}
