package io.leadmkt.streams.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.ops.Health;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StreamsHealthTest {

    @Test
    void shouldBeReadyWhenRunning() {
        assertThat(StreamsHealth.of(State.RUNNING, true)).isEqualTo(Health.ready("RUNNING"));
    }

    @Test
    void shouldNotBeReadyButAliveWhenStreamsIsNotCreatedYet() {
        Health health = StreamsHealth.of(null, false);

        assertThat(health.ready()).isFalse();
        assertThat(health.live()).isTrue();
        assertThat(health.state()).isEqualTo("STARTING");
    }

    @Test
    void shouldNotBeReadyWhenRebalancingBeforeItEverRan() {
        Health health = StreamsHealth.of(State.REBALANCING, false);

        assertThat(health.ready()).isFalse();
        assertThat(health.live()).isTrue();
        assertThat(health.reason()).contains("restoring");
    }

    @Test
    void shouldStayReadyWhenRebalancingAfterHavingRun() {
        assertThat(StreamsHealth.of(State.REBALANCING, true).ready()).isTrue();
    }

    @Test
    void shouldNotBeReadyButAliveWhenShuttingDown() {
        for (State state : new State[] {State.PENDING_SHUTDOWN, State.NOT_RUNNING, State.CREATED}) {
            Health health = StreamsHealth.of(state, true);
            assertThat(health.ready()).as("%s", state).isFalse();
            assertThat(health.live()).as("%s", state).isTrue();
        }
    }

    @Test
    void shouldBeDeadWhenStreamsStoppedOnAnError() {
        for (State state : new State[] {State.PENDING_ERROR, State.ERROR}) {
            Health health = StreamsHealth.of(state, true);
            assertThat(health.live()).as("%s: only a restart helps", state).isFalse();
            assertThat(health.ready()).isFalse();
            assertThat(health.reason()).contains("restart");
        }
    }

    @Test
    void shouldBeReadyWhenTheMarketAndTheReportsBothRun() {
        assertThat(StreamsHealth.both(StreamsHealth.of(State.RUNNING, true), StreamsHealth.of(State.RUNNING, true)))
                .isEqualTo(Health.ready("RUNNING"));
    }

    @Test
    void shouldNotBeReadyWhenTheReportsHaveNotRunYetWhileTheMarketRuns() {
        Health health = StreamsHealth.both(StreamsHealth.of(State.RUNNING, true), StreamsHealth.of(State.REBALANCING, false));

        assertThat(health.ready()).isFalse();
        assertThat(health.live()).isTrue();
        assertThat(health.state()).isEqualTo("reports REBALANCING");
        assertThat(health.reason()).contains("restoring");
    }

    @Test
    void shouldBeDeadWhenTheReportsStoppedOnAnErrorWhileTheMarketRuns() {
        Health health = StreamsHealth.both(StreamsHealth.of(State.RUNNING, true), StreamsHealth.of(State.ERROR, true));

        assertThat(health.live()).as("the reports would stop for good: restart").isFalse();
        assertThat(health.state()).isEqualTo("reports ERROR");
    }

    @Test
    void shouldSayTheMarketsStateFirstWhenBothAreNotReady() {
        Health health = StreamsHealth.both(StreamsHealth.of(State.REBALANCING, false), StreamsHealth.of(State.REBALANCING, false));

        assertThat(health.ready()).isFalse();
        assertThat(health.state()).isEqualTo("REBALANCING");
    }
}
