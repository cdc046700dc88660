package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Every answer of the HTTP API is JSON, errors included, written the same way. */
public final class JsonResponses {
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonResponses() {
    }

    /** 307 to where another instance serves the answer (the state it needs lives there). */
    public static void servedElsewhere(Context ctx, String location) {
        ctx.header("Location", location);
        respond(ctx, 307, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("error", "served_elsewhere").put("location", location));
    }

    public static void respond(Context ctx, int status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            status = 500;
            bytes = "{\"error\":\"internal_error\"}".getBytes(StandardCharsets.UTF_8);
        }
        ctx.status(status).contentType("application/json").result(bytes);
    }
}
