package io.leadmkt.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Money;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * A buyer's webhook endpoint on loopback: {@code POST /ping} answers with a bid or a pass,
 * {@code POST /post} accepts or rejects the full lead. It remembers everything it received so
 * tests can check what a buyer saw (no PII in pings, posts only to winners), and it only accepts
 * a post that carries the token and price it bid for that lead.
 *
 * <p>It runs on Jetty's core handler API, without a servlet layer, and answers after its latency from
 * its own scheduler without holding a thread: the benches run eight of these in the market's JVM, and
 * on Javalin (servlet async, a result copied through a fresh stream buffer per reply, replies written
 * by the JDK's one shared delay thread) the buyers cost as much CPU per lead as the connector calling
 * them. What it remembers is bounded ({@link #RETAINED}), so a long demo does not fill the heap; a buyer
 * started with {@link Memory#COUNTS} remembers only counts and its bids.
 */
public final class SimulatedBuyer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final String JSON_TYPE = "application/json";
    /** Bodies remembered (the latest), and bids remembered for checking their posts. */
    static final int RETAINED = 10_000;

    /** What a buyer remembers of the requests it answered. */
    public enum Memory {
        /** The latest {@value #RETAINED} requests, parsed and raw, and every lead id it accepted or rejected: for tests. */
        REQUESTS,
        /**
         * Counts only (and the bids its posts are checked against), for the demo and the benches. Eight
         * buyers keeping 10,000 requests each held ~170 MB of the one JVM's heap that lived ~12 s at 100
         * leads/s, so it was copied by every young collection, promoted and swept by full ones: GC pauses
         * of 60-500 ms charged to the platform's latency.
         */
        COUNTS
    }

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
    private final Memory memory;
    private final Random random;
    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorScheduler replies;
    private final Map<String, IssuedBid> issued = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, IssuedBid> eldest) {
                    return size() > RETAINED;
                }
            });
    private final Latest<Map<String, Object>> pings = new Latest<>();
    private final Latest<String> rawPings = new Latest<>();
    private final Latest<Map<String, Object>> posts = new Latest<>();
    private final AtomicInteger pingCount = new AtomicInteger();
    private final AtomicInteger postCount = new AtomicInteger();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger bids = new AtomicInteger();
    private final AtomicInteger malformedRequests = new AtomicInteger();

    private SimulatedBuyer(BuyerSpec spec, Memory memory) {
        this.spec = spec;
        this.memory = memory;
        this.random = new Random(spec.seed());
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("simulated-buyer-" + spec.buyerId());
        threads.setDaemon(true);
        this.replies = new ScheduledExecutorScheduler("simulated-buyer-" + spec.buyerId() + "-replies", true);
        this.server = new Server(threads, replies, null);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return SimulatedBuyer.this.handle(request, response, callback);
            }
        });
    }

    /** Starts the buyer's HTTP server on 127.0.0.1 and a free port; it remembers the requests it answered. */
    public static SimulatedBuyer start(BuyerSpec spec) {
        return start(spec, Memory.REQUESTS);
    }

    /** Starts the buyer's HTTP server on 127.0.0.1 and a free port, remembering what {@code memory} says. */
    public static SimulatedBuyer start(BuyerSpec spec, Memory memory) {
        SimulatedBuyer buyer = new SimulatedBuyer(spec, memory);
        try {
            buyer.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start simulated buyer " + spec.buyerId(), e);
        }
        return buyer;
    }

    public String buyerId() {
        return spec.buyerId();
    }

    public BuyerSpec spec() {
        return spec;
    }

    public int port() {
        return connector.getLocalPort();
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

    /** Every ping body received, parsed (the latest {@value #RETAINED}). */
    public List<Map<String, Object>> pings() {
        requireRequestMemory();
        return pings.list();
    }

    /** Every ping body received, as sent on the wire (the latest {@value #RETAINED}). */
    public List<String> rawPings() {
        requireRequestMemory();
        return rawPings.list();
    }

    /** Every post body received, parsed (the latest {@value #RETAINED}). */
    public List<Map<String, Object>> posts() {
        requireRequestMemory();
        return posts.list();
    }

    /** Well-formed pings received, all of them. */
    public int pingCount() {
        return pingCount.get();
    }

    /** Well-formed posts received, all of them. */
    public int postCount() {
        return postCount.get();
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
        requireRequestMemory();
        return Set.copyOf(accepted);
    }

    /** Lead ids whose post this buyer rejected. */
    public Set<String> rejectedLeadIds() {
        requireRequestMemory();
        return Set.copyOf(rejected);
    }

    /** Lead ids this buyer received a post for (of the latest {@value #RETAINED} posts). */
    public Set<String> postedLeadIds() {
        return posts().stream().map(post -> String.valueOf(post.get("leadId"))).collect(Collectors.toUnmodifiableSet());
    }

    /** A buyer that keeps counts only cannot say what it received: asking is a mistake, not an empty answer. */
    private void requireRequestMemory() {
        if (memory != Memory.REQUESTS) {
            throw new IllegalStateException("simulated buyer " + spec.buyerId() + " keeps counts only (" + memory + ")");
        }
    }

    private boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        boolean ping = "/ping".equals(path);
        if (!"POST".equals(request.getMethod()) || !(ping || "/post".equals(path))) {
            write(response, callback, new Reply(404, JSON_TYPE, "{\"error\":\"not found\"}"));
            return true;
        }
        Content.Source.asString(request, StandardCharsets.UTF_8, new Promise<>() {
            @Override
            public void succeeded(String body) {
                Timed answer = ping ? ping(body) : post(body);
                if (answer.delayMs() <= 0) {
                    write(response, callback, answer.reply());
                } else {
                    replies.schedule(() -> write(response, callback, answer.reply()), answer.delayMs(),
                            TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void failed(Throwable failure) {
                callback.failed(failure);
            }
        });
        return true;
    }

    /** A reply and how long to hold it back. */
    private record Timed(Reply reply, int delayMs) {
    }

    private Timed ping(String body) {
        Optional<Map<String, Object>> parsed = parse(body);
        if (parsed.isEmpty()) {
            malformedRequests.incrementAndGet();
            return new Timed(new Reply(400, JSON_TYPE, "{\"error\":\"malformed ping\"}"), 0);
        }
        pingCount.incrementAndGet();
        if (memory == Memory.REQUESTS) {
            rawPings.add(body);
            pings.add(parsed.get());
        }
        BuyerBehaviour behaviour = spec.behaviour();
        return switch (behaviour.mode()) {
            case GARBAGE -> new Timed(garbage(), latency());
            case SLOW -> new Timed(bidOrPass(parsed.get()), behaviour.slowMs());
            default -> new Timed(bidOrPass(parsed.get()), latency());
        };
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

    private Timed post(String body) {
        Optional<Map<String, Object>> parsed = parse(body);
        if (parsed.isEmpty()) {
            malformedRequests.incrementAndGet();
            return new Timed(new Reply(400, JSON_TYPE, "{\"error\":\"malformed post\"}"), 0);
        }
        Map<String, Object> post = parsed.get();
        postCount.incrementAndGet();
        if (memory == Memory.REQUESTS) {
            posts.add(post);
        }
        String leadId = String.valueOf(post.get("leadId"));
        if (spec.behaviour().mode() == BuyerBehaviour.Mode.GARBAGE) {
            return new Timed(garbage(), latency());
        }
        return new Timed(decide(leadId, post), latency());
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
            if (memory == Memory.REQUESTS) {
                rejected.add(leadId);
            }
            return Reply.json(Map.of("accepted", false, "reason", reason));
        }
        if (memory == Memory.REQUESTS) {
            accepted.add(leadId);
        }
        return Reply.json(Map.of("accepted", true, "buyerLeadId", spec.buyerId() + "-" + leadId));
    }

    private int latency() {
        BuyerBehaviour behaviour = spec.behaviour();
        int span = behaviour.maxLatencyMs() - behaviour.minLatencyMs();
        return behaviour.minLatencyMs() + (span == 0 ? 0 : random.nextInt(span + 1));
    }

    private static void write(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
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
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop simulated buyer " + spec.buyerId(), e);
        }
    }

    /** The latest {@value #RETAINED} items added, oldest first. */
    private static final class Latest<T> {
        private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();

        void add(T item) {
            items.add(item);
            if (size.incrementAndGet() > RETAINED && items.poll() != null) {
                size.decrementAndGet();
            }
        }

        List<T> list() {
            return List.copyOf(items);
        }
    }
}
