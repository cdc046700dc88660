package io.leadmkt.schema.serde;

import org.apache.kafka.common.KafkaException;

/**
 * The schema registry refused a call or could not be reached. Not a
 * {@link org.apache.kafka.common.errors.SerializationException}: the record is fine, the registry is
 * not, so callers that dead-letter unreadable records must not dead-letter on this one.
 */
public class SchemaRegistryException extends KafkaException {
    private final int status;

    public SchemaRegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The registry's HTTP status; 0 when it gave none (unreachable, timed out). */
    public int status() {
        return status;
    }
}
