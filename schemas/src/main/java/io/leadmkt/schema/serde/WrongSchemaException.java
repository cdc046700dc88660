package io.leadmkt.schema.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A readable record of another type than the one expected (e.g. a bid on the leads topic). */
public class WrongSchemaException extends SerializationException {
    public WrongSchemaException(String message) {
        super(message);
    }
}
