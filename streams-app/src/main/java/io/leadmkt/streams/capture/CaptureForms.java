package io.leadmkt.streams.capture;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.streams.api.JsonResponses;
import io.leadmkt.streams.api.LeadSubmitter;
import io.leadmkt.streams.api.RequestBodies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns' capture forms, open to anyone (no API key: the form's campaign names the source
 * its leads belong to):
 * <ul>
 *   <li>{@code GET /form/{campaignId}} ({@code ?subId=} passed on to the leads): the page
 *       ({@link FormPage}); a 404 page for a campaign that is unknown, inactive or has no form; 503
 *       while this instance cannot read the campaigns yet.</li>
 *   <li>{@code POST /form/{campaignId}} (JSON, from the page's script): the submission made a lead
 *       with its consent evidence ({@link ConsentCapture}) and handed to the same intake as every
 *       lead ({@link LeadSubmitter}): 202 with its id, 400 {@code invalid_lead} naming each field;
 *       409 {@code disclosure_changed} when the page showed other consent text, version or buyers
 *       than the campaign has now (the evidence would not be what was shown); 429 with
 *       {@code Retry-After} past the per-address limit ({@link FormRateLimit}); 400
 *       {@code not_accepted} when the honeypot was filled in; 413 over {@value #MAX_BODY_BYTES} bytes.</li>
 *   <li>{@code GET /form/assets/form.js|form.css}.</li>
 * </ul>
 * The client address recorded (and limited) is the connection's, or the left-most address of the
 * header {@code http.client.ip.header} names when a proxy in front sets it.
 */
public final class CaptureForms {
    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Logger log = LoggerFactory.getLogger(CaptureForms.class);
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> BODY_FIELDS = Set.of("answers", "agreed", "shown", "pageUrl", "subId",
            FormPage.HONEYPOT);
    private static final Map<String, Asset> ASSETS = Map.of(
            "form.js", new Asset(FormPage.read(FormPage.DIR + "form.js"), "text/javascript; charset=utf-8"),
            "form.css", new Asset(FormPage.read(FormPage.DIR + "form.css"), "text/css; charset=utf-8"));

    private record Asset(String text, String contentType) {
    }

    private final Function<String, Optional<CampaignConfig>> campaigns;
    private final FormRateLimit limit;
    private final Optional<String> clientIpHeader;

    /**
     * @param campaigns      a campaign by id, as this instance knows it now (throws while it cannot tell)
     * @param limit          submissions per client address
     * @param clientIpHeader the header a trusted proxy puts the client's address in; empty: the connection's
     */
    public CaptureForms(Function<String, Optional<CampaignConfig>> campaigns, FormRateLimit limit,
                        Optional<String> clientIpHeader) {
        this.campaigns = campaigns;
        this.limit = limit;
        this.clientIpHeader = clientIpHeader;
    }

    /** Adds the form routes, which name no roles (open, like the dashboard page), submitting through {@code submitter}. */
    public void mount(JavalinConfig config, LeadSubmitter submitter) {
        config.routes.get("/form/assets/{asset}", this::asset);
        config.routes.get("/form/{campaignId}", this::page);
        config.routes.post("/form/{campaignId}", ctx -> submit(ctx, submitter));
    }

    private void asset(Context ctx) {
        Asset asset = ASSETS.get(ctx.pathParam("asset"));
        if (asset == null) {
            JsonResponses.respond(ctx, 404, JSON.objectNode().put("error", "not_found"));
            return;
        }
        ctx.status(200).contentType(asset.contentType()).header("Cache-Control", "no-cache").result(asset.text());
    }

    private void page(Context ctx) {
        pageHeaders(ctx);
        Optional<CampaignConfig> campaign;
        try {
            campaign = withForm(ctx.pathParam("campaignId"));
        } catch (RuntimeException e) {
            log.debug("form {}: campaigns not readable: {}", ctx.pathParam("campaignId"), e.toString());
            ctx.header("Retry-After", "5").status(503).html(FormPage.notice("Please try again shortly",
                    "This form is starting up. Please reload the page in a few seconds."));
            return;
        }
        if (campaign.isEmpty()) {
            ctx.status(404).html(FormPage.notice("Form not found",
                    "There is no form at this address. Please check the link you followed."));
            return;
        }
        String subId = ctx.queryParam("subId");
        ctx.status(200).html(FormPage.render(campaign.get(), subId == null || subId.length() > 64 ? null : subId));
    }

    private void submit(Context ctx, LeadSubmitter submitter) {
        String address = clientAddress(ctx);
        if (!limit.tryAcquire(address)) {
            ctx.header("Retry-After", Long.toString(limit.retryAfterSeconds(address)));
            JsonResponses.respond(ctx, 429, JSON.objectNode().put("error", "too_many_requests").put("retryable", true));
            return;
        }
        Optional<byte[]> bytes = RequestBodies.bounded(ctx, MAX_BODY_BYTES);
        if (bytes.isEmpty()) {
            JsonResponses.respond(ctx, 413, JSON.objectNode().put("error", "payload_too_large").put("maxBytes", MAX_BODY_BYTES));
            return;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(new String(bytes.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            body = null;
        }
        List<String> bad = badFields(body);
        if (!bad.isEmpty()) {
            ObjectNode error = JSON.objectNode().put("error", "invalid_submission");
            bad.forEach(error.putArray("errors")::add);
            JsonResponses.respond(ctx, 400, error);
            return;
        }
        if (!body.path(FormPage.HONEYPOT).asText("").isEmpty()) {
            log.debug("form {}: honeypot filled in from {}", ctx.pathParam("campaignId"), address);
            JsonResponses.respond(ctx, 400, JSON.objectNode().put("error", "not_accepted"));
            return;
        }
        Optional<CampaignConfig> campaign;
        try {
            campaign = withForm(ctx.pathParam("campaignId"));
        } catch (RuntimeException e) {
            ctx.header("Retry-After", "5");
            JsonResponses.respond(ctx, 503, JSON.objectNode().put("error", "unavailable").put("retryable", true));
            return;
        }
        if (campaign.isEmpty()) {
            JsonResponses.respond(ctx, 404, JSON.objectNode().put("error", "not_found"));
            return;
        }
        if (!ConsentCapture.Shown.of(campaign.get().getForm()).equals(shown(body.path("shown")))) {
            JsonResponses.respond(ctx, 409, JSON.objectNode().put("error", "disclosure_changed")
                    .put("message", "the consent text, its version or the buyers named changed since the page was opened"));
            return;
        }
        ConsentCapture.Captured captured = ConsentCapture.capture(UUID.randomUUID().toString(), campaign.get(),
                new ConsentCapture.Submission(answers(body.path("answers")), body.path("agreed").asBoolean(false),
                        textOrNull(body.path("pageUrl")), textOrNull(body.path("subId"))),
                new ConsentCapture.Visit(System.currentTimeMillis(), address, ctx.userAgent()));
        submitter.submit(ctx, captured.lead(), captured.errors());
    }

    /** The campaign, when it is active and has a form. */
    private Optional<CampaignConfig> withForm(String campaignId) {
        return campaigns.apply(campaignId).filter(c -> c.getActive() && c.getForm() != null);
    }

    /** What is wrong with the body's shape, each naming its field; empty: well formed. */
    static List<String> badFields(JsonNode body) {
        List<String> bad = new ArrayList<>();
        if (body == null || !body.isObject()) {
            bad.add("$: must be a JSON object");
            return bad;
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!BODY_FIELDS.contains(name)) {
                bad.add((name.length() > 64 ? name.substring(0, 64) + "..." : name) + ": not a field of a form submission");
            }
        });
        if (!body.path("answers").isObject()) {
            bad.add("answers: must be an object of texts");
        } else {
            body.path("answers").properties().forEach(answer -> {
                if (!answer.getValue().isTextual() && !answer.getValue().isNull()) {
                    bad.add("answers." + answer.getKey() + ": must be a text");
                }
            });
        }
        if (!body.path("agreed").isBoolean()) {
            bad.add("agreed: must be true or false");
        }
        if (!body.path("shown").isObject()) {
            bad.add("shown: must be an object (disclosureVersion, disclosureHash, namedBuyers)");
        }
        for (String text : List.of("pageUrl", "subId", FormPage.HONEYPOT)) {
            if (body.has(text) && !body.get(text).isTextual() && !body.get(text).isNull()) {
                bad.add(text + ": must be a text");
            }
        }
        return bad;
    }

    private static Map<String, String> answers(JsonNode answers) {
        Map<String, String> out = new LinkedHashMap<>();
        answers.properties().forEach(answer -> {
            if (answer.getValue().isTextual()) {
                out.put(answer.getKey(), answer.getValue().textValue());
            }
        });
        return out;
    }

    private static ConsentCapture.Shown shown(JsonNode shown) {
        List<String> names = new ArrayList<>();
        shown.path("namedBuyers").forEach(name -> names.add(name.asText()));
        return new ConsentCapture.Shown(shown.path("disclosureVersion").asText(""),
                shown.path("disclosureHash").asText(""), names);
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    /** The client's address: the left-most of the trusted proxy's header when configured and present, else the peer's. */
    private String clientAddress(Context ctx) {
        if (clientIpHeader.isPresent()) {
            String forwarded = ctx.header(clientIpHeader.get());
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",", 2)[0].strip();
            }
        }
        return ctx.ip();
    }

    /**
     * Never cached (the consent text must be the campaign's current one); embeddable in any page
     * (an iframe on the seller's site is the point); nothing but its own script and style run in it.
     */
    private static void pageHeaders(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
    }
}
