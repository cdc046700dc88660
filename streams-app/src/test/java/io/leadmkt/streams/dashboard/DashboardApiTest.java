package io.leadmkt.streams.dashboard;

import static io.leadmkt.streams.dashboard.RecentAuctionsTest.answer;
import static io.leadmkt.streams.dashboard.RecentAuctionsTest.roundClosed;
import static io.leadmkt.streams.dashboard.RecentAuctionsTest.sold;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.streams.access.ApiKeys;
import io.leadmkt.streams.access.TestKeys;
import io.leadmkt.streams.api.LeadApi;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's page and live routes on a real HTTP server, its auctions put in by hand. */
class DashboardApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().executor(executor).build();
    private final RecentAuctions recent = new RecentAuctions(100, 100);
    private final AtomicInteger feedStarts = new AtomicInteger();
    private Dashboard dashboard;
    private LeadApi api;

    @BeforeEach
    void start() {
        dashboard = new Dashboard(recent, feedStarts::incrementAndGet);
        api = new LeadApi(0, TestKeys.access(), lead -> CompletableFuture.completedFuture(null), id -> Optional.empty(),
                Map::of).withDashboard(dashboard).start();
    }

    @AfterEach
    void stop() {
        api.close();
        dashboard.close();
        executor.shutdownNow();
    }

    /** As an analyst: the recent auctions show every buyer's prices. */
    private HttpResponse<String> get(String path) throws Exception {
        return get(path, TestKeys.ANALYST.key());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePageToAnyoneButTheAuctionsOnlyToTheirPartiesWhenKeysAreRequired() throws Exception {
        assertThat(get("/dashboard", null).statusCode()).isEqualTo(200);
        assertThat(get("/v1/auctions/recent", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/auctions/recent", TestKeys.PRIVACY.key()).statusCode()).isEqualTo(403);
        assertThat(get("/v1/auctions/live", TestKeys.PRIVACY.key()).statusCode()).isEqualTo(403);
        for (var key : List.of(TestKeys.SELLER, TestKeys.BUYER_KEY, TestKeys.ANALYST, TestKeys.ADMIN)) {
            assertThat(get("/v1/auctions/recent", key.key()).statusCode()).as(key.record().getRole()).isEqualTo(200);
        }
    }

    /**
     * The market every role test reads: L1 from the test seller's source, sold to the test buyer
     * ({@value TestKeys#BUYER}) at $12.34 over buyer-b's $11.00; L2 from another seller's source,
     * sold to buyer-b at $20.00 over the test buyer's $15.00; L3 from another source, buyer-c alone.
     */
    private void threeAuctions() {
        recent.audit(roundClosed("L1", null, answer(TestKeys.BUYER, "BID", 1_234L, null, 40),
                answer("buyer-b", "BID", 1_100L, null, 50)));
        recent.outcome(soldTo("L1", TestKeys.SOURCE, TestKeys.BUYER, 1_234L));
        recent.audit(roundClosed("L2", null, answer("buyer-b", "BID", 2_000L, null, 30),
                answer(TestKeys.BUYER, "BID", 1_500L, null, 45)));
        recent.outcome(soldTo("L2", "src-2", "buyer-b", 2_000L));
        recent.audit(roundClosed("L3", null, answer("buyer-c", "BID", 999L, null, 20)));
        recent.outcome(soldTo("L3", "src-3", "buyer-c", 999L));
    }

    private static io.leadmkt.schema.Outcome soldTo(String leadId, String sourceId, String buyerId, long cents) {
        io.leadmkt.schema.Outcome outcome = sold(leadId, "camp-auto", sourceId);
        outcome.setBuyerId(buyerId);
        outcome.setPriceCents(cents);
        return outcome;
    }

    /** {@code GET /v1/auctions/recent} as {@code key}'s party: a 200's body. */
    private JsonNode recent(ApiKeys.Minted key) throws Exception {
        HttpResponse<String> response = get("/v1/auctions/recent", key.key());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> leadIds(JsonNode recent) {
        List<String> ids = new java.util.ArrayList<>();
        recent.path("auctions").forEach(auction -> ids.add(auction.path("leadId").asText()));
        return ids;
    }

    @Test
    void shouldShowASellerOnlyItsOwnLeadsAuctionsWithoutNamingTheBiddersWhenItAsks() throws Exception {
        threeAuctions();

        JsonNode body = recent(TestKeys.SELLER);

        assertThat(leadIds(body)).containsExactly("L1");
        JsonNode l1 = body.path("auctions").get(0);
        assertThat(l1.path("price").asText()).isEqualTo("12.34");
        assertThat(l1.path("buyer").asText()).as("the buyer its lead went to").isEqualTo(TestKeys.BUYER);
        assertThat(l1.path("buyersPinged").asInt()).isEqualTo(2);
        assertThat(l1.path("answers")).extracting(a -> a.path("price").asText()).containsExactly("12.34", "11.00");
        assertThat(l1.path("answers")).allSatisfy(a -> assertThat(a.path("buyer").isNull()).isTrue());
        assertThat(body.path("figures").path("auctions").asInt()).isEqualTo(1);
        assertThat(body.path("figures").path("bids").path("price").path("count").asInt()).isEqualTo(2);
        assertThat(body.path("figures").path("buyers").isEmpty()).as("no buyer named in the figures").isTrue();
        assertThat(body.toString()).doesNotContain("buyer-b", "buyer-c", "20.00", "15.00", "L2", "L3");
    }

    @Test
    void shouldShowABuyerOnlyTheAuctionsItWasPingedInWithItsOwnBidsWhenItAsks() throws Exception {
        threeAuctions();

        JsonNode body = recent(TestKeys.BUYER_KEY);

        assertThat(leadIds(body)).containsExactly("L2", "L1");
        JsonNode lost = body.path("auctions").get(0);
        assertThat(lost.path("buyer").isNull()).as("another buyer won: not named").isTrue();
        assertThat(lost.path("price").asText()).as("the clearing price").isEqualTo("20.00");
        assertThat(lost.path("buyersPinged").isNull()).isTrue();
        assertThat(lost.path("answers")).extracting(a -> a.path("price").asText()).containsExactly("15.00");
        JsonNode won = body.path("auctions").get(1);
        assertThat(won.path("buyer").asText()).isEqualTo(TestKeys.BUYER);
        assertThat(won.path("answers")).extracting(a -> a.path("price").asText()).containsExactly("12.34");
        assertThat(body.path("figures").path("buyers").properties()).extracting(Map.Entry::getKey)
                .containsExactly(TestKeys.BUYER);
        assertThat(body.path("figures").path("bids").path("price").path("count").asInt()).isEqualTo(2);
        assertThat(body.toString()).doesNotContain("buyer-b", "buyer-c", "11.00", "9.99", "L3");
    }

    @Test
    void shouldShowTheOtherPartiesOnlyTheirOwnWhenTheyAsk() throws Exception {
        threeAuctions();

        assertThat(leadIds(recent(TestKeys.OTHER_SELLER))).containsExactly("L2");
        JsonNode otherBuyer = recent(TestKeys.OTHER_BUYER);
        assertThat(leadIds(otherBuyer)).containsExactly("L2", "L1");
        assertThat(otherBuyer.path("auctions")).extracting(a -> a.path("answers").toString())
                .containsExactly("[{\"buyer\":\"buyer-b\",\"status\":\"BID\",\"price\":\"20.00\",\"latencyMs\":30}]",
                        "[{\"buyer\":\"buyer-b\",\"status\":\"BID\",\"price\":\"11.00\",\"latencyMs\":50}]");
        assertThat(otherBuyer.toString()).doesNotContain(TestKeys.BUYER);
        JsonNode analyst = recent(TestKeys.ANALYST);
        assertThat(leadIds(analyst)).containsExactly("L3", "L2", "L1");
        assertThat(analyst.path("figures").path("buyers").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder(TestKeys.BUYER, "buyer-b", "buyer-c");
    }

    @Test
    void shouldServeThePageItsScriptAndEchartsFromTheClasspathWhenABrowserAsks() throws Exception {
        HttpResponse<String> page = get("/dashboard");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script src=\"/dashboard/echarts.min.js\"></script>");

        HttpResponse<String> charts = get("/dashboard/echarts.min.js");
        assertThat(charts.statusCode()).isEqualTo(200);
        assertThat(charts.body()).contains("echarts").hasSizeGreaterThan(500_000);
        assertThat(get("/dashboard/dashboard.js").body()).contains("Authorization");
        assertThat(get("/dashboard/dashboard.css").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer404WhenTheAssetIsNotThePages() throws Exception {
        // A path trick is refused before any asset is looked up (every path parameter is checked).
        assertThat(get("/dashboard/..%2F..%2Fleadmkt%2Fbuyer.schema.json").statusCode()).isEqualTo(400);
        assertThat(get("/dashboard/secret.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldGiveTheNewestAuctionsAndTheFiguresOfTheWholeWindowWhenAskedForRecent() throws Exception {
        recent.audit(roundClosed("L1", null, answer("alpha", "BID", 1_234L, null, 40)));
        recent.outcome(sold("L1", "camp-auto", "src-1"));
        recent.outcome(sold("L2", "camp-solar", "src-1"));

        HttpResponse<String> response = get("/v1/auctions/recent?limit=1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("auctions")).hasSize(1);
        assertThat(body.path("auctions").get(0).path("leadId").asText()).isEqualTo("L2");
        assertThat(body.path("figures").path("auctions").asInt()).isEqualTo(2);
        assertThat(body.path("figures").path("bids").path("price").path("p50").asText()).isEqualTo("12.34");
        assertThat(body.path("figures").path("bids").path("bands").get(0).path("from").asText()).isEqualTo("12.00");
        assertThat(body.path("figures").path("buyers").path("alpha").path("latencyMs").path("p99").asInt())
                .isEqualTo(40);
        assertThat(feedStarts.get()).as("the feed starts when someone looks").isPositive();

        JsonNode solar = JSON.readTree(get("/v1/auctions/recent?campaign=camp-solar").body());
        assertThat(leadIds(solar)).containsExactly("L2");
        assertThat(solar.path("figures").path("bids").path("price").path("p50").isNull()).isTrue();
    }

    @Test
    void shouldNameTheLimitWhenItIsNotANumberInRange() throws Exception {
        for (String limit : new String[] {"ten", "-1", "101"}) {
            HttpResponse<String> response = get("/v1/auctions/recent?limit=" + limit);
            assertThat(response.statusCode()).as(limit).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("parameter").asText()).isEqualTo("limit");
        }
    }

    @Test
    void shouldStreamEachChosenAuctionAsAnEventWhenItEnds() throws Exception {
        JsonNode auction = firstEvent("camp-auto", TestKeys.ANALYST.key(), () -> {
            recent.outcome(sold("L1", "camp-solar", "src-1"));
            recent.outcome(sold("L2", "camp-auto", "src-1"));
        });

        assertThat(auction.path("leadId").asText()).isEqualTo("L2");
        assertThat(auction.path("price").asText()).isEqualTo("12.34");
        assertThat(auction.path("decisionMs").asLong()).isEqualTo(250);
    }

    @Test
    void shouldStreamABuyerOnlyTheAuctionsItWasPingedInAsItSeesThemWhenTheyEnd() throws Exception {
        JsonNode auction = firstEvent(null, TestKeys.BUYER_KEY.key(), () -> {
            recent.audit(roundClosed("L3", null, answer("buyer-c", "BID", 999L, null, 20)));
            recent.outcome(soldTo("L3", "src-3", "buyer-c", 999L));
            threeAuctions();
        });

        assertThat(auction.path("leadId").asText()).as("L3 was not its auction").isEqualTo("L1");
        assertThat(auction.path("answers")).hasSize(1);
        assertThat(auction.toString()).doesNotContain("buyer-b", "11.00");
    }

    @Test
    void shouldStreamASellerOnlyItsOwnLeadsAuctionsWhenTheyEnd() throws Exception {
        JsonNode auction = firstEvent(null, TestKeys.OTHER_SELLER.key(), this::threeAuctions);

        assertThat(auction.path("leadId").asText()).isEqualTo("L2");
        assertThat(auction.path("answers")).allSatisfy(a -> assertThat(a.path("buyer").isNull()).isTrue());
    }

    /** Opens the live stream as {@code key}, runs {@code auctionsEnd} once subscribed, and reads the first event. */
    private JsonNode firstEvent(String campaign, String key, Runnable auctionsEnd) throws Exception {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.port() + "/v1/auctions/live"
                                + (campaign == null ? "" : "?campaign=" + campaign)))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).as("the stream opens with a comment").startsWith(":");
            // Subscribed once the comment came.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> feedStarts.get() > 0);
            auctionsEnd.run();

            String event = null;
            String data = null;
            for (String line = lines.readLine(); line != null && data == null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).trim();
                }
            }
            assertThat(event).isEqualTo("auction");
            return JSON.readTree(data);
        }
    }
}
