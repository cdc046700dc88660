package io.leadmkt.connector.adapter;

import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.connector.http.RetryAfter;
import io.leadmkt.connector.integration.AnswerReader;
import io.leadmkt.connector.integration.Integration;
import io.leadmkt.connector.integration.Integration.Response;
import io.leadmkt.connector.integration.Integration.Template;
import io.leadmkt.connector.integration.RequestAuth;
import io.leadmkt.connector.integration.RequestRenderer;
import io.leadmkt.connector.integration.Sources;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks a buyer's own API as its {@link Integration} describes it: renders JSON, XML, form or
 * query-string requests from the lead's values, signs them, and reads answers by JSON path or
 * pointer, XPath or regex. One instance per integration document; stateless and thread-safe.
 *
 * <p>Reason codes beyond the dispatchers': {@code NO_CONTENT} (204, a pass), {@code RATE_LIMITED}
 * (429; see {@link #retryAfter}), {@code HTTP_<status>}, {@code BAD_RESPONSE} (the body is not
 * what the template reads, or lacks the success value), {@code MISSING_PRICE}, {@code BAD_PRICE}
 * (negative, not a number, more than two decimals).
 */
public final class TemplateBuyerAdapter implements BuyerAdapter {

    /** How much of an answer body goes to the debug log. */
    static final int MAX_LOGGED_BODY_CHARS = 2048;

    private static final Logger log = LoggerFactory.getLogger(TemplateBuyerAdapter.class);

    private final Integration integration;
    private final Clock clock;

    public TemplateBuyerAdapter(Integration integration, Clock clock) {
        this.integration = integration;
        this.clock = clock;
    }

    public Integration integration() {
        return integration;
    }

    @Override
    public BuyerRequest pingRequest(Ping ping, BuyerConfig buyer, long timeoutMs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(JsonBuyerAdapter.LEAD_ID_HEADER, ping.getLeadId());
        return request(integration.ping(), buyer.getPingUrl(), Sources.ofPing(ping, timeoutMs), headers);
    }

    @Override
    public BuyerRequest postRequest(Post post, BuyerConfig buyer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(JsonBuyerAdapter.LEAD_ID_HEADER, post.getLeadId());
        headers.put(JsonBuyerAdapter.IDEMPOTENCY_KEY_HEADER,
                post.getLeadId() + ":" + post.getBuyerId() + ":" + post.getAttempt());
        return request(integration.post(), buyer.getPostUrl(), Sources.ofPost(post), headers);
    }

    private BuyerRequest request(Template template, String configuredUrl, Map<String, String> sources,
                                 Map<String, String> headers) {
        RequestRenderer.Rendered rendered = RequestRenderer.render(template, configuredUrl, sources);
        headers.putAll(template.headers());
        headers.putAll(RequestAuth.headers(integration.auth(), rendered.signedContent(), clock.millis() / 1000));
        return new BuyerRequest(rendered.method(), rendered.url(), headers, rendered.contentType(), rendered.body());
    }

    @Override
    public Bid toBid(Ping ping, BuyerConfig buyer, HttpAnswer answer) {
        String leadId = ping.getLeadId();
        String buyerId = buyer.getBuyerId();
        long at = answer.receivedAt();
        long latency = answer.latencyMs();
        Response response = integration.ping().response();
        Optional<String> failure = failure(answer, response);
        if (failure.isPresent()) {
            BidStatus status = failure.get().equals("NO_CONTENT") ? BidStatus.PASS : BidStatus.ERROR;
            logAnswer(buyerId, leadId, failure.get(), answer, List.of());
            return Answers.failedBid(leadId, buyerId, status, failure.get(), at, latency);
        }
        Optional<AnswerReader> reader = AnswerReader.of(response.kind(), answer.body());
        if (reader.isEmpty() || answer.truncated()) {
            logAnswer(buyerId, leadId, "BAD_RESPONSE", answer, List.of());
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "BAD_RESPONSE", at, latency);
        }
        AnswerReader read = reader.get();
        Optional<Boolean> success = succeeded(read, response, answer);
        if (success.isEmpty()) {
            logAnswer(buyerId, leadId, "BAD_RESPONSE", answer, List.of());
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "BAD_RESPONSE", at, latency);
        }
        if (!success.get()) {
            return Answers.failedBid(leadId, buyerId, BidStatus.PASS, read.read(response.reason()).orElse(null), at,
                    latency);
        }
        Optional<String> price = read.read(response.price());
        if (price.isEmpty()) {
            logAnswer(buyerId, leadId, "MISSING_PRICE", answer, List.of());
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "MISSING_PRICE", at, latency);
        }
        Optional<Long> cents = Money.parseCents(price.get());
        if (cents.isEmpty()) {
            logAnswer(buyerId, leadId, "BAD_PRICE", answer, List.of());
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "BAD_PRICE", at, latency);
        }
        return Answers.bid(leadId, buyerId, BidStatus.BID, cents.get(), read.read(response.token()).orElse(null), null,
                at, latency);
    }

    @Override
    public PostResult toPostResult(Post post, HttpAnswer answer) {
        long at = answer.receivedAt();
        long latency = answer.latencyMs();
        Response response = integration.post().response();
        List<String> pii = Sources.piiOf(post);
        Optional<String> failure = failure(answer, response);
        if (failure.isPresent() && !failure.get().equals("NO_CONTENT")) {
            logAnswer(post.getBuyerId(), post.getLeadId(), failure.get(), answer, pii);
            return Answers.postResult(post, PostStatus.ERROR, null, failure.get(), at, latency);
        }
        Integration.Success rule = response.success();
        Optional<AnswerReader> reader = answer.truncated() ? Optional.empty()
                : AnswerReader.of(response.kind(), answer.body());
        if (rule == null || (rule.path() == null && rule.pattern() == null)) {
            // Accepted by status alone: the body, if readable, may still carry the buyer's lead id.
            boolean accepted = rule == null || rule.status() == null || rule.status() == answer.status();
            return accepted
                    ? Answers.postResult(post, PostStatus.ACCEPTED,
                    reader.flatMap(r -> r.read(response.token())).orElse(null), null, at, latency)
                    : Answers.postResult(post, PostStatus.REJECTED, null, "HTTP_" + answer.status(), at, latency);
        }
        Optional<Boolean> success = reader.flatMap(r -> succeeded(r, response, answer));
        if (success.isEmpty()) {
            logAnswer(post.getBuyerId(), post.getLeadId(), "BAD_RESPONSE", answer, pii);
            return Answers.postResult(post, PostStatus.ERROR, null, "BAD_RESPONSE", at, latency);
        }
        AnswerReader read = reader.get();
        return success.get()
                ? Answers.postResult(post, PostStatus.ACCEPTED, read.read(response.token()).orElse(null), null, at,
                latency)
                : Answers.postResult(post, PostStatus.REJECTED, null,
                redact(read.read(response.reason()).orElse(null), pii), at, latency);
    }

    /**
     * How long a rate-limited buyer (429) asked us to wait, for a dispatcher that pauses it;
     * empty when the answer was not a 429 or did not say.
     */
    public Optional<Duration> retryAfter(HttpAnswer answer) {
        return answer.status() == 429 ? RetryAfter.of(answer) : Optional.empty();
    }

    /** The reason an answer is not worth reading, by status alone. */
    private static Optional<String> failure(HttpAnswer answer, Response response) {
        int status = answer.status();
        if (status == 204) {
            return Optional.of("NO_CONTENT");
        }
        if (status == 429) {
            return Optional.of("RATE_LIMITED");
        }
        boolean expected = response.success() != null && response.success().status() != null
                && response.success().status() == status;
        return answer.successful() || expected ? Optional.empty() : Optional.of("HTTP_" + status);
    }

    /** Whether the success rule holds; empty when the value it reads is missing (an unexpected answer). */
    private static Optional<Boolean> succeeded(AnswerReader reader, Response response, HttpAnswer answer) {
        Integration.Success rule = response.success();
        if (rule == null) {
            return Optional.of(true);
        }
        if (rule.status() != null && rule.status() != answer.status()) {
            return Optional.of(false);
        }
        return reader.matches(rule);
    }

    /**
     * Logs (debug only) what a buyer answered when it was not a clean bid, capped and with the
     * lead's PII removed, so an integration engineer can see what the template failed to read.
     */
    private static void logAnswer(String buyerId, String leadId, String reason, HttpAnswer answer, List<String> pii) {
        if (log.isDebugEnabled()) {
            log.debug("buyer {} answered lead {} with {} ({}): {}", buyerId, leadId, answer.status(), reason,
                    rawBody(answer, pii));
        }
    }

    /** The answer body as text, at most {@link #MAX_LOGGED_BODY_CHARS}, every value in {@code pii} replaced. */
    public static String rawBody(HttpAnswer answer, List<String> pii) {
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        if (text.length() > MAX_LOGGED_BODY_CHARS) {
            text = text.substring(0, MAX_LOGGED_BODY_CHARS) + "…";
        }
        return redact(text, pii);
    }

    private static String redact(String text, List<String> pii) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String value : pii) {
            redacted = redacted.replace(value, "[REDACTED]");
        }
        return redacted;
    }
}
