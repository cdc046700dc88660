package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** What a config table reads in place of a record it cannot decode, and when it refuses to guess. */
class UndecodableConfigTest {

    private static final byte[] RECORD = {0, 0, 0, 0, 7, 2};

    @Test
    void shouldReadTheFailClosedValueWhenTheRecordCannotBeDecoded() {
        UndecodableConfig<String> config = new UndecodableConfig<>((topic, data) -> {
            throw new SerializationException("not Avro");
        }, () -> "still suppressed");

        assertThat(config.deserialize("config.suppression", RECORD)).isEqualTo("still suppressed");
    }

    @Test
    void shouldFailInsteadOfDroppingTheRecordWhenTheSchemaRegistryIsDown() {
        UndecodableConfig<String> config = new UndecodableConfig<>((topic, data) -> {
            throw new SchemaRegistryException("schema registry http://r:8081 unreachable", 0, null);
        }, () -> null);

        assertThatThrownBy(() -> config.deserialize("config.buyers", RECORD))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("unreachable");
    }
}
