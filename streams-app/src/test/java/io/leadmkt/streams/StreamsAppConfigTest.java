package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.KafkaClients;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsAppConfigTest {

    private static final StreamsAppConfig DEFAULTS = StreamsAppConfig.defaults("b:9092", Path.of("state"));

    @Test
    void shouldRefuseValueNotAllowedWhenConfigIsBuiltInCode() {
        assertThatThrownBy(() -> DEFAULTS.withStreamThreads(0)).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration streams.num.stream.threads: Value must be at least 1");
        assertThatThrownBy(() -> DEFAULTS.withHttpPort(70_000)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.http.port").hasMessageContaining("65535");
    }

    @Test
    void shouldTakeEveryDefaultFromTheDefinitionWhenNothingIsSet() {
        assertThat(DEFAULTS.applicationId()).isEqualTo("leadmkt");
        assertThat(DEFAULTS.commitIntervalMs()).isEqualTo(10);
        assertThat(DEFAULTS.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(DEFAULTS.replicationFactor()).isEqualTo((short) 1);
        assertThat(DEFAULTS.stateDir()).isEqualTo(Path.of("state"));
    }

    @Test
    void shouldHandPassThroughToStreamsAndIntakeProducerWhenTheirPropertiesAreBuilt() {
        StreamsAppConfig config = StreamsAppConfig.from(new KafkaClients("b:9093", Map.of(
                        "security.protocol", "SASL_SSL", "num.standby.replicas", "1", "producer.compression.type", "lz4")),
                new AbstractConfig(StreamsAppConfig.definition(), Map.of(StreamsAppConfig.APPLICATION_ID, "app7"), false));

        Properties streams = LeadMarketApp.streamsProperties(config);
        Map<String, Object> intake = LeadMarketApp.intakeProducerProperties(config);

        assertThat(streams).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app7")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "b:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("producer.compression.type", "lz4")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
        assertThat(intake).containsEntry("bootstrap.servers", "b:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("client.id", "app7-http-intake")
                .doesNotContainKeys("num.standby.replicas", "producer.compression.type");
    }

    @Test
    void shouldEnableGlobalProcessingErrorHandlerWhenStreamsBuildsItsAssignorConfig() {
        StreamsConfig streams = new StreamsConfig(LeadMarketApp.streamsProperties(DEFAULTS));
        // The main consumer's settings are what its partition assignor builds a StreamsConfig of its own from.
        StreamsConfig assignors = new StreamsConfig(streams.getMainConsumerConfigs("leadmkt", "leadmkt-consumer", 0));

        assertThat(streams.getBoolean(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG)).isTrue();
        assertThat(assignors.getBoolean(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG)).isTrue();
    }
}
