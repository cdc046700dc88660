package io.leadmkt.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's sellers against a real loopback HTTP server that answers as the intake does. */
class HttpSellerTest {
    private final HttpSeller.Recording listener = new HttpSeller.Recording();
    private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** Serves POST /v1/leads: the lead id is the body; {@code answer} gets it and its try number. */
    private URI intake(java.util.function.BiFunction<String, Integer, Answer> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/leads", exchange -> {
            String leadId = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            int attempt = tries.computeIfAbsent(leadId, id -> new AtomicInteger()).incrementAndGet();
            respond(exchange, answer.apply(leadId, attempt));
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/leads");
    }

    private record Answer(int status, String body, String retryAfter) {
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static byte[] body(String leadId) {
        return leadId.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRetryTheSameLeadAfterItsRetryAfterWhenTheDoorIsOverloaded() throws IOException {
        URI uri = intake((leadId, attempt) -> attempt < 3
                ? new Answer(503, "{\"error\":\"overloaded\",\"retryable\":true}", "1")
                : new Answer(202, "{\"status\":\"accepted\"}", null));
        try (HttpSeller seller = new HttpSeller(uri, "k_seller", 4, Duration.ofMinutes(1), listener)) {
            seller.offer("lead-1", body("lead-1"));
            seller.offer("lead-2", body("lead-2"));

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seller.stats().accepted() == 2);

            HttpSeller.Stats stats = seller.stats();
            assertThat(stats.overloadedAnswers()).isEqualTo(4);
            assertThat(stats.retriedLeads()).isEqualTo(2);
            assertThat(stats.waiting()).isZero();
            assertThat(stats.waitP50Ms()).as("1 s, then the doubled 2 s").isGreaterThanOrEqualTo(3_000);
            assertThat(tries.get("lead-1")).hasValue(3);
            assertThat(authorizations).containsOnly("Bearer k_seller");
            assertThat(seller.attemptNanos("lead-1")).isPresent();
            assertThat(listener.refused()).isEmpty();
            assertThat(listener.gaveUp()).isEmpty();
        }
    }

    @Test
    void shouldReportARefusalOnceAndNotRetryWhenTheLeadIsInvalid() throws IOException {
        URI uri = intake((leadId, attempt) -> new Answer(400,
                "{\"error\":\"invalid_lead\",\"errors\":[{\"field\":\"contact.phone\",\"code\":\"FORMAT\"}]}", null));
        try (HttpSeller seller = new HttpSeller(uri, "k", 4, Duration.ofMinutes(1), listener)) {
            seller.offer("bad", body("bad"));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.refused().size() == 1);

            assertThat(listener.refused().get(0).status()).isEqualTo(400);
            assertThat(listener.refused().get(0).body()).contains("contact.phone");
            assertThat(seller.stats().refused()).isEqualTo(1);
            assertThat(seller.stats().retriedLeads()).isZero();
            assertThat(tries.get("bad")).hasValue(1);
        }
    }

    @Test
    void shouldGiveTheLeadUpWhenTheDoorStaysShutPastThePatience() throws IOException {
        URI uri = intake((leadId, attempt) -> new Answer(503, "{\"error\":\"overloaded\"}", "1"));
        try (HttpSeller seller = new HttpSeller(uri, "k", 4, Duration.ofMillis(1), listener)) {
            seller.offer("late", body("late"));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.gaveUp().contains("late"));

            assertThat(seller.stats().gaveUp()).isEqualTo(1);
            assertThat(seller.stats().waiting()).isZero();
        }
    }

    @Test
    void shouldGiveUpWhatStillWaitsWhenTheRunIsOver() throws IOException {
        URI uri = intake((leadId, attempt) -> new Answer(503, "{\"error\":\"overloaded\"}", "30"));
        try (HttpSeller seller = new HttpSeller(uri, "k", 4, Duration.ofMinutes(5), listener)) {
            seller.offer("waiting", body("waiting"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seller.stats().overloadedAnswers() == 1);

            seller.giveUpWaiting();

            assertThat(listener.gaveUp()).containsExactly("waiting");
            assertThat(seller.stats().waiting()).isZero();
        }
    }

    @Test
    void shouldWaitTheLongerOfRetryAfterAndTheDoublingBackoffCappedWhenComputingTheNextTry() {
        long max = HttpSeller.MAX_BACKOFF.toMillis();
        assertThat(HttpSeller.backoffMs(1, 1, max, 0)).isEqualTo(1_000);
        assertThat(HttpSeller.backoffMs(1, 2, max, 0)).isEqualTo(2_000);
        assertThat(HttpSeller.backoffMs(5, 2, max, 0)).as("the server asked for longer").isEqualTo(5_000);
        assertThat(HttpSeller.backoffMs(1, 30, max, 0)).isEqualTo(max);
        assertThat(HttpSeller.backoffMs(30, 1, max, 0)).as("a Retry-After is honoured past the own maximum")
                .isEqualTo(30_000);
        assertThat(HttpSeller.backoffMs(1, 5, 2_000, 0)).as("a shorter maximum").isEqualTo(2_000);
        assertThat(HttpSeller.backoffMs(1, 1, max, 1)).as("up to a quarter more at random").isEqualTo(1_250);
    }
}
