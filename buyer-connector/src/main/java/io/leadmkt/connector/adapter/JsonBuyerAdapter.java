package io.leadmkt.connector.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadPreview;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Profile;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The marketplace's own buyer protocol: JSON over HTTP POST. The simulated buyers implement the
 * server side of exactly this.
 *
 * <h2>Ping</h2>
 * {@code POST {pingUrl}}, {@code Content-Type: application/json}, header
 * {@code X-Leadmkt-Lead-Id: <leadId>}, body:
 * <pre>{@code
 * {"leadId":"..","campaignId":"..","vertical":"auto_insurance","state":"TX","zip":"75001","score":72,
 *  "leadAgeMs":120,"sourceId":"..","subId":null,"floor":"5.00","attributes":{"homeowner":"true"},
 *  "timeoutMs":450}
 * }</pre>
 * The body is built from the ping's {@link LeadPreview} only, so it carries no PII (no name,
 * phone, email, street address or IP) by construction. {@code floor} is dollars with two decimals;
 * {@code timeoutMs} is how long the buyer has to answer.
 *
 * <p>Answers:
 * <ul>
 *   <li>2xx {@code {"bid":true,"price":"12.50","token":"abc"}}: BID. The price may be a string
 *       ({@code "12.5"}, {@code "12.50"}, {@code "$12.50"}) or a JSON number ({@code 12.5}); it is
 *       read exactly ({@link Money}), never through a double. A price of 0 is a valid bid of 0.</li>
 *   <li>2xx {@code {"bid":false,"reason":".."}}: PASS with the buyer's reason.</li>
 *   <li>204: PASS.</li>
 *   <li>otherwise ERROR with a reason code: {@code HTTP_<status>} for a non-2xx status,
 *       {@code BAD_JSON} for a body that is not the JSON object above (HTML, truncated, empty,
 *       no boolean {@code bid}), {@code MISSING_PRICE} for a bid without price, {@code BAD_PRICE}
 *       for a negative, non-numeric or sub-cent price.</li>
 * </ul>
 * Silence, network failures, unknown buyers and the price ceiling are the dispatcher's business
 * ({@code TIMEOUT}, {@code CONNECTION_REFUSED}, {@code TLS_ERROR}, {@code IO_ERROR}, {@code UNKNOWN_BUYER},
 * {@code PRICE_TOO_HIGH}).
 *
 * <h2>Post</h2>
 * {@code POST {postUrl}}, {@code Content-Type: application/json}, headers
 * {@code X-Leadmkt-Lead-Id: <leadId>} and {@code Idempotency-Key: <leadId>:<buyerId>:<attempt>}
 * (a buyer that sees the same key twice must answer as it did the first time), body:
 * <pre>{@code
 * {"leadId":"..","token":"<ping token or null>","price":"12.50","attempt":1,
 *  "lead":{"firstName":"..","lastName":"..","email":"..","phone":"..","streetAddress":"..","city":"..",
 *          "state":"..","zip":"..","vertical":"..","sourceId":"..","subId":"..","attributes":{..},
 *          "consent":{"method":"..","certificateId":"..","capturedAt":1700000000000,"pageUrl":"..",
 *                     "trustedFormCertUrl":"https://cert.trustedform.com/..","leadIdToken":"..","disclosure":"..",
 *                     "disclosureVersion":"..","ipAddress":"..","userAgent":"..","namedBuyers":[".."]}}}
 * }</pre>
 * {@code consent} is the seller's evidence of consent as it was captured, so the winner holds its
 * own proof (absent values are null). It goes in posts only: pings carry none of it.
 * Answers: 2xx {@code {"accepted":true,"buyerLeadId":"B-1"}}: ACCEPTED;
 * {@code {"accepted":false,"reason":".."}}: REJECTED; otherwise ERROR with {@code HTTP_<status>}
 * or {@code BAD_JSON}.
 */
public final class JsonBuyerAdapter implements BuyerAdapter {

    public static final String CONTENT_TYPE = "application/json";
    public static final String LEAD_ID_HEADER = "X-Leadmkt-Lead-Id";
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    /** Floats as BigDecimal so a price like 12.5 never passes through a double. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Override
    public BuyerRequest pingRequest(Ping ping, BuyerConfig buyer, long timeoutMs) {
        LeadPreview preview = ping.getPreview();
        ObjectNode body = JSON.createObjectNode();
        body.put("leadId", ping.getLeadId());
        body.put("campaignId", ping.getCampaignId());
        body.put("vertical", preview.getVertical());
        body.put("state", preview.getState());
        body.put("zip", preview.getZip());
        body.put("score", preview.getScore());
        body.put("leadAgeMs", preview.getLeadAgeMs());
        body.put("sourceId", preview.getSourceId());
        body.put("subId", preview.getSubId());
        body.put("floor", Money.format(ping.getFloorCents()));
        body.set("attributes", attributes(preview.getAttributes()));
        body.put("timeoutMs", timeoutMs);
        return BuyerRequest.post(buyer.getPingUrl(), Map.of(LEAD_ID_HEADER, ping.getLeadId()), CONTENT_TYPE,
                bytes(body));
    }

    @Override
    public Bid toBid(Ping ping, BuyerConfig buyer, HttpAnswer answer) {
        String leadId = ping.getLeadId();
        String buyerId = buyer.getBuyerId();
        long at = answer.receivedAt();
        long latency = answer.latencyMs();
        if (answer.status() == 204) {
            return Answers.failedBid(leadId, buyerId, BidStatus.PASS, "NO_CONTENT", at, latency);
        }
        if (!answer.successful()) {
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "HTTP_" + answer.status(), at, latency);
        }
        Optional<JsonNode> parsed = parseObject(answer);
        Optional<Boolean> bid = parsed.flatMap(node -> flag(node.get("bid")));
        if (bid.isEmpty()) {
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "BAD_JSON", at, latency);
        }
        JsonNode node = parsed.get();
        if (!bid.get()) {
            return Answers.failedBid(leadId, buyerId, BidStatus.PASS, text(node.get("reason")), at, latency);
        }
        JsonNode price = node.get("price");
        if (price == null || price.isNull() || (price.isTextual() && price.asText().isBlank())) {
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "MISSING_PRICE", at, latency);
        }
        Optional<Long> cents = cents(price);
        if (cents.isEmpty()) {
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "BAD_PRICE", at, latency);
        }
        return Answers.bid(leadId, buyerId, BidStatus.BID, cents.get(), text(node.get("token")), null, at, latency);
    }

    @Override
    public BuyerRequest postRequest(Post post, BuyerConfig buyer) {
        Lead lead = post.getLead();
        Contact contact = lead.getContact() == null ? new Contact() : lead.getContact();
        Profile profile = lead.getProfile() == null ? new Profile() : lead.getProfile();
        Consent consent = lead.getConsent() == null ? new Consent() : lead.getConsent();

        ObjectNode leadNode = JSON.createObjectNode();
        leadNode.put("firstName", contact.getFirstName());
        leadNode.put("lastName", contact.getLastName());
        leadNode.put("email", contact.getEmail());
        leadNode.put("phone", contact.getPhone());
        leadNode.put("streetAddress", contact.getStreetAddress());
        leadNode.put("city", profile.getCity());
        leadNode.put("state", profile.getState());
        leadNode.put("zip", profile.getZip());
        leadNode.put("vertical", profile.getVertical());
        leadNode.put("sourceId", lead.getSourceId());
        leadNode.put("subId", lead.getSubId());
        leadNode.set("attributes", attributes(profile.getAttributes()));
        // The winner's own proof of consent: everything the seller captured, so it never has to ask us.
        ObjectNode consentNode = leadNode.putObject("consent");
        consentNode.put("method", consent.getMethod());
        consentNode.put("certificateId", consent.getCertificateId());
        consentNode.put("capturedAt", consent.getCapturedAt());
        consentNode.put("pageUrl", consent.getPageUrl());
        consentNode.put("trustedFormCertUrl", consent.getTrustedFormCertUrl());
        consentNode.put("leadIdToken", consent.getLeadIdToken());
        consentNode.put("disclosure", consent.getDisclosure());
        consentNode.put("disclosureVersion", consent.getDisclosureVersion());
        consentNode.put("disclosureHash", consent.getDisclosureHash());
        consentNode.put("ipAddress", contact.getIpAddress());
        consentNode.put("userAgent", consent.getUserAgent());
        ArrayNode named = consentNode.putArray("namedBuyers");
        if (consent.getNamedBuyers() != null) {
            consent.getNamedBuyers().forEach(name -> named.add(name.toString()));
        }

        ObjectNode body = JSON.createObjectNode();
        body.put("leadId", post.getLeadId());
        body.put("token", post.getPingToken());
        body.put("price", Money.format(post.getPriceCents()));
        body.put("attempt", post.getAttempt());
        body.set("lead", leadNode);
        Map<String, String> headers = Map.of(
                LEAD_ID_HEADER, post.getLeadId(),
                IDEMPOTENCY_KEY_HEADER, post.getLeadId() + ":" + post.getBuyerId() + ":" + post.getAttempt());
        return BuyerRequest.post(buyer.getPostUrl(), headers, CONTENT_TYPE, bytes(body));
    }

    @Override
    public PostResult toPostResult(Post post, HttpAnswer answer) {
        long at = answer.receivedAt();
        long latency = answer.latencyMs();
        if (!answer.successful()) {
            return Answers.postResult(post, PostStatus.ERROR, null, "HTTP_" + answer.status(), at, latency);
        }
        Optional<JsonNode> parsed = parseObject(answer);
        Optional<Boolean> accepted = parsed.flatMap(node -> flag(node.get("accepted")));
        if (accepted.isEmpty()) {
            return Answers.postResult(post, PostStatus.ERROR, null, "BAD_JSON", at, latency);
        }
        JsonNode node = parsed.get();
        return accepted.get()
                ? Answers.postResult(post, PostStatus.ACCEPTED, text(node.get("buyerLeadId")), null, at, latency)
                : Answers.postResult(post, PostStatus.REJECTED, null, text(node.get("reason")), at, latency);
    }

    private static Optional<JsonNode> parseObject(HttpAnswer answer) {
        if (answer.truncated() || answer.body().length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(answer.body());
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code true}/{@code false}, also when a buyer quotes them. */
    private static Optional<Boolean> flag(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isTextual() && (node.textValue().equalsIgnoreCase("true") || node.textValue().equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(node.textValue()));
        }
        return Optional.empty();
    }

    private static Optional<Long> cents(JsonNode price) {
        if (price.isTextual()) {
            return Money.parseCents(price.textValue());
        }
        if (price.isNumber()) {
            return Money.toCents(price.decimalValue());
        }
        return Optional.empty();
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static ObjectNode attributes(Map<String, String> attributes) {
        ObjectNode node = JSON.createObjectNode();
        if (attributes != null) {
            attributes.forEach(node::put);
        }
        return node;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON tree", e);
        }
    }
}
