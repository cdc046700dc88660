package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.leadmkt.launcher.config.PrivacyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import io.leadmkt.connector.integration.RequestAuth;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.admin.IntegrationCheck;
import io.leadmkt.streams.intake.UsPhoneNumber;
import io.leadmkt.streams.outcome.Rejections;
import io.leadmkt.streams.privacy.DeletionProgress;
import io.leadmkt.streams.privacy.KeyVault;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deletion end to end on the real broker, with the real streams app, connector and HTTP buyers: a
 * lead posted to a buyer that rejects it and sold to one that accepts; the disclosures name both and
 * the buyers only pinged; a deletion request by phone; within a minute no topic holds the consumer's
 * PII in a readable form (every topic read raw, their data key gone from the key topic), both buyers
 * were told at their loopback deletion endpoints with a valid signature, the one that was down at
 * first retried and shown failing until it confirmed, the proof lists it all, and the consumer's next
 * lead is suppressed.
 */
class PrivacyEndToEndTest {
    private static final Topics TOPICS = Topics.embedded();
    private static final String TOKEN = "privacy-test-token";
    private static final String SECRET = "hook-secret";
    private static final CampaignConfig OPEN = RealMarket.campaign("camp-privacy", "seller-p", 1_000, 1_000);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The accepting buyer's endpoint is down for its first attempts: the notice must be retried. */
    private static final int TAKER_DOWN_FOR = 3;

    private static RealMarket market;
    private static LeadMarketApp app;
    private static LeadGenerator generator;
    private static HttpServer hooks;
    private static final Map<String, List<Map<String, String>>> received = new ConcurrentHashMap<>();
    /** The taker's calls per deletion: it is down for the first {@value #TAKER_DOWN_FOR} of each. */
    private static final Map<String, AtomicInteger> takerCalls = new ConcurrentHashMap<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String buyer : List.of("rejecter", "taker")) {
            hooks.createContext("/" + buyer, exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, String> request = new HashMap<>();
                request.put("body", new String(body, StandardCharsets.UTF_8));
                request.put("signature", exchange.getRequestHeaders().getFirst("X-Leadmkt-Signature"));
                request.put("timestamp", exchange.getRequestHeaders().getFirst("X-Leadmkt-Timestamp"));
                received.computeIfAbsent(buyer, b -> new CopyOnWriteArrayList<>()).add(request);
                String deletionId = JSON.readTree(body).path("deletionId").asText();
                int status = buyer.equals("taker") && takerCalls.computeIfAbsent(deletionId, d -> new AtomicInteger())
                        .incrementAndGet() <= TAKER_DOWN_FOR ? 503 : 200;
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
        }
        hooks.start();
        market = RealMarket.start(List.of(
                        BuyerSpec.of("rejecter", BuyerBehaviour.alwaysBids(3_000).withAcceptProbability(0)),
                        BuyerSpec.of("taker", BuyerBehaviour.alwaysBids(2_000)),
                        BuyerSpec.of("bystander", BuyerBehaviour.alwaysBids(500))),
                List.of(OPEN), buyer -> buyer.setIntegration("{\"deletionUrl\":\"http://127.0.0.1:"
                        + hooks.getAddress().getPort() + "/" + buyer.getBuyerId() + "\",\"auth\":{\"type\":\"hmac\",\"secret\":\""
                        + SECRET + "\"}}"));
        app = LeadMarketApp.start(market.appConfig("privacy"), IntegrationCheck.OBJECT_ONLY, TOKEN);
        generator = new LeadGenerator(market.producer(), TOPICS, new LeadGenerator.Options(1, 0, 23, List.of(OPEN)));
    }

    @AfterAll
    static void stop() {
        Closing.quietly(app, market);
        if (hooks != null) {
            hooks.stop(0);
        }
    }

    private static Lead consumerLead() {
        Lead lead = generator.lead(LeadGenerator.Kind.VALID);
        lead.setCampaignId(OPEN.getCampaignId());
        lead.getContact().setFirstName("Zebulon");
        lead.getContact().setLastName("Quixotically");
        lead.getContact().setEmail("zebulon.quixotically@privacy.example");
        lead.getContact().setStreetAddress("77 Erasure Lane");
        return lead;
    }

    private static void send(Lead lead) throws Exception {
        market.producer().send(new ProducerRecord<>(Topics.LEADS_INBOUND, lead.getLeadId(),
                TOPICS.leadsInbound().valueSerde().serializer().serialize(Topics.LEADS_INBOUND, lead))).get();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .header("Authorization", "Bearer " + TOKEN).header("X-Actor", "privacy-officer");
        request = body == null ? request.GET() : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void shouldEraseEveryCopyAndTellEveryBuyerWhenTheConsumerAsksForDeletion() throws Exception {
        Lead lead = consumerLead();
        String phone = lead.getContact().getPhone();
        String digits = UsPhoneNumber.toE164(phone).orElseThrow().substring(2);
        String identity = IdentityHash.ofPhone(UsPhoneNumber.toE164(phone).orElseThrow());
        send(lead);
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> market.tracker().outcomes().containsKey(lead.getLeadId()));
        Outcome outcome = market.tracker().outcomes().get(lead.getLeadId());
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(outcome.getBuyerId()).isEqualTo("taker");

        // Right to know: the buyers pinged, and the two that received the full lead.
        JsonNode known = Awaitility.await().atMost(RealMarket.SETTLE).ignoreExceptions().until(
                () -> json(call("GET", "/v1/privacy/disclosures?email=Zebulon.Quixotically@privacy.example", null)),
                body -> body.path("leads").size() == 1 && body.path("leads").get(0).path("receivedFullLead").size() == 2);
        JsonNode disclosed = known.path("leads").get(0);
        assertThat(disclosed.path("leadId").asText()).isEqualTo(lead.getLeadId());
        assertThat(disclosed.path("campaignId").asText()).isEqualTo(OPEN.getCampaignId());
        assertThat(texts(disclosed.path("pinged"), "buyerId")).containsExactlyInAnyOrder("rejecter", "taker", "bystander");
        assertThat(texts(disclosed.path("receivedFullLead"), "buyerId")).containsExactly("rejecter", "taker");
        assertThat(texts(disclosed.path("receivedFullLead"), "result")).containsExactly("REJECTED", "ACCEPTED");
        assertThat(disclosed.path("consent").path("certificateId").asText())
                .isEqualTo(lead.getConsent().getCertificateId());
        assertThat(known.toString()).doesNotContain(digits, "Quixotically");

        HttpResponse<String> accepted = call("POST", "/v1/privacy/deletions", "{\"phone\":\"" + phone + "\"}");
        long requestedAt = System.currentTimeMillis();
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String deletionId = json(accepted).path("deletionId").asText();

        List<String> seen = new CopyOnWriteArrayList<>();
        JsonNode done = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    JsonNode status = json(call("GET", "/v1/privacy/deletions/" + deletionId, null));
                    seen.add(status.path("status").asText());
                    return status;
                }, status -> status.path("status").asText().equals(DeletionProgress.COMPLETED));
        assertThat(System.currentTimeMillis() - requestedAt).as("erased and every buyer told within a minute")
                .isLessThan(60_000);
        assertThat(seen).as("the buyer that was down is shown failing while it is retried").contains(DeletionProgress.FAILING);
        assertThat(texts(done.path("keysErased"), null)).contains(identity);
        assertThat(done.path("requestedBy").asText()).isEqualTo("privacy-officer");
        Map<String, JsonNode> buyers = new HashMap<>();
        done.path("buyers").forEach(b -> buyers.put(b.path("buyerId").asText(), b));
        assertThat(buyers.keySet()).as("only buyers that received the full lead are told").containsExactlyInAnyOrder("rejecter", "taker");
        assertThat(buyers.get("taker").path("attempts").asInt()).isEqualTo(TAKER_DOWN_FOR + 1);
        assertThat(buyers.get("taker").path("lastError").asText()).isEqualTo("HTTP_503");
        assertThat(buyers.get("rejecter").path("acknowledgedAt").isTextual()).isTrue();
        assertThat(texts(done.path("proof"), "type")).contains("REQUESTED", "LEADS_FOUND", "KEY_ERASED",
                "BUYER_NOTIFIED", "BUYER_FAILING", "BUYER_ACKNOWLEDGED");
        assertThat(done.toString()).doesNotContain(digits, "Quixotically");

        // The webhooks: ids and hashes, signed as the buyer's pings and posts are.
        List<Map<String, String>> toRejecter = received.get("rejecter").stream()
                .filter(r -> r.get("body").contains(deletionId)).toList();
        assertThat(toRejecter).hasSize(1);
        Map<String, String> notice = toRejecter.get(0);
        assertThat(JSON.readTree(notice.get("body")).path("leadIds").get(0).asText()).isEqualTo(lead.getLeadId());
        assertThat(notice.get("body")).doesNotContain(digits, "Quixotically", "zebulon");
        assertThat(notice.get("signature")).isEqualTo(RequestAuth.hmacSha256Hex(SECRET, notice.get("timestamp"),
                notice.get("body").getBytes(StandardCharsets.UTF_8)));
        assertThat(received.get("taker").stream().filter(r -> r.get("body").contains(deletionId)))
                .hasSize(TAKER_DOWN_FOR + 1);

        // No topic returns the PII: every topic read raw, and the consumer's key is gone from the key topic.
        Map<String, List<byte[]>> everything = readEveryTopic();
        everything.forEach((topic, values) -> values.forEach(value -> assertThat(
                new String(value, StandardCharsets.ISO_8859_1)).as("a record of %s", topic)
                .doesNotContain(digits, "Quixotically", "zebulon.quixotically", "Erasure Lane")));
        assertThat(everything).containsKey(Topics.POSTS);
        assertThat(latestKey("leadmkt" + KeyVault.KEY_TOPIC_SUFFIX, identity))
                .as("the consumer's data key, as the key topic has it now").isNull();

        // From then on the consumer is suppressed.
        Lead again = consumerLead();
        again.getContact().setPhone(phone);
        send(again);
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> market.tracker().rejections().containsKey(again.getLeadId()));
        assertThat(market.tracker().rejections().get(again.getLeadId()).getReasonCode()).isEqualTo(Rejections.SUPPRESSED);
    }

    @Test
    void shouldEraseEveryConsumerOfAHashFileWhenDeletedByTheCommand(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Lead lead = generator.lead(LeadGenerator.Kind.VALID);
        lead.setCampaignId(OPEN.getCampaignId());
        String identity = IdentityHash.ofPhone(UsPhoneNumber.toE164(lead.getContact().getPhone()).orElseThrow());
        send(lead);
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> market.tracker().outcomes().containsKey(lead.getLeadId()));
        Path drop = Files.writeString(dir.resolve("drop.csv"), "phone_hash\n" + identity + "\n");

        StringWriter out = new StringWriter();
        int exit = new CommandLine(new PrivacyCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(new StringWriter(), true))
                .execute("delete", "--file", drop.toString(), "--actor", "drop-2026-08",
                        "--bootstrap-servers", market.broker().bootstrapServers());

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("1 identifiers from 1 rows in 1 deletion requests");
        String deletionId = out.toString().split("\\s+")[1].replace(":", "");
        JsonNode done = Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(
                () -> json(call("GET", "/v1/privacy/deletions/" + deletionId, null)),
                status -> status.path("status").asText().equals(DeletionProgress.COMPLETED));
        assertThat(texts(done.path("keysErased"), null)).contains(identity);
        assertThat(done.path("requestedBy").asText()).isEqualTo("drop-2026-08");
        assertThat(texts(done.path("leads"), null)).containsExactly(lead.getLeadId());
    }

    @Test
    void shouldNameTheBadFieldWhenADeletionRequestIsInvalidAndRefuseItWithoutTheToken() throws Exception {
        HttpResponse<String> bad = call("POST", "/v1/privacy/deletions", "{\"phone\":\"call me\",\"emailHash\":\"abc\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("phone: not a US phone number", "emailHash: not a SHA-256 hash").doesNotContain("call me");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.httpPort() + "/v1/privacy/disclosures?phone=5125550100")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/privacy/disclosures?fax=1", null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/v1/privacy/deletions/no-such-request", null).statusCode()).isEqualTo(404);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(field == null ? node.asText() : node.path(field).asText()));
        return out;
    }

    /** Every record of every topic but the broker's own, as committed, from its earliest retained offset. */
    private static Map<String, List<byte[]>> readEveryTopic() throws Exception {
        Set<String> names;
        try (Admin admin = market.broker().admin()) {
            names = admin.listTopics().names().get();
        }
        Map<String, List<byte[]>> values = new HashMap<>();
        Map<String, Object> props = market.broker().clients().consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : names) {
                if (!name.startsWith("__")) {
                    consumer.partitionsFor(name, Duration.ofSeconds(10))
                            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await().atMost(RealMarket.SETTLE).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> values.computeIfAbsent(r.topic(), t -> new ArrayList<>())
                        .add(r.value() == null ? new byte[0] : r.value()));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return values;
    }

    /** The last value of {@code key} on {@code topic}, read whole (null: a tombstone, or never there). */
    private static byte[] latestKey(String topic, String key) {
        Map<String, Object> props = market.broker().clients().consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await().atMost(RealMarket.SETTLE).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> latest.put(r.key(), r.value()));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        assertThat(latest).as("the key topic had the consumer's key").containsKey(key);
        return latest.get(key);
    }
}
