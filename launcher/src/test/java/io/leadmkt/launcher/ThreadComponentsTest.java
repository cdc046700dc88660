package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.ThreadComponents.Component;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThreadComponentsTest {

    private final ThreadComponents components = new ThreadComponents("leadmkt", "leadmkt-connector");

    // Names as read off a running demo (Kafka 4.4, Javalin 7 / Jetty 12, OkHttp 5).
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "data-plane-kafka-request-handler-3; BROKER",
            "data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-2; BROKER",
            "kafka-1-raft-io-thread; BROKER",
            "kafka-1-metadata-loader-event-handler; BROKER",
            "quorum-controller-1-event-handler; BROKER",
            "broker-1-to-controller-heartbeat-channel-manager; BROKER",
            "ExpirationReaper-1-Fetch; BROKER",
            "group-coordinator-event-processor-1; BROKER",
            "TxnMarkerSenderThread-1; BROKER",
            "kafka-scheduler-4; BROKER",
            "leadmkt-e93141d3-59a3-45a7-a3ea-a7e81f7c4501-StreamThread-1; STREAMS",
            "leadmkt-e93141d3-59a3-45a7-a3ea-a7e81f7c4501-GlobalStreamThread; STREAMS",
            "kafka-producer-network-thread | leadmkt-e93141d3-59a3-45a7-a3ea-a7e81f7c4501-StreamThread-1-producer; STREAMS",
            "kafka-coordinator-heartbeat-thread | leadmkt; STREAMS",
            "leadmkt-reports-0c2f5e7a-1b3d-4e5f-8a9b-0c1d2e3f4a5b-StreamThread-1; STREAMS",
            "kafka-producer-network-thread | leadmkt-reports-0c2f5e7a-1b3d-4e5f-8a9b-0c1d2e3f4a5b-StreamThread-1-producer; STREAMS",
            "kafka-producer-network-thread | leadmkt-http-intake; STREAMS",
            "connector-pings; CONNECTOR",
            "buyer-http-17; CONNECTOR",
            "OkHttp TaskRunner; CONNECTOR",
            "kafka-producer-network-thread | leadmkt-connector-producer; CONNECTOR",
            "kafka-coordinator-heartbeat-thread | leadmkt-connector-pings; CONNECTOR",
            "CompletableFutureDelayScheduler; CONNECTOR",
            "JettyServerThreadPool-116; STREAMS",
            "Scheduler-1843885967-1; STREAMS",
            "simulated-buyer-buyer-3-41; BUYERS",
            "simulated-buyer-buyer-3-replies; BUYERS",
            "lead-generator; GENERATOR",
            "kafka-producer-network-thread | leadmkt-demo-leads; GENERATOR",
            "outcome-tracker; OTHER",
            "cpu-sampler; OTHER",
            "main; OTHER",
            "Reference Handler; OTHER",
            "something-new; OTHER"})
    void shouldPutAThreadInItsComponentWhenItsNameSaysWhich(String threadName, Component expected) {
        assertThat(components.of(threadName)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "kafka-producer-network-thread | shop-5f0c6a0e-0f4e-4a43-9d52-2a1e3c6b7d8f-StreamThread-2-producer; STREAMS",
            "kafka-producer-network-thread | leadmkt-5f0c6a0e-0f4e-4a43-9d52-2a1e3c6b7d8f-StreamThread-2-producer; OTHER",
            "kafka-producer-network-thread | conn-producer; CONNECTOR"})
    void shouldFollowTheConfiguredIdsWhenTheAppAndConnectorAreRenamed(String threadName, Component expected) {
        assertThat(new ThreadComponents("shop", "conn").of(threadName)).isEqualTo(expected);
    }
}
