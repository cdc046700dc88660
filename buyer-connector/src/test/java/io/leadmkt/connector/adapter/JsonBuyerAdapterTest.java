package io.leadmkt.connector.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBuyerAdapterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long AT = 1_700_000_000_123L;

    private final JsonBuyerAdapter adapter = new JsonBuyerAdapter();
    private final BuyerConfig buyer = Fixtures.buyer("b1", "http://buyer.example/ping");
    private final Ping ping = Fixtures.ping("L-1", AT + 500, "b1");
    private final Post post = Fixtures.post("L-1", "b1", 2, AT + 3000);

    private Bid bid(int status, String body) {
        return adapter.toBid(ping, buyer, HttpAnswer.of(status, body, 42, AT));
    }

    private PostResult postResult(int status, String body) {
        return adapter.toPostResult(post, HttpAnswer.of(status, body, 42, AT));
    }

    @Test
    void shouldBuildPingFromPreviewWhenPinging() throws IOException {
        BuyerRequest request = adapter.pingRequest(ping, buyer, 450);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.url()).isEqualTo("http://buyer.example/ping");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.headers()).containsEntry("X-Leadmkt-Lead-Id", "L-1");
        JsonNode body = JSON.readTree(request.body());
        assertThat(fieldNames(body)).containsExactly("leadId", "campaignId", "vertical", "state", "zip", "score",
                "leadAgeMs", "sourceId", "subId", "floor", "attributes", "timeoutMs");
        assertThat(body.get("leadId").asText()).isEqualTo("L-1");
        assertThat(body.get("campaignId").asText()).isEqualTo("camp-1");
        assertThat(body.get("vertical").asText()).isEqualTo("auto_insurance");
        assertThat(body.get("state").asText()).isEqualTo("TX");
        assertThat(body.get("zip").asText()).isEqualTo("75001");
        assertThat(body.get("score").asInt()).isEqualTo(72);
        assertThat(body.get("leadAgeMs").asLong()).isEqualTo(120);
        assertThat(body.get("floor").asText()).isEqualTo("5.00");
        assertThat(body.get("attributes").get("homeowner").asText()).isEqualTo("true");
        assertThat(body.get("timeoutMs").asLong()).isEqualTo(450);
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).doesNotContain(Fixtures.PII_VALUES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"12.5\"", "\"12.50\"", "\"$12.50\"", "12.5", "12.50"})
    void shouldBidExactCentsWhenPriceIsStringOrNumber(String price) {
        Bid bid = bid(200, "{\"bid\":true,\"price\":" + price + ",\"token\":\"abc\"}");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isEqualTo(1250L);
        assertThat(bid.getPingToken()).isEqualTo("abc");
        assertThat(bid.getLeadId()).isEqualTo("L-1");
        assertThat(bid.getBuyerId()).isEqualTo("b1");
        assertThat(bid.getLatencyMs()).isEqualTo(42);
        assertThat(bid.getRespondedAt()).isEqualTo(AT);
    }

    @Test
    void shouldBidZeroWhenPriceIsZero() {
        Bid bid = bid(200, "{\"bid\":true,\"price\":0}");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isZero();
        assertThat(bid.getPingToken()).isNull();
    }

    @Test
    void shouldPassWithReasonWhenBuyerDeclines() {
        Bid bid = bid(200, "{\"bid\":false,\"reason\":\"state not served\"}");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.PASS);
        assertThat(bid.getReason()).isEqualTo("state not served");
        assertThat(bid.getPriceCents()).isNull();
    }

    @Test
    void shouldPassWhenAnswerIsNoContent() {
        assertThat(bid(204, null).getStatus()).isEqualTo(BidStatus.PASS);
    }

    @ParameterizedTest
    @ValueSource(ints = {302, 400, 404, 500, 503})
    void shouldErrorWithStatusCodeWhenAnswerIsNot2xx(int status) {
        Bid bid = bid(status, "{\"bid\":true,\"price\":\"12.50\"}");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.ERROR);
        assertThat(bid.getReason()).isEqualTo("HTTP_" + status);
        assertThat(bid.getPriceCents()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html><body>Internal error</body></html>", "{\"bid\":true,\"price\":\"12.", "", "[]",
            "{\"price\":\"12.50\"}", "{\"bid\":\"maybe\"}", "{\"bid\":true,\"price\":\"1\"} trailing",
            "{\"bid\":true,\"price\":NaN}"})
    void shouldErrorBadJsonWhenBodyIsNotTheProtocolObject(String body) {
        Bid bid = bid(200, body);

        assertThat(bid.getStatus()).isEqualTo(BidStatus.ERROR);
        assertThat(bid.getReason()).isEqualTo("BAD_JSON");
    }

    @Test
    void shouldErrorBadJsonWhenBodyWasTruncatedByTheCap() {
        byte[] body = "{\"bid\":true,\"price\":\"12.50\"}".getBytes(StandardCharsets.UTF_8);
        HttpAnswer cut = new HttpAnswer(200, body, null, 1, AT, true);

        assertThat(adapter.toBid(ping, buyer, cut).getReason()).isEqualTo("BAD_JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"bid\":true}", "{\"bid\":true,\"price\":null}", "{\"bid\":true,\"price\":\" \"}"})
    void shouldErrorMissingPriceWhenBidHasNoPrice(String body) {
        Bid bid = bid(200, body);

        assertThat(bid.getStatus()).isEqualTo(BidStatus.ERROR);
        assertThat(bid.getReason()).isEqualTo("MISSING_PRICE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"-3\"", "-3", "-0.5", "\"NaN\"", "\"12.345\"", "12.345", "\"twelve\"", "true",
            "{\"amount\":12}", "\"1e3\"", "1e400"})
    void shouldErrorBadPriceWhenPriceIsNotAnExactNonNegativeAmount(String price) {
        Bid bid = bid(200, "{\"bid\":true,\"price\":" + price + "}");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.ERROR);
        assertThat(bid.getReason()).isEqualTo("BAD_PRICE");
        assertThat(bid.getPriceCents()).isNull();
    }

    @Test
    void shouldBuildPostWithFullLeadAndIdempotencyKeyWhenPosting() throws IOException {
        BuyerRequest request = adapter.postRequest(post, Fixtures.buyer("b1", "http://buyer.example/post"));

        assertThat(request.url()).isEqualTo("http://buyer.example/post");
        assertThat(request.headers())
                .containsEntry("X-Leadmkt-Lead-Id", "L-1")
                .containsEntry("Idempotency-Key", "L-1:b1:2");
        JsonNode body = JSON.readTree(request.body());
        assertThat(fieldNames(body)).containsExactly("leadId", "token", "price", "attempt", "lead");
        assertThat(body.get("token").asText()).isEqualTo("tok-b1");
        assertThat(body.get("price").asText()).isEqualTo("12.50");
        assertThat(body.get("attempt").asInt()).isEqualTo(2);
        JsonNode lead = body.get("lead");
        assertThat(fieldNames(lead)).containsExactly("firstName", "lastName", "email", "phone", "streetAddress",
                "city", "state", "zip", "vertical", "sourceId", "subId", "attributes", "consent");
        assertThat(lead.get("email").asText()).isEqualTo("jane.doe@example.com");
        assertThat(lead.get("city").asText()).isEqualTo("Dallas");
        assertThat(lead.get("consent").get("certificateId").asText()).isEqualTo("cert-123");
        assertThat(lead.get("consent").get("capturedAt").asLong()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void shouldAcceptWhenBuyerAcceptsPost() {
        PostResult result = postResult(200, "{\"accepted\":true,\"buyerLeadId\":\"B-1\"}");

        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        assertThat(result.getBuyerLeadId()).isEqualTo("B-1");
        assertThat(result.getAttempt()).isEqualTo(2);
        assertThat(result.getBuyerId()).isEqualTo("b1");
        assertThat(result.getLatencyMs()).isEqualTo(42);
    }

    @Test
    void shouldRejectWithReasonWhenBuyerRejectsPost() {
        PostResult result = postResult(200, "{\"accepted\":false,\"reason\":\"duplicate\"}");

        assertThat(result.getStatus()).isEqualTo(PostStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo("duplicate");
    }

    @Test
    void shouldErrorWhenPostAnswerIsNot2xxOrNotJson() {
        assertThat(postResult(500, "oops").getReason()).isEqualTo("HTTP_500");
        assertThat(postResult(500, "oops").getStatus()).isEqualTo(PostStatus.ERROR);
        assertThat(postResult(200, "<html/>").getReason()).isEqualTo("BAD_JSON");
        assertThat(postResult(204, null).getReason()).isEqualTo("BAD_JSON");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
