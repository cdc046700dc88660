package io.leadmkt.launcher.sandbox;

import io.leadmkt.connector.adapter.Answers;
import io.leadmkt.connector.adapter.BuyerAdapter;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.adapter.RequestRefusedException;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.connector.http.HttpFailure;
import io.leadmkt.connector.http.HttpResult;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.streams.enrich.LeadEnricher;
import io.leadmkt.streams.intake.IntakeResult;
import io.leadmkt.streams.intake.JsonLeadReader;
import io.leadmkt.streams.intake.LeadNormalizer;
import io.leadmkt.streams.ping.PingFactory;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code leadmkt buyer test}: one sample lead through the same code the marketplace runs for a
 * buyer. The lead is read, normalised and enriched as intake does; the ping carries the preview
 * {@link PingFactory} builds (so no PII); the requests come from the connector's real adapter
 * ({@link BuyerAdapters#forBuyer}); they are sent by its {@link BuyerHttpExecutor} and the answers
 * read by the same adapter. What an integration engineer sees here is what the buyer will get.
 *
 * <p>Not applied here: the connector's price ceiling and per-buyer limits (pausing, rate), which
 * are about many leads, not one.
 */
public final class BuyerSandbox implements AutoCloseable {

    /** Stands in for the buyer's token on a dry-run post, where no ping was answered. */
    public static final String DRY_RUN_TOKEN = "<token-from-ping-answer>";

    /** What a sandbox run produced; {@code bid} and {@code postResult} are null on a dry run. */
    public record Outcome(Ping ping, BuyerRequest pingRequest, Bid bid, Post post, BuyerRequest postRequest,
                          PostResult postResult) {
    }

    private final BuyerAdapters adapters = BuyerAdapters.json();
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(4);
    private final PrintWriter out;

    public BuyerSandbox(PrintWriter out) {
        this.out = out;
    }

    /** The sample lead as the auction holds it: read, normalised and enriched exactly as intake does. */
    public static Lead sampleLead(byte[] json, long now) {
        IntakeResult read = new JsonLeadReader().read(json, now);
        if (!read.ok()) {
            throw new IllegalArgumentException("sample lead is invalid: " + describe(read.errors()));
        }
        IntakeResult normal = new LeadNormalizer().normalize(read.lead(), now);
        if (!normal.ok()) {
            throw new IllegalArgumentException("sample lead is invalid: " + describe(normal.errors()));
        }
        return new LeadEnricher().enrich(normal.lead(), now);
    }

    /** The ping the auction would send this buyer alone for {@code lead}. */
    public static Ping ping(Lead lead, BuyerConfig buyer, long floorCents, long now) {
        return Ping.newBuilder()
                .setLeadId(lead.getLeadId())
                .setCampaignId(lead.getCampaignId() == null ? "" : lead.getCampaignId())
                .setFloorCents(floorCents)
                .setPingedAt(now)
                .setDeadlineAt(now + buyer.getPingTimeoutMs())
                .setBuyers(List.of(buyer.getBuyerId()))
                .setPreview(PingFactory.preview(lead))
                .build();
    }

    /** The first post attempt for {@code lead} at {@code priceCents}, echoing {@code token}. */
    public static Post post(Lead lead, BuyerConfig buyer, long priceCents, String token, long now) {
        return Post.newBuilder()
                .setLeadId(lead.getLeadId())
                .setBuyerId(buyer.getBuyerId())
                .setAttempt(1)
                .setPriceCents(priceCents)
                .setPingToken(token)
                .setPostedAt(now)
                .setDeadlineAt(now + buyer.getPostTimeoutMs())
                .setLead(lead)
                .build();
    }

    /**
     * Renders (and unless {@code dryRun} sends) the ping and the post of {@code leadJson} for
     * {@code buyer}, printing each request and answer.
     *
     * @throws IllegalArgumentException for a lead that intake would reject, or a buyer the connector
     *                                  would not call (kafka delivery, invalid integration)
     */
    public Outcome run(BuyerConfig buyer, byte[] leadJson, long floorCents, boolean dryRun) {
        if (buyer.getDelivery() == Delivery.KAFKA) {
            throw new IllegalArgumentException("buyer " + buyer.getBuyerId()
                    + " takes its leads over Kafka: it has no HTTP requests to render");
        }
        long now = System.currentTimeMillis();
        Lead lead = sampleLead(leadJson, now);
        BuyerAdapter adapter = adapters.forBuyer(buyer);
        Ping ping = ping(lead, buyer, floorCents, now);
        BuyerRequest pingRequest = request(() -> adapter.pingRequest(ping, buyer, buyer.getPingTimeoutMs()));
        out.println("=== ping request (lead " + lead.getLeadId() + ", floor " + Money.format(floorCents) + ") ===");
        out.println(render(pingRequest));
        Bid bid = null;
        long priceCents = floorCents;
        String token = DRY_RUN_TOKEN;
        if (!dryRun) {
            HttpResult result = http.execute(pingRequest, buyer.getPingTimeoutMs()).join();
            out.println("=== ping answer ===");
            out.println(render(result));
            bid = toBid(adapter, ping, buyer, result);
            out.println("=== bid ===");
            out.println("status=" + bid.getStatus()
                    + " price=" + (bid.getPriceCents() == null ? "-" : Money.format(bid.getPriceCents()))
                    + " token=" + (bid.getPingToken() == null ? "-" : bid.getPingToken())
                    + " reason=" + (bid.getReason() == null ? "-" : bid.getReason())
                    + " latencyMs=" + bid.getLatencyMs());
            if (bid.getStatus() == BidStatus.BID) {
                priceCents = bid.getPriceCents();
                token = bid.getPingToken();
            }
        }
        Post post = post(lead, buyer, priceCents, token, System.currentTimeMillis());
        BuyerRequest postRequest = request(() -> adapter.postRequest(post, buyer));
        out.println("=== post request (price " + Money.format(priceCents) + ") ===");
        out.println(render(postRequest));
        PostResult postResult = null;
        if (!dryRun) {
            if (bid.getStatus() != BidStatus.BID) {
                out.println("=== post not sent: the buyer did not bid ===");
            } else {
                HttpResult result = http.execute(postRequest, buyer.getPostTimeoutMs()).join();
                out.println("=== post answer ===");
                out.println(render(result));
                postResult = toPostResult(adapter, post, result);
                out.println("=== post result ===");
                out.println("status=" + postResult.getStatus()
                        + " buyerLeadId=" + (postResult.getBuyerLeadId() == null ? "-" : postResult.getBuyerLeadId())
                        + " reason=" + (postResult.getReason() == null ? "-" : postResult.getReason())
                        + " latencyMs=" + postResult.getLatencyMs());
            }
        }
        out.flush();
        return new Outcome(ping, pingRequest, bid, post, postRequest, postResult);
    }

    /** An HTTP request as it goes on the wire: request line, headers sorted by name, body. */
    public static String render(BuyerRequest request) {
        StringBuilder text = new StringBuilder(request.method()).append(' ').append(request.url()).append('\n');
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(request.headers());
        if (request.contentType() != null && request.body() != null && request.body().length > 0) {
            headers.put("Content-Type", request.contentType());
        }
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
        text.append('\n');
        if (request.body() != null) {
            text.append(new String(request.body(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static String render(HttpResult result) {
        if (result instanceof HttpFailure failure) {
            return "no answer: " + failure.kind() + " after " + failure.latencyMs() + " ms (" + failure.detail() + ")";
        }
        HttpAnswer answer = (HttpAnswer) result;
        StringBuilder text = new StringBuilder("HTTP ").append(answer.status())
                .append(" in ").append(answer.latencyMs()).append(" ms\n");
        new TreeMap<>(answer.headers()).forEach((name, values) ->
                text.append(name).append(": ").append(String.join(", ", values)).append('\n'));
        text.append('\n').append(answer.bodyText());
        return text.toString();
    }

    private static Bid toBid(BuyerAdapter adapter, Ping ping, BuyerConfig buyer, HttpResult result) {
        if (result instanceof HttpFailure failure) {
            return Answers.failedBid(ping.getLeadId(), buyer.getBuyerId(),
                    failure.timedOut() ? BidStatus.TIMEOUT : BidStatus.ERROR, failure.reasonCode(),
                    failure.failedAt(), failure.latencyMs());
        }
        return adapter.toBid(ping, buyer, (HttpAnswer) result);
    }

    private static PostResult toPostResult(BuyerAdapter adapter, Post post, HttpResult result) {
        if (result instanceof HttpFailure failure) {
            return Answers.postResult(post, failure.timedOut() ? PostStatus.TIMEOUT : PostStatus.ERROR, null,
                    failure.reasonCode(), failure.failedAt(), failure.latencyMs());
        }
        return adapter.toPostResult(post, (HttpAnswer) result);
    }

    private static BuyerRequest request(java.util.function.Supplier<BuyerRequest> build) {
        try {
            return build.get();
        } catch (RequestRefusedException e) {
            throw new IllegalArgumentException("the connector refuses this buyer (" + e.reason() + "): "
                    + e.getMessage(), e);
        }
    }

    private static String describe(List<FieldError> errors) {
        return String.join("; ", errors.stream().map(e -> e.getField() + " " + e.getCode() + " " + e.getMessage()).toList());
    }

    @Override
    public void close() {
        http.close();
    }
}
