package io.leadmkt.connector.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * A buyer's {@code Retry-After} (seconds or an HTTP date), for whoever decides to back off from it.
 * Some buyers (LeadConduit-style) say it in the JSON body instead: {@code {"retry_after": 30}}.
 */
public final class RetryAfter {
    private static final java.util.regex.Pattern BODY_SECONDS =
            java.util.regex.Pattern.compile("\"retry_?after\"\\s*:\\s*\"?(\\d{1,9})\"?", java.util.regex.Pattern.CASE_INSENSITIVE);

    private RetryAfter() {
    }

    /** How long the buyer asked us to wait, measured from {@code answer.receivedAt()}; empty if it did not say. */
    public static Optional<Duration> of(HttpAnswer answer) {
        List<String> values = answer.headers().getOrDefault("retry-after", answer.headers().get("Retry-After"));
        if (values == null || values.isEmpty() || values.get(0) == null) {
            return inBody(answer);
        }
        String value = values.get(0).strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.ofEpochMilli(answer.receivedAt()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Duration> inBody(HttpAnswer answer) {
        java.util.regex.Matcher m = BODY_SECONDS.matcher(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
        return m.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1)))) : Optional.empty();
    }
}
