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
import io.leadmkt.schema.ApiKey;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.AccessDenied;
import io.leadmkt.streams.access.AccessRules;
import io.leadmkt.streams.access.ApiKeys;
import io.leadmkt.streams.access.Caller;
import io.leadmkt.streams.api.JsonResponses;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
 *   <li>{@code POST /v1/admin/suppressions/import}: a CSV suppression list ({@link #importSuppressions}).</li>
 *   <li>{@code POST /v1/admin/keys}, {@code GET /v1/admin/keys}, {@code DELETE /v1/admin/keys/{id}}:
 *       API keys created (the key shown once), listed (never a key or hash) and revoked
 *       ({@link #createKey}).</li>
 *   <li>{@code POST /v1/optouts}: an opt-out posted back by a buyer or seller ({@link #optOut}); the
 *       one route here served to other roles than admin.</li>
 * </ul>
 * Who may call which route is {@code LeadApi}'s to check before a handler here runs (see
 * {@link Access}): the admin routes serve the admin role only (an admin key or the
 * {@code LEADMKT_ADMIN_TOKEN}).
 *
 * <p>Every applied change is audited on {@code config.changes} (via {@code admin-api}, see
 * {@link ConfigTopics}). The actor is the {@value #ACTOR_HEADER} request header when given (e.g.
 * the operator behind a tool that holds the token; at most 100 printable characters), else the
 * caller's key id ({@value Caller#ADMIN_TOKEN_ID} for the token).
 *
 * <p>The integration document of a buyer is checked by the {@link IntegrationCheck} the app was
 * started with: the buyer-connector's full parser when the launcher starts the app, else the buyer
 * schema's "is an object" only (the connector then refuses a bad one with BAD_INTEGRATION).
 */
public final class AdminApi {

    /** The environment variable holding the admin bearer token (an admin key that is not on the topic). */
    public static final String TOKEN_ENV = "LEADMKT_ADMIN_TOKEN";
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** A suppression list of a few hundred thousand rows. */
    public static final int MAX_IMPORT_BYTES = 32 * 1024 * 1024;
    static final int MAX_LISTED_ERRORS = 1_000;
    /** Reason and source of imported entries when the request names none. */
    public static final String IMPORT_REASON = "imported list";
    public static final String IMPORT_SOURCE = "import";
    /** Optional request header naming who acts, for the audit trail. */
    public static final String ACTOR_HEADER = "X-Actor";

    private static final Logger audit = LoggerFactory.getLogger("io.leadmkt.admin.audit");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ConfigDocuments documents;
    private final ConfigStore store;

    public AdminApi(ConfigDocuments documents, ConfigStore store) {
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
        String body = body(ctx);
        if (body == null) {
            return;
        }
        Suppressions.Parsed request = Suppressions.request(body, System.currentTimeMillis());
        if (!request.ok()) {
            respond(ctx, 400, invalid(request.errors()));
            return;
        }
        suppressed(ctx, request.entries(), author(ctx));
    }

    /** Writes the entries of one consumer, then answers with their hashes and how many changed. */
    private void suppressed(Context ctx, List<SuppressionEntry> entries, ConfigChanges.Author author) {
        List<ConfigChange> changes = new java.util.ArrayList<>();
        if (!write(ctx, () -> changes.addAll(store.suppress(entries, author)))) {
            return;
        }
        ObjectNode json = JSON.objectNode();
        ArrayNode suppressed = json.putArray("suppressed");
        for (SuppressionEntry entry : entries) {
            suppressed.addObject().put("kind", entry.getKind()).put("hash", entry.getHash());
            audit.info("{}: suppression {}/{} applied by {} from {}", author.via(), entry.getKind(), entry.getHash(),
                    author.actor(), ctx.ip());
        }
        json.put("changed", changes.size());
        respond(ctx, 200, json);
    }

    /**
     * {@code POST /v1/admin/suppressions/import}: a suppression list as the CSV body
     * ({@link SuppressionImport}), with query parameters {@code reason} (default
     * {@value #IMPORT_REASON}), {@code source} (default {@value #IMPORT_SOURCE}), {@code expiresIn}
     * ({@code 31d}; default permanent) and {@code partial} ({@code true}: apply the good rows of a
     * file that has bad ones). 200 {@code {"rows","entries","changed","badRows","errors","applied"}};
     * 400 {@code invalid_rows} (nothing applied) when rows are bad and partial is not asked for,
     * 400 {@code invalid_import} naming a bad parameter; 413 over {@value #MAX_IMPORT_BYTES} bytes.
     * Bad rows are named by line number, at most {@value #MAX_LISTED_ERRORS} of them listed.
     */
    public void importSuppressions(Context ctx) {
        long now = System.currentTimeMillis();
        List<String> errors = new java.util.ArrayList<>();
        Long expiresAt = null;
        String expiresIn = ctx.queryParam("expiresIn");
        if (expiresIn != null) {
            Optional<Integer> days = Suppressions.days(expiresIn);
            if (days.isEmpty()) {
                errors.add("expiresIn: a number of days, e.g. 31d");
            } else {
                expiresAt = Suppressions.expiresAt(now, days.get());
            }
        }
        String partial = ctx.queryParam("partial");
        if (partial != null && !partial.equals("true") && !partial.equals("false")) {
            errors.add("partial: true or false");
        }
        String reason = Optional.ofNullable(ctx.queryParam("reason")).filter(r -> !r.isBlank()).orElse(IMPORT_REASON);
        String source = Optional.ofNullable(ctx.queryParam("source")).filter(r -> !r.isBlank()).orElse(IMPORT_SOURCE);
        if (reason.length() > Suppressions.MAX_REASON_LENGTH || source.length() > Suppressions.MAX_REASON_LENGTH) {
            errors.add((reason.length() > Suppressions.MAX_REASON_LENGTH ? "reason" : "source") + ": at most "
                    + Suppressions.MAX_REASON_LENGTH + " characters");
        }
        if (!errors.isEmpty()) {
            respond(ctx, 400, invalid("invalid_import", errors));
            return;
        }
        String body = body(ctx, MAX_IMPORT_BYTES);
        if (body == null) {
            return;
        }
        SuppressionImport.Result read;
        try {
            read = SuppressionImport.read(new java.io.StringReader(body),
                    new SuppressionImport.Terms(reason, source, expiresAt, now), rows -> { });
        } catch (IOException e) {
            respond(ctx, 400, JSON.objectNode().put("error", "bad_request"));
            return;
        }
        boolean apply = read.ok() || "true".equals(partial);
        ConfigChanges.Author author = author(ctx);
        List<ConfigChange> changes = new java.util.ArrayList<>();
        if (apply && !write(ctx, () -> changes.addAll(store.suppress(read.entries(), author)))) {
            return;
        }
        ObjectNode json = JSON.objectNode();
        if (!apply) {
            json.put("error", "invalid_rows");
        }
        json.put("rows", read.rows()).put("entries", read.entries().size()).put("changed", changes.size())
                .put("badRows", read.badRows()).put("applied", apply);
        ArrayNode listed = json.putArray("errors");
        read.errors().stream().limit(MAX_LISTED_ERRORS).forEach(listed::add);
        audit.info("admin api: suppression import of {} entries ({} changed, {} bad rows, applied={}) by {} from {}",
                read.entries().size(), changes.size(), read.badRows(), apply, author.actor(), ctx.ip());
        respond(ctx, apply ? 200 : 400, json);
    }

    /**
     * {@code POST /v1/optouts}: a consumer's revocation of consent posted back by a buyer or a seller
     * ({@link Suppressions#optOut}: phone and/or email, buyerId or sellerId, reason). A buyer's key
     * reports as its own buyerId, a seller's as one of its sources (403 otherwise); the privacy role
     * and admins as anyone. 200
     * {@code {"suppressed":[{"kind","hash"}],"changed":n}} once the suppression list has it, audited
     * on {@code config.changes} with the reporter as actor via {@value ConfigChanges#VIA_OPT_OUT};
     * 400 {@code invalid_optout} naming each bad field; 503 when the topic cannot take it.
     */
    public void optOut(Context ctx) {
        String body = body(ctx, MAX_BODY_BYTES);
        if (body == null) {
            return;
        }
        Suppressions.Parsed request = Suppressions.optOut(body, System.currentTimeMillis());
        if (!request.ok()) {
            respond(ctx, 400, invalid("invalid_optout", request.errors()));
            return;
        }
        String source = request.entries().get(0).getSource();
        if (!AccessRules.mayReportOptOut(Access.caller(ctx), source)) {
            throw AccessDenied.forbidden();
        }
        suppressed(ctx, request.entries(), new ConfigChanges.Author(source, ConfigChanges.VIA_OPT_OUT));
    }

    /** Who acts: the {@value #ACTOR_HEADER} header when it is a usable name, else the caller's key id. */
    public static ConfigChanges.Author author(Context ctx) {
        String given = ctx.header(ACTOR_HEADER);
        String actor = given == null ? "" : given.strip();
        if (actor.isEmpty() || actor.length() > 100 || !actor.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            actor = Access.caller(ctx).keyId();
        }
        return new ConfigChanges.Author(actor, ConfigChanges.VIA_ADMIN_API);
    }

    /** Shared by both PUTs: authorize, read, validate (every error with its path), store, answer. */
    private <T> void put(Context ctx, String kind, java.util.function.BiFunction<String, String, ConfigBatch> parse,
                         java.util.function.Function<ConfigBatch, T> record,
                         java.util.function.BiFunction<T, ConfigChanges.Author, Optional<ConfigChange>> put,
                         java.util.function.Function<T, JsonNode> toJson) {
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

    /**
     * {@code POST /v1/admin/keys}: {@code {"role": "seller", "sourceIds": ["S1"], "buyerId", "label"}}
     * ({@link ApiKeys#request(JsonNode)}). 201 {@code {"keyId", "key", "role", ...}}: the only time the
     * key is ever shown. 400 {@code invalid_key} naming each bad field; 503 when the topic cannot take it.
     * Audited (who, when, role, key id; never the key) on {@code config.changes} and in the log.
     */
    public void createKey(Context ctx) {
        String body = body(ctx);
        if (body == null) {
            return;
        }
        JsonNode json;
        try {
            json = body.isBlank() ? null : JsonResponses.MAPPER.readTree(body);
        } catch (IOException e) {
            respond(ctx, 400, invalid("invalid_key", List.of("$: not valid JSON")));
            return;
        }
        ApiKeys.Parsed request = ApiKeys.request(json);
        if (!request.ok()) {
            respond(ctx, 400, invalid("invalid_key", request.errors()));
            return;
        }
        ConfigChanges.Author author = author(ctx);
        ApiKeys.Minted minted = ApiKeys.mint(request.request(), author.actor(), System.currentTimeMillis());
        if (!write(ctx, () -> store.putApiKey(minted.record(), author))) {
            return;
        }
        ApiKey key = minted.record();
        audit.info("admin api: {} key {} created by {} from {}", key.getRole(), key.getKeyId(), author.actor(), ctx.ip());
        ObjectNode answer = ApiKeys.document(key, true);
        answer.put("key", minted.key());
        ctx.header("Cache-Control", "no-store");
        respond(ctx, 201, answer);
    }

    /** {@code GET /v1/admin/keys}: {@code {"keys": [{keyId, role, sourceIds, buyerId, label, createdAt, createdBy}]}}. */
    public void listKeys(Context ctx) {
        ArrayNode keys = JSON.arrayNode();
        store.apiKeys().forEach(key -> keys.add(ApiKeys.document(key, true)));
        ObjectNode json = JSON.objectNode();
        json.set("keys", keys);
        respond(ctx, 200, json);
    }

    /** {@code DELETE /v1/admin/keys/{id}}: 200 {@code {"revoked": id}}; 404 when no such key is in force. */
    public void revokeKey(Context ctx) {
        String id = ctx.pathParam("id");
        ConfigChanges.Author author = author(ctx);
        List<ConfigChange> revoked = new java.util.ArrayList<>();
        if (!write(ctx, () -> store.revokeApiKey(id, author).ifPresent(revoked::add))) {
            return;
        }
        if (revoked.isEmpty()) {
            respond(ctx, 404, JSON.objectNode().put("error", "not_found").put("kind", ConfigChanges.API_KEY));
            return;
        }
        audit.info("admin api: key {} revoked by {} from {}", id, author.actor(), ctx.ip());
        respond(ctx, 200, JSON.objectNode().put("revoked", id));
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
        return body(ctx, MAX_BODY_BYTES);
    }

    /** The request body as text, up to {@code maxBytes}; null once a 413 or 400 was answered. */
    public static String body(Context ctx, int maxBytes) {
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                respond(ctx, 413, JSON.objectNode().put("error", "payload_too_large").put("maxBytes", maxBytes));
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
        return invalid("invalid_config", errors);
    }

    /** {@code {"error": error, "errors": [...]}}: every bad field at once. */
    public static ObjectNode invalid(String error, List<String> errors) {
        ObjectNode json = JSON.objectNode().put("error", error);
        ArrayNode list = json.putArray("errors");
        errors.forEach(list::add);
        return json;
    }

    private static void respond(Context ctx, int status, JsonNode body) {
        JsonResponses.respond(ctx, status, body);
    }
}
