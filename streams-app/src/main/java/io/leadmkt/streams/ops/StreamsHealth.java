package io.leadmkt.streams.ops;

import io.leadmkt.ops.Health;
import org.apache.kafka.streams.KafkaStreams;

/** The streams app's health rule: what Kafka Streams' state means for live and ready. */
public final class StreamsHealth {

    private StreamsHealth() {
    }

    /**
     * @param state  Kafka Streams' state; null while the HTTP API is up but Streams is not created yet
     * @param hasRun whether Streams has been RUNNING since this instance started: its stores are
     *               restored and it has served leads at normal speed
     */
    public static Health of(KafkaStreams.State state, boolean hasRun) {
        if (state == null) {
            return Health.notReady("STARTING", "Kafka Streams is not started yet");
        }
        return switch (state) {
            case RUNNING -> Health.ready(state.name());
            // A rebalance once running is routine (another instance joins, leaves, restarts): intake
            // still takes leads and most stores answer. Unready on every rebalance, a rolling restart
            // would take every instance out of the load balancer at once.
            case REBALANCING -> hasRun ? Health.ready(state.name())
                    : Health.notReady(state.name(), "joining the group and restoring state stores");
            case CREATED -> Health.notReady(state.name(), "Kafka Streams is not started yet");
            case PENDING_SHUTDOWN, NOT_RUNNING -> Health.notReady(state.name(), "shutting down");
            case PENDING_ERROR, ERROR -> Health.dead(state.name(), "Kafka Streams stopped on an error: restart");
        };
    }

    /**
     * The instance's health when the reports run as an application of their own: the worse of the two.
     * A dead reports application is a dead instance (restart it), since its reports would stop for good;
     * a rebalancing one makes it unready only while it has not run yet, as for the market.
     */
    public static Health both(Health market, Health reports) {
        if (!market.live()) {
            return market;
        }
        if (!reports.live()) {
            return Health.dead("reports " + reports.state(), reports.reason());
        }
        if (!market.ready()) {
            return market;
        }
        return reports.ready() ? market : Health.notReady("reports " + reports.state(), reports.reason());
    }
}
