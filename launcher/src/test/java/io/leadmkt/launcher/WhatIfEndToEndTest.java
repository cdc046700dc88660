package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.TOPICS;
import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor what-if on the real broker with two instances, each holding some of the recorded
 * auctions' partitions, against bids known in advance: picky bids 25.37 and turns every post
 * down, steady bids 10.01 to 19.99 and takes every post, cheap bids 7.77 and is never posted
 * (steady always takes the lead first). Priorities: cheap 1, picky 2, steady 3.
 */
class WhatIfEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(WhatIfEndToEndTest.class);
    private static final int LEADS = 30;
    private static final List<CampaignConfig> CAMPAIGNS = RealMarket.NORTH_AND_SOUTH;
    private static final Map<String, Integer> PRIORITIES = Map.of("cheap", 1, "picky", 2, "steady", 3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
    private static final String WINDOW = "from=" + Instant.now().truncatedTo(ChronoUnit.DAYS)
            + "&to=" + Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    private static RealMarket market;
    private static LeadMarketApp first;
    private static LeadMarketApp second;
    private static String analystKey;
    private static String sellerKey;
    /** What steady paid for each lead, in cents. */
    private static List<Long> steadyPrices;

    @BeforeAll
    static void start() throws Exception {
        market = RealMarket.start(RealMarket.KNOWN_BIDDERS, CAMPAIGNS,
                buyer -> buyer.setPriority(PRIORITIES.get(buyer.getBuyerId())));
        analystKey = market.apiKey("analyst", List.of(), null);
        sellerKey = market.apiKey("seller", List.of("source-1"), null);
        first = LeadMarketApp.start(market.appConfig("whatif-a"));
        second = LeadMarketApp.start(market.appConfig("whatif-b"));
        List<Outcome> outcomes = market.sendValidAndAwaitOutcomes(new LeadGenerator(market.producer(), TOPICS,
                new LeadGenerator.Options(1, 0, 11, CAMPAIGNS)), LEADS);
        assertThat(outcomes).hasSize(LEADS).allSatisfy(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SOLD);
            assertThat(o.getBuyerId()).isEqualTo("steady");
        });
        steadyPrices = outcomes.stream().map(Outcome::getPriceCents).toList();
        assertThat(RealMarket.activePartitions(first)).as("both instances hold recorded auctions").isNotEmpty();
        assertThat(RealMarket.activePartitions(second)).isNotEmpty();
    }

    @AfterAll
    static void stop() {
        closeAll(first, second, market);
    }

    @Test
    void shouldGiveTheFloorCurveTheKnownBidsMakeOnEitherInstanceWhenAskedForFloors() throws Exception {
        String path = "/v1/whatif/floor?" + WINDOW + "&floors=25.38,0.00,5.00,15.00,20.00";
        JsonNode curve = awaitEveryLead(first, path);
        assertThat(awaitEveryLead(second, path)).isEqualTo(curve);
        LOG.info("what-if curve: {}", curve);

        long total = steadyPrices.stream().mapToLong(Long::longValue).sum();
        long atFifteen = steadyPrices.stream().filter(p -> p >= 1_500).mapToLong(Long::longValue).sum();
        long soldAtFifteen = steadyPrices.stream().filter(p -> p >= 1_500).count();
        assertThat(curve.path("recorded").path("revenue").asText()).isEqualTo(Money.format(total));
        assertThat(curve.path("points")).extracting(p -> p.path("floor").asText())
                .containsExactly("0.00", "5.00", "15.00", "20.00", "25.38");
        // at and below the recorded floor: picky turns it down, steady takes it, exactly as recorded
        assertPoint(curve.path("points").get(0), LEADS, total, 0);
        assertPoint(curve.path("points").get(1), LEADS, total, 0);
        // 15.00: only steady's bids of 15.00 and more still clear after picky's refusal
        assertPoint(curve.path("points").get(2), soldAtFifteen, atFifteen, 0);
        // 20.00: only picky clears, and it turns every post down; above every bid: nothing
        assertPoint(curve.path("points").get(3), 0, 0, 0);
        assertPoint(curve.path("points").get(4), 0, 0, 0);
        assertThat(curve.path("acceptRates")).extracting(r -> r.path("buyer").asText() + " " + r.path("posts").asInt()
                + "/" + r.path("accepted").asInt()).containsExactly("picky " + LEADS + "/0", "steady " + LEADS + "/" + LEADS);
        assertThat(curve.path("assumptions")).isNotEmpty();
    }

    @Test
    void shouldCompareTheAuctionWithAWaterfallAndTiersOnEitherInstanceWhenAskedForPolicies() throws Exception {
        String path = "/v1/whatif/policies?" + WINDOW;
        JsonNode policies = awaitEveryLead(first, path);
        assertThat(awaitEveryLead(second, path)).isEqualTo(policies);

        long total = steadyPrices.stream().mapToLong(Long::longValue).sum();
        // cheap comes first but was never posted: it takes the lead at 7.77 with the market's accept rate (30 of 60
        // posts, 0.5), else picky turns it down and steady takes it at its bid
        long waterfall = BigDecimal.valueOf(777L * LEADS + total).divide(BigDecimal.valueOf(2), 0, RoundingMode.HALF_UP)
                .longValueExact();
        assertThat(policies.path("marketAcceptRate").decimalValue()).isEqualByComparingTo("50.0");
        assertThat(policies.path("policies")).extracting(p -> p.path("policy").asText())
                .containsExactly("auction", "waterfall", "tiers");
        assertPoint(policies.path("policies").get(0), LEADS, total, 0);
        assertPoint(policies.path("policies").get(1), LEADS, waterfall, LEADS);
        assertPoint(policies.path("policies").get(2), LEADS, waterfall, LEADS); // one buyer per priority: one per tier
    }

    @Test
    void shouldRefuseSellersAndNameTheBadParameterWhenAskedWrongly() throws Exception {
        assertThat(get(first, "/v1/whatif/floor?floors=1.00", sellerKey).statusCode()).isEqualTo(403);
        for (Map.Entry<String, String> bad : Map.of(
                "/v1/whatif/floor", "floors",
                "/v1/whatif/floor?floors=1.00,abc", "floors",
                "/v1/whatif/floor?floors=1.00&from=yesterday", "from",
                "/v1/whatif/policies?floor=-1", "floor",
                "/v1/whatif/policies?galaxy=1", "galaxy").entrySet()) {
            HttpResponse<String> response = get(first, bad.getKey(), analystKey);
            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("parameter").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
    }

    private static void assertPoint(JsonNode point, long sold, long revenueCents, long estimatedLeads) {
        assertThat(point.path("leads").asInt()).as(point.toString()).isEqualTo(LEADS);
        assertThat(point.path("sold").decimalValue()).as(point.toString()).isEqualByComparingTo(BigDecimal.valueOf(sold));
        assertThat(point.path("revenue").asText()).as(point.toString()).isEqualTo(Money.format(revenueCents));
        assertThat(point.path("sellerPayout").asText()).as(point.toString()).isEqualTo(Money.format(revenueCents));
        assertThat(point.path("platformFee").asText()).isEqualTo("0.00");
        assertThat(point.path("estimatedLeads").asInt()).as(point.toString()).isEqualTo(estimatedLeads);
    }

    /** The answer once every partition answers and every lead's record is in (the records follow the outcomes). */
    private static JsonNode awaitEveryLead(LeadMarketApp app, String path) {
        return Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> response = get(app, path, analystKey);
            if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                return null;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            return body.path("recorded").path("leads").asInt() == LEADS ? body : null;
        }, Objects::nonNull);
    }

    private static HttpResponse<String> get(LeadMarketApp app, String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }
}
