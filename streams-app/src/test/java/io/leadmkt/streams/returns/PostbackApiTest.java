package io.leadmkt.streams.returns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackDecision;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.SoldLead;
import io.leadmkt.streams.access.ApiCalls;
import io.leadmkt.streams.access.TestKeys;
import io.leadmkt.streams.api.LeadApi;
import io.leadmkt.streams.api.LeadOwnedElsewhere;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The postback routes on a real server on loopback, with the returns desk's sales given by the test:
 * who may report on which lead, what a bad request is told, the signed URL, idempotent answers.
 */
class PostbackApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cret-of-buyer-a-0123";

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, SoldLead> sales = new ConcurrentHashMap<>();
    private final List<Postback> written = Collections.synchronizedList(new ArrayList<>());
    private volatile String elsewhere;
    private LeadApi api;

    @BeforeEach
    void start() {
        sales.put(ReturnDesk.saleKey(TestKeys.BUYER, "L1"), sale("L1"));
        PostbackApi postbacks = new PostbackApi((buyerId, leadId) -> {
            if (elsewhere != null) {
                throw new LeadOwnedElsewhere(elsewhere);
            }
            return Optional.ofNullable(sales.get(ReturnDesk.saleKey(buyerId, leadId)));
        }, buyerId -> buyerId.equals(TestKeys.BUYER)
                ? Optional.of(BuyerConfig.newBuilder().setBuyerId(buyerId).setPostbackSecret(SECRET).build())
                : Optional.empty(),
                postback -> {
                    written.add(postback);
                    return CompletableFuture.completedFuture(null);
                });
        api = new LeadApi(0, TestKeys.access(), lead -> CompletableFuture.completedFuture(null), id -> Optional.empty(),
                Map::of).withPostbacks(postbacks).start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static SoldLead sale(String leadId) {
        return SoldLead.newBuilder().setLeadId(leadId).setBuyerId(TestKeys.BUYER).setPriceCents(1_500)
                .setSellerPayoutCents(1_350).setSourceId(TestKeys.SOURCE).setCampaignId("camp").setSoldAt(1_000)
                .setKeepUntil(Long.MAX_VALUE).build();
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        return ApiCalls.call(http, api.port(), method, path, key, body);
    }

    private HttpResponse<String> postback(String key, String body) throws Exception {
        return send("POST", "/v1/postbacks", key, body);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String signedPath(String buyerId, Map<String, String> parameters, String signature) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.put("sig", signature);
        return "/v1/postbacks/" + buyerId + "?" + all.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Test
    void shouldWriteTheBuyersReturnAndSayWhereToReadItsDecisionWhenItBoughtTheLead() throws Exception {
        HttpResponse<String> response = postback(TestKeys.BUYER_KEY.key(),
                "{\"leadId\":\"L1\",\"type\":\"return\",\"reason\":\"BAD_PHONE\",\"occurredAt\":\"2026-11-30T10:00:00Z\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).path("statusUrl").asText()).isEqualTo("/v1/postbacks/L1/return");
        assertThat(written).singleElement().satisfies(p -> {
            assertThat(p.getBuyerId()).isEqualTo(TestKeys.BUYER);
            assertThat(p.getType()).isEqualTo(PostbackType.RETURN);
            assertThat(p.getReason()).isEqualTo("BAD_PHONE");
            assertThat(p.getOccurredAt()).isEqualTo(java.time.Instant.parse("2026-11-30T10:00:00Z").toEpochMilli());
            assertThat(p.getVia()).isEqualTo("http");
        });
    }

    @Test
    void shouldAnswer403AndWriteNothingWhenAnotherBuyerReportsOnTheLead() throws Exception {
        HttpResponse<String> response = postback(TestKeys.OTHER_BUYER.key(), "{\"leadId\":\"L1\",\"type\":\"CONVERSION\"}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"error\":\"forbidden\"}");
        assertThat(written).isEmpty();
        assertThat(postback(TestKeys.SELLER.key(), "{\"leadId\":\"L1\",\"type\":\"CONVERSION\"}").statusCode())
                .as("a seller's key").isEqualTo(403);
    }

    @Test
    void shouldNameEveryBadFieldWhenThePostbackIsInvalid() throws Exception {
        HttpResponse<String> response = postback(TestKeys.BUYER_KEY.key(),
                "{\"type\":\"refund\",\"value\":12.5,\"reaosn\":\"X\",\"occurredAt\":\"yesterday\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo("invalid_postback");
        assertThat(body.path("errors")).extracting(JsonNode::asText).anySatisfy(e -> assertThat(e).startsWith("leadId: "))
                .anySatisfy(e -> assertThat(e).startsWith("type: "))
                .anySatisfy(e -> assertThat(e).startsWith("value: "))
                .anySatisfy(e -> assertThat(e).startsWith("reaosn: unknown field"))
                .anySatisfy(e -> assertThat(e).startsWith("occurredAt: "));
        assertThat(json(postback(TestKeys.BUYER_KEY.key(), "{\"leadId\":\"L1\",\"type\":\"RETURN\"}")).path("errors").get(0)
                .asText()).startsWith("reason: required");
        assertThat(written).isEmpty();
    }

    @Test
    void shouldAnswerWithTheDecisionAndWriteNothingWhenTheLeadAlreadyHasOneOfThatType() throws Exception {
        SoldLead sale = sale("L1");
        sale.setReturned(PostbackDecision.newBuilder().setLeadId("L1").setBuyerId(TestKeys.BUYER)
                .setType(PostbackType.RETURN).setStatus(PostbackStatus.REFUSED).setReason(ReturnRules.OUTSIDE_WINDOW)
                .setSoldAt(1_000).setReceivedAt(2_000).setDecidedAt(2_000).build());
        sales.put(ReturnDesk.saleKey(TestKeys.BUYER, "L1"), sale);

        HttpResponse<String> again = postback(TestKeys.BUYER_KEY.key(), "{\"leadId\":\"L1\",\"type\":\"RETURN\",\"reason\":\"X\"}");
        HttpResponse<String> status = send("GET", "/v1/postbacks/L1/return", TestKeys.BUYER_KEY.key(), null);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("status").asText()).isEqualTo("REFUSED");
        assertThat(json(again).path("reason").asText()).isEqualTo(ReturnRules.OUTSIDE_WINDOW);
        assertThat(written).isEmpty();
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).isEqualTo(again.body());
        assertThat(send("GET", "/v1/postbacks/L1/conversion", TestKeys.BUYER_KEY.key(), null).statusCode())
                .as("nothing decided yet").isEqualTo(404);
        assertThat(send("GET", "/v1/postbacks/L1/return?buyer=" + TestKeys.BUYER, TestKeys.OTHER_SELLER.key(), null)
                .statusCode()).as("another seller").isEqualTo(403);
        assertThat(send("GET", "/v1/postbacks/L1/return?buyer=" + TestKeys.BUYER, TestKeys.SELLER.key(), null)
                .statusCode()).as("the lead's seller").isEqualTo(200);
        assertThat(send("GET", "/v1/postbacks/L1/return", TestKeys.ANALYST.key(), null).statusCode())
                .as("an analyst must name the buyer").isEqualTo(400);
    }

    @Test
    void shouldTakeASignedUrlWithoutAKeyAndRefuseABadSignatureWith401() throws Exception {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("type", "CONVERSION");
        parameters.put("leadId", "L1");
        parameters.put("value", "250.00");
        String good = PostbackSignature.sign(SECRET, parameters);

        HttpResponse<String> forged = send("GET", signedPath(TestKeys.BUYER, parameters, "00" + good.substring(2)), null, null);
        HttpResponse<String> otherBuyer = send("GET", signedPath("buyer-b", parameters, good), null, null);
        parameters.put("value", "2500.00");
        HttpResponse<String> tampered = send("GET", signedPath(TestKeys.BUYER, parameters, good), null, null);
        assertThat(List.of(forged.statusCode(), otherBuyer.statusCode(), tampered.statusCode())).containsOnly(401);
        assertThat(forged.body()).isEqualTo("{\"error\":\"bad_signature\"}");
        assertThat(written).isEmpty();

        parameters.put("value", "250.00");
        HttpResponse<String> signed = send("GET", signedPath(TestKeys.BUYER, parameters, good.toUpperCase()), null, null);

        assertThat(signed.statusCode()).isEqualTo(202);
        assertThat(written).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo(PostbackType.CONVERSION);
            assertThat(p.getValueCents()).isEqualTo(25_000L);
            assertThat(p.getVia()).isEqualTo("signed-get");
        });
    }

    @Test
    void shouldSendTheBuyerToTheInstanceKeepingItsSalesWhenAnotherOneDoes() throws Exception {
        elsewhere = "http://10.0.0.7:8080";

        HttpResponse<String> response = send("GET", "/v1/postbacks/L1/return", TestKeys.BUYER_KEY.key(), null);

        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("Location")).contains("http://10.0.0.7:8080/v1/postbacks/L1/return");
    }

    @Test
    void shouldWriteTheSellersReviewOnlyWhenAReturnWaitsForIt() throws Exception {
        String body = "{\"buyerId\":\"" + TestKeys.BUYER + "\",\"approve\":true}";
        assertThat(send("POST", "/v1/postbacks/L1/return/review", TestKeys.SELLER.key(), body).statusCode())
                .as("no return waits").isEqualTo(409);
        SoldLead sale = sale("L1");
        sale.setReturned(PostbackDecision.newBuilder().setLeadId("L1").setBuyerId(TestKeys.BUYER)
                .setType(PostbackType.RETURN).setStatus(PostbackStatus.PENDING_REVIEW).setReason("BAD_PHONE")
                .setSoldAt(1_000).setReceivedAt(2_000).setDecidedAt(2_000).build());
        sales.put(ReturnDesk.saleKey(TestKeys.BUYER, "L1"), sale);

        assertThat(send("POST", "/v1/postbacks/L1/return/review", TestKeys.OTHER_SELLER.key(), body).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/v1/postbacks/L1/return/review", TestKeys.SELLER.key(), "{\"approve\":\"yes\"}")
                .statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/postbacks/L1/return/review", TestKeys.SELLER.key(), body).statusCode())
                .isEqualTo(202);
        assertThat(written).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo(PostbackType.RETURN_REVIEW);
            assertThat(p.getApproved()).isTrue();
            assertThat(p.getReviewedBy()).isEqualTo(TestKeys.SELLER.record().getKeyId());
        });
    }
}
