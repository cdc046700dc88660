package io.leadmkt.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.FakeBuyers;
import io.leadmkt.connector.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuyerHttpExecutorTest {

    private final FakeBuyers buyers = new FakeBuyers();
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(8);

    @AfterEach
    void tearDown() {
        http.close();
        buyers.close();
    }

    private static BuyerRequest request(String url) {
        return BuyerRequest.post(url, Map.of("X-Test", "1"), "application/json",
                "{\"hello\":1}".getBytes(StandardCharsets.UTF_8));
    }

    private HttpResult call(String url, long timeoutMs) throws Exception {
        return http.execute(request(url), timeoutMs).get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerEveryWarmUpCallWithoutCallingAnyBuyerWhenWarmingUp() throws Exception {
        int answered = http.warmUp(8, java.time.Duration.ofSeconds(10));

        assertThat(answered).isEqualTo(8);
        assertThat(buyers.requestCount()).isZero();
        // and the client still works for real buyers afterwards
        String url = buyers.answer("/after", FakeBuyers.json("{\"bid\":false}"));
        HttpResult result = http.execute(BuyerRequest.post(url, java.util.Map.of(), "application/json", new byte[0]),
                5_000).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(HttpAnswer.class);
    }

    @Test
    void shouldReturnStatusBodyAndHeadersWhenBuyerAnswers() throws Exception {
        String url = buyers.answer("/ok", FakeBuyers.json("{\"bid\":false}"));

        HttpResult result = call(url, 2000);

        assertThat(result).isInstanceOf(HttpAnswer.class);
        HttpAnswer answer = (HttpAnswer) result;
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyText()).isEqualTo("{\"bid\":false}");
        assertThat(answer.headers().get("content-type")).containsExactly("application/json");
        assertThat(answer.truncated()).isFalse();
        assertThat(buyers.requestsTo("/ok")).singleElement().satisfies(r -> {
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getHeaders().get("X-Test")).isEqualTo("1");
            assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
            assertThat(r.getBody().utf8()).isEqualTo("{\"hello\":1}");
        });
    }

    @Test
    void shouldCapBodyWhenAnswerIsHuge() throws Exception {
        String url = buyers.answer("/huge", FakeBuyers.json("x".repeat(200_000)));

        HttpAnswer answer = (HttpAnswer) call(url, 5000);

        assertThat(answer.body()).hasSize(BuyerHttpExecutor.MAX_BODY_BYTES);
        assertThat(answer.truncated()).isTrue();
    }

    @Test
    void shouldTimeOutWhenServerAcceptsAndNeverAnswers() throws Exception {
        String url = buyers.answer("/stall", FakeBuyers.stall());

        HttpResult result = call(url, 200);

        assertThat(result).isInstanceOfSatisfying(HttpFailure.class,
                f -> assertThat(f.kind()).isEqualTo(HttpFailure.Kind.TIMEOUT));
    }

    @Test
    void shouldTimeOutWhenAnswerComesAfterTheDeadline() throws Exception {
        String url = buyers.answer("/late", FakeBuyers.late("{\"bid\":false}", 1500));

        HttpResult result = call(url, 200);

        assertThat(result).isInstanceOfSatisfying(HttpFailure.class,
                f -> assertThat(f.kind()).isEqualTo(HttpFailure.Kind.TIMEOUT));
    }

    @Test
    void shouldCountABuyersTimeFromItsCallWhenTheCallQueuedBehindTheConcurrencyCap() throws Exception {
        String slow = buyers.answer("/first", FakeBuyers.late("{\"bid\":false}", 1_000));
        String second = buyers.answer("/second", FakeBuyers.late("{\"bid\":false}", 800));
        try (BuyerHttpExecutor oneAtATime = new BuyerHttpExecutor(1)) {
            var first = oneAtATime.execute(request(slow), 5_000);
            // Queued ~1 s behind the first, then answered 0.8 s after it was sent: within its 1.5 s of being
            // called, though 1.8 s after it was handed over. Our queue is not the buyer's time.
            HttpResult queued = oneAtATime.execute(request(second), 1_500).get(10, TimeUnit.SECONDS);

            assertThat(queued).isInstanceOfSatisfying(HttpAnswer.class, answer -> {
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.latencyMs()).as("from the call, not the hand-over").isLessThan(1_500);
            });
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(HttpAnswer.class);
        }
    }

    @Test
    void shouldNotSendACallWhenItQueuedBehindTheConcurrencyCapPastItsDeadline() throws Exception {
        String slow = buyers.answer("/first", FakeBuyers.late("{\"bid\":false}", 1_500));
        String never = buyers.answer("/never", FakeBuyers.json("{\"bid\":false}"));
        try (BuyerHttpExecutor oneAtATime = new BuyerHttpExecutor(1)) {
            var first = oneAtATime.execute(request(slow), 5_000);
            HttpResult queued = oneAtATime.execute(request(never), 200).get(10, TimeUnit.SECONDS);

            assertThat(queued).isInstanceOfSatisfying(HttpFailure.class, f -> {
                assertThat(f.kind()).isEqualTo(HttpFailure.Kind.NOT_SENT);
                assertThat(f.timedOut()).as("not the buyer's timeout").isFalse();
            });
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(HttpAnswer.class);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> oneAtATime.inFlight() == 0);
            assertThat(buyers.requestsTo("/never")).as("a call given up is never sent").isEmpty();
        }
    }

    @Test
    void shouldReportConnectionRefusedWhenNothingListens() throws Exception {
        HttpResult result = call("http://127.0.0.1:" + Fixtures.closedPort() + "/ping", 2000);

        assertThat(result).isInstanceOfSatisfying(HttpFailure.class,
                f -> assertThat(f.kind()).isEqualTo(HttpFailure.Kind.CONNECTION_REFUSED));
    }

    @Test
    void shouldCallEachUrlAsWrittenWhenMoreDifferentUrlsArriveThanAreKeptParsed() throws Exception {
        // Query-string buyers put the lead in the URL: more distinct URLs than the executor keeps parsed.
        String url = buyers.answer("/q", FakeBuyers.json("{\"bid\":false}"));
        List<String> sent = List.of("L0", "L1", "L2", "L3", "L4", "L5", "L0", "L6", "L1");
        try (BuyerHttpExecutor keepingThree = new BuyerHttpExecutor(8, 3)) {
            for (String lead : sent) {
                assertThat(keepingThree.execute(request(url + "?lead=" + lead), 5_000).get(10, TimeUnit.SECONDS))
                        .isInstanceOf(HttpAnswer.class);
            }
        }

        assertThat(buyers.requestsTo("/q")).extracting(r -> r.getUrl().queryParameter("lead"))
                .containsExactlyElementsOf(sent);
    }

    @Test
    void shouldReportInvalidRequestWhenUrlIsMalformed() throws Exception {
        HttpResult result = call("not a url", 2000);

        assertThat(result).isInstanceOfSatisfying(HttpFailure.class,
                f -> assertThat(f.kind()).isEqualTo(HttpFailure.Kind.INVALID_REQUEST));
    }
}
