package io.leadmkt.connector;

import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.ops.Latency;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The counters behind {@link ConnectorStats} and the connector's meters, in one place: every bid
 * and post result the connector produces passes {@link #bid} or {@link #postResult}, which count it
 * in total and per buyer and status ({@code leadmkt_bids_total}, {@code leadmkt_post_results_total})
 * and time the buyer's answer ({@code leadmkt_ping_latency_seconds}, {@code leadmkt_post_latency_seconds}).
 * A ping or post our side did not get to the buyer ({@link BidReasons}, {@link PostReasons}) is no answer
 * of the buyer's: it is counted in {@code leadmkt_connector_not_reached_total{kind}} instead.
 * A buyer's meters are registered on its first answer of each status and kept: a map lookup and an
 * array read per answer, no tags built on the hot path. Updated from poll and HTTP threads alike.
 */
final class ConnectorCounters {

    final LongAdder pings = new LongAdder();
    final LongAdder posts = new LongAdder();
    final LongAdder skipped = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder paused = new LongAdder();
    private final LongAdder pingsNotReached = new LongAdder();
    private final LongAdder postsNotReached = new LongAdder();
    private final Map<BidStatus, LongAdder> bids = new EnumMap<>(BidStatus.class);
    private final Map<PostStatus, LongAdder> postResults = new EnumMap<>(PostStatus.class);
    private final Map<String, BuyerMeters> buyers = new ConcurrentHashMap<>();
    private final Function<String, BuyerMeters> newBuyer;

    ConnectorCounters(MeterRegistry registry) {
        for (BidStatus s : BidStatus.values()) {
            bids.put(s, new LongAdder());
        }
        for (PostStatus s : PostStatus.values()) {
            postResults.put(s, new LongAdder());
        }
        FunctionCounter.builder("leadmkt.connector.pings", pings, LongAdder::sum)
                .description("pings read by the connector").register(registry);
        FunctionCounter.builder("leadmkt.connector.posts", posts, LongAdder::sum)
                .description("posts read by the connector").register(registry);
        FunctionCounter.builder("leadmkt.connector.skipped", skipped, LongAdder::sum)
                .description("records whose value could not be read, logged and skipped").register(registry);
        for (Map.Entry<String, LongAdder> kind : Map.of("ping", pingsNotReached, "post", postsNotReached).entrySet()) {
            FunctionCounter.builder("leadmkt.connector.not.reached", kind.getValue(), LongAdder::sum)
                    .description("pings and posts the connector did not get to the buyer in time, or heard no one "
                            + "answer meanwhile: our own lag or queue, not the buyer's, so not in its answers")
                    .tag("kind", kind.getKey()).register(registry);
        }
        this.newBuyer = buyerId -> new BuyerMeters(registry, buyerId);
    }

    void bid(Bid bid) {
        BidStatus status = bid.getStatus();
        bids.get(status).increment();
        if (BuyerGate.THROTTLED.equals(bid.getReason())) {
            throttled.increment();
        } else if (BuyerGate.PAUSED.equals(bid.getReason())) {
            paused.increment();
        } else if (BidReasons.platformWasBehind(bid)) {
            pingsNotReached.increment();
            return; // not the buyer's answer: kept out of its meters, which its alerts read
        }
        BuyerMeters meters = meters(bid.getBuyerId());
        int s = status.ordinal();
        meters.bids.get(s).increment();
        if (wasCalled(status == BidStatus.BID || status == BidStatus.PASS, bid.getLatencyMs())) {
            meters.pingLatency.get(s).record(bid.getLatencyMs(), TimeUnit.MILLISECONDS);
        }
    }

    void postResult(PostResult result) {
        PostStatus status = result.getStatus();
        postResults.get(status).increment();
        if (PostReasons.neverSent(result)) {
            postsNotReached.increment();
            return; // not the buyer's answer: kept out of its meters, which its alerts read
        }
        BuyerMeters meters = meters(result.getBuyerId());
        int s = status.ordinal();
        meters.postResults.get(s).increment();
        if (wasCalled(status == PostStatus.ACCEPTED || status == PostStatus.REJECTED, result.getLatencyMs())) {
            meters.postLatency.get(s).record(result.getLatencyMs(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Whether an answer is a buyer's, worth timing: a real answer always is; a failure only if it
     * took time. A failure that took none was made without calling the buyer (paused, throttled,
     * unknown, a request that could not be built): counted, not timed, since its
     * zero would drag the buyer's percentiles down.
     */
    static boolean wasCalled(boolean answered, long latencyMs) {
        return answered || latencyMs > 0;
    }

    private BuyerMeters meters(String buyerId) {
        BuyerMeters meters = buyers.get(buyerId);
        return meters != null ? meters : buyers.computeIfAbsent(buyerId, newBuyer);
    }

    ConnectorStats snapshot(int buyers, int inFlightHttp, List<String> pausedBuyers) {
        long bid = bids.get(BidStatus.BID).sum();
        long pass = bids.get(BidStatus.PASS).sum();
        long timeout = bids.get(BidStatus.TIMEOUT).sum();
        long error = bids.get(BidStatus.ERROR).sum();
        long accepted = postResults.get(PostStatus.ACCEPTED).sum();
        long rejected = postResults.get(PostStatus.REJECTED).sum();
        long postTimeout = postResults.get(PostStatus.TIMEOUT).sum();
        long postError = postResults.get(PostStatus.ERROR).sum();
        return new ConnectorStats(pings.sum(), bid + pass + timeout + error, bid, pass, timeout, error, posts.sum(),
                accepted + rejected + postTimeout + postError, accepted, rejected, postTimeout, postError,
                skipped.sum(), buyers, inFlightHttp, throttled.sum(), paused.sum(), pausedBuyers);
    }

    /** One buyer's meters, by the ordinal of the answer's status. */
    private static final class BuyerMeters {
        final ByStatus<Counter> bids;
        final ByStatus<Timer> pingLatency;
        final ByStatus<Counter> postResults;
        final ByStatus<Timer> postLatency;

        BuyerMeters(MeterRegistry registry, String buyerId) {
            bids = new ByStatus<>(BidStatus.values(), status -> Counter.builder("leadmkt.bids")
                    .description("answers to pings produced by the connector, by buyer and status")
                    .tags("buyer", buyerId, "status", status).register(registry));
            pingLatency = new ByStatus<>(BidStatus.values(), status -> Latency.timer("leadmkt.ping.latency",
                    "from calling a buyer with a ping to its answer (or its timeout)")
                    .tags("buyer", buyerId, "status", status).register(registry));
            postResults = new ByStatus<>(PostStatus.values(), status -> Counter.builder("leadmkt.post.results")
                    .description("answers to posts produced by the connector, by buyer and status")
                    .tags("buyer", buyerId, "status", status).register(registry));
            postLatency = new ByStatus<>(PostStatus.values(), status -> Latency.timer("leadmkt.post.latency",
                    "from posting a lead to a buyer to its answer (or its timeout)")
                    .tags("buyer", buyerId, "status", status).register(registry));
        }
    }

    /**
     * A meter per status, registered when first asked for: a buyer that never times out has no
     * timeout series. Two threads racing to register get the same meter from the registry.
     */
    private static final class ByStatus<M> {
        private final AtomicReferenceArray<M> meters;
        private final Enum<?>[] statuses;
        private final Function<String, M> register;

        /** @param register registers the meter of the status named */
        ByStatus(Enum<?>[] statuses, Function<String, M> register) {
            this.meters = new AtomicReferenceArray<>(statuses.length);
            this.statuses = statuses;
            this.register = register;
        }

        M get(int ordinal) {
            M meter = meters.get(ordinal);
            if (meter == null) {
                meter = register.apply(statuses[ordinal].name());
                meters.set(ordinal, meter);
            }
            return meter;
        }
    }
}
