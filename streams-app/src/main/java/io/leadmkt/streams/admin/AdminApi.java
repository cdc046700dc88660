package io.leadmkt.streams.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.api.JsonResponses;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints, mounted by {@code LeadApi}:
 * <ul>
 *   <li>{@code PUT /v1/admin/buyers/{id}}, {@code PUT /v1/admin/campaigns/{id}}: one document
 *       (JSON) checked by {@link ConfigDocuments}; 200 with the stored record as a document once
 *       the compacted topic has it, 400 {@code {"error":"invalid_config","errors":[...]}} naming
 *       every bad path, 503 when the topic cannot take it.</li>
 *   <li>{@code DELETE /v1/admin/buyers/{id}}, {@code DELETE /v1/admin/campaigns/{id}}: a tombstone;
 *       200 {@code {"deleted":"buyer","id":...}}, 404 {@code not_found} when there is no such record.</li>
 *   <li>{@code GET /v1/admin/buyers}: {@code {"buyers":[...]}} from this instance's global table.</li>
 *   <li>{@code POST /v1/admin/suppressions}: a consumer's opt-out or erasure request
 *       {@code {"phone":...,"email":...,"reason":...}} (one of phone or email; reason defaults to
 *       {@value Suppressions#DEFAULT_REASON}) put on the suppression list as hashes (see
 *       {@link Suppressions}); 200 {@code {"suppressed":[{"kind":"phone","hash":...}],"changed":n}}
 *       once the topic has them ({@code changed}: entries that were not already there), 400
 *       {@code invalid_config} with the field errors. Neither the phone nor the email is logged.</li>
 * </ul>
 * Every call needs {@code Authorization: Bearer <token>}; the token comes from
 * {@code LEADMKT_ADMIN_TOKEN}, and without one every admin call is 403 {@code admin_disabled}, so
 * a forgotten variable closes the door rather than opening it.
 *
 * <p>Every applied change is audited on {@code config.changes} (via {@code admin-api}, see
 * {@link ConfigTopics}). There is one token, so it names no person: the actor is the
 * {@value #ACTOR_HEADER} request header when given (e.g. the operator behind a tool that holds
 * the token; at most 100 printable characters), else {@value #TOKEN_ACTOR}.
 *
 * <p>The integration document of a buyer is checked by the {@link IntegrationCheck} the app was
 * started with: the buyer-connector's full parser when the launcher starts the app, else the buyer
 * schema's "is an object" only (the connector then refuses a bad one with BAD_INTEGRATION).
 */
public final class AdminApi {

    /** The environment variable holding the admin bearer token. */
    public static final String TOKEN_ENV = "LEADMKT_ADMIN_TOKEN";
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Optional request header naming who acts, for the audit trail. */
    public static final String ACTOR_HEADER = "X-Actor";
    /** The actor recorded when the request names none. */
    public static final String TOKEN_ACTOR = "admin-token";

    private static final Logger audit = LoggerFactory.getLogger("io.leadmkt.admin.audit");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final byte[] token;
    private final ConfigDocuments documents;
    private final ConfigStore store;

    /** {@code token} null or blank: admin disabled. */
    public AdminApi(String token, ConfigDocuments documents, ConfigStore store) {
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
        this.documents = Objects.requireNonNull(documents, "documents");
        this.store = Objects.requireNonNull(store, "store");
    }

    public void putBuyer(Context ctx) {
        put(ctx, "buyer", documents::buyer, batch -> batch.buyers().get(0), store::put, ConfigDocuments::toJson);
    }

    public void putCampaign(Context ctx) {
        put(ctx, "campaign", documents::campaign, batch -> batch.campaigns().get(0), store::put,
                ConfigDocuments::toJson);
    }

    public void deleteBuyer(Context ctx) {
        delete(ctx, ConfigChanges.BUYER, store::deleteBuyer);
    }

    public void deleteCampaign(Context ctx) {
        delete(ctx, ConfigChanges.CAMPAIGN, store::deleteCampaign);
    }

    private void delete(Context ctx, String kind,
                        java.util.function.BiFunction<String, ConfigChanges.Author, Optional<ConfigChange>> delete) {
        if (!authorized(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        ConfigChanges.Author author = author(ctx);
        Optional<ConfigChange> change;
        try {
            change = delete.apply(id, author);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(AdminApi.class).warn("config delete failed: {}", e.toString());
            respond(ctx, 503, JSON.objectNode().put("error", "config_unavailable").put("retryable", true));
            return;
        }
        if (change.isEmpty()) {
            respond(ctx, 404, JSON.objectNode().put("error", "not_found").put("kind", kind).put("id", id));
            return;
        }
        audit.info("admin api: {} {} deleted by {} from {}", kind, id, author.actor(), ctx.ip());
        respond(ctx, 200, JSON.objectNode().put("deleted", kind).put("id", id));
    }

    public void suppress(Context ctx) {
        if (!authorized(ctx)) {
            return;
        }
        String body = body(ctx);
        if (body == null) {
            return;
        }
        Suppressions.Parsed request = Suppressions.request(body, System.currentTimeMillis());
        if (!request.ok()) {
            respond(ctx, 400, invalid(request.errors()));
            return;
        }
        ConfigChanges.Author author = author(ctx);
        List<ConfigChange> changes = new java.util.ArrayList<>();
        if (!write(ctx, () -> changes.addAll(store.suppress(request.entries(), author)))) {
            return;
        }
        ObjectNode json = JSON.objectNode();
        ArrayNode suppressed = json.putArray("suppressed");
        for (SuppressionEntry entry : request.entries()) {
            suppressed.addObject().put("kind", entry.getKind()).put("hash", entry.getHash());
            audit.info("admin api: suppression {}/{} applied by {} from {}", entry.getKind(), entry.getHash(),
                    author.actor(), ctx.ip());
        }
        json.put("changed", changes.size());
        respond(ctx, 200, json);
    }

    /** Who acts: the {@value #ACTOR_HEADER} header when it is a usable name, else {@value #TOKEN_ACTOR}. */
    static ConfigChanges.Author author(Context ctx) {
        String given = ctx.header(ACTOR_HEADER);
        String actor = given == null ? "" : given.strip();
        if (actor.isEmpty() || actor.length() > 100 || !actor.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            actor = TOKEN_ACTOR;
        }
        return new ConfigChanges.Author(actor, ConfigChanges.VIA_ADMIN_API);
    }

    /** Shared by both PUTs: authorize, read, validate (every error with its path), store, answer. */
    private <T> void put(Context ctx, String kind, java.util.function.BiFunction<String, String, ConfigBatch> parse,
                         java.util.function.Function<ConfigBatch, T> record,
                         java.util.function.BiFunction<T, ConfigChanges.Author, Optional<ConfigChange>> put,
                         java.util.function.Function<T, JsonNode> toJson) {
        if (!authorized(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        String body = body(ctx);
        if (body == null) {
            return;
        }
        ConfigBatch batch = parse.apply(id, body);
        if (!batch.ok()) {
            respond(ctx, 400, invalid(batch));
            return;
        }
        T value = record.apply(batch);
        ConfigChanges.Author author = author(ctx);
        if (!write(ctx, () -> put.apply(value, author))) {
            return;
        }
        audit.info("admin api: {} {} applied by {} from {}", kind, id, author.actor(), ctx.ip());
        respond(ctx, 200, toJson.apply(value));
    }

    public void listBuyers(Context ctx) {
        if (!authorized(ctx)) {
            return;
        }
        List<BuyerConfig> buyers;
        try {
            buyers = store.buyers();
        } catch (RuntimeException e) {
            respond(ctx, 503, JSON.objectNode().put("error", "unavailable").put("retryable", true));
            return;
        }
        ArrayNode list = JSON.arrayNode();
        ObjectNode status = JSON.objectNode();
        long now = System.currentTimeMillis();
        try {
            buyers.stream().sorted(Comparator.comparing(BuyerConfig::getBuyerId)).forEach(b -> {
                list.add(ConfigDocuments.toJson(b));
                status.set(b.getBuyerId(), status(b.getBuyerId(), now));
            });
        } catch (RuntimeException e) {
            respond(ctx, 503, JSON.objectNode().put("error", "unavailable").put("retryable", true));
            return;
        }
        ObjectNode json = JSON.objectNode();
        // Documents as applied (a GET can be edited and PUT back), and beside them what the market
        // made of each buyer: whether its caps stop it now, and its recent post-acceptance rate.
        json.set("buyers", list);
        json.set("status", status);
        respond(ctx, 200, json);
    }

    /**
     * {@code {"full": bool, "fullUntil": ISO|"until topped up", "fullReason", "spendLeft": "10.00",
     * "acceptanceRate": "0.9200", "recentPosts": n}}; spendLeft once a hold was refused for spend.
     */
    private ObjectNode status(String buyerId, long now) {
        ObjectNode status = JSON.objectNode();
        Optional<BuyerCapStatus> cap = store.capStatus(buyerId).filter(c -> c.getFullUntil() > now);
        status.put("full", cap.isPresent());
        cap.ifPresent(c -> {
            status.put("fullUntil", c.getFullUntil() == Long.MAX_VALUE ? "until topped up"
                    : Instant.ofEpochMilli(c.getFullUntil()).toString());
            status.put("fullReason", c.getReason());
        });
        store.capStatus(buyerId).filter(c -> c.getSpendLeftCents() != null && c.getSpendLeftUntil() > now)
                .ifPresent(c -> status.put("spendLeft", Money.format(c.getSpendLeftCents())));
        store.stats(buyerId).ifPresent(stats -> {
            status.put("acceptanceRate", new BigDecimal(stats.getAcceptanceRateBasisPoints()).movePointLeft(4)
                    .toPlainString());
            status.put("recentPosts", stats.getRecent().length());
        });
        return status;
    }

    private boolean authorized(Context ctx) {
        if (token == null) {
            respond(ctx, 403, JSON.objectNode().put("error", "admin_disabled"));
            return false;
        }
        String header = ctx.header("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        // Constant time: the comparison must not tell an attacker how much of a guess was right.
        if (!MessageDigest.isEqual(given, token)) {
            ctx.header("WWW-Authenticate", "Bearer");
            respond(ctx, 401, JSON.objectNode().put("error", "unauthorized"));
            return false;
        }
        return true;
    }

    private boolean write(Context ctx, Runnable write) {
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(AdminApi.class).warn("config write failed: {}", e.toString());
            respond(ctx, 503, JSON.objectNode().put("error", "config_unavailable").put("retryable", true));
            return false;
        }
    }

    private static String body(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                respond(ctx, 413, JSON.objectNode().put("error", "payload_too_large").put("maxBytes", MAX_BODY_BYTES));
                return null;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            respond(ctx, 400, JSON.objectNode().put("error", "bad_request"));
            return null;
        }
    }

    private static ObjectNode invalid(ConfigBatch batch) {
        return invalid(batch.errors());
    }

    private static ObjectNode invalid(List<String> errors) {
        ObjectNode json = JSON.objectNode().put("error", "invalid_config");
        ArrayNode list = json.putArray("errors");
        errors.forEach(list::add);
        return json;
    }

    private static void respond(Context ctx, int status, JsonNode body) {
        JsonResponses.respond(ctx, status, body);
    }
}
