package io.leadmkt.streams.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.streams.report.ReportKey;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportRow;
import io.leadmkt.streams.report.ReportTable;
import io.leadmkt.streams.access.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reports route on a real HTTP server, its rows from a stand-in {@link ReportSource}. */
class ReportApiTest {
    private static final Instant HOUR = Instant.parse("2026-11-30T08:00:00Z");
    private static final ReportRow ROW = ReportRow.EMPTY.withOutcome(Outcome.newBuilder().setLeadId("L1")
            .setStatus(OutcomeStatus.SOLD).setBuyerId("b").setPriceCents(12_345L).setSellerPayoutCents(11_111L)
            .setPlatformFeeCents(1_234L).setCreatedAt(0).setReceivedAt(0).setDecidedAt(HOUR.toEpochMilli()).build());
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** The partitions the stand-in says a standby served in a whole report. */
    private final AtomicReference<Set<Integer>> fromStandby = new AtomicReference<>(Set.of());
    private final List<InstanceFanOut.Share> shares = new CopyOnWriteArrayList<>();
    private LeadApi api;

    @BeforeEach
    void start() {
        ReportSource source = new ReportSource() {
            @Override
            public InstanceFanOut.Answer<ReportTable> report(ReportRequest request, String authorization) {
                return new InstanceFanOut.Answer<>(part(request, InstanceFanOut.Share.ACTIVE).value(), fromStandby.get());
            }

            @Override
            public InstanceFanOut.Part<ReportTable> part(ReportRequest request, InstanceFanOut.Share share) {
                if (failure.get() != null) {
                    throw failure.get();
                }
                shares.add(share);
                ReportTable table = new ReportTable(request)
                        .addHour(ReportKey.of(request.dimension(), HOUR.toEpochMilli(), "Acme, Inc."), ROW);
                return new InstanceFanOut.Part<>(share.fromStandby() ? share.standbyPartitions() : Set.of(0, 2), table);
            }
        };
        api = new LeadApi(0, TestKeys.access(), java.util.Optional.empty(), lead -> CompletableFuture.completedFuture(null),
                id -> java.util.Optional.empty(), Map::of, null, null, source).start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Accept", accept).header("Authorization", "Bearer " + TestKeys.ANALYST.key()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldGiveMoneyAsDecimalStringsWhenAskedForJson() throws Exception {
        HttpResponse<String> response = get("/v1/reports/seller?from=2026-11-30&to=2026-12-01", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode row = JsonResponses.MAPPER.readTree(response.body()).path("rows").get(0);
        assertThat(row.path("seller").asText()).isEqualTo("Acme, Inc.");
        assertThat(row.path("bucket").asText()).isEqualTo("2026-11-30T08:00:00Z");
        assertThat(row.path("revenue").asText()).isEqualTo("123.45");
        assertThat(row.path("sellerPayout").asText()).isEqualTo("111.11");
        assertThat(row.path("epl").asText()).isEqualTo("111.11");
        assertThat(row.path("sold").asLong()).isEqualTo(1);
    }

    @Test
    void shouldQuoteValuesHoldingCommasWhenAskedForCsv() throws Exception {
        HttpResponse<String> response = get("/v1/reports/seller?from=2026-11-30&to=2026-12-01&bucket=day", "text/csv");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines().toList()).hasSize(2);
        assertThat(response.body().lines().skip(1).findFirst().orElseThrow())
                .startsWith("\"Acme, Inc.\",2026-11-30T00:00:00Z,1,");
    }

    @Test
    void shouldReadBackEveryFigureWhenAnotherInstanceSendsItsShare() throws Exception {
        HttpResponse<String> response = get("/v1/reports/buyer?from=2026-11-30&to=2026-12-01&scope=local",
                "application/json");

        JsonNode body = JsonResponses.MAPPER.readTree(response.body());
        assertThat(body.path("partitions").toString()).isIn("[0,2]", "[2,0]");
        ReportRequest request = ReportRequest.parse("buyer", null, "2026-11-30", "2026-12-01", Instant.now());
        ReportTable read = ReportJson.read(body, new ReportTable(request));
        assertThat(read.rows()).isEqualTo(Map.of(new ReportTable.Cell(HOUR, "Acme, Inc."), ROW));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenAStoreIsRestoring() throws Exception {
        failure.set(new ReportsUnavailable("only partitions [0] of 3 could answer"));

        HttpResponse<String> response = get("/v1/reports/buyer", "application/json");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(JsonResponses.MAPPER.readTree(response.body()).path("retryable").asBoolean()).isTrue();
    }

    @Test
    void shouldNameThePartitionsAStandbyServedWhenTheAnswerHasSome() throws Exception {
        fromStandby.set(Set.of(3, 1));

        HttpResponse<String> json = get("/v1/reports/buyer?from=2026-11-30&to=2026-12-01", "application/json");
        HttpResponse<String> csv = get("/v1/reports/buyer?from=2026-11-30&to=2026-12-01", "text/csv");

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(JsonResponses.MAPPER.readTree(json.body()).path("standbyPartitions").toString()).isEqualTo("[1,3]");
        assertThat(json.headers().firstValue(InstanceFanOut.STANDBY_HEADER)).contains("1,3");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue(InstanceFanOut.STANDBY_HEADER)).contains("1,3");
    }

    @Test
    void shouldSayNoPartitionCameFromAStandbyWhenEveryActiveAnswered() throws Exception {
        HttpResponse<String> response = get("/v1/reports/buyer?from=2026-11-30&to=2026-12-01", "application/json");

        assertThat(JsonResponses.MAPPER.readTree(response.body()).path("standbyPartitions").isArray()).isTrue();
        assertThat(JsonResponses.MAPPER.readTree(response.body()).path("standbyPartitions")).isEmpty();
        assertThat(response.headers().firstValue(InstanceFanOut.STANDBY_HEADER)).isEmpty();
    }

    @Test
    void shouldReadTheNamedPartitionsFromStandbysWhenAnotherInstanceAsksForThem() throws Exception {
        HttpResponse<String> response = get("/v1/reports/buyer?from=2026-11-30&to=2026-12-01&scope=local&standby=3,1",
                "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(shares).containsExactly(new InstanceFanOut.Share(Set.of(1, 3)));
        assertThat(JsonResponses.MAPPER.readTree(response.body()).path("partitions").toString()).isEqualTo("[1,3]");
    }

    @Test
    void shouldNameStandbyWhenItIsNotPartitionNumbersOrComesWithoutScope() throws Exception {
        for (String query : List.of("scope=local&standby=one", "scope=local&standby=-1", "scope=local&standby=",
                "standby=1")) {
            HttpResponse<String> response = get("/v1/reports/buyer?" + query, "application/json");

            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(JsonResponses.MAPPER.readTree(response.body()).path("parameter").asText()).as(query)
                    .isEqualTo("standby");
        }
        assertThat(shares).isEmpty();
    }

    @Test
    void shouldNameTheScopeWhenItIsNotLocal() throws Exception {
        HttpResponse<String> response = get("/v1/reports/buyer?scope=everything", "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonResponses.MAPPER.readTree(response.body()).path("parameter").asText()).isEqualTo("scope");
    }

    @Test
    void shouldGiveOnlyTheNamedValuesRowsAndTheirTotalsWhenTheDimensionIsAParameter() throws Exception {
        JsonNode chosen = JsonResponses.MAPPER.readTree(get(
                "/v1/reports/seller?from=2026-11-30&to=2026-12-01&seller=Acme,+Inc.", "application/json").body());
        JsonNode none = JsonResponses.MAPPER.readTree(get(
                "/v1/reports/seller?from=2026-11-30&to=2026-12-01&seller=Globex", "application/json").body());

        assertThat(chosen.path("rows")).hasSize(1);
        assertThat(chosen.path("total").path("revenue").asText()).isEqualTo("123.45");
        assertThat(chosen.path("total").path("sellThrough").asText()).isEqualTo("100.0");
        assertThat(none.path("rows")).isEmpty();
        assertThat(none.path("total").path("revenue").asText()).isEqualTo("0.00");
        assertThat(none.path("total").path("sellThrough").isNull()).as("nothing to divide by").isTrue();
    }
}
