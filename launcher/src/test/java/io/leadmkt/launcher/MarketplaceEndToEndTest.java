package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadGenerator.Kind;
import io.leadmkt.simulator.SimulatedBuyer;
import io.leadmkt.streams.LeadMarketApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real streams app and buyer connector against simulated HTTP buyers on one embedded broker:
 * "best" bids highest but rejects every post, "good" bids $20 and accepts, "cheap" bids under the
 * floor, "slow" answers after the deadline (and is never paused, so every auction waits for it) and
 * "garbage" answers nonsense (and is paused by default after a few). Every valid lead must end SOLD
 * to "good" at $20.00 exactly once; every malformed record must end in leads.rejected.
 */
class MarketplaceEndToEndTest {

    private static final Topics TOPICS = Topics.embedded();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Set<String> PII_KEYS = Set.of("firstName", "lastName", "email", "phone", "streetAddress");
    private static final CampaignConfig CAMPAIGN =
            DemoMarket.campaign("camp-e2e", "seller-e2e", "auto_insurance", 1_000, 1_000);

    private static RealMarket market;
    private static LeadMarketApp app;
    /** An admin key on the cluster: the test posts leads for several sources and reads their status. */
    private static String apiKey;
    private static KafkaProducer<String, byte[]> producer;
    private static OutcomeTracker tracker;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startMarketplace() throws Exception {
        market = RealMarket.start(List.of(
                BuyerSpec.of("best", BuyerBehaviour.alwaysBids(2_500).withMode(BuyerBehaviour.Mode.REJECTS_POSTS)),
                BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000)),
                BuyerSpec.of("cheap", BuyerBehaviour.alwaysBids(800)),
                BuyerSpec.of("slow", BuyerBehaviour.alwaysBids(3_000).slow(3_000)),
                BuyerSpec.of("garbage", BuyerBehaviour.alwaysBids(4_000).withMode(BuyerBehaviour.Mode.GARBAGE))
                        .withIntegration(BuyerSpec.PAUSED_AFTER_FIVE_FAILURES)),
                List.of(CAMPAIGN));
        producer = market.producer();
        tracker = market.tracker();
        apiKey = market.apiKey("admin", List.of(), null);
        app = LeadMarketApp.start(market.appConfig("e2e"));
    }

    @AfterAll
    static void stopMarketplace() {
        Closing.quietly(app, market);
    }

    @Test
    void shouldSellEveryValidLeadOnceToBestAcceptingBidderWhenOthersRejectOrMisbehave() {
        LeadGenerator generator = new LeadGenerator(producer, TOPICS,
                new LeadGenerator.Options(1_000, 0, 7, List.of(CAMPAIGN)));
        List<LeadGenerator.Sent> valid = new ArrayList<>();
        Map<String, String> malformed = new LinkedHashMap<>();
        List<Function<Integer, Map.Entry<String, String>>> makers = List.of(
                i -> sendRaw("not-avro-" + i, "{\"this\":\"is json, not avro\"}".getBytes(StandardCharsets.UTF_8),
                        "UNDECODABLE"),
                i -> sendRaw("wrong-schema-" + i, TOPICS.serde(Bid.class).serialize(Topics.LEADS_INBOUND,
                        bid("wrong-schema-" + i)), "WRONG_SCHEMA"),
                i -> sendRaw("missing-fields-" + i, TOPICS.leadsInbound().valueSerde().serializer().serialize(Topics.LEADS_INBOUND,
                        Lead.newBuilder().setLeadId("missing-fields-" + i).build()), "INVALID"),
                i -> Map.entry(generator.send(Kind.INVALID_PHONE).leadId(), "INVALID"),
                i -> Map.entry(generator.send(Kind.INVALID_ZIP).leadId(), "INVALID"),
                i -> Map.entry(generator.send(Kind.NO_CONSENT).leadId(), "NO_CONSENT"));

        // Warm up: the first auctions also pay for JIT and the first HTTP connections to every buyer,
        // which can exceed a 1 s deadline and would make this test about start-up, not the auction.
        // Warm-up batches (at most ten) until one batch of 25 sells completely; they are not asserted on.
        for (int round = 0; round < 10; round++) {
            Set<String> warmUp = new HashSet<>();
            for (int i = 0; i < 25; i++) {
                warmUp.add(generator.send(Kind.VALID).leadId());
            }
            producer.flush();
            Awaitility.await().atMost(SETTLE).until(() -> tracker.missing(warmUp).isEmpty());
            Map<String, Outcome> outcomes = tracker.outcomes();
            if (warmUp.stream().allMatch(id -> outcomes.get(id).getStatus() == OutcomeStatus.SOLD)) {
                break;
            }
        }

        // Batches of 25, each awaited, so the test measures correctness rather than burst capacity of a
        // two-core machine (300 leads at once are 1,500 concurrent buyer calls against 1 s deadlines).
        for (int i = 0; i < 300; i++) {
            LeadGenerator.Sent sent = generator.send(Kind.VALID);
            valid.add(sent);
            if (i % 25 == 12) {
                Map.Entry<String, String> bad = makers.get((i / 25) % makers.size()).apply(i);
                malformed.put(bad.getKey(), bad.getValue());
            }
            if (i % 25 == 24) {
                producer.flush();
                Set<String> batch = valid.subList(i - 24, i + 1).stream().map(LeadGenerator.Sent::leadId)
                        .collect(Collectors.toSet());
                Awaitility.await().atMost(SETTLE).until(() -> tracker.missing(batch).isEmpty());
            }
        }
        producer.flush();
        Set<String> validIds = valid.stream().map(LeadGenerator.Sent::leadId).collect(Collectors.toSet());

        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(tracker.missing(validIds)).as("valid leads without an outcome").isEmpty();
            assertThat(tracker.missing(malformed.keySet())).as("malformed records without a rejection").isEmpty();
        });

        List<Outcome> records = tracker.outcomeRecords().stream()
                .filter(o -> validIds.contains(o.getLeadId())).toList();
        assertThat(records).extracting(Outcome::getLeadId).doesNotHaveDuplicates().hasSize(validIds.size());
        assertThat(records).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).as("%s", outcome).isEqualTo(OutcomeStatus.SOLD);
            assertThat(outcome.getBuyerId()).isEqualTo("good");
            assertThat(outcome.getPriceCents()).isEqualTo(2_000L);
        });
        assertThat(tracker.rejections().keySet()).doesNotContainAnyElementsOf(validIds);

        Map<String, Rejection> rejections = tracker.rejections();
        malformed.forEach((id, expected) -> {
            Rejection rejection = rejections.get(id);
            assertThat(rejection.getReasonCode()).as(id).isNotBlank().matches(expected);
            assertThat(tracker.outcomes()).as(id).doesNotContainKey(id);
        });

        Map<String, SimulatedBuyer> buyers = market.farm().byId();
        assertThat(buyers.get("good").acceptedLeadIds()).containsAll(validIds);
        assertThat(buyers.get("best").postedLeadIds()).containsAll(validIds);
        assertThat(buyers.get("best").rejectedLeadIds()).containsAll(validIds);
        assertThat(buyers.get("best").acceptedLeadIds()).isEmpty();
        assertThat(buyers.get("good").posts()).extracting(post -> post.get("leadId"))
                .as("one post per lead to the winner").doesNotHaveDuplicates();
        for (String never : List.of("cheap", "slow", "garbage")) {
            assertThat(buyers.get(never).postCount()).as(never + " posts").isZero();
        }
        for (String pinged : List.of("best", "good", "cheap", "slow")) {
            assertThat(buyers.get(pinged).pingCount()).as(pinged + " pings").isGreaterThanOrEqualTo(validIds.size());
        }
        // Paused after its first five failures (its document asks for it), then probed now and then.
        assertThat(buyers.get("garbage").pingCount()).as("garbage pings")
                .isGreaterThanOrEqualTo(5).isLessThan(validIds.size());
        assertThat(buyers.get("good").posts()).allSatisfy(post -> assertThat(post.get("lead")).isInstanceOf(Map.class));

        Set<String> pii = new HashSet<>();
        for (LeadGenerator.Sent sent : valid) {
            pii.add(sent.lead().getContact().getPhone());
            pii.add("1" + sent.lead().getContact().getPhone().replaceAll("\\D", "").replaceFirst("^1", ""));
            pii.add(sent.lead().getContact().getEmail());
            pii.add(sent.lead().getContact().getStreetAddress());
            pii.add(sent.lead().getContact().getLastName() + "\"");
        }
        for (SimulatedBuyer buyer : buyers.values()) {
            assertThat(buyer.pings()).allSatisfy(ping -> assertThat(allKeys(ping)).doesNotContainAnyElementsOf(PII_KEYS));
            for (String body : buyer.rawPings()) {
                for (String value : pii) {
                    assertThat(body).as(buyer.buyerId() + " ping").doesNotContain(value);
                }
            }
        }
    }

    @Test
    void shouldDeadLetterUnreadableBidWhenBytesOnBidsTopicAreNotABid() throws Exception {
        byte[] garbage = "{\"bid\":\"maybe\"}".getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(Topics.BIDS, "no-such-lead", garbage)).get();

        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, market.broker().bootstrapServers());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "e2e-dlq-" + UUID.randomUUID());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.EVENTS_DEADLETTER));
            List<byte[]> seen = new ArrayList<>();
            Awaitility.await().atMost(SETTLE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(v -> java.util.Arrays.equals(v, garbage));
            });
        }
        assertThat(app.streams().state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
    }

    @Test
    void shouldAnswer400WhenPostedJsonIsMalformed() throws Exception {
        HttpResponse<String> response = postLead("{\"sourceId\": \"s1\", \"contact\": {");

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void shouldAcceptPostedLeadAndServeItsOutcomeWhenJsonIsValid() throws Exception {
        LeadGenerator generator = new LeadGenerator(producer, TOPICS,
                new LeadGenerator.Options(1, 0, 1234, List.of(CAMPAIGN)));
        Lead lead = generator.lead(Kind.VALID);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sourceId", lead.getSourceId());
        body.put("campaignId", lead.getCampaignId());
        body.put("contact", Map.of("firstName", lead.getContact().getFirstName(),
                "lastName", lead.getContact().getLastName(), "email", lead.getContact().getEmail(),
                "phone", lead.getContact().getPhone(), "streetAddress", lead.getContact().getStreetAddress(),
                "ipAddress", lead.getContact().getIpAddress()));
        body.put("profile", Map.of("vertical", lead.getProfile().getVertical(), "state", lead.getProfile().getState(),
                "zip", lead.getProfile().getZip(), "city", lead.getProfile().getCity(),
                "attributes", lead.getProfile().getAttributes()));
        body.put("consent", Map.of("method", "web_form", "certificateId", lead.getConsent().getCertificateId(),
                "capturedAt", lead.getConsent().getCapturedAt(), "disclosure", lead.getConsent().getDisclosure(),
                "pageUrl", lead.getConsent().getPageUrl()));

        HttpResponse<String> response = postLead(JSON.writeValueAsString(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = JSON.readTree(response.body()).path("leadId").asText();
        assertThat(leadId).isNotBlank();
        Awaitility.await().atMost(SETTLE).until(() -> tracker.outcomes().containsKey(leadId));
        assertThat(tracker.outcomes().get(leadId).getStatus()).isEqualTo(OutcomeStatus.SOLD);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                    URI.create(apiUrl() + "/" + leadId)).header("Authorization", "Bearer " + apiKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains(leadId).contains("SOLD");
        });
    }

    private static Map.Entry<String, String> sendRaw(String key, byte[] value, String expectedReason) {
        producer.send(new ProducerRecord<>(Topics.LEADS_INBOUND, key, value));
        return Map.entry(key, expectedReason);
    }

    private static Bid bid(String leadId) {
        return Bid.newBuilder().setLeadId(leadId).setBuyerId("good").setStatus(BidStatus.BID).setPriceCents(2_000L)
                .setPingToken("t").setReason(null).setRespondedAt(System.currentTimeMillis()).setLatencyMs(1).build();
    }

    private HttpResponse<String> postLead(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(apiUrl()))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String apiUrl() {
        return "http://127.0.0.1:" + app.httpPort() + "/v1/leads";
    }

    @SuppressWarnings("unchecked")
    private static Set<String> allKeys(Map<String, Object> json) {
        Set<String> keys = new HashSet<>();
        json.forEach((key, value) -> {
            keys.add(key);
            if (value instanceof Map<?, ?> nested) {
                keys.addAll(allKeys((Map<String, Object>) nested));
            }
        });
        return keys;
    }
}
