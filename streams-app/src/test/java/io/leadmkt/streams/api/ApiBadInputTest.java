package io.leadmkt.streams.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.TestKeys;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.admin.ConfigDocuments;
import io.leadmkt.streams.admin.FakeConfigStore;
import io.leadmkt.streams.admin.IntegrationCheck;
import io.leadmkt.streams.intake.TestLeads;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input to each family of routes (leads, reports, admin documents and keys, opt-outs): oversized
 * bodies, wrong types, unknown fields, path tricks and very long ids each get a 4xx whose reason names
 * the field or parameter, and nothing is written.
 */
class ApiBadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final FakeConfigStore store = new FakeConfigStore();
    private final List<String> submitted = new ArrayList<>();
    private LeadApi api;

    @BeforeEach
    void start() {
        ReportSource reports = new ReportSource() {
            @Override
            public InstanceFanOut.Answer<ReportTable> report(ReportRequest request, String authorization) {
                return new InstanceFanOut.Answer<>(new ReportTable(request), Set.of());
            }

            @Override
            public InstanceFanOut.Part<ReportTable> part(ReportRequest request, InstanceFanOut.Share share) {
                return new InstanceFanOut.Part<>(Set.of(0), new ReportTable(request));
            }
        };
        api = new LeadApi(0, TestKeys.access(), Optional.empty(), lead -> {
            submitted.add(lead.getLeadId());
            return CompletableFuture.completedFuture(null);
        }, id -> Optional.empty(), Map::of, new AdminApi(new ConfigDocuments(IntegrationCheck.OBJECT_ONLY), store),
                null, reports).start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void shouldNameTheFieldWhenALeadIsBadOrItsIdCannotBeOne() throws Exception {
        String seller = TestKeys.SELLER.key();
        HttpResponse<String> unknown = call("POST", "/v1/leads", seller, TestLeads.json().replace("\"contact\": {",
                "\"contact\": {\"phnoe\": \"5125550147\", "));
        HttpResponse<String> wrongType = call("POST", "/v1/leads", seller, "{\"sourceId\": \"src-1\", \"createdAt\": \"now\"}");
        HttpResponse<String> oversized = call("POST", "/v1/leads", seller, "{\"x\":\"" + "a".repeat(70_000) + "\"}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("errors").get(0).get("field").asText()).isEqualTo("contact.phnoe");
        assertThat(json(unknown).get("errors").get(0).get("code").asText()).isEqualTo("UNKNOWN_FIELD");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(json(wrongType).get("errors").get(0).get("field").asText()).isEqualTo("createdAt");
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(json(oversized).get("maxBytes").asInt()).isEqualTo(LeadApi.MAX_BODY_BYTES);
        assertThat(submitted).isEmpty();

        String analyst = TestKeys.ANALYST.key();
        for (String id : List.of("x".repeat(129), "%2e%2e", "..%5c..%5cadmin", "a%00b", "a%2Fb")) {
            HttpResponse<String> response = call("GET", "/v1/leads/" + id, analyst, null);
            // Jetty refuses ambiguous encodings before any route (the path is wrong); the rest reach the id check.
            assertThat(response.statusCode()).as(id).isEqualTo(400);
            assertThat(json(response).get("parameter").asText()).as(id).isIn("id", "path");
        }
        assertThat(call("GET", "/v1/leads/../admin/buyers", analyst, null).statusCode()).as("never the admin route")
                .isBetween(400, 404);
        assertThat(json(call("GET", "/v1/leads/" + "x".repeat(129), analyst, null)).get("parameter").asText())
                .isEqualTo("id");
        assertThat(call("GET", "/v1/leads/" + "x".repeat(128), analyst, null).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldNameTheParameterWhenAReportIsAskedForWrongly() throws Exception {
        String analyst = TestKeys.ANALYST.key();

        HttpResponse<String> unknown = call("GET", "/v1/reports/buyer?buyers=b1", analyst, null);
        HttpResponse<String> bucket = call("GET", "/v1/reports/buyer?bucket=week", analyst, null);
        HttpResponse<String> from = call("GET", "/v1/reports/buyer?from=yesterday", analyst, null);
        HttpResponse<String> dimension = call("GET", "/v1/reports/planet", analyst, null);
        HttpResponse<String> longValue = call("GET", "/v1/reports/buyer?buyer=" + "b".repeat(200), analyst, null);

        assertThat(List.of(unknown, bucket, from, dimension, longValue)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r).get("error").asText()).isEqualTo("invalid_parameter");
        });
        assertThat(json(unknown).get("parameter").asText()).isEqualTo("buyers");
        assertThat(json(bucket).get("parameter").asText()).isEqualTo("bucket");
        assertThat(json(from).get("parameter").asText()).isEqualTo("from");
        assertThat(json(dimension).get("parameter").asText()).isEqualTo("dimension");
        assertThat(json(longValue).get("parameter").asText()).isEqualTo("buyer");
    }

    @Test
    void shouldNameTheFieldWhenAnAdminDocumentOrKeyRequestIsBad() throws Exception {
        String admin = TestKeys.ADMIN.key();
        HttpResponse<String> wrongType = call("PUT", "/v1/admin/buyers/b1", admin, "{\"buyerId\":\"b1\",\"minScore\":\"high\"}");
        HttpResponse<String> unknownField = call("PUT", "/v1/admin/buyers/b1", admin, "{\"buyerId\":\"b1\",\"colour\":\"red\"}");
        HttpResponse<String> oversized = call("PUT", "/v1/admin/buyers/b1", admin, "{\"name\":\"" + "a".repeat(70_000) + "\"}");
        HttpResponse<String> longId = call("DELETE", "/v1/admin/buyers/" + "b".repeat(129), admin, null);
        HttpResponse<String> keyUnknown = call("POST", "/v1/admin/keys", admin, "{\"role\":\"seller\",\"source\":\"S1\"}");
        HttpResponse<String> keyWrongType = call("POST", "/v1/admin/keys", admin, "{\"role\":\"seller\",\"sourceIds\":\"S1\"}");
        HttpResponse<String> keyNotJson = call("POST", "/v1/admin/keys", admin, "{role: seller}");
        HttpResponse<String> keyPathTrick = call("DELETE", "/v1/admin/keys/%2e%2e", admin, null);

        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("minScore");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(unknownField.body()).contains("colour");
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(json(longId).get("parameter").asText()).isEqualTo("id");
        assertThat(json(keyUnknown).get("errors").get(0).asText()).startsWith("source: unknown field");
        assertThat(json(keyWrongType).get("errors").get(0).asText()).startsWith("sourceIds: must be an array");
        assertThat(keyNotJson.statusCode()).isEqualTo(400);
        assertThat(json(keyNotJson).get("errors").get(0).asText()).startsWith("$:");
        assertThat(keyPathTrick.statusCode()).isEqualTo(400);
        assertThat(store.buyers).isEmpty();
        assertThat(store.keys).isEmpty();
    }

    @Test
    void shouldNameTheFieldWhenAnOptOutIsBad() throws Exception {
        String privacy = TestKeys.PRIVACY.key();
        HttpResponse<String> unknown = call("POST", "/v1/optouts", privacy, "{\"phone\":\"5125550123\",\"buyerId\":\"b\",\"ssn\":\"1\"}");
        HttpResponse<String> wrongType = call("POST", "/v1/optouts", privacy, "{\"phone\":5125550123,\"buyerId\":\"b\"}");
        HttpResponse<String> oversized = call("POST", "/v1/optouts", privacy, "{\"reason\":\"" + "a".repeat(70_000) + "\"}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("errors").get(0).asText()).startsWith("ssn: unknown field");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(json(wrongType).get("errors").get(0).asText()).startsWith("phone:");
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(store.suppressions).isEmpty();
    }
}
