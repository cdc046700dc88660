package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.TOPICS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.MarketplaceMode;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.ReturnApproval;
import io.leadmkt.schema.ReturnPolicy;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.returns.PostbackSignature;
import io.leadmkt.streams.returns.ReturnRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Returns and conversions on the real broker, from the buyer's side: leads sold by the auction to
 * simulated buyers, then reported back by the buyers' keys ({@code POST /v1/postbacks}), by a
 * signed URL and on the postbacks topic; the returns desk's decisions read back over HTTP, and the
 * report rows (JSON and CSV) holding exactly what was accepted.
 */
class ReturnsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String QUICK_SECRET = "quick-postback-secret-0123";
    private static final long ACME_BID = 2_000;
    private static final long QUICK_BID = 1_500;
    /** Each buyer is the only one its campaign offers leads to, so who buys what is known. */
    private static final CampaignConfig ACME_CAMPAIGN = CampaignConfig.newBuilder(
                    RealMarket.campaign("camp-acme", "seller-acme", 500, 5_000))
            .setMarketplace(MarketplaceMode.PRIVATE).setAllowedBuyers(List.of("acme")).setClawbackOnReturn(true).build();
    private static final CampaignConfig QUICK_CAMPAIGN = CampaignConfig.newBuilder(
                    RealMarket.campaign("camp-quick", "seller-quick", 500, 5_000))
            .setMarketplace(MarketplaceMode.PRIVATE).setAllowedBuyers(List.of("quick")).build();

    private static RealMarket market;
    private static LeadMarketApp app;
    private static String acmeKey;
    private static String quickKey;
    private static String analystKey;
    private static Outcome returned;
    private static Outcome convertedOnKafka;
    private static Outcome late;

    @BeforeAll
    static void start() throws Exception {
        market = RealMarket.start(List.of(BuyerSpec.of("acme", BuyerBehaviour.alwaysBids(ACME_BID)),
                        BuyerSpec.of("quick", BuyerBehaviour.alwaysBids(QUICK_BID))),
                List.of(ACME_CAMPAIGN, QUICK_CAMPAIGN), ReturnsEndToEndTest::contract);
        acmeKey = market.apiKey("buyer", List.of(), "acme");
        quickKey = market.apiKey("buyer", List.of(), "quick");
        analystKey = market.apiKey("analyst", List.of(), null);
        app = LeadMarketApp.start(market.appConfig("returns"));
        LeadGenerator generator = new LeadGenerator(market.producer(), TOPICS,
                new LeadGenerator.Options(1, 0, 7, List.of(ACME_CAMPAIGN, QUICK_CAMPAIGN)));
        returned = sell(generator, ACME_CAMPAIGN);
        convertedOnKafka = sell(generator, ACME_CAMPAIGN);
        late = sell(generator, QUICK_CAMPAIGN);
    }

    @AfterAll
    static void stop() {
        Closing.quietly(app, market);
    }

    /** acme takes returns for BAD_PHONE within 72 hours; quick's window is a second; quick signs URLs. */
    private static void contract(BuyerConfig buyer) {
        boolean acme = buyer.getBuyerId().equals("acme");
        buyer.setReturns(ReturnPolicy.newBuilder().setReasonCodes(List.of("BAD_PHONE"))
                .setWindowMs(acme ? Duration.ofHours(72).toMillis() : 1_000).setPeriod(CapPeriod.MONTH)
                .setApproval(ReturnApproval.AUTO).build());
        if (!acme) {
            buyer.setPostbackSecret(QUICK_SECRET);
        }
    }

    private static Outcome sell(LeadGenerator generator, CampaignConfig campaign) throws Exception {
        Lead lead = generator.lead(LeadGenerator.Kind.VALID);
        lead.setCampaignId(campaign.getCampaignId());
        market.producer().send(new ProducerRecord<>(Topics.LEADS_INBOUND, lead.getLeadId(),
                TOPICS.leadsInbound().valueSerde().serializer().serialize(Topics.LEADS_INBOUND, lead))).get();
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> market.tracker().outcomes().containsKey(lead.getLeadId()));
        Outcome outcome = market.tracker().outcomes().get(lead.getLeadId());
        assertThat(outcome.getStatus()).as("lead %s", lead.getLeadId()).isEqualTo(OutcomeStatus.SOLD);
        return outcome;
    }

    private static HttpResponse<String> send(String method, String path, String key, String body) {
        return send(method, path, key, body, "application/json");
    }

    private static HttpResponse<String> send(String method, String path, String key, String body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .header("Accept", accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    /**
     * Posts back as the buyer once the returns desk knows the sale: the outcome is on its topic a few
     * milliseconds before the desk has read it, and until then the lead is not the buyer's to report on.
     */
    private static HttpResponse<String> postback(String key, String body) {
        return Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> send("POST", "/v1/postbacks", key, body), response -> response.statusCode() != 403);
    }

    private static JsonNode decision(String key, String leadId, String type) {
        HttpResponse<String> response = Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> send("GET", "/v1/postbacks/" + leadId + "/" + type, key, null), r -> r.statusCode() != 404);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response.body());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    @Test
    void shouldShowTheBuyersConversionsAndReturnsExactlyInTheReportsWhenPostedBackEveryWay() {
        // acme, with its key: a conversion and an accepted return on one lead
        HttpResponse<String> conversion = postback(acmeKey,
                "{\"leadId\":\"" + returned.getLeadId() + "\",\"type\":\"CONVERSION\",\"value\":\"250.00\"}");
        assertThat(conversion.statusCode()).as(conversion.body()).isEqualTo(202);
        HttpResponse<String> giveBack = postback(acmeKey,
                "{\"leadId\":\"" + returned.getLeadId() + "\",\"type\":\"RETURN\",\"reason\":\"BAD_PHONE\"}");
        long answered = System.nanoTime();
        assertThat(giveBack.statusCode()).as(giveBack.body()).isEqualTo(202);
        JsonNode accepted = decision(acmeKey, returned.getLeadId(), "return");
        System.out.printf("return decided and readable %d ms after its 202%n", (System.nanoTime() - answered) / 1_000_000);
        assertThat(accepted.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(accepted.path("credit").asText()).isEqualTo(Money.format(ACME_BID));
        assertThat(accepted.path("clawback").asText()).isEqualTo(Money.format(returned.getSellerPayoutCents()));
        // acme, a Kafka-native buyer too: a conversion on the postbacks topic
        Postback onKafka = Postback.newBuilder().setLeadId(convertedOnKafka.getLeadId()).setBuyerId("acme")
                .setType(PostbackType.CONVERSION).setValueCents(10_000L).build();
        market.producer().send(new ProducerRecord<>(Topics.POSTBACKS, onKafka.getLeadId().toString(),
                TOPICS.postbacks().valueSerde().serializer().serialize(Topics.POSTBACKS, onKafka)));
        market.producer().flush();
        assertThat(decision(acmeKey, convertedOnKafka.getLeadId(), "conversion").path("value").asText()).isEqualTo("100.00");
        // quick, by a signed URL its platform fires
        Map<String, String> signed = new LinkedHashMap<>(Map.of("leadId", late.getLeadId(), "type", "CONVERSION",
                "value", "50.00"));
        String path = "/v1/postbacks/quick?" + query(signed) + "&sig=" + PostbackSignature.sign(QUICK_SECRET, signed);
        HttpResponse<String> fired = Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> send("GET", path, null, null), response -> response.statusCode() != 403);
        assertThat(fired.statusCode()).as(fired.body()).isEqualTo(202);
        assertThat(decision(quickKey, late.getLeadId(), "conversion").path("status").asText()).isEqualTo("ACCEPTED");

        Map<String, JsonNode> byBuyer = Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> reportRows("buyer"), r -> r.containsKey("acme") && r.containsKey("quick")
                        && r.get("acme").path("conversions").asLong() == 2 && r.get("acme").path("returns").asLong() == 1
                        && r.get("quick").path("conversions").asLong() == 1);
        assertThat(figures(byBuyer.get("acme"), "sold", "revenue", "returns", "returnCredit", "clawback", "conversions",
                "conversionValue", "returnRate", "conversionRate")).containsExactly(
                "2", Money.format(2 * ACME_BID), "1", Money.format(ACME_BID), Money.format(returned.getSellerPayoutCents()),
                "2", "350.00", "50.0", "100.0");
        assertThat(figures(byBuyer.get("quick"), "sold", "returns", "returnCredit", "conversions", "conversionValue"))
                .containsExactly("1", "0", "0.00", "1", "50.00");
        JsonNode campaign = Awaitility.await().atMost(RealMarket.SETTLE)
                .until(() -> reportRows("campaign").get("camp-acme"), Objects::nonNull);
        assertThat(figures(campaign, "returns", "clawback", "conversions")).containsExactly("1",
                Money.format(returned.getSellerPayoutCents()), "2");

        List<String> csv = send("GET", "/v1/reports/buyer?bucket=day&from=" + Instant.now().minus(Duration.ofDays(1))
                + "&to=" + Instant.now().plus(Duration.ofDays(1)), analystKey, null, "text/csv").body().lines().toList();
        List<String> header = Arrays.asList(csv.get(0).split(","));
        String acmeLine = csv.stream().filter(line -> line.startsWith("acme,")).findFirst().orElseThrow();
        String[] fields = acmeLine.split(",", -1);
        assertThat(List.of(fields[header.indexOf("returns")], fields[header.indexOf("returnCredit")],
                fields[header.indexOf("conversionValue")], fields[header.indexOf("returnRate")]))
                .containsExactly("1", Money.format(ACME_BID), "350.00", "50.0");
    }

    @Test
    void shouldRefuseAReturnOutsideTheWindowWithItsReason() {
        // quick's window is one second from the sale: wait it out on the clock the broker stamps postbacks with
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > late.getDecidedAt() + 1_500);

        HttpResponse<String> response = postback(quickKey,
                "{\"leadId\":\"" + late.getLeadId() + "\",\"type\":\"RETURN\",\"reason\":\"BAD_PHONE\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode refused = decision(quickKey, late.getLeadId(), "return");
        assertThat(refused.path("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.path("reason").asText()).isEqualTo(ReturnRules.OUTSIDE_WINDOW);
        assertThat(refused.path("credit").asText()).isEqualTo("0.00");
    }

    @Test
    void shouldAnswer403WhenABuyerPostsBackOnALeadAnotherBuyerBought() {
        // known to the desk as acme's first, so a 403 is about quick, not about a sale not yet read
        decisionOrSale(acmeKey, returned.getLeadId());

        HttpResponse<String> response = send("POST", "/v1/postbacks", quickKey,
                "{\"leadId\":\"" + returned.getLeadId() + "\",\"type\":\"RETURN\",\"reason\":\"BAD_PHONE\"}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"error\":\"forbidden\"}");
        assertThat(send("GET", "/v1/postbacks/" + returned.getLeadId() + "/return", quickKey, null).statusCode())
                .as("nor read acme's decision").isEqualTo(403);
    }

    @Test
    void shouldAnswer401WhenASignedUrlsSignatureIsWrong() {
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("leadId", late.getLeadId(), "type", "CONVERSION"));
        String wrong = PostbackSignature.sign("not-quicks-secret-0123456", parameters);

        HttpResponse<String> response = send("GET", "/v1/postbacks/quick?" + query(parameters) + "&sig=" + wrong, null, null);
        HttpResponse<String> unsigned = send("GET", "/v1/postbacks/quick?" + query(parameters), null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"bad_signature\"}");
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    /** Waits until the desk holds acme's sale of the lead (its conversion status answers 404 or 200, not 403). */
    private static void decisionOrSale(String key, String leadId) {
        Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> send("GET", "/v1/postbacks/" + leadId + "/conversion", key, null).statusCode() != 403);
    }

    private static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    private static List<String> figures(JsonNode row, String... names) {
        return Arrays.stream(names).map(name -> row.path(name).asText()).toList();
    }

    /** The report's rows merged over the day: {@code byValue}, by dimension value. */
    private static Map<String, JsonNode> reportRows(String dimension) {
        HttpResponse<String> response = send("GET", "/v1/reports/" + dimension + "?bucket=day&from="
                + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now().plus(Duration.ofDays(1)), analystKey, null);
        if (response.statusCode() != 200) {
            return Map.of();
        }
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        read(response.body()).path("byValue").forEach(row -> rows.put(row.path(dimension).asText(), row));
        return rows;
    }
}
