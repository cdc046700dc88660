package io.leadmkt.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** The group timing the platform gives every classic-protocol member: key, ours, an operator's own value. */
    @ParameterizedTest
    @CsvSource({"session.timeout.ms, 10000, 30000", "heartbeat.interval.ms, 1000, 3000"})
    void shouldGiveGroupsThePlatformsTimingWhenTheOperatorSetsNoneAndTheProtocolTakesIt(String key, int ours,
                                                                                     String operators) {
        Map<String, Object> none = Map.of();

        assertThat(secured.consumer(none)).containsEntry(key, ours);
        assertThat(secured.streams(none)).containsEntry(key, ours);
        assertThat(secured.producer(none)).doesNotContainKey(key);
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "CLASSIC")).consumer(none)).containsEntry(key, ours);
        assertThat(new KafkaClients("b:9092", Map.of(key, operators)).streams(none)).containsEntry(key, operators);
        assertThat(KafkaClients.to("b:9092").consumer(Map.of(key, 6_000))).containsEntry(key, 6_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session.timeout.ms", "heartbeat.interval.ms"})
    void shouldLeaveTheGroupTimingToTheBrokerWhenTheGroupProtocolIsANewOne(String key) {
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "consumer")).consumer(Map.of()))
                .doesNotContainKey(key);
        assertThat(new KafkaClients("b:9092", Map.of("group.protocol", "streams")).streams(Map.of()))
                .doesNotContainKey(key);
        assertThat(KafkaClients.to("b:9092").consumer(Map.of("group.protocol", "consumer"))).doesNotContainKey(key);
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
