package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reading the fields of a JSON request body the same way on every route: each wrong one named. */
public final class JsonFields {
    private JsonFields() {
    }

    /** A string field of {@code body}: null when absent or null; {@code field: must be a string} otherwise. */
    public static String text(JsonNode body, String field, List<String> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(field + ": must be a string");
            return null;
        }
        return value.textValue();
    }
}
