package io.leadmkt.connector.integration;

import java.util.List;

/** An integration document that cannot be used, with every problem found, each naming its JSON path. */
public final class InvalidIntegrationException extends RuntimeException {

    private final List<String> errors;

    public InvalidIntegrationException(List<String> errors) {
        super("invalid buyer integration: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /** E.g. {@code $.ping.response.price: required}. */
    public List<String> errors() {
        return errors;
    }
}
