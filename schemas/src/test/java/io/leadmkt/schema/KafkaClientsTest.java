package io.leadmkt.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private final KafkaClients secured = new KafkaClients("b1:9093,b2:9093", Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"s3cret\";",
            "acks", "1",
            "num.standby.replicas", "1",
            "group.instance.id", "leadmkt-0"));

    @Test
    void shouldPutPassThroughOverOwnPropertiesWhenAnyClientIsBuilt() {
        Map<String, Object> ours = Map.of("acks", "all", "client.id", "mine");

        for (Map<String, Object> client : List.of(secured.producer(ours), secured.consumer(ours), secured.admin(ours))) {
            assertThat(client).containsEntry("bootstrap.servers", "b1:9093,b2:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("client.id", "mine");
        }
        assertThat(secured.producer(ours)).containsEntry("acks", "1");
        assertThat(secured.streams(ours)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", secured.passThrough().get("sasl.jaas.config"))
                .containsEntry("bootstrap.servers", "b1:9093,b2:9093");
    }

    @Test
    void shouldGivePlainClientsOnlyTheirOwnKindOfPropertyWhenPassThroughHasStreamsOnes() {
        Map<String, Object> none = Map.of();

        assertThat(secured.streams(none)).containsEntry("num.standby.replicas", "1").containsEntry("group.instance.id", "leadmkt-0");
        assertThat(secured.producer(none)).doesNotContainKeys("num.standby.replicas", "group.instance.id");
        assertThat(secured.consumer(none)).doesNotContainKey("num.standby.replicas").containsEntry("group.instance.id", "leadmkt-0");
        assertThat(secured.admin(none)).doesNotContainKeys("num.standby.replicas", "group.instance.id", "acks");
    }

    @Test
    void shouldGiveGroupsTenSecondSessionsWhenTheOperatorSetsNoneAndTheProtocolTakesIt() {
        Map<String, Object> none = Map.of();

        assertThat(secured.consumer(none)).containsEntry("session.timeout.ms", 10_000);
        assertThat(secured.streams(none)).containsEntry("session.timeout.ms", 10_000);
        assertThat(secured.producer(none)).doesNotContainKey("session.timeout.ms");
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "CLASSIC")).consumer(none))
                .containsEntry("session.timeout.ms", 10_000);
        assertThat(new KafkaClients("b:9092", Map.of("session.timeout.ms", "30000")).streams(none))
                .containsEntry("session.timeout.ms", "30000");
        assertThat(KafkaClients.to("b:9092").consumer(Map.of("session.timeout.ms", 6_000)))
                .containsEntry("session.timeout.ms", 6_000);
    }

    @Test
    void shouldHeartbeatEverySecondWhenTheOperatorSetsNoIntervalAndTheProtocolTakesIt() {
        Map<String, Object> none = Map.of();

        assertThat(secured.consumer(none)).containsEntry("heartbeat.interval.ms", 1_000);
        assertThat(secured.streams(none)).containsEntry("heartbeat.interval.ms", 1_000);
        assertThat(secured.producer(none)).doesNotContainKey("heartbeat.interval.ms");
        assertThat(new KafkaClients("b:9092", Map.of("heartbeat.interval.ms", "3000")).streams(none))
                .containsEntry("heartbeat.interval.ms", "3000");
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "consumer")).consumer(none))
                .doesNotContainKey("heartbeat.interval.ms");
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "streams")).streams(none))
                .doesNotContainKey("heartbeat.interval.ms");
    }

    @Test
    void shouldLeaveTheSessionToTheBrokerWhenTheGroupProtocolIsANewOne() {
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "consumer")).consumer(Map.of()))
                .doesNotContainKey("session.timeout.ms");
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "streams")).streams(Map.of()))
                .doesNotContainKey("session.timeout.ms");
        assertThat(KafkaClients.to("b:9092").consumer(Map.of("group.protocol", "consumer")))
                .doesNotContainKey("session.timeout.ms");
    }

    @Test
    void shouldNameKeysButNoValuesWhenPrinted() {
        assertThat(secured.toString()).contains("sasl.jaas.config", "security.protocol", "b1:9093")
                .doesNotContain("s3cret").doesNotContain("SASL_SSL");
    }

    @Test
    void shouldRefuseClusterWhenBootstrapServersAreBlank() {
        assertThatThrownBy(() -> KafkaClients.to(" ")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }
}
