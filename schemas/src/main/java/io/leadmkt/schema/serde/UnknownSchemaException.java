package io.leadmkt.schema.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record names a schema id that the resolver does not know. */
public class UnknownSchemaException extends SerializationException {
    private final int schemaId;

    public UnknownSchemaException(int schemaId) {
        super("unknown schema id " + schemaId);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
