package io.leadmkt.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.ManualClock;
import io.leadmkt.connector.limits.BuyerGate.Admission;
import io.leadmkt.connector.limits.BuyerGate.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The gate's promises to a buyer as properties (jqwik), over random runs of pings, posts, answers
 * (good, failed, 429 with a Retry-After, unjudged, cancelled, reported twice) in any order, and time
 * passing: it never has more pings in flight than the buyer allows, never pings a buyer before a
 * Retry-After it asked for has passed, lets one probe at a time through a half-open buyer, keeps its
 * ping rate, and counts exactly the calls still in flight. {@link BuyerGateTest} pins each rule's case.
 */
class BuyerGatePropertiesTest {

    /** One thing that happens at the gate. */
    sealed interface Step permits Ping, Post, Answer, Wait {
    }

    record Ping() implements Step {
    }

    record Post() implements Step {
    }

    /** The {@code which}-th call still in flight (modulo their number) ends as {@code how}; or one already ended, again. */
    record Answer(int which, How how, long retryAfterMs, boolean again) implements Step {
    }

    record Wait(long ms) implements Step {
    }

    enum How { SUCCEEDED, FAILED, RATE_LIMITED, UNJUDGED, CANCELLED }

    @Provide
    Arbitrary<BuyerLimits> limits() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 4),
                Arbitraries.of(0.0, 0.5, 2.0, 10.0),
                Arbitraries.of(0, 1, 3),
                Arbitraries.of(100L, 1_000L, 5_000L))
                .as(BuyerLimits::new);
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(new Ping())),
                Tuple.of(1, Arbitraries.just(new Post())),
                Tuple.of(5, Combinators.combine(
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.of(How.class),
                        Arbitraries.of(0L, 500L, 3_000L, 20_000L),
                        Arbitraries.of(false, false, false, true)).as(Answer::new)),
                Tuple.of(3, Arbitraries.of(1L, 50L, 400L, 1_000L, 6_000L).map(Wait::new)));
        return step.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 20_000)
    void shouldKeepEveryPromiseToTheBuyerWhateverItsAnswers(@ForAll("limits") BuyerLimits limits,
                                                           @ForAll("runs") List<Step> run) {
        ManualClock clock = new ManualClock();
        BuyerGate gate = new BuyerGate(clock);
        List<Permit> inFlight = new ArrayList<>();
        List<Permit> ended = new ArrayList<>();
        List<Permit> pings = new ArrayList<>();
        List<Long> admittedAt = new ArrayList<>();
        // probes let through since the last 429: one spell of being half-open (an earlier probe is just a ping now)
        List<Permit> probesThisSpell = new ArrayList<>();
        long waitUntil = Long.MIN_VALUE; // the latest Retry-After the buyer asked for
        for (Step step : run) {
            long now = clock.millis();
            if (step instanceof Ping) {
                int before = inFlight.size();
                Admission admission = gate.admitPing("b", limits);
                if (admission instanceof Permit permit) {
                    assertThat(before).as("calls in flight when a ping was let through").isLessThan(limits.maxConcurrent());
                    assertThat(now).as("a ping before the buyer's Retry-After ended").isGreaterThanOrEqualTo(waitUntil);
                    if (permit.probe()) {
                        assertThat(inFlight.stream().filter(probesThisSpell::contains))
                                .as("another probe of this half-open spell in flight").isEmpty();
                        probesThisSpell.add(permit);
                    }
                    inFlight.add(permit);
                    pings.add(permit);
                    admittedAt.add(now);
                }
            } else if (step instanceof Post) {
                inFlight.add(gate.admitPost("b"));
            } else if (step instanceof Answer answer && answer.again() && !ended.isEmpty()) {
                end(ended.get(answer.which() % ended.size()), answer); // a second report changes nothing
            } else if (step instanceof Answer answer && !inFlight.isEmpty()) {
                Permit permit = inFlight.remove(answer.which() % inFlight.size());
                ended.add(permit);
                end(permit, answer);
                if (pings.contains(permit) && answer.how() == How.RATE_LIMITED) {
                    waitUntil = Math.max(waitUntil, now + answer.retryAfterMs());
                    probesThisSpell.clear();
                }
            } else if (step instanceof Wait wait) {
                clock.advance(Duration.ofMillis(wait.ms()));
            }
            assertThat(gate.health("b").map(BuyerHealth::inFlight).orElse(0)).as("in flight").isEqualTo(inFlight.size());
        }
        if (limits.rateLimited()) {
            // a token bucket one second deep: in any stretch of time, at most a second's worth plus the rate over it
            for (int from = 0; from < admittedAt.size(); from++) {
                for (int to = from; to < admittedAt.size(); to++) {
                    double allowed = Math.max(1, limits.pingsPerSecond())
                            + (admittedAt.get(to) - admittedAt.get(from)) * limits.pingsPerSecond() / 1000.0;
                    assertThat((double) (to - from + 1)).as("pings admitted in a stretch").isLessThanOrEqualTo(allowed + 1e-9);
                }
            }
        }
    }

    private static void end(Permit permit, Answer answer) {
        switch (answer.how()) {
            case SUCCEEDED -> permit.succeeded();
            case FAILED -> permit.failed();
            case RATE_LIMITED -> permit.rateLimited(Duration.ofMillis(answer.retryAfterMs()));
            case UNJUDGED -> permit.unjudged();
            case CANCELLED -> permit.cancelled();
        }
    }
}
