package io.leadmkt.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A real loopback HTTP server hosting many fake buyers, one per path, each with a canned
 * behaviour; it records every request it receives.
 */
public final class FakeBuyers implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final Map<String, MockResponse> answers = new ConcurrentHashMap<>();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

    public FakeBuyers() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                return answers.getOrDefault(request.getUrl().encodedPath(), status(404));
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code path} answer with {@code response}; returns the URL to put in a buyer config. */
    public String answer(String path, MockResponse response) {
        answers.put(path, response);
        return server.url(path).toString();
    }

    public List<RecordedRequest> requestsTo(String path) {
        return received.stream().filter(r -> r.getUrl().encodedPath().equals(path)).toList();
    }

    public int requestCount() {
        return received.size();
    }

    public static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    public static MockResponse html(int code) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "text/html")
                .body("<html><head><title>Error</title></head><body><h1>Something went wrong</h1></body></html>")
                .build();
    }

    public static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    /** A correct bid, sent only after {@code delayMs}. */
    public static MockResponse late(String body, long delayMs) {
        return json(body).newBuilder().headersDelay(delayMs, TimeUnit.MILLISECONDS).build();
    }

    /** A redirect to {@code location}, which the connector must not follow. */
    public static MockResponse redirect(int code, String location) {
        return new MockResponse.Builder().code(code).addHeader("Location", location).build();
    }

    /** A 429 asking us to come back in {@code seconds}. */
    public static MockResponse tooManyRequests(long seconds) {
        return new MockResponse.Builder().code(429).addHeader("Retry-After", seconds).build();
    }

    /** Accepts the request, then never answers. */
    public static MockResponse stall() {
        return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
