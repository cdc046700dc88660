package io.leadmkt.streams.api;

import io.javalin.http.Context;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Lead;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door that judges a lead is the door of the instance that will sell it. The HTTP door takes a
 * lead only while its instance can decide it at normal speed ({@code IntakeBacklog}); but the lead
 * goes to its consumer's partition of {@code leads.inbound}, which another instance may read. Judged
 * by the wrong instance's backlog, a lead is taken ({@code 202}) while the instance that must sell it
 * is behind, stalled or still compiling, and is then shed {@code STALE} after the seller was told it
 * was accepted. So a door that does not read the lead's partition sends the request on, as it came
 * (the seller's key, the body), to the door of the instance that does, and relays that door's answer:
 * {@code 202}, or {@code 503 overloaded} with its {@code Retry-After}. The other door checks the key
 * and the lead again, as the reports do, and never sends a request on twice ({@link #FORWARDED_BY}).
 *
 * <p>When that instance cannot be asked (not reachable, no answer in time), this door judges the lead
 * itself, as a single door would, and does not ask that instance again for {@link #DOWN_FOR}: a lead
 * can be written by any instance, so an unreachable peer must never stop the intake. Except for a
 * while when its door refuses the connection: its process is gone (a crash), and the group still names
 * it the reader of its partitions until its session times out, so a lead written now would wait unread
 * and be shed after its {@code 202}. For {@link #READER_GONE_FOR} from the first refusal such a lead
 * is refused {@code 503 not_ready} (the seller retries it), and the reader is asked again each time;
 * once the group has moved the partitions, another instance is asked. A reader still refusing after
 * that is alive in the group but unreachable from here (an address that is wrong for this door): this
 * door judges its leads again. A lead written
 * twice (the other door wrote it, then its answer was lost) is one lead: intake passes a repeat of the
 * same lead id and the auction ignores it.
 *
 * <p>Only {@code POST /v1/leads} is sent on: a capture form's submission becomes a lead (a new lead id,
 * the visitor's address and consent) on the door that served the page, so it is judged there.
 */
public final class IntakeForwarding {
    /** Marks a request one door sent on to another: that door judges it and never sends it on again. */
    public static final String FORWARDED_BY = "X-Leadmkt-Forwarded-By";
    /** How long a peer that could not be asked is not asked again. */
    static final Duration DOWN_FOR = Duration.ofSeconds(5);
    /** Twice the session timeout after which the group moves a silent member's partitions. */
    static final Duration READER_GONE_FOR = Duration.ofMillis(2L * KafkaClients.SESSION_TIMEOUT_MS);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(IntakeForwarding.class);

    private final Function<Lead, Optional<HostInfo>> readerElsewhere;
    private final Supplier<HostInfo> self;
    private final String scheme;
    private final Duration timeout;
    private final HttpClient http;
    private final Runnable onFailure;
    private final LongSupplier clock;
    private final Map<HostInfo, Long> downUntil = new ConcurrentHashMap<>();
    private final Map<HostInfo, Long> refusingSince = new ConcurrentHashMap<>();

    /**
     * @param readerElsewhere the instance whose intake reads a lead's partition, when it is not this one and
     *                        is known (empty: this instance reads it, the lead goes to no partition of its
     *                        own, or a rebalance leaves it unknown)
     * @param scheme          how the instances' APIs are reached, {@code http} or {@code https}
     * @param timeout         the longest the other door may take to answer: its own time to write a lead, and
     *                        more; then this door judges the lead itself
     * @param onFailure       called each time the other door could not be asked (a metric)
     * @param executor        runs the HTTP client's work
     */
    public IntakeForwarding(Function<Lead, Optional<HostInfo>> readerElsewhere, Supplier<HostInfo> self, String scheme,
                            Duration timeout, Runnable onFailure, Executor executor) {
        this(readerElsewhere, self, scheme, timeout, onFailure, executor, System::currentTimeMillis);
    }

    /** As above, on {@code clock} (epoch millis). */
    IntakeForwarding(Function<Lead, Optional<HostInfo>> readerElsewhere, Supplier<HostInfo> self, String scheme,
                     Duration timeout, Runnable onFailure, Executor executor, LongSupplier clock) {
        this.readerElsewhere = readerElsewhere;
        this.self = self;
        this.scheme = scheme;
        this.timeout = timeout;
        this.onFailure = onFailure;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(executor).build();
    }

    /**
     * The instance whose intake reads {@code partition}: the one whose active tasks read it, among every
     * instance's {@code metadata} (Kafka Streams' view of the group, the same on every instance).
     */
    public static Optional<HostInfo> readerOf(Collection<StreamsMetadata> metadata, TopicPartition partition) {
        return metadata.stream().filter(instance -> instance.topicPartitions().contains(partition))
                .map(StreamsMetadata::hostInfo).findFirst();
    }

    /**
     * The door that judges {@code raw}, when it is another instance's that can be asked now; empty when
     * this door judges it (it reads the lead's partition, the request was sent on already, the reader is
     * unknown or was not reachable a moment ago).
     */
    public Optional<HostInfo> judgeOf(Context ctx, Lead raw) {
        long now = clock.getAsLong();
        if (ctx.header(FORWARDED_BY) != null) {
            return Optional.empty();
        }
        return readerElsewhere.apply(raw)
                .filter(reader -> !reader.equals(self.get()))
                .filter(reader -> downUntil.getOrDefault(reader, Long.MIN_VALUE) <= now);
    }

    /**
     * Sends the request on to {@code judge}'s door and relays its answer; when that door cannot be asked,
     * answers with {@code here} (this door's own judgement), or with {@code refuse} while it refuses
     * connections (its process gone). The future completes once the answer is written.
     */
    public CompletableFuture<Void> forward(Context ctx, HostInfo judge, byte[] body,
                                           Supplier<CompletableFuture<Void>> here,
                                           Function<RuntimeException, CompletableFuture<Void>> refuse) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + judge.host() + ":"
                        + judge.port() + ctx.path()))
                .timeout(timeout)
                .header(FORWARDED_BY, self.get().host() + ":" + self.get().port())
                .header("Content-Type", Optional.ofNullable(ctx.contentType()).orElse("application/json"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure == null) {
                        refusingSince.remove(judge);
                        relay(ctx, response);
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    onFailure.run();
                    long now = clock.getAsLong();
                    if (refused(failure) && now - refusingSince.computeIfAbsent(judge, gone -> {
                        log.warn("the door of {} (it reads the lead's partition) refuses connections: its leads are "
                                + "refused 503 not_ready until the group moves its partitions, for at most {}",
                                gone, READER_GONE_FOR);
                        return now;
                    }) < READER_GONE_FOR.toMillis()) {
                        return refuse.apply(IntakeNotReadyException.readerGone(judge.host() + ":" + judge.port()));
                    }
                    Long was = downUntil.put(judge, now + DOWN_FOR.toMillis());
                    if (was == null || was < now) {
                        log.warn("the door of {} (it reads the lead's partition) could not be asked: {}; this door "
                                + "judges its leads for {}", judge, failure.toString(), DOWN_FOR);
                    }
                    return here.get();
                })
                .thenCompose(answered -> answered);
    }

    /**
     * The other door's port is closed: nothing listens there. A timeout (the HTTP client's connect timeout
     * wraps a ConnectException of its own) or a slow answer is not this.
     */
    private static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpTimeoutException) {
                return false;
            }
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static void relay(Context ctx, HttpResponse<byte[]> response) {
        response.headers().firstValue("Retry-After").ifPresent(value -> ctx.header("Retry-After", value));
        ctx.status(response.statusCode())
                .contentType(response.headers().firstValue("Content-Type").orElse("application/json"))
                .result(response.body());
    }
}
