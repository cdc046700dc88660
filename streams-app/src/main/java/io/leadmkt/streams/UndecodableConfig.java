package io.leadmkt.streams;

import io.leadmkt.schema.serde.SchemaRegistryException;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a config table's records so that one that cannot be decoded (garbage written past
 * {@code config apply}, or a schema this instance does not know yet) is replaced by a fixed value
 * instead of failing. Failing is not an option on a global table: Kafka Streams 4.4 then stops the
 * global thread — with a dead-letter topic configured, on a ClassCastException in its own handler
 * (KAFKA-19939) — and with it the whole instance. Each table chooses the value that fails closed:
 * null (the buyer or campaign is dropped until a good record replaces it), or for the suppression
 * list an entry that keeps the consumer suppressed.
 */
public final class UndecodableConfig<V> implements Deserializer<V> {
    private static final Logger LOG = LoggerFactory.getLogger(UndecodableConfig.class);

    private final Deserializer<V> inner;
    private final Supplier<V> instead;

    public UndecodableConfig(Deserializer<V> inner, Supplier<V> instead) {
        this.inner = inner;
        this.instead = instead;
    }

    @Override
    public V deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public V deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null; // a tombstone
        }
        try {
            return headers == null ? inner.deserialize(topic, data) : inner.deserialize(topic, headers, data);
        } catch (SchemaRegistryException e) {
            // The record may be fine; the registry is down or refuses us. Reading it as a deletion
            // would silently drop every buyer while it is: stop loudly instead.
            throw e;
        } catch (RuntimeException e) {
            V replacement = instead.get();
            LOG.error("undecodable record on {} ({} bytes): {}; read as {}", topic, data.length, e.toString(),
                    replacement == null ? "a deletion" : replacement);
            return replacement;
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
