package io.leadmkt.streams.returns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackDecision;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.SoldLead;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.AccessDenied;
import io.leadmkt.streams.access.Caller;
import io.leadmkt.streams.access.Role;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.api.JsonResponses;
import io.leadmkt.streams.api.LeadOwnedElsewhere;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postback routes: how buyers report conversions and returns over HTTP, read back how each was
 * judged, and how sellers review returns their buyers' contracts hold for review.
 * <ul>
 *   <li>{@code POST /v1/postbacks} (a buyer's key) {@code {"leadId","type","reason","value","occurredAt"}}
 *       ({@link PostbackRequest}).</li>
 *   <li>{@code GET /v1/postbacks/{buyerId}?leadId=&type=&reason=&value=&occurredAt=&sig=} (no key: the
 *       signature under the buyer's postback secret is the credential, {@link PostbackSignature}): 401
 *       {@code bad_signature} when it does not match, checked before anything else.</li>
 *   <li>{@code GET /v1/postbacks/{leadId}/{type}} (the buyer; the seller of the lead's source, an
 *       analyst or an admin naming {@code ?buyer=}): the decision, {@code 404} until there is one.</li>
 *   <li>{@code POST /v1/postbacks/{leadId}/return/review} (the seller of the lead's source, or an admin)
 *       {@code {"buyerId","approve"}}: approves or refuses a return held for review; 409 {@code not_pending}
 *       when none waits.</li>
 * </ul>
 * Both buyer routes answer 403 for a lead the buyer did not buy (or bought longer ago than its
 * windows), 202 {@code {"leadId","type","status":"received","statusUrl"}} once the postback is on the
 * {@code postbacks} topic, and 200 with the decision when the lead already has one of that type (one
 * decision per lead and type: nothing is written again). The sale is kept by the instance owning the
 * buyer's partition: another instance answers 307 there.
 */
public final class PostbackApi {
    static final int MAX_BODY_BYTES = 16 * 1024;
    static final String VIA_HTTP = "http";
    static final String VIA_SIGNED = "signed-get";
    static final String VIA_REVIEW = "review";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PostbackApi.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A buyer's sale as the returns desk keeps it. */
    @FunctionalInterface
    public interface Sales {
        /**
         * @return the sale, empty when the buyer did not buy the lead (or it is forgotten)
         * @throws LeadOwnedElsewhere when another instance keeps the buyer's sales
         * @throws RuntimeException   when they cannot be read here right now (starting, rebalancing)
         */
        Optional<SoldLead> find(String buyerId, String leadId);
    }

    private final Sales sales;
    private final Function<String, Optional<BuyerConfig>> buyers;
    private final Function<Postback, CompletableFuture<?>> postbacks;

    /**
     * @param buyers    a buyer's document by id (its postback secret)
     * @param postbacks writes a postback to the {@code postbacks} topic, keyed by lead id
     */
    public PostbackApi(Sales sales, Function<String, Optional<BuyerConfig>> buyers,
                       Function<Postback, CompletableFuture<?>> postbacks) {
        this.sales = sales;
        this.buyers = buyers;
        this.postbacks = postbacks;
    }

    /** {@code POST /v1/postbacks}. */
    public void post(Context ctx) {
        String buyerId = buyerOf(ctx);
        if (buyerId == null) {
            return;
        }
        String body = AdminApi.body(ctx, MAX_BODY_BYTES);
        if (body == null) {
            return;
        }
        take(ctx, PostbackRequest.json(body, buyerId, VIA_HTTP));
    }

    /** {@code GET /v1/postbacks/{buyerId}?...&sig=}: a signed URL. */
    public void signed(Context ctx) {
        String buyerId = ctx.pathParam("buyerId");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            if (parameter.getValue().size() != 1) {
                respond(ctx, 400, JSON.objectNode().put("error", "invalid_parameter").put("parameter", parameter.getKey())
                        .put("message", parameter.getKey() + ": given more than once"));
                return;
            }
            parameters.put(parameter.getKey(), parameter.getValue().get(0));
        }
        String secret = buyers.apply(buyerId).map(BuyerConfig::getPostbackSecret).map(CharSequence::toString).orElse(null);
        // An unknown buyer, one without a secret and a wrong signature look alike: nothing to learn by guessing.
        if (!PostbackSignature.verify(secret, parameters, parameters.get(PostbackSignature.PARAMETER))) {
            throw new AccessDenied(401, "bad_signature");
        }
        parameters.remove(PostbackSignature.PARAMETER);
        take(ctx, PostbackRequest.fields(parameters, buyerId, VIA_SIGNED));
    }

    private void take(Context ctx, PostbackRequest.Parsed parsed) {
        if (!parsed.ok()) {
            respond(ctx, 400, AdminApi.invalid("invalid_postback", parsed.errors()));
            return;
        }
        Postback postback = parsed.postback();
        Optional<SoldLead> sale = sale(ctx, postback.getBuyerId().toString(), postback.getLeadId().toString());
        if (sale == null) {
            return;
        }
        if (sale.isEmpty()) {
            throw AccessDenied.forbidden(); // not its lead: nothing is written
        }
        PostbackDecision decided = ReturnDesk.decided(sale.get(), postback.getType());
        if (decided != null) {
            respond(ctx, 200, json(decided));
            return;
        }
        if (write(ctx, postback)) {
            respond(ctx, 202, received(postback));
        }
    }

    /** {@code GET /v1/postbacks/{leadId}/{type}}. */
    public void status(Context ctx) {
        PostbackType type = typeOf(ctx);
        String buyerId = type == null ? null : buyerOf(ctx);
        if (buyerId == null) {
            return;
        }
        Optional<SoldLead> sale = sale(ctx, buyerId, ctx.pathParam("leadId"));
        if (sale == null) {
            return;
        }
        Caller caller = Access.caller(ctx);
        if (sale.isEmpty()) {
            if (caller.role() == Role.BUYER) {
                throw AccessDenied.forbidden();
            }
            respond(ctx, 404, JSON.objectNode().put("error", "not_found"));
            return;
        }
        if (caller.role() == Role.SELLER && !sellsFor(caller, sale.get())) {
            throw AccessDenied.forbidden();
        }
        PostbackDecision decision = ReturnDesk.decided(sale.get(), type);
        if (decision == null) {
            respond(ctx, 404, JSON.objectNode().put("error", "not_found"));
            return;
        }
        respond(ctx, 200, json(decision));
    }

    /** {@code POST /v1/postbacks/{leadId}/return/review} {@code {"buyerId","approve"}}. */
    public void review(Context ctx) {
        String body = AdminApi.body(ctx, MAX_BODY_BYTES);
        if (body == null) {
            return;
        }
        JsonNode json;
        try {
            json = JsonResponses.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            json = null;
        }
        List<String> errors = new java.util.ArrayList<>();
        if (json == null || !json.isObject()) {
            errors.add("body: a JSON object is expected");
        } else {
            json.fieldNames().forEachRemaining(name -> {
                if (!name.equals("buyerId") && !name.equals("approve")) {
                    errors.add(name + ": unknown field (expected buyerId, approve)");
                }
            });
            if (!json.path("buyerId").isTextual() || json.path("buyerId").asText().isBlank()) {
                errors.add("buyerId: required, the buyer that asked for the return");
            }
            if (!json.path("approve").isBoolean()) {
                errors.add("approve: required, true or false");
            }
        }
        if (!errors.isEmpty()) {
            respond(ctx, 400, AdminApi.invalid("invalid_review", errors));
            return;
        }
        String leadId = ctx.pathParam("leadId");
        String buyerId = json.get("buyerId").asText();
        Optional<SoldLead> sale = sale(ctx, buyerId, leadId);
        if (sale == null) {
            return;
        }
        Caller caller = Access.caller(ctx);
        if (sale.isPresent() && caller.role() == Role.SELLER && !sellsFor(caller, sale.get())) {
            throw AccessDenied.forbidden();
        }
        PostbackDecision held = sale.map(SoldLead::getReturned).orElse(null);
        if (held == null || held.getStatus() != PostbackStatus.PENDING_REVIEW) {
            ObjectNode conflict = JSON.objectNode().put("error", "not_pending");
            conflict.put("status", held == null ? null : held.getStatus().name());
            respond(ctx, 409, conflict);
            return;
        }
        Postback review = Postback.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setType(PostbackType.RETURN_REVIEW)
                .setApproved(json.get("approve").asBoolean()).setReviewedBy(caller.keyId()).setVia(VIA_REVIEW).build();
        if (write(ctx, review)) {
            respond(ctx, 202, received(review));
        }
    }

    /** The buyer a request speaks for: a buyer's own; anyone else names one with {@code ?buyer=}. Null once answered. */
    private static String buyerOf(Context ctx) {
        Caller caller = Access.caller(ctx);
        if (caller.role() == Role.BUYER) {
            return caller.buyerId();
        }
        String named = ctx.queryParam("buyer");
        if (named == null || named.isBlank()) {
            respond(ctx, 400, JSON.objectNode().put("error", "invalid_parameter").put("parameter", "buyer")
                    .put("message", "buyer: required unless the key is a buyer's (whose postbacks these are)"));
            return null;
        }
        return named;
    }

    private static PostbackType typeOf(Context ctx) {
        String type = ctx.pathParam("type").toUpperCase(Locale.ROOT);
        if (type.equals("CONVERSION") || type.equals("RETURN")) {
            return PostbackType.valueOf(type);
        }
        respond(ctx, 400, JSON.objectNode().put("error", "invalid_parameter").put("parameter", "type")
                .put("message", "type: conversion or return"));
        return null;
    }

    private static boolean sellsFor(Caller caller, SoldLead sale) {
        return sale.getSourceId() != null && caller.sourceIds().contains(sale.getSourceId().toString());
    }

    /** The buyer's sale of the lead; null once the request was answered (307 to the owner, or 503). */
    private Optional<SoldLead> sale(Context ctx, String buyerId, String leadId) {
        try {
            return sales.find(buyerId, leadId);
        } catch (LeadOwnedElsewhere elsewhere) {
            String query = ctx.queryString();
            JsonResponses.servedElsewhere(ctx, elsewhere.baseUrl() + ctx.path() + (query == null ? "" : "?" + query));
        } catch (RuntimeException e) {
            LOG.debug("sale lookup for {} of {} failed: {}", leadId, buyerId, e.toString());
            ctx.header("Retry-After", "1");
            respond(ctx, 503, JSON.objectNode().put("error", "unavailable").put("retryable", true));
        }
        return null;
    }

    private boolean write(Context ctx, Postback postback) {
        try {
            postbacks.apply(postback).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("postback for {} not written: {}", postback.getLeadId(), e.toString());
        }
        respond(ctx, 503, JSON.objectNode().put("error", "postbacks_unavailable").put("retryable", true));
        return false;
    }

    private static ObjectNode received(Postback postback) {
        String type = postback.getType() == PostbackType.CONVERSION ? "conversion" : "return";
        return JSON.objectNode().put("leadId", postback.getLeadId().toString())
                .put("type", postback.getType() == PostbackType.CONVERSION ? "CONVERSION" : "RETURN")
                .put("status", "received")
                .put("statusUrl", "/v1/postbacks/" + postback.getLeadId() + "/" + type);
    }

    /** A decision as the buyer reads it: money as decimal strings, times as ISO instants. */
    static ObjectNode json(PostbackDecision decision) {
        ObjectNode json = JSON.objectNode()
                .put("leadId", decision.getLeadId().toString())
                .put("buyerId", decision.getBuyerId().toString())
                .put("type", decision.getType().name())
                .put("status", decision.getStatus().name());
        json.put("reason", decision.getReason() == null ? null : decision.getReason().toString());
        if (decision.getType() == PostbackType.CONVERSION) {
            json.put("value", Money.format(decision.getValueCents()));
        } else {
            json.put("credit", Money.format(decision.getCreditCents()));
            json.put("clawback", Money.format(decision.getClawbackCents()));
        }
        json.put("soldAt", Instant.ofEpochMilli(decision.getSoldAt()).toString());
        json.put("receivedAt", Instant.ofEpochMilli(decision.getReceivedAt()).toString());
        json.put("decidedAt", Instant.ofEpochMilli(decision.getDecidedAt()).toString());
        return json;
    }

    private static void respond(Context ctx, int status, JsonNode body) {
        JsonResponses.respond(ctx, status, body);
    }
}
