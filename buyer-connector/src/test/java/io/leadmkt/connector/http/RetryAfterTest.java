package io.leadmkt.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static HttpAnswer answer(String retryAfter, long receivedAt) {
        return new HttpAnswer(429, new byte[0], Map.of("retry-after", List.of(retryAfter)), 1, receivedAt, false);
    }

    @Test
    void shouldReadSecondsWhenRetryAfterIsANumber() {
        assertThat(RetryAfter.of(answer("30", 0))).contains(Duration.ofSeconds(30));
    }

    @Test
    void shouldMeasureFromTheAnswerWhenRetryAfterIsAnHttpDate() {
        long receivedAt = 1_445_412_480_000L; // Wed, 21 Oct 2015 07:28:00 GMT
        assertThat(RetryAfter.of(answer("Wed, 21 Oct 2015 07:28:45 GMT", receivedAt))).contains(Duration.ofSeconds(45));
    }

    @Test
    void shouldBeEmptyWhenRetryAfterIsMissingOrGarbage() {
        assertThat(RetryAfter.of(HttpAnswer.of(429, "", 1, 0))).isEmpty();
        assertThat(RetryAfter.of(answer("soon", 0))).isEmpty();
        assertThat(RetryAfter.of(answer("-5", 0))).isEmpty();
    }

    @Test
    void shouldReadSecondsFromBodyWhenBuyerSaysRetryAfterInJson() {
        HttpAnswer answer = new HttpAnswer(429,
                "{\"outcome\":\"failure\",\"reason\":\"rate limited\",\"retry_after\":45}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of(), 1, 0, false);

        assertThat(RetryAfter.of(answer)).contains(Duration.ofSeconds(45));
    }
}
