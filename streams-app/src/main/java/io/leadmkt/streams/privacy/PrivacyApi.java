package io.leadmkt.streams.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.Suppressions;
import io.leadmkt.streams.api.JsonResponses;
import io.leadmkt.streams.api.LeadOwnedElsewhere;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The privacy routes (the privacy role and admins: the API's access rules check the key first):
 * <ul>
 *   <li>{@code POST /v1/privacy/deletions} {@code {"phone","email","phoneHash","emailHash","reason"}}:
 *       202 {@code {"deletionId","status":"received","statusUrl","hashes"}} once the request, the
 *       consumer's suppression and the key erasures are committed ({@link Deletions}); 400
 *       {@code invalid_deletion} naming each bad field (never its value); 503 retryable.</li>
 *   <li>{@code GET /v1/privacy/deletions/{id}}: where it is ({@link DeletionProgress}) with its proof;
 *       307 to the instance owning the id; 404; 503 retryable.</li>
 *   <li>{@code GET /v1/privacy/disclosures?phone=|email=|phoneHash=|emailHash=}: every lead of that
 *       consumer, the buyers pinged (a PII-free preview) and those that received the full lead, when,
 *       under which campaign and consent evidence; 400 naming a bad parameter; 503 retryable while
 *       not every partition can answer.</li>
 * </ul>
 */
public final class PrivacyApi {
    static final int MAX_BODY_BYTES = 16 * 1024;
    static final String SCOPE = "scope";
    private static final Logger audit = LoggerFactory.getLogger("io.leadmkt.privacy.audit");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Deletions deletions;
    private final Function<String, Optional<DeletionProgress>> statuses;
    private final DisclosureQueries disclosures;

    /**
     * @param statuses a deletion's progress by id; throws {@link LeadOwnedElsewhere} when another
     *                 instance owns it, another runtime exception when it cannot be read right now
     */
    public PrivacyApi(Deletions deletions, Function<String, Optional<DeletionProgress>> statuses,
                      DisclosureQueries disclosures) {
        this.deletions = deletions;
        this.statuses = statuses;
        this.disclosures = disclosures;
    }

    public void requestDeletion(Context ctx) {
        String body = body(ctx);
        if (body == null) {
            return;
        }
        long now = System.currentTimeMillis();
        Suppressions.Parsed parsed = Suppressions.deletion(body, now);
        if (!parsed.ok()) {
            respond(ctx, 400, invalid("invalid_deletion", parsed.errors()));
            return;
        }
        ConfigChanges.Author author = new ConfigChanges.Author(AdminApi.author(ctx).actor(), VIA);
        Deletions.Accepted accepted;
        try {
            accepted = deletions.request(parsed.entries(), author, now);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(PrivacyApi.class).warn("deletion request failed: {}", e.toString());
            respond(ctx, 503, JSON.objectNode().put("error", "privacy_unavailable").put("retryable", true));
            return;
        }
        audit.info("privacy api: deletion {} of {} requested by {} from {}", accepted.deletionId(), accepted.hashes(),
                author.actor(), ctx.ip());
        ObjectNode json = JSON.objectNode().put("deletionId", accepted.deletionId())
                .put("status", DeletionProgress.RECEIVED)
                .put("statusUrl", "/v1/privacy/deletions/" + accepted.deletionId());
        ArrayNode hashes = json.putArray("hashes");
        accepted.hashes().forEach(hashes::add);
        respond(ctx, 202, json);
    }

    /** The {@code via} of deletion requests made over HTTP (the suppression changes and the proof name it). */
    public static final String VIA = "privacy-api";

    public void deletionStatus(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<DeletionProgress> progress;
        try {
            progress = statuses.apply(id);
        } catch (LeadOwnedElsewhere elsewhere) {
            JsonResponses.servedElsewhere(ctx, elsewhere.baseUrl() + "/v1/privacy/deletions/" + id);
            return;
        } catch (RuntimeException e) {
            respond(ctx, 503, JSON.objectNode().put("error", "unavailable").put("retryable", true));
            return;
        }
        if (progress.isEmpty()) {
            respond(ctx, 404, JSON.objectNode().put("error", "not_found"));
            return;
        }
        respond(ctx, 200, PrivacyJson.progress(progress.get()));
    }

    public void disclosures(Context ctx) {
        Map<String, List<String>> params = ctx.queryParamMap();
        List<String> errors = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!List.of("phone", "email", "phoneHash", "emailHash", SCOPE).contains(name)) {
                errors.add(name + ": unknown parameter (expected phone, email, phoneHash or emailHash)");
            }
        }
        String scope = ctx.queryParam(SCOPE);
        if (scope != null && !scope.equals("local")) {
            errors.add("scope: must be local, or left out for every instance's leads");
        }
        ObjectNode request = JSON.objectNode();
        for (String name : List.of("phone", "email", "phoneHash", "emailHash")) {
            if (ctx.queryParam(name) != null) {
                request.put(name, ctx.queryParam(name));
            }
        }
        Suppressions.Parsed parsed = Suppressions.deletion(request.toString(), 0);
        errors.addAll(parsed.errors());
        if (!errors.isEmpty()) {
            respond(ctx, 400, invalid("invalid_parameter", errors));
            return;
        }
        List<String> hashes = parsed.entries().stream().map(SuppressionEntry::getHash).toList();
        try {
            ObjectNode json = JSON.objectNode();
            if (scope != null) {
                DisclosureQueries.Part part = disclosures.local(hashes);
                part.partitions().forEach(json.putArray("partitions")::add);
                json.set("leads", PrivacyJson.leads(part.leads().values()));
            } else {
                Map<String, JsonNode> leads = disclosures.all(hashes, ctx.queryString(), ctx.header("Authorization"));
                hashes.forEach(json.putArray("hashes")::add);
                json.set("leads", PrivacyJson.leads(leads.values()));
            }
            respond(ctx, 200, json);
        } catch (DisclosureQueries.Unavailable e) {
            ctx.header("Retry-After", "5");
            respond(ctx, 503, JSON.objectNode().put("error", "unavailable").put("retryable", true)
                    .put("reason", e.getMessage()));
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

    private static ObjectNode invalid(String error, List<String> errors) {
        ObjectNode json = JSON.objectNode().put("error", error);
        errors.forEach(json.putArray("errors")::add);
        return json;
    }

    private static void respond(Context ctx, int status, JsonNode body) {
        JsonResponses.respond(ctx, status, body);
    }
}
