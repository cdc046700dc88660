package io.leadmkt.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.KafkaClients;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

    @Test
    void shouldRefuseValueNotAllowedWhenConfigIsBuiltInCode() {
        assertThatThrownBy(() -> new ConnectorConfig(KafkaClients.to("b:9092"), "g", 0, 5, 100, "keys"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration connector.max.concurrent.requests: Value must be at least 1");
        assertThatThrownBy(() -> new ConnectorConfig(KafkaClients.to("b:9092"), "", 1, 5, 100, "keys"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("connector.group.id");
    }

    @Test
    void shouldHandPassThroughToProducerAndEveryConsumerWhenTheirPropertiesAreBuilt() {
        ConnectorConfig config = ConnectorConfig.from(new KafkaClients("b:9093", Map.of("security.protocol", "SSL",
                        "ssl.truststore.location", "/etc/trust.p12", "compression.type", "zstd")),
                new AbstractConfig(ConnectorConfig.definition(), Map.of(ConnectorConfig.GROUP_ID, "conn7"), false));

        Map<String, Object> producer = BuyerConnector.producerProps(config);
        Map<String, Object> pings = BuyerConnector.consumerProps(config, "conn7-pings", "pings");
        Map<String, Object> buyers = BuyerConnector.consumerProps(config, null, "buyers");

        assertThat(producer).containsEntry("bootstrap.servers", "b:9093").containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/trust.p12").containsEntry("compression.type", "zstd")
                .containsEntry("client.id", "conn7-producer").containsEntry("acks", "all");
        for (Map<String, Object> consumer : List.of(pings, buyers)) {
            assertThat(consumer).containsEntry("security.protocol", "SSL")
                    .containsEntry("ssl.truststore.location", "/etc/trust.p12")
                    .containsEntry("isolation.level", "read_committed")
                    .doesNotContainKey("compression.type");
        }
        assertThat(pings).containsEntry("group.id", "conn7-pings");
        assertThat(buyers).doesNotContainKey("group.id");
    }
}
