package io.leadmkt.connector.ping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The answer-time estimate as properties (jqwik): the window it keeps sorted as answers come and go is
 * always the last answers sorted (so its quantile is the one a plain sort of them gives), and the wait it
 * derives is never more than the buyer's full timeout nor less than the floor. {@link AnswerTimesTest}
 * pins the numbers of each rule.
 */
class AnswerTimesPropertiesTest {

    @Provide
    Arbitrary<AnswerTimes.Policy> policies() {
        return Arbitraries.integers().between(1, 12).flatMap(window -> Combinators.combine(
                Arbitraries.integers().between(1, window),
                Arbitraries.of(0.01, 0.5, 0.9, 0.95, 0.99, 1.0),
                Arbitraries.of(1.0, 1.5, 2.0),
                Arbitraries.longs().between(0, 200),
                Arbitraries.longs().between(1, 400))
                .as((minSamples, quantile, factor, margin, floor) ->
                        new AnswerTimes.Policy(window, minSamples, quantile, factor, margin, floor)));
    }

    @Provide
    Arbitrary<List<Long>> latencies() {
        // few distinct values often, so equal latencies enter and leave the window together
        return Arbitraries.oneOf(Arbitraries.longs().between(-5, 3_000), Arbitraries.of(0L, 7L, 7L, 40L))
                .list().ofMaxSize(60);
    }

    @Property(tries = 3_000)
    void shouldReadTheQuantileOfTheLastAnswersWhateverCameBefore(@ForAll("policies") AnswerTimes.Policy policy,
                                                                @ForAll("latencies") List<Long> latencies) {
        AnswerTimes times = new AnswerTimes(policy);
        for (int i = 0; i < latencies.size(); i++) {
            times.answered("b", latencies.get(i));
            List<Long> window = latencies.subList(Math.max(0, i + 1 - policy.window()), i + 1).stream()
                    .map(latency -> Math.max(0, latency)).sorted().toList();

            OptionalLong usual = times.usualMs("b");

            if (window.size() < policy.minSamples()) {
                assertThat(usual).isEmpty();
            } else {
                int rank = (int) Math.ceil(policy.quantile() * window.size() - 1e-9);
                assertThat(usual).hasValue(window.get(Math.max(0, rank - 1)));
            }
        }
    }

    @Property(tries = 3_000)
    void shouldWaitNoLongerThanTheFullTimeoutAndNoLessThanTheFloor(
            @ForAll("policies") AnswerTimes.Policy policy, @ForAll("latencies") List<Long> latencies,
            @ForAll @LongRange(min = 1, max = 5_000) long fullTimeoutMs) {
        AnswerTimes times = new AnswerTimes(policy);
        latencies.forEach(latency -> times.answered("b", latency));

        long wait = times.waitMs("b", fullTimeoutMs);

        assertThat(wait).isLessThanOrEqualTo(fullTimeoutMs)
                .isGreaterThanOrEqualTo(Math.min(fullTimeoutMs, policy.floorMs()));
        if (times.usualMs("b").isPresent()) {
            // a buyer as slow as its usual is still waited for
            assertThat(wait).isGreaterThanOrEqualTo(Math.min(fullTimeoutMs, times.usualMs("b").getAsLong()));
        }
        times.cutShort("b");
        assertThat(times.waitMs("b", fullTimeoutMs)).as("the ping after a cut").isEqualTo(fullTimeoutMs);
    }
}
