package io.leadmkt.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Money;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A buyer's webhook endpoint on loopback: {@code POST /ping} answers with a bid or a pass,
 * {@code POST /post} accepts or rejects the full lead. It remembers everything it received so
 * tests can check what a buyer saw (no PII in pings, posts only to winners), and it only accepts
 * a post that carries the token and price it bid for that lead.
 */
public final class SimulatedBuyer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final String JSON_TYPE = "application/json";

    /** What a bid promised, so the post can be checked against it. */
    private record IssuedBid(String token, long priceCents) {
    }

    /** An answer decided now and written after the simulated latency. */
    private record Reply(int status, String contentType, String body) {
        static Reply json(Object value) {
            try {
                return new Reply(200, JSON_TYPE, JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final BuyerSpec spec;
    private final Random random;
    private final Javalin server;
    private final Map<String, IssuedBid> issued = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Map<String, Object>> pings = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> rawPings = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Map<String, Object>> posts = new ConcurrentLinkedQueue<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger bids = new AtomicInteger();
    private final AtomicInteger malformedRequests = new AtomicInteger();

    private SimulatedBuyer(BuyerSpec spec) {
        this.spec = spec;
        this.random = new Random(spec.seed());
        this.server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.post("/ping", this::ping);
            config.routes.post("/post", this::post);
        });
    }

    /** Starts the buyer's HTTP server on 127.0.0.1 and a free port. */
    public static SimulatedBuyer start(BuyerSpec spec) {
        SimulatedBuyer buyer = new SimulatedBuyer(spec);
        buyer.server.start("127.0.0.1", 0);
        return buyer;
    }

    public String buyerId() {
        return spec.buyerId();
    }

    public BuyerSpec spec() {
        return spec;
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String pingUrl() {
        return baseUrl() + "/ping";
    }

    public String postUrl() {
        return baseUrl() + "/post";
    }

    /** The buyer's registration on {@code config.buyers}, pointing at this server. */
    public BuyerConfig toConfig() {
        return BuyerConfig.newBuilder()
                .setBuyerId(spec.buyerId())
                .setName(spec.buyerId())
                // Set explicitly: building an enum default needs Avro's class trust, which only the serde installs.
                .setActive(true)
                .setDelivery(Delivery.WEBHOOK)
                .setCampaigns(new ArrayList<>())
                .setPingUrl(pingUrl())
                .setPostUrl(postUrl())
                .setPingTimeoutMs(spec.pingTimeoutMs())
                .setPostTimeoutMs(spec.postTimeoutMs())
                .setStates(new ArrayList<>(spec.states()))
                .setVerticals(new ArrayList<>(spec.verticals()))
                .setMinScore(spec.minScore())
                .setIntegration(spec.integration())
                .build();
    }

    /** Every ping body received, parsed. */
    public List<Map<String, Object>> pings() {
        return List.copyOf(pings);
    }

    /** Every ping body received, as sent on the wire. */
    public List<String> rawPings() {
        return List.copyOf(rawPings);
    }

    /** Every post body received, parsed. */
    public List<Map<String, Object>> posts() {
        return List.copyOf(posts);
    }

    public int pingCount() {
        return pings.size();
    }

    public int postCount() {
        return posts.size();
    }

    public int bidCount() {
        return bids.get();
    }

    /** Requests whose body was not a JSON object. */
    public int malformedRequestCount() {
        return malformedRequests.get();
    }

    /** Lead ids whose post this buyer accepted. */
    public Set<String> acceptedLeadIds() {
        return Set.copyOf(accepted);
    }

    /** Lead ids whose post this buyer rejected. */
    public Set<String> rejectedLeadIds() {
        return Set.copyOf(rejected);
    }

    /** Lead ids this buyer received a post for. */
    public Set<String> postedLeadIds() {
        return posts.stream().map(post -> String.valueOf(post.get("leadId"))).collect(Collectors.toUnmodifiableSet());
    }

    private void ping(Context ctx) {
        String body = ctx.body();
        Optional<Map<String, Object>> parsed = parse(body);
        if (parsed.isEmpty()) {
            malformedRequests.incrementAndGet();
            ctx.status(400).contentType(JSON_TYPE).result("{\"error\":\"malformed ping\"}");
            return;
        }
        rawPings.add(body);
        pings.add(parsed.get());
        BuyerBehaviour behaviour = spec.behaviour();
        switch (behaviour.mode()) {
            case GARBAGE -> reply(ctx, garbage(), latency());
            case SLOW -> reply(ctx, bidOrPass(parsed.get()), behaviour.slowMs());
            default -> reply(ctx, bidOrPass(parsed.get()), latency());
        }
    }

    private Reply bidOrPass(Map<String, Object> ping) {
        String leadId = String.valueOf(ping.get("leadId"));
        BuyerBehaviour behaviour = spec.behaviour();
        OptionalLong quote = behaviour.valuation() == null ? uniformPrice() : behaviour.valuation().quote(ping,
                behaviour.bidProbability());
        if (quote.isEmpty()) {
            return random.nextBoolean()
                    ? new Reply(204, null, "")
                    : Reply.json(Map.of("bid", false, "reason", "not_interested"));
        }
        long price = quote.getAsLong();
        byte[] tokenBytes = new byte[12];
        random.nextBytes(tokenBytes);
        String token = spec.buyerId() + "-" + HexFormat.of().formatHex(tokenBytes);
        issued.put(leadId, new IssuedBid(token, price));
        bids.incrementAndGet();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("bid", true);
        answer.put("price", Money.format(price));
        answer.put("token", token);
        return Reply.json(answer);
    }

    /** A price from the behaviour's range whatever the lead, or empty for a pass. */
    private OptionalLong uniformPrice() {
        BuyerBehaviour behaviour = spec.behaviour();
        if (random.nextDouble() >= behaviour.bidProbability()) {
            return OptionalLong.empty();
        }
        long span = behaviour.maxPriceCents() - behaviour.minPriceCents();
        return OptionalLong.of(behaviour.minPriceCents() + (span == 0 ? 0 : (long) (random.nextDouble() * (span + 1))));
    }

    private Reply garbage() {
        if (random.nextBoolean()) {
            return new Reply(200, "text/html",
                    "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
        }
        return new Reply(200, JSON_TYPE, "{\"bid\":true,\"price\":\"12.");
    }

    private void post(Context ctx) {
        Optional<Map<String, Object>> parsed = parse(ctx.body());
        if (parsed.isEmpty()) {
            malformedRequests.incrementAndGet();
            ctx.status(400).contentType(JSON_TYPE).result("{\"error\":\"malformed post\"}");
            return;
        }
        Map<String, Object> post = parsed.get();
        posts.add(post);
        String leadId = String.valueOf(post.get("leadId"));
        if (spec.behaviour().mode() == BuyerBehaviour.Mode.GARBAGE) {
            reply(ctx, garbage(), latency());
            return;
        }
        reply(ctx, decide(leadId, post), latency());
    }

    private Reply decide(String leadId, Map<String, Object> post) {
        IssuedBid bid = issued.get(leadId);
        String reason = null;
        if (bid == null || !bid.token().equals(post.get("token"))) {
            reason = "unknown_token";
        } else if (!Money.parseCents(String.valueOf(post.get("price"))).map(p -> p == bid.priceCents()).orElse(false)) {
            reason = "price_mismatch";
        } else if (!(post.get("lead") instanceof Map)) {
            reason = "missing_lead";
        } else if (spec.behaviour().mode() == BuyerBehaviour.Mode.REJECTS_POSTS) {
            reason = "duplicate_in_crm";
        } else if (random.nextDouble() >= spec.behaviour().acceptProbability()) {
            reason = "failed_validation";
        }
        if (reason != null) {
            rejected.add(leadId);
            return Reply.json(Map.of("accepted", false, "reason", reason));
        }
        accepted.add(leadId);
        return Reply.json(Map.of("accepted", true, "buyerLeadId", spec.buyerId() + "-" + leadId));
    }

    private int latency() {
        BuyerBehaviour behaviour = spec.behaviour();
        int span = behaviour.maxLatencyMs() - behaviour.minLatencyMs();
        return behaviour.minLatencyMs() + (span == 0 ? 0 : random.nextInt(span + 1));
    }

    /**
     * Writes the reply after {@code delayMs} without holding a server thread meanwhile. The delay runs
     * on CompletableFuture's one shared timer thread and the write runs right there: the default async
     * executor would start a thread per reply on a 2-core machine (common pool parallelism 1).
     */
    private static void reply(Context ctx, Reply reply, int delayMs) {
        if (delayMs <= 0) {
            write(ctx, reply);
            return;
        }
        ctx.future(() -> CompletableFuture
                .supplyAsync(() -> reply, CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, Runnable::run))
                .thenAccept(r -> write(ctx, r)));
    }

    private static void write(Context ctx, Reply reply) {
        ctx.status(reply.status());
        if (reply.contentType() != null) {
            ctx.contentType(reply.contentType());
        }
        ctx.result(reply.body());
    }

    private static Optional<Map<String, Object>> parse(String body) {
        try {
            return Optional.ofNullable(JSON.readValue(body, MAP));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
