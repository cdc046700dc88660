package io.leadmkt.streams.admin;

import java.util.List;

/**
 * Checks a buyer's {@code integration} document (its own ping/post API). The full check lives in
 * the buyer-connector ({@code IntegrationParser}), which the streams app does not depend on: the
 * launcher plugs it in; without it only the buyer schema's {@code "type": "object"} applies.
 */
@FunctionalInterface
public interface IntegrationCheck {

    /** Accepts any JSON object: the buyer-connector will refuse a bad one with BAD_INTEGRATION. */
    IntegrationCheck OBJECT_ONLY = json -> List.of();

    /**
     * Every problem in {@code json}, each as {@code $.path: message} (the connector's style);
     * empty when it is usable.
     */
    List<String> errors(String json);
}
