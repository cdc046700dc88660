package io.leadmkt.streams.api;

import static io.leadmkt.streams.intake.TestLeads.CREATED_AT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.access.TestKeys;
import io.leadmkt.streams.intake.TestLeads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeadApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Lead> submitted = Collections.synchronizedList(new ArrayList<>());
    private Function<Lead, CompletableFuture<Void>> intake = lead -> {
        submitted.add(lead);
        return CompletableFuture.completedFuture(null);
    };
    private Function<String, Optional<LeadStatus>> lookup = id -> Optional.empty();
    private Map<String, Object> health = Map.of("status", "UP", "streams", "RUNNING");
    private LeadApi api;

    @BeforeEach
    void start() {
        api = new LeadApi(0, TestKeys.access(), lead -> intake.apply(lead), id -> lookup.apply(id), () -> health).start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(api, HttpRequest.newBuilder().header("Content-Type", "application/json"), BodyPublishers.ofString(body));
    }

    private HttpResponse<String> post(LeadApi target, HttpRequest.Builder request, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return http.send(request.uri(uri(target, "/v1/leads")).header("Authorization", "Bearer " + TestKeys.SELLER.key())
                .POST(body).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(api, path)).header("Authorization", "Bearer " + TestKeys.ANALYST.key())
                .GET().build(), BodyHandlers.ofString());
    }

    private static URI uri(LeadApi target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    @Test
    void shouldAcceptAndSubmitRawLeadWhenBodyIsValid() throws Exception {
        HttpResponse<String> response = post(TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = json(response);
        assertThat(body.get("leadId").asText()).isEqualTo("lead-1");
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("statusUrl").asText()).isEqualTo("/v1/leads/lead-1");
        assertThat(submitted).singleElement().satisfies(lead -> {
            assertThat(lead.getLeadId()).isEqualTo("lead-1");
            assertThat(lead.getContact().getPhone()).as("the stream normalises; we send what came").isEqualTo("(512) 555-0147");
            assertThat(lead.getEnrichment()).isNull();
        });
    }

    @Test
    void shouldMintLeadIdWhenBodyHasNone() throws Exception {
        String body = TestLeads.json().replace("\"leadId\": \"lead-1\",", "");

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(202);
        String leadId = json(response).get("leadId").asText();
        assertThat(UUID.fromString(leadId)).isNotNull();
        assertThat(json(response).get("statusUrl").asText()).isEqualTo("/v1/leads/" + leadId);
        assertThat(submitted).extracting(Lead::getLeadId).containsExactly(leadId);
    }

    @Test
    void shouldTolerateContentTypeWhenBodyParses() throws Exception {
        HttpResponse<String> plain = post(api, HttpRequest.newBuilder().header("Content-Type", "text/plain"),
                BodyPublishers.ofString(TestLeads.json()));
        HttpResponse<String> none = post(api, HttpRequest.newBuilder(), BodyPublishers.ofString(TestLeads.json()));

        assertThat(plain.statusCode()).isEqualTo(202);
        assertThat(none.statusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer400NamingEachBadFieldWhenLeadIsInvalid() throws Exception {
        String body = TestLeads.json()
                .replace("(512) 555-0147", "555-0147")
                .replace("\" tx \"", "\"ZZ\"")
                .replace("\"campaignId\": \"camp-1\",", "");

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = json(response);
        assertThat(json.get("error").asText()).isEqualTo("invalid_lead");
        assertThat(json.get("errors")).extracting(error -> error.get("field").asText() + ":" + error.get("code").asText())
                .containsExactlyInAnyOrder("contact.phone:FORMAT", "profile.state:FORMAT", "campaignId:MISSING");
        assertThat(json.get("errors")).allSatisfy(error -> assertThat(error.get("message").asText()).isNotBlank());
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAnswer400WithPathsWhenJsonTypesAreWrong() throws Exception {
        HttpResponse<String> response = post("{\"contact\":{\"phone\":5125550147},\"profile\":[]}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = json(response);
        assertThat(json.get("error").asText()).isEqualTo("invalid_lead");
        assertThat(json.get("errors")).extracting(error -> error.get("field").asText() + ":" + error.get("code").asText())
                .containsExactly("contact.phone:WRONG_TYPE", "profile:WRONG_TYPE");
    }

    @Test
    void shouldAnswer400MalformedWhenBodyIsNotJson() throws Exception {
        HttpResponse<String> response = post("{\"leadId\": \"x\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = json(response);
        assertThat(json.get("error").asText()).isEqualTo("malformed_json");
        assertThat(json.get("errors").get(0).get("field").asText()).isEqualTo("$");
        assertThat(json.get("errors").get(0).get("code").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAnswer413WhenBodyExceeds64Kilobytes() throws Exception {
        String body = TestLeads.json().replace("{\"leadId\"", "{\"padding\": \"" + "x".repeat(LeadApi.MAX_BODY_BYTES) + "\", \"leadId\"");

        HttpResponse<String> response = post(body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("payload_too_large");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAnswer413WhenChunkedBodyExceeds64Kilobytes() throws Exception {
        byte[] body = ("{\"padding\": \"" + "x".repeat(LeadApi.MAX_BODY_BYTES) + "\"}").getBytes();
        // A publisher of unknown length makes the client send chunked, with no Content-Length to trust.
        HttpRequest.BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body));

        HttpResponse<String> response = post(api, HttpRequest.newBuilder(), chunked);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAcceptBodyWhenExactlyAtTheLimit() throws Exception {
        String lead = TestLeads.json();
        String body = lead + " ".repeat(LeadApi.MAX_BODY_BYTES - lead.getBytes().length);

        assertThat(post(body).statusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer503WhenIntakeFails() throws Exception {
        intake = lead -> CompletableFuture.failedFuture(new IllegalStateException("broker down"));

        HttpResponse<String> response = post(TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("intake_unavailable");
        assertThat(response.body()).doesNotContain("broker down");
    }

    @Test
    void shouldAnswer503WhenIntakeThrows() throws Exception {
        intake = lead -> {
            throw new IllegalStateException("producer closed");
        };

        HttpResponse<String> response = post(TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("intake_unavailable");
    }

    @Test
    void shouldAnswer503WithRetryAfterAndWriteNothingWhenThePipelineIsBehind() throws Exception {
        intake = lead -> CompletableFuture.failedFuture(new IntakeOverloadedException(4_200, 5, 73, 60));

        HttpResponse<String> response = post(TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(json(response).get("error").asText()).isEqualTo("overloaded");
        assertThat(json(response).get("retryable").asBoolean()).isTrue();
        assertThat(json(response).get("lagMs").asLong()).isEqualTo(4_200);
        assertThat(json(response).get("leadsInFlight").asLong()).isEqualTo(73);
        assertThat(json(response).get("maxLeadsInFlight").asLong()).isEqualTo(60);
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAnswer503NotReadyWithRetryAfterWhenTheInstanceIsNotSellingYet() throws Exception {
        intake = lead -> CompletableFuture.failedFuture(new IntakeNotReadyException("REBALANCING"));

        HttpResponse<String> response = post(TestLeads.json());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("2");
        assertThat(json(response).get("error").asText()).isEqualTo("not_ready");
        assertThat(json(response).get("retryable").asBoolean()).isTrue();
        assertThat(json(response).get("message").asText()).contains("REBALANCING");
    }

    @Test
    void shouldAnswer503WhenIntakeNeverAnswers() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        try (LeadApi slow = new LeadApi(0, TestKeys.access(), lead -> never, id -> Optional.empty(), Map::of,
                Duration.ofMillis(50)).start()) {
            HttpResponse<String> response = post(slow, HttpRequest.newBuilder(), BodyPublishers.ofString(TestLeads.json()));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).get("error").asText()).isEqualTo("intake_unavailable");
            assertThat(never).as("the producer's own future is left alone").isNotDone();
        }
    }

    @Test
    void shouldServeStatusWithMoneyAsStringsWhenLeadIsSold() throws Exception {
        lookup = id -> Optional.of(soldStatus(id));

        HttpResponse<String> response = get("/v1/leads/lead-1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode json = json(response);
        assertThat(json.get("leadId").asText()).isEqualTo("lead-1");
        assertThat(json.get("stage").asText()).isEqualTo("SOLD");
        assertThat(json.get("updatedAt").asLong()).isEqualTo(CREATED_AT + 900);
        assertThat(json.get("rejection").isNull()).isTrue();
        JsonNode outcome = json.get("outcome");
        assertThat(outcome.get("status").asText()).isEqualTo("SOLD");
        assertThat(outcome.get("buyerId").asText()).isEqualTo("buyer-a");
        assertThat(outcome.get("price").isTextual()).isTrue();
        assertThat(outcome.get("price").asText()).isEqualTo("20.00");
        assertThat(outcome.get("reason").isNull()).isTrue();
        assertThat(outcome.get("buyersPinged").asInt()).isEqualTo(3);
        JsonNode timeline = json.get("timeline");
        assertThat(timeline).hasSize(3);
        assertThat(timeline.get(0).get("type").asText()).isEqualTo("RECEIVED");
        assertThat(timeline.get(0).get("price").isNull()).isTrue();
        assertThat(timeline.get(0).get("detail").isObject()).isTrue();
        JsonNode bid = timeline.get(1);
        assertThat(bid.get("type").asText()).isEqualTo("BID");
        assertThat(bid.get("at").asLong()).isEqualTo(CREATED_AT + 300);
        assertThat(bid.get("buyerId").asText()).isEqualTo("buyer-a");
        assertThat(bid.get("attempt").asInt()).isEqualTo(1);
        assertThat(bid.get("status").asText()).isEqualTo("BID");
        assertThat(bid.get("price").isTextual()).isTrue();
        assertThat(bid.get("price").asText()).isEqualTo("12.50");
        assertThat(bid.get("detail").get("latencyMs").asText()).isEqualTo("42");
        assertThat(timeline.get(2).get("price").asText()).isEqualTo("0.05");
    }

    @Test
    void shouldServeRejectionWithErrorsWhenLeadWasRejected() throws Exception {
        lookup = id -> Optional.of(LeadStatus.newBuilder()
                .setLeadId(id).setStage("REJECTED").setUpdatedAt(CREATED_AT)
                // Explicit: the builder's default [] of AuditEvent trips Avro's class-security check
                // until a serde has trusted our package.
                .setTimeline(List.of())
                .setRejection(Rejection.newBuilder()
                        .setLeadId(id).setReasonCode("INVALID").setRejectedAt(CREATED_AT)
                        .setErrors(List.of(new FieldError("contact.phone", "FORMAT", "bad phone")))
                        .build())
                .build());

        JsonNode json = json(get("/v1/leads/lead-2"));

        assertThat(json.get("outcome").isNull()).isTrue();
        assertThat(json.get("timeline")).isEmpty();
        assertThat(json.get("rejection").get("reasonCode").asText()).isEqualTo("INVALID");
        assertThat(json.get("rejection").get("errors").get(0).get("field").asText()).isEqualTo("contact.phone");
        assertThat(json.get("rejection").get("errors").get(0).get("code").asText()).isEqualTo("FORMAT");
    }

    @Test
    void shouldAnswer404WhenLeadIsUnknown() throws Exception {
        HttpResponse<String> response = get("/v1/leads/nobody");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void shouldRedirectToOwningInstanceWhenLeadIsServedElsewhere() throws Exception {
        lookup = id -> {
            throw new LeadOwnedElsewhere("http://10.0.0.7:8080");
        };

        HttpResponse<String> response = get("/v1/leads/L-42");

        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("Location")).contains("http://10.0.0.7:8080/v1/leads/L-42");
        assertThat(json(response).get("error").asText()).isEqualTo("served_elsewhere");
    }

    @Test
    void shouldAnswer503RetryableWhenLookupThrows() throws Exception {
        lookup = id -> {
            throw new IllegalStateException("store is rebalancing");
        };

        HttpResponse<String> response = get("/v1/leads/lead-1");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode json = json(response);
        assertThat(json.get("error").asText()).isEqualTo("unavailable");
        assertThat(json.get("retryable").asBoolean()).isTrue();
        assertThat(response.body()).doesNotContain("rebalancing");
    }

    @Test
    void shouldServeHealthMapWhenAsked() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("UP");
        assertThat(json(response).get("streams").asText()).isEqualTo("RUNNING");
    }

    @Test
    void shouldAnswer404JsonWhenRouteIsUnknown() throws Exception {
        HttpResponse<String> response = get("/v2/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void shouldAnswerJsonErrorWhenMethodIsWrong() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(api, "/v1/leads/lead-1"))
                .DELETE().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isBetween(404, 405);
        assertThat(json(response).get("error").asText()).isNotBlank();
    }

    @Test
    void shouldAnswer500WithoutStackTraceWhenSomethingUnexpectedFails() throws Exception {
        health = Map.of("unserialisable", new Object());

        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("error").asText()).isEqualTo("internal_error");
        assertThat(response.body()).doesNotContain("Exception", "at io.");
    }

    @Test
    void shouldKeepServingWhenEarlierRequestsWereBad() throws Exception {
        post("][");
        post("{\"contact\": null}");
        http.send(HttpRequest.newBuilder(uri(api, "/v1/leads")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1})).build(), BodyHandlers.ofString());
        get("/v1/leads/%00%ff");

        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(post(TestLeads.json()).statusCode()).isEqualTo(202);
    }

    private static LeadStatus soldStatus(String leadId) {
        return LeadStatus.newBuilder()
                .setLeadId(leadId)
                .setStage("SOLD")
                .setUpdatedAt(CREATED_AT + 900)
                .setOutcome(Outcome.newBuilder()
                        .setLeadId(leadId).setStatus(OutcomeStatus.SOLD).setBuyerId("buyer-a").setPriceCents(2000L)
                        .setCampaignId("camp-1").setSourceId("src-1").setCreatedAt(CREATED_AT)
                        .setReceivedAt(CREATED_AT + 10).setDecidedAt(CREATED_AT + 900)
                        .setBuyersPinged(3).setBidsReceived(2).setPostAttempts(1)
                        .build())
                .setTimeline(List.of(
                        AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.RECEIVED).setAt(CREATED_AT + 10).build(),
                        AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.BID).setAt(CREATED_AT + 300)
                                .setBuyerId("buyer-a").setAttempt(1).setStatus("BID").setPriceCents(1250L)
                                .setDetail(Map.of("latencyMs", "42")).build(),
                        AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.BID).setAt(CREATED_AT + 310)
                                .setBuyerId("buyer-b").setStatus("BID").setPriceCents(5L).build()))
                .build();
    }
}
