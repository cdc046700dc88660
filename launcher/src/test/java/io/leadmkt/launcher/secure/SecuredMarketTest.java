package io.leadmkt.launcher.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.connector.kafka.KafkaBuyerAnswers;
import io.leadmkt.connector.kafka.KafkaBuyerTopics;
import io.leadmkt.launcher.ConnectorProcess;
import io.leadmkt.launcher.DemoMarket;
import io.leadmkt.launcher.EmbeddedKafkaBroker;
import io.leadmkt.launcher.OutcomeTracker;
import io.leadmkt.launcher.Settings;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerFarm;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadGenerator.Kind;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The marketplace on a secured broker (SASL_SSL, ACLs enforced) as {@code demo --secure} runs it: the
 * streams app and the connector each as its own SCRAM user with only {@link AclPlan}'s ACLs, an HTTP
 * buyer, and two Kafka-native buyers each as its own user: alice bids honestly, mallory tries to
 * read alice's pings, answer on her topics and forge her answers.
 */
class SecuredMarketTest {
    private static final Topics TOPICS = Topics.embedded();
    private static final CampaignConfig CAMPAIGN = DemoMarket.campaign("camp-secure", "seller-s", "auto_insurance", 1_000, 5_000);
    private static final long ALICE_PRICE = 3_000L;
    private static final long FORGED_PRICE = 9_000L;

    private static EmbeddedKafkaBroker broker;
    private static BuyerFarm farm;
    private static LeadMarketApp app;
    private static ConnectorProcess connector;
    private static OutcomeTracker tracker;
    private static KafkaProducer<String, byte[]> leads;
    private static Thread alice;
    private static volatile boolean running = true;
    private static final Set<String> pingedAlice = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startSecuredMarket() throws Exception {
        broker = EmbeddedKafkaBroker.secured().start();
        farm = BuyerFarm.start(List.of(BuyerSpec.of("web", BuyerBehaviour.alwaysBids(2_000))));
        Path stateDir = Path.of("target", "secured-market-" + UUID.randomUUID()).toAbsolutePath();
        // mallory never answers her pings: every round waits for her until the backstop, so a short one
        // (the default 60 s allows for a connector far behind) keeps each test to seconds.
        Settings settings = SecureMarket.grant(broker, Settings.empty().with(Map.of("streams.auction.backstop.ms", "3000")),
                "alice", "mallory");
        StreamsAppConfig appConfig = settings.streamsConfig(broker.bootstrapServers(), 0, stateDir);
        try (Admin admin = broker.admin()) {
            TopicProvisioner.ensureTopics(admin, TOPICS, appConfig.partitions(), appConfig.replicationFactor());
        }
        try (KafkaProducer<String, byte[]> config = DemoMarket.configProducer(SecureMarket.configWriter(broker), "leadmkt-config-seed")) {
            DemoMarket.seed(config, TOPICS, List.of(CAMPAIGN), List.of(farm.configs().get(0), kafkaBuyer("alice"),
                    kafkaBuyer("mallory")), List.of());
        }
        alice = new Thread(() -> runAlice(broker.scramClients(AclPlan.buyerUser("alice"))), "alice");
        alice.start();
        app = LeadMarketApp.start(appConfig);
        connector = ConnectorProcess.open(settings.connectorConfig(broker.bootstrapServers()), 0).start();
        tracker = new OutcomeTracker(broker.clients(), TOPICS, id -> OptionalLong.empty()).start();
        leads = DemoMarket.producer(broker.clients(), "secured-market-leads");
    }

    private static BuyerConfig kafkaBuyer(String id) {
        return BuyerConfig.newBuilder().setBuyerId(id).setName(id).setActive(true).setDelivery(Delivery.KAFKA)
                .setStates(List.of()).setVerticals(List.of()).setCampaigns(List.of()).build();
    }

    /** Alice as the README tells a Kafka-native buyer: her pings and posts in, her answer topics out. */
    private static void runAlice(KafkaClients clients) {
        Map<String, Object> c = clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "buyer.alice.reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        Map<String, Object> p = clients.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
        try (var pings = new KafkaConsumer<>(c, new StringDeserializer(), TOPICS.pings().valueSerde().deserializer());
             var posts = new KafkaConsumer<>(c, new StringDeserializer(), TOPICS.posts().valueSerde().deserializer());
             var bids = new KafkaProducer<>(p, new StringSerializer(), TOPICS.bids().valueSerde().serializer());
             var results = new KafkaProducer<>(p, new StringSerializer(), TOPICS.postResults().valueSerde().serializer())) {
            pings.subscribe(List.of(KafkaBuyerTopics.pings("alice")));
            posts.subscribe(List.of(KafkaBuyerTopics.posts("alice")));
            while (running) {
                for (ConsumerRecord<String, Ping> r : pings.poll(Duration.ofMillis(20))) {
                    pingedAlice.add(r.key());
                    bids.send(new ProducerRecord<>(KafkaBuyerTopics.bids("alice"), r.key(), Bid.newBuilder()
                            .setLeadId(r.key()).setBuyerId("alice").setStatus(BidStatus.BID).setPriceCents(ALICE_PRICE)
                            .setPingToken("alice-" + r.key()).setRespondedAt(System.currentTimeMillis()).build()));
                }
                for (ConsumerRecord<String, Post> r : posts.poll(Duration.ofMillis(20))) {
                    results.send(new ProducerRecord<>(KafkaBuyerTopics.postResults("alice"), r.key(), PostResult.newBuilder()
                            .setLeadId(r.key()).setBuyerId("alice").setAttempt(r.value().getAttempt())
                            .setStatus(PostStatus.ACCEPTED).setBuyerLeadId("a-" + r.key())
                            .setRespondedAt(System.currentTimeMillis()).build()));
                }
            }
        }
    }

    @AfterAll
    static void stopSecuredMarket() throws Exception {
        running = false;
        if (alice != null) {
            alice.join(10_000);
        }
        for (AutoCloseable c : new AutoCloseable[] {leads, tracker, connector, app, farm, broker}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing the rest matters more
                }
            }
        }
    }

    @Test
    void shouldSellLeadsWhenStreamsAppAndConnectorRunUnderTheirAcls() {
        Set<String> ids = sendLeads(5);
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> tracker.missing(ids).isEmpty());
        assertThat(tracker.outcomeRecords()).filteredOn(o -> ids.contains(o.getLeadId()))
                .hasSize(ids.size())
                .allSatisfy(o -> {
                    assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SOLD);
                    assertThat(o.getBuyerId()).isEqualTo("alice");
                    assertThat(o.getPriceCents()).isEqualTo(ALICE_PRICE);
                });
    }

    @Test
    void shouldNeverCountForgedAnswerWhenABuyerClaimsAnotherBuyersName() throws Exception {
        KafkaClients mallory = broker.scramClients(AclPlan.buyerUser("mallory"));
        Set<String> ids = sendLeads(3);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> pingedAlice.containsAll(ids));
        try (KafkaProducer<String, byte[]> producer = producer(mallory)) {
            for (String id : ids) {
                // On her own answer topic (the only one she may write) mallory claims to be alice, at a higher price.
                Bid forged = Bid.newBuilder().setLeadId(id).setBuyerId("alice").setStatus(BidStatus.BID)
                        .setPriceCents(FORGED_PRICE).setPingToken("forged").setRespondedAt(System.currentTimeMillis()).build();
                producer.send(new ProducerRecord<>(KafkaBuyerTopics.bids("mallory"), id,
                        TOPICS.bids().valueSerde().serializer().serialize(Topics.BIDS, forged))).get(30, TimeUnit.SECONDS);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> tracker.missing(ids).isEmpty());
        assertThat(tracker.outcomeRecords()).filteredOn(o -> ids.contains(o.getLeadId()))
                .extracting(Outcome::getPriceCents).containsOnly(ALICE_PRICE);
        List<String> reasons = deadLetterReasons();
        assertThat(reasons).filteredOn(r -> r.contains("buyer.mallory.bids")).hasSizeGreaterThanOrEqualTo(ids.size())
                .allSatisfy(r -> assertThat(r).startsWith("FORGED_BUYER").contains("claims buyer alice"));
    }

    @Test
    void shouldDenyBuyerWhenItReadsAnotherBuyersPings() {
        try (KafkaConsumer<String, byte[]> consumer = consumer(broker.scramClients(AclPlan.buyerUser("mallory")),
                "buyer.mallory.snoop")) {
            consumer.subscribe(List.of(KafkaBuyerTopics.pings("alice")));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(KafkaBuyerTopics.pings("alice"));
        }
    }

    @Test
    void shouldDenyBuyerWhenItWritesAnotherBuyersAnswersOrTheSharedBids() {
        try (KafkaProducer<String, byte[]> producer = producer(broker.scramClients(AclPlan.buyerUser("mallory")))) {
            for (String topic : List.of(KafkaBuyerTopics.bids("alice"), KafkaBuyerTopics.postResults("alice"), Topics.BIDS)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "lead", new byte[] {0})).get(30, TimeUnit.SECONDS))
                        .as(topic).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void shouldFailFastWithAuthorizationErrorWhenPrincipalHasNoAcls() {
        try (KafkaConsumer<String, byte[]> consumer = consumer(broker.scramClients("stranger"), "stranger")) {
            consumer.subscribe(List.of(Topics.PINGS));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(org.apache.kafka.common.errors.AuthorizationException.class);
        }
    }

    private static Set<String> sendLeads(int count) {
        LeadGenerator generator = new LeadGenerator(leads, TOPICS, new LeadGenerator.Options(1_000, 0, count, List.of(CAMPAIGN)));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(generator.send(Kind.VALID).leadId());
        }
        leads.flush();
        return ids;
    }

    private static List<String> deadLetterReasons() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.clients().consumer(Map.of()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS_DEADLETTER).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> reasons = new java.util.ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    var header = r.headers().lastHeader(KafkaBuyerAnswers.ERROR_HEADER);
                    var source = r.headers().lastHeader("leadmkt.source.topic");
                    if (header != null) {
                        reasons.add(new String(header.value(), StandardCharsets.UTF_8)
                                + (source == null ? "" : " @ " + new String(source.value(), StandardCharsets.UTF_8)));
                    }
                });
            }
            return reasons;
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaClients clients) {
        return new KafkaProducer<>(clients.producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaClients clients, String group) {
        return new KafkaConsumer<>(clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
