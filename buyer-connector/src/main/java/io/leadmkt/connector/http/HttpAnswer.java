package io.leadmkt.connector.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A buyer's HTTP answer, whatever its status.
 *
 * @param status     HTTP status code
 * @param body       response body, at most {@link BuyerHttpExecutor#MAX_BODY_BYTES} bytes
 * @param headers    response headers, names in lower case
 * @param latencyMs  time from handing the request to the executor until the body was read
 * @param receivedAt wall-clock epoch millis when the body was read
 * @param truncated  the body was longer than the cap and was cut
 */
public record HttpAnswer(int status, byte[] body, Map<String, List<String>> headers, long latencyMs, long receivedAt,
                         boolean truncated) implements HttpResult {

    public HttpAnswer {
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** An answer without headers, as tests and adapters' unit tests build them. */
    public static HttpAnswer of(int status, String body, long latencyMs, long receivedAt) {
        return new HttpAnswer(status, body == null ? null : body.getBytes(StandardCharsets.UTF_8), Map.of(),
                latencyMs, receivedAt, false);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }
}
