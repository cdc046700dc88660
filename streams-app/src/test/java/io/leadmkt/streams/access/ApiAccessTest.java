package io.leadmkt.streams.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.ops.Health;
import io.leadmkt.ops.ProcessMetrics;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.admin.ConfigDocuments;
import io.leadmkt.streams.admin.FakeConfigStore;
import io.leadmkt.streams.admin.IntegrationCheck;
import io.leadmkt.streams.api.InstanceFanOut;
import io.leadmkt.streams.api.LeadApi;
import io.leadmkt.streams.api.ReportSource;
import io.leadmkt.streams.intake.TestLeads;
import io.leadmkt.streams.report.ReportKey;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportRow;
import io.leadmkt.streams.report.ReportTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of the HTTP API on a real server on loopback, asked by each role: 401 without a usable
 * key, 403 for the wrong party, 200 (or 202) with only the caller's data otherwise, and never any
 * data in a refusal.
 */
class ApiAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    private static final String REFUSED_401 = "{\"error\":\"unauthorized\"}";
    private static final String REFUSED_403 = "{\"error\":\"forbidden\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Lead> submitted = Collections.synchronizedList(new ArrayList<>());
    private final ApiKeyTable keys = TestKeys.table();
    private final FakeConfigStore store = new FakeConfigStore();
    private final List<String> forwardedAuthorization = Collections.synchronizedList(new ArrayList<>());
    private ProcessMetrics metrics;
    private LeadApi api;

    @BeforeEach
    void start() {
        metrics = ProcessMetrics.start("access-test");
        ReportSource reports = new ReportSource() {
            @Override
            public InstanceFanOut.Answer<ReportTable> report(ReportRequest request, String authorization) {
                forwardedAuthorization.add(authorization);
                return new InstanceFanOut.Answer<>(part(request, InstanceFanOut.Share.ACTIVE).value(), Set.of());
            }

            @Override
            public InstanceFanOut.Part<ReportTable> part(ReportRequest request, InstanceFanOut.Share share) {
                ReportTable table = new ReportTable(request);
                for (String value : List.of("buyer-a", "buyer-b", "src-1", "src-2", "TX")) {
                    table.addHour(ReportKey.of(request.dimension(), HOUR.toEpochMilli(), value), ReportRow.EMPTY
                            .plus(io.leadmkt.streams.report.Figure.values()[0], 1));
                }
                return new InstanceFanOut.Part<>(Set.of(0), table);
            }
        };
        api = new LeadApi(0, new Access(true, TestKeys.ADMIN_TOKEN, keys), Optional.empty(), lead -> {
            submitted.add(lead);
            return CompletableFuture.completedFuture(null);
        }, ApiAccessTest::status, Map::of, new AdminApi(new ConfigDocuments(IntegrationCheck.OBJECT_ONLY), store),
                new LeadApi.Operations(metrics, () -> Health.ready("RUNNING")), reports).start();
    }

    @AfterEach
    void stop() {
        api.close();
        metrics.close();
    }

    /** sold-a: sold to buyer-a by src-1, buyer-b bid too. sold-b: sold to buyer-b by src-2, buyer-a was only pinged. */
    private static Optional<LeadStatus> status(String leadId) {
        String buyer = leadId.equals("sold-a") ? "buyer-a" : "buyer-b";
        String source = leadId.equals("sold-a") ? "src-1" : "src-2";
        return Optional.of(LeadStatus.newBuilder().setLeadId(leadId).setStage("sold").setUpdatedAt(1L)
                .setOutcome(Outcome.newBuilder().setLeadId(leadId).setStatus(OutcomeStatus.SOLD).setBuyerId(buyer)
                        .setPriceCents(2000L).setSourceId(source).setCreatedAt(0).setReceivedAt(0).setDecidedAt(1)
                        .setBuyersPinged(2).setBidsReceived(2).setPostAttempts(1).build())
                .setTimeline(List.of(
                        AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.QUALIFIED).setAt(1L)
                                .setDetail(Map.of(AccessRules.SOURCE_DETAIL, source, "capped", "buyer-c")).build(),
                        AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.BID).setAt(2L)
                                .setBuyerId("buyer-a").setStatus("BID").setPriceCents(2000L).build(),
                        AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.BID).setAt(3L)
                                .setBuyerId("buyer-b").setStatus("BID").setPriceCents(1500L).build()))
                .build());
    }

    private HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        return ApiCalls.call(http, api.port(), method, path, key, body);
    }

    private HttpResponse<String> get(String path, ApiKeys.Minted key) throws Exception {
        return call("GET", path, key.key(), null);
    }

    private static List<String> column(HttpResponse<String> report, String column) throws Exception {
        List<String> values = new ArrayList<>();
        JSON.readTree(report.body()).get("rows").forEach(row -> values.add(row.get(column).asText()));
        return values;
    }

    @Test
    void shouldAnswer401WithNoDataWhenTheKeyIsMissingUnknownOrMalformedOnEveryProtectedRoute() throws Exception {
        List<String[]> routes = List.of(new String[]{"POST", "/v1/leads"}, new String[]{"GET", "/v1/leads/sold-a"},
                new String[]{"GET", "/v1/reports/buyer"}, new String[]{"POST", "/v1/optouts"},
                new String[]{"GET", "/v1/admin/buyers"}, new String[]{"POST", "/v1/admin/keys"},
                new String[]{"GET", "/v1/admin/keys"}, new String[]{"DELETE", "/v1/admin/keys/k_0000000000000000"});
        for (String[] route : routes) {
            for (String key : new String[]{null, "lmk_not-a-key", "", "x".repeat(5_000)}) {
                HttpResponse<String> response = call(route[0], route[1], key, "{}");
                assertThat(response.statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
                assertThat(response.body()).isEqualTo(REFUSED_401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
        }
        assertThat(submitted).isEmpty();
        assertThat(store.authors).isEmpty();
    }

    @Test
    void shouldServeHealthAndMetricsWithoutAKeyWhenAsked() throws Exception {
        assertThat(call("GET", "/health/live", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/metrics", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldTakeALeadOnlyFromItsSourcesSellerOrAnAdminWhenOneIsPosted() throws Exception {
        String lead = TestLeads.json(); // sourceId " src-1 "

        assertThat(call("POST", "/v1/leads", TestKeys.SELLER.key(), lead).statusCode()).isEqualTo(202);
        HttpResponse<String> otherSeller = call("POST", "/v1/leads", TestKeys.OTHER_SELLER.key(), lead);
        assertThat(otherSeller.statusCode()).isEqualTo(403);
        assertThat(otherSeller.body()).isEqualTo(REFUSED_403);
        for (ApiKeys.Minted notSeller : List.of(TestKeys.BUYER_KEY, TestKeys.ANALYST, TestKeys.PRIVACY)) {
            assertThat(call("POST", "/v1/leads", notSeller.key(), lead).statusCode()).isEqualTo(403);
        }
        assertThat(call("POST", "/v1/leads", TestKeys.ADMIN.key(), lead).statusCode()).isEqualTo(202);
        assertThat(call("POST", "/v1/leads", TestKeys.ADMIN_TOKEN, lead).statusCode()).isEqualTo(202);
        HttpResponse<String> byHeader = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/v1/leads")).header(Access.API_KEY_HEADER, TestKeys.SELLER.key())
                .POST(HttpRequest.BodyPublishers.ofString(lead)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byHeader.statusCode()).isEqualTo(202);
        assertThat(submitted).hasSize(4);
    }

    @Test
    void shouldShowALeadToItsSellerItsBuyerAnalystsAndAdminsButNotToABuyerOnlyPinged() throws Exception {
        assertThat(get("/v1/leads/sold-a", TestKeys.SELLER).statusCode()).isEqualTo(200);
        assertThat(get("/v1/leads/sold-a", TestKeys.ANALYST).statusCode()).isEqualTo(200);
        assertThat(get("/v1/leads/sold-a", TestKeys.ADMIN).statusCode()).isEqualTo(200);
        HttpResponse<String> bought = get("/v1/leads/sold-a", TestKeys.BUYER_KEY);
        assertThat(bought.statusCode()).isEqualTo(200);
        JsonNode timeline = JSON.readTree(bought.body()).get("timeline");
        assertThat(timeline).as("its own bid only: another buyer's is not its business").hasSize(1);
        assertThat(timeline.get(0).get("buyerId").asText()).isEqualTo("buyer-a");
        assertThat(JSON.readTree(get("/v1/leads/sold-a", TestKeys.ANALYST).body()).get("timeline")).hasSize(3);

        for (ApiKeys.Minted refused : List.of(TestKeys.OTHER_SELLER, TestKeys.OTHER_BUYER, TestKeys.PRIVACY)) {
            HttpResponse<String> response = get("/v1/leads/sold-a", refused);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).isEqualTo(REFUSED_403);
        }
        HttpResponse<String> onlyPinged = get("/v1/leads/sold-b", TestKeys.BUYER_KEY);
        assertThat(onlyPinged.statusCode()).isEqualTo(403);
        assertThat(onlyPinged.body()).doesNotContain("buyer-b", "20.00");
    }

    @Test
    void shouldShowASellerEveryStepAndPriceButNameOnlyTheBuyerItSoldToWhenItReadsItsLead() throws Exception {
        JsonNode timeline = JSON.readTree(get("/v1/leads/sold-a", TestKeys.SELLER).body()).get("timeline");

        assertThat(timeline).hasSize(3);
        assertThat(timeline.get(1).get("buyerId").asText()).as("the buyer it sold to").isEqualTo("buyer-a");
        assertThat(timeline.get(2).get("buyerId").isNull()).as("a losing bidder, unnamed").isTrue();
        assertThat(timeline.get(2).get("price").asText()).as("what its lead drew is the seller's").isEqualTo("15.00");
        assertThat(timeline.get(0).get("detail").has("capped")).as("who was capped is each buyer's").isFalse();
        assertThat(timeline.toString()).doesNotContain("buyer-b", "buyer-c");
        JsonNode whole = JSON.readTree(get("/v1/leads/sold-a", TestKeys.ANALYST).body()).get("timeline");
        assertThat(whole.get(2).get("buyerId").asText()).isEqualTo("buyer-b");
        assertThat(whole.get(0).get("detail").get("capped").asText()).isEqualTo("buyer-c");
    }

    @Test
    void shouldFilterReportRowsToTheCallersOwnAndRefuseAnotherPartysRowsAskedByName() throws Exception {
        assertThat(column(get("/v1/reports/buyer", TestKeys.BUYER_KEY), "buyer")).containsExactly("buyer-a");
        assertThat(column(get("/v1/reports/source", TestKeys.BUYER_KEY), "source")).isEmpty();
        assertThat(column(get("/v1/reports/state", TestKeys.SELLER), "state")).isEmpty();
        assertThat(column(get("/v1/reports/source", TestKeys.SELLER), "source")).containsExactly("src-1");
        assertThat(column(get("/v1/reports/buyer", TestKeys.ANALYST), "buyer")).hasSize(5);
        assertThat(column(get("/v1/reports/buyer?buyer=buyer-b", TestKeys.ANALYST), "buyer")).containsExactly("buyer-b");
        assertThat(column(get("/v1/reports/buyer?buyer=buyer-a", TestKeys.BUYER_KEY), "buyer")).containsExactly("buyer-a");

        HttpResponse<String> another = get("/v1/reports/buyer?buyer=buyer-b", TestKeys.BUYER_KEY);
        assertThat(another.statusCode()).isEqualTo(403);
        assertThat(another.body()).isEqualTo(REFUSED_403);
        assertThat(get("/v1/reports/source?source=src-2", TestKeys.SELLER).statusCode()).isEqualTo(403);
        assertThat(get("/v1/reports/buyer", TestKeys.PRIVACY).statusCode()).isEqualTo(403);
        assertThat(forwardedAuthorization).as("the caller's key goes on to the other instances")
                .contains("Bearer " + TestKeys.BUYER_KEY.key());
    }

    @Test
    void shouldServeAdminRoutesToAdminsOnlyWhenAnyoneElseAsks() throws Exception {
        for (ApiKeys.Minted notAdmin : List.of(TestKeys.SELLER, TestKeys.BUYER_KEY, TestKeys.ANALYST, TestKeys.PRIVACY)) {
            for (String path : List.of("/v1/admin/buyers", "/v1/admin/keys")) {
                HttpResponse<String> response = get(path, notAdmin);
                assertThat(response.statusCode()).isEqualTo(403);
                assertThat(response.body()).isEqualTo(REFUSED_403);
            }
            assertThat(call("POST", "/v1/admin/keys", notAdmin.key(), "{\"role\":\"admin\"}").statusCode()).isEqualTo(403);
        }
        assertThat(store.keys).isEmpty();
        assertThat(get("/v1/admin/buyers", TestKeys.ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldShowAKeyOnceAndAuditItWithoutTheKeyWhenAnAdminCreatesAndRevokesOne() throws Exception {
        HttpResponse<String> created = call("POST", "/v1/admin/keys", TestKeys.ADMIN.key(),
                "{\"role\":\"seller\",\"sourceIds\":[\"src-9\"],\"label\":\"partner portal\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode answer = JSON.readTree(created.body());
        String key = answer.get("key").asText();
        String keyId = answer.get("keyId").asText();
        assertThat(key).startsWith(ApiKeys.KEY_PREFIX);
        assertThat(answer.get("role").asText()).isEqualTo("seller");
        assertThat(answer.get("createdBy").asText()).isEqualTo(TestKeys.ADMIN.record().getKeyId());
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");

        // The store is the topic: what any instance's table would read from it.
        keys.put(keyId, store.keys.get(keyId));
        HttpResponse<String> listed = get("/v1/admin/keys", TestKeys.ADMIN);
        assertThat(listed.body()).contains(keyId, "partner portal").doesNotContain(key, ApiKeys.hash(key));
        assertThat(store.changes).singleElement().satisfies(change -> {
            assertThat(change.getKind()).isEqualTo("apikey");
            assertThat(change.getId()).isEqualTo(keyId);
            assertThat(change.getActor()).isEqualTo(TestKeys.ADMIN.record().getKeyId());
            assertThat(change.toString()).contains("seller").doesNotContain(key, ApiKeys.hash(key));
        });
        assertThat(call("POST", "/v1/leads", key, TestLeads.json().replace(" src-1 ", "src-9")).statusCode())
                .isEqualTo(202);

        HttpResponse<String> revoked = call("DELETE", "/v1/admin/keys/" + keyId, TestKeys.ADMIN.key(), null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        keys.put(keyId, store.keys.get(keyId)); // now a tombstone
        assertThat(call("POST", "/v1/leads", key, TestLeads.json().replace(" src-1 ", "src-9")).statusCode())
                .isEqualTo(401);
        assertThat(call("DELETE", "/v1/admin/keys/" + keyId, TestKeys.ADMIN.key(), null).statusCode()).isEqualTo(404);
        assertThat(store.changes).hasSize(2).allSatisfy(change -> assertThat(change.toString()).doesNotContain(key));
    }

    @Test
    void shouldAnswer503UntilTheKeysAreLoadedWhenAKeyIsNotYetKnown() throws Exception {
        api.close();
        ApiKeyTable loading = new ApiKeyTable();
        api = new LeadApi(0, new Access(true, null, loading), lead -> CompletableFuture.completedFuture(null),
                id -> Optional.empty(), Map::of).start();

        HttpResponse<String> early = call("POST", "/v1/leads", TestKeys.SELLER.key(), TestLeads.json());

        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.body()).isEqualTo("{\"error\":\"keys_loading\"}");
        assertThat(early.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void shouldServeEveryoneAsAnAdminWhenEnforcementIsOff() throws Exception {
        api.close();
        api = new LeadApi(0, Access.unchecked(), lead -> CompletableFuture.completedFuture(null),
                ApiAccessTest::status, Map::of).start();

        assertThat(call("GET", "/v1/leads/sold-b", null, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v1/leads", null, TestLeads.json()).statusCode()).isEqualTo(202);
    }
}
