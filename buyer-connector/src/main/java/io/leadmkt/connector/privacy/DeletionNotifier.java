package io.leadmkt.connector.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.connector.http.HttpFailure;
import io.leadmkt.connector.http.HttpResult;
import io.leadmkt.connector.integration.Integration;
import io.leadmkt.connector.integration.RequestAuth;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionEventType;
import io.leadmkt.schema.DeletionNotice;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Tells a buyer that a consumer whose lead it received asked to be deleted, until it confirms. A
 * webhook buyer gets a POST to the {@code deletionUrl} of its integration document, signed with the
 * document's {@code auth} exactly as its pings and posts are, with {@code Idempotency-Key:
 * deletionId:buyerId}; any 2xx is its confirmation. A Kafka-native buyer gets the notice on
 * {@code buyer.<id>.deletions} (and confirms with a {@code BUYER_ACKNOWLEDGED} deletion event).
 *
 * <p>Every failed attempt is retried, waiting twice as long each time up to {@link #MAX_BACKOFF};
 * the returned future completes only once the buyer has it, so the connector commits a notice's
 * offset only then and a restart sends it again. The deletion's events say when the buyer was first
 * told, when it confirmed, and (at attempts 1, 2, 4, 8, …: a buyer down for days does not flood the
 * proof) that it is failing and why.
 */
public final class DeletionNotifier {
    public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final String NO_DELETION_URL = "NO_DELETION_URL";
    static final String UNKNOWN_BUYER = "UNKNOWN_BUYER";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BuyerDirectory directory;
    private final BuyerAdapters adapters;
    private final BuyerHttpExecutor http;
    private final Function<DeletionNotice, Optional<CompletableFuture<Void>>> toKafkaBuyer;
    private final Function<DeletionEvent, CompletableFuture<Void>> report;
    private final ScheduledExecutorService retries;
    private final Clock clock;
    private final Duration firstBackoff;

    /**
     * @param toKafkaBuyer produces the notice for a Kafka-native buyer; empty for a webhook buyer
     * @param report       writes a deletion event (the status and the proof)
     * @param firstBackoff the wait before the second attempt
     */
    public DeletionNotifier(BuyerDirectory directory, BuyerAdapters adapters, BuyerHttpExecutor http,
                            Function<DeletionNotice, Optional<CompletableFuture<Void>>> toKafkaBuyer,
                            Function<DeletionEvent, CompletableFuture<Void>> report, ScheduledExecutorService retries,
                            Clock clock, Duration firstBackoff) {
        this.directory = directory;
        this.adapters = adapters;
        this.http = http;
        this.toKafkaBuyer = toKafkaBuyer;
        this.report = report;
        this.retries = retries;
        this.clock = clock;
        this.firstBackoff = firstBackoff;
    }

    /** Completes once the buyer has the notice (and the events saying so are written). */
    public CompletableFuture<Void> deliver(DeletionNotice notice) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(notice, 1, done);
        return done;
    }

    private void attempt(DeletionNotice notice, int attempt, CompletableFuture<Void> done) {
        if (attempt == 1) {
            report.apply(event(notice, DeletionEventType.BUYER_NOTIFIED, attempt, Map.of()));
        }
        CompletableFuture<String> sent;
        try {
            sent = send(notice);
        } catch (RuntimeException e) {
            sent = CompletableFuture.completedFuture(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        sent.whenComplete((error, failure) -> {
            String why = failure != null ? failure.toString() : error;
            if (why == null) {
                report.apply(event(notice, DeletionEventType.BUYER_ACKNOWLEDGED, attempt, Map.of()))
                        .whenComplete((ok, e) -> done.complete(null));
                return;
            }
            long waitMs = Math.min(MAX_BACKOFF.toMillis(), firstBackoff.toMillis() << Math.min(attempt - 1, 20));
            if (Integer.bitCount(attempt) == 1) {
                report.apply(event(notice, DeletionEventType.BUYER_FAILING, attempt, Map.of("error", why,
                        "nextAttemptAt", Long.toString(clock.millis() + waitMs))));
            }
            if (!retries.isShutdown()) {
                retries.schedule(() -> attempt(notice, attempt + 1, done), waitMs, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Null when the buyer has it, else why not. */
    private CompletableFuture<String> send(DeletionNotice notice) {
        Optional<CompletableFuture<Void>> kafka = toKafkaBuyer.apply(notice);
        if (kafka.isPresent()) {
            return kafka.get().handle((ok, e) -> e == null ? null : "KAFKA: " + e.getMessage());
        }
        Optional<BuyerConfig> buyer = directory.find(notice.getBuyerId());
        if (buyer.isEmpty()) {
            return CompletableFuture.completedFuture(UNKNOWN_BUYER);
        }
        Optional<Integration> integration = adapters.integration(buyer.get());
        String url = integration.map(Integration::deletionUrl).orElse(null);
        if (url == null || url.isBlank()) {
            return CompletableFuture.completedFuture(NO_DELETION_URL);
        }
        byte[] body = body(notice);
        Map<String, String> headers = new HashMap<>(RequestAuth.headers(integration.get().auth(), body,
                clock.millis() / 1000));
        headers.put("Idempotency-Key", notice.getDeletionId() + ":" + notice.getBuyerId());
        return http.execute(BuyerRequest.post(url, headers, "application/json", body), buyer.get().getPostTimeoutMs())
                .thenApply(DeletionNotifier::failure);
    }

    private static String failure(HttpResult result) {
        if (result instanceof HttpFailure failure) {
            return failure.reasonCode();
        }
        HttpAnswer answer = (HttpAnswer) result;
        return answer.status() >= 200 && answer.status() < 300 ? null : "HTTP_" + answer.status();
    }

    /** What the buyer receives: ids and hashes, never PII. */
    static byte[] body(DeletionNotice notice) {
        ObjectNode json = JSON.createObjectNode().put("deletionId", notice.getDeletionId())
                .put("buyerId", notice.getBuyerId()).put("requestedAt", notice.getRequestedAt());
        notice.getLeadIds().forEach(json.putArray("leadIds")::add);
        notice.getHashes().forEach(json.putArray("hashes")::add);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private DeletionEvent event(DeletionNotice notice, DeletionEventType type, int attempt, Map<String, String> detail) {
        return DeletionEvent.newBuilder().setDeletionId(notice.getDeletionId()).setType(type).setAt(clock.millis())
                .setBuyerId(notice.getBuyerId()).setLeadIds(notice.getLeadIds()).setCount(attempt).setDetail(detail)
                .build();
    }
}
