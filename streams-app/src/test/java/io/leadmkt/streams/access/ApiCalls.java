package io.leadmkt.streams.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One request to an API on loopback, as a party with a key (or none): what the API tests send. */
public final class ApiCalls {
    private ApiCalls() {
    }

    /** {@code method path} on {@code port} with {@code Authorization: Bearer key} when a key is given. */
    public static HttpResponse<String> call(HttpClient http, int port, String method, String path, String key,
                                            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
