package io.leadmkt.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.BuyerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedBuyerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private SimulatedBuyer buyer;

    @AfterEach
    void stopBuyer() {
        if (buyer != null) {
            buyer.close();
        }
    }

    @Test
    void shouldBidFixedPriceAndAcceptMatchingPostWhenNormal() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2000)));

        Map<String, Object> bid = parse(call(buyer.pingUrl(), ping("lead-1")).body());
        assertThat(bid).containsEntry("bid", true).containsEntry("price", "20.00");
        assertThat(bid.get("token")).isInstanceOf(String.class);

        HttpResponse<String> post = call(buyer.postUrl(), post("lead-1", (String) bid.get("token"), "20.00"));
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(parse(post.body())).containsEntry("accepted", true).containsKey("buyerLeadId");
        assertThat(buyer.acceptedLeadIds()).containsExactly("lead-1");
        assertThat(buyer.postedLeadIds()).containsExactly("lead-1");
        assertThat(buyer.pings()).singleElement().satisfies(p -> assertThat(p).containsEntry("state", "TX"));
    }

    @Test
    void shouldRejectPostWhenTokenWasNotIssuedForThatLead() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2000)));
        String token = (String) parse(call(buyer.pingUrl(), ping("lead-1")).body()).get("token");

        Map<String, Object> wrongLead = parse(call(buyer.postUrl(), post("lead-2", token, "20.00")).body());
        Map<String, Object> wrongToken = parse(call(buyer.postUrl(), post("lead-1", "forged", "20.00")).body());
        Map<String, Object> wrongPrice = parse(call(buyer.postUrl(), post("lead-1", token, "19.99")).body());

        assertThat(wrongLead).containsEntry("accepted", false).containsEntry("reason", "unknown_token");
        assertThat(wrongToken).containsEntry("accepted", false).containsEntry("reason", "unknown_token");
        assertThat(wrongPrice).containsEntry("accepted", false).containsEntry("reason", "price_mismatch");
        assertThat(buyer.acceptedLeadIds()).isEmpty();
    }

    @Test
    void shouldStillCheckPostsButKeepOnlyCountsWhenStartedWithCountsMemory() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("bench", BuyerBehaviour.alwaysBids(2000)), SimulatedBuyer.Memory.COUNTS);
        String token = (String) parse(call(buyer.pingUrl(), ping("lead-1")).body()).get("token");

        Map<String, Object> forged = parse(call(buyer.postUrl(), post("lead-1", "forged", "20.00")).body());
        Map<String, Object> good = parse(call(buyer.postUrl(), post("lead-1", token, "20.00")).body());

        assertThat(forged).containsEntry("accepted", false).containsEntry("reason", "unknown_token");
        assertThat(good).containsEntry("accepted", true);
        assertThat(buyer.pingCount()).isEqualTo(1);
        assertThat(buyer.postCount()).isEqualTo(2);
        assertThat(buyer.bidCount()).isEqualTo(1);
        assertThatThrownBy(buyer::pings).isInstanceOf(IllegalStateException.class).hasMessageContaining("counts only");
        assertThatThrownBy(buyer::postedLeadIds).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(buyer::acceptedLeadIds).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldPassWhenBidProbabilityIsZero() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("shy", BuyerBehaviour.alwaysBids(2000).withBidProbability(0)));

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = call(buyer.pingUrl(), ping("lead-" + i));
            if (response.statusCode() == 200) {
                assertThat(parse(response.body())).containsEntry("bid", false).containsKey("reason");
            } else {
                assertThat(response.statusCode()).isEqualTo(204);
            }
        }
        assertThat(buyer.bidCount()).isZero();
        assertThat(buyer.pingCount()).isEqualTo(10);
    }

    @Test
    void shouldBidWithinRangeWhenPriceIsUniform() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("range", BuyerBehaviour.bidsBetween(500, 700)));

        for (int i = 0; i < 20; i++) {
            String price = (String) parse(call(buyer.pingUrl(), ping("lead-" + i)).body()).get("price");
            assertThat(io.leadmkt.schema.Money.parseCents(price)).hasValueSatisfying(
                    cents -> assertThat(cents).isBetween(500L, 700L));
        }
    }

    @Test
    void shouldBidWhatItsValuationQuotesWhenItHasOne() throws Exception {
        Valuation valuation = new Valuation(Map.of("auto_insurance", 2_000L), 0.3, 0.1, 1, 1, 0.1, 0.3, 11);
        buyer = SimulatedBuyer.start(BuyerSpec.of("valuer", BuyerBehaviour.values(valuation).withBidProbability(0.9)));

        for (int i = 0; i < 20; i++) {
            OptionalLong quote = valuation.quote(ping("lead-" + i), 0.9);
            HttpResponse<String> answer = call(buyer.pingUrl(), ping("lead-" + i));
            if (quote.isPresent()) {
                assertThat(parse(answer.body())).containsEntry("bid", true)
                        .containsEntry("price", io.leadmkt.schema.Money.format(quote.getAsLong()));
            } else {
                assertThat(answer.statusCode() == 204 || parse(answer.body()).get("bid").equals(false)).isTrue();
            }
        }
    }

    @Test
    void shouldBidThenRejectEveryPostWhenRejectsPosts() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("best",
                BuyerBehaviour.alwaysBids(2500).withMode(BuyerBehaviour.Mode.REJECTS_POSTS)));
        Map<String, Object> bid = parse(call(buyer.pingUrl(), ping("lead-1")).body());
        assertThat(bid).containsEntry("bid", true).containsEntry("price", "25.00");

        Map<String, Object> result = parse(call(buyer.postUrl(), post("lead-1", (String) bid.get("token"), "25.00"))
                .body());

        assertThat(result).containsEntry("accepted", false).containsKey("reason");
        assertThat(buyer.rejectedLeadIds()).containsExactly("lead-1");
    }

    @Test
    void shouldAnswerUnparseableBodyWhenGarbage() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("garbage",
                BuyerBehaviour.alwaysBids(2000).withMode(BuyerBehaviour.Mode.GARBAGE)));

        for (int i = 0; i < 6; i++) {
            String body = call(buyer.pingUrl(), ping("lead-" + i)).body();
            assertThat(isJsonObject(body)).as(body).isFalse();
        }
    }

    @Test
    void shouldAnswerOnlyAfterSlowMsWhenSlow() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("slow", BuyerBehaviour.alwaysBids(2000).slow(3_000)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(buyer.pingUrl()))
                .timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(ping("lead-1"))))
                .build();

        try {
            http.send(request, HttpResponse.BodyHandlers.ofString());
            org.assertj.core.api.Assertions.fail("a slow buyer must not answer within 300 ms");
        } catch (HttpTimeoutException expected) {
            assertThat(buyer.pingCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldReturn400WhenPingIsNotJson() throws Exception {
        buyer = SimulatedBuyer.start(BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2000)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(buyer.pingUrl()))
                .POST(HttpRequest.BodyPublishers.ofString("{nope")).build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        assertThat(buyer.malformedRequestCount()).isEqualTo(1);
    }

    @Test
    void shouldPointConfigAtItselfWhenAskedForConfig() {
        buyer = SimulatedBuyer.start(BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2000))
                .withStates(List.of("TX", "CA")).withVerticals(List.of("solar")).withMinScore(40)
                .withTimeouts(400, 2000));

        BuyerConfig config = buyer.toConfig();

        assertThat(config.getBuyerId()).isEqualTo("good");
        assertThat(config.getPingUrl()).isEqualTo("http://127.0.0.1:" + buyer.port() + "/ping");
        assertThat(config.getPostUrl()).isEqualTo("http://127.0.0.1:" + buyer.port() + "/post");
        assertThat(config.getStates()).containsExactly("TX", "CA");
        assertThat(config.getVerticals()).containsExactly("solar");
        assertThat(config.getMinScore()).isEqualTo(40);
        assertThat(config.getPingTimeoutMs()).isEqualTo(400);
        assertThat(config.getPostTimeoutMs()).isEqualTo(2000);
    }

    @Test
    void shouldStartMixedMarketWithMisbehavingBuyersWhenAtLeastSix() {
        try (BuyerFarm farm = BuyerFarm.market(8, 42)) {
            assertThat(farm.buyers()).hasSize(8);
            assertThat(farm.buyers()).extracting(b -> b.spec().behaviour().mode())
                    .contains(BuyerBehaviour.Mode.SLOW, BuyerBehaviour.Mode.REJECTS_POSTS,
                            BuyerBehaviour.Mode.GARBAGE, BuyerBehaviour.Mode.NORMAL);
            assertThat(farm.configs()).extracting(BuyerConfig::getBuyerId).doesNotHaveDuplicates();
            assertThat(farm.configs()).flatExtracting(BuyerConfig::getVerticals)
                    .contains(SampleData.VERTICALS.toArray(String[]::new));
        }
        assertThat(BuyerFarm.marketSpecs(4, 1)).extracting(s -> s.behaviour().mode())
                .containsOnly(BuyerBehaviour.Mode.NORMAL);
    }

    private HttpResponse<String> call(String url, Map<String, Object> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> ping(String leadId) {
        Map<String, Object> ping = new LinkedHashMap<>();
        ping.put("leadId", leadId);
        ping.put("campaignId", "camp-auto");
        ping.put("vertical", "auto_insurance");
        ping.put("state", "TX");
        ping.put("zip", "75001");
        ping.put("score", 72);
        ping.put("leadAgeMs", 120);
        ping.put("sourceId", "aff-1");
        ping.put("subId", null);
        ping.put("floor", "5.00");
        ping.put("attributes", Map.of("drivers", "2"));
        ping.put("timeoutMs", 450);
        return ping;
    }

    private static Map<String, Object> post(String leadId, String token, String price) {
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("leadId", leadId);
        post.put("token", token);
        post.put("price", price);
        post.put("attempt", 1);
        post.put("lead", Map.of("firstName", "Mary", "lastName", "Smith", "phone", "+15125550147"));
        return post;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String body) throws IOException {
        return JSON.readValue(body, Map.class);
    }

    private static boolean isJsonObject(String body) {
        try {
            return JSON.readTree(body).isObject();
        } catch (IOException e) {
            return false;
        }
    }
}
