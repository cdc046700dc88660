package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadGenerator.Kind;
import io.leadmkt.streams.LeadMarketApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A buyer that speaks Kafka, not HTTP, competing with an HTTP buyer on a real broker: it reads its
 * pings and posts from its own topics and answers on bids and post-results, as the README's
 * contract says. It bids more, so it wins every lead it is pinged on.
 */
class KafkaNativeBuyerEndToEndTest {
    private static final Topics TOPICS = Topics.embedded();
    private static final String KAFKA_BUYER = "kb";
    private static final CampaignConfig CAMPAIGN =
            DemoMarket.campaign("camp-kafka", "seller-k", "auto_insurance", 1_000, 5_000);

    private static RealMarket market;
    private static LeadMarketApp app;
    private static KafkaProducer<String, byte[]> producer;
    private static OutcomeTracker tracker;
    private static Thread kafkaBuyer;
    private static volatile boolean running = true;
    private static final Map<String, Ping> pingsSeen = new ConcurrentHashMap<>();
    private static final Map<String, Post> postsSeen = new ConcurrentHashMap<>();

    @BeforeAll
    static void startMarketplace() throws Exception {
        market = RealMarket.start(List.of(BuyerSpec.of("web", BuyerBehaviour.alwaysBids(2_000))), List.of(CAMPAIGN));
        producer = market.producer();
        tracker = market.tracker();
        String bootstrap = market.broker().bootstrapServers();
        try (Admin admin = market.broker().admin()) {
            // The connector creates these on first use; the buyer subscribes before that.
            admin.createTopics(List.of(new NewTopic("buyer." + KAFKA_BUYER + ".pings", 1, (short) 1),
                    new NewTopic("buyer." + KAFKA_BUYER + ".posts", 1, (short) 1),
                    // It answers on its own topics; the connector relays the answers to its auctions' partitions.
                    new NewTopic("buyer." + KAFKA_BUYER + ".bids", 1, (short) 1),
                    new NewTopic("buyer." + KAFKA_BUYER + ".post-results", 1, (short) 1))).all().get();
        }
        DemoMarket.seed(producer, TOPICS, List.of(), List.of(BuyerConfig.newBuilder().setBuyerId(KAFKA_BUYER)
                .setName("kafka buyer").setActive(true).setDelivery(Delivery.KAFKA).setStates(List.of())
                .setVerticals(List.of()).setCampaigns(List.of()).build()), List.of());
        kafkaBuyer = new Thread(() -> runKafkaBuyer(bootstrap), "kafka-native-buyer");
        kafkaBuyer.start();
        app = LeadMarketApp.start(market.appConfig("kafka-buyer"));
    }

    /** The buyer: bids $30 on every ping, accepts every post. */
    private static void runKafkaBuyer(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-native-buyer");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (var pings = new KafkaConsumer<>(c, new StringDeserializer(), TOPICS.pings().valueSerde().deserializer());
             var posts = new KafkaConsumer<>(c, new StringDeserializer(), TOPICS.posts().valueSerde().deserializer());
             var bids = new KafkaProducer<>(p, new StringSerializer(), TOPICS.bids().valueSerde().serializer());
             var results = new KafkaProducer<>(p, new StringSerializer(), TOPICS.postResults().valueSerde().serializer())) {
            pings.subscribe(List.of("buyer." + KAFKA_BUYER + ".pings"));
            posts.subscribe(List.of("buyer." + KAFKA_BUYER + ".posts"));
            while (running) {
                for (ConsumerRecord<String, Ping> r : pings.poll(Duration.ofMillis(20))) {
                    pingsSeen.put(r.key(), r.value());
                    bids.send(new ProducerRecord<>("buyer." + KAFKA_BUYER + ".bids", r.key(), Bid.newBuilder().setLeadId(r.key())
                            .setBuyerId(KAFKA_BUYER).setStatus(BidStatus.BID).setPriceCents(3_000L)
                            .setPingToken("kb-" + r.key()).setRespondedAt(System.currentTimeMillis()).build()));
                }
                for (ConsumerRecord<String, Post> r : posts.poll(Duration.ofMillis(20))) {
                    postsSeen.put(r.key(), r.value());
                    results.send(new ProducerRecord<>("buyer." + KAFKA_BUYER + ".post-results", r.key(), PostResult.newBuilder()
                            .setLeadId(r.key()).setBuyerId(KAFKA_BUYER).setAttempt(r.value().getAttempt())
                            .setStatus(PostStatus.ACCEPTED).setBuyerLeadId("kb-lead-" + r.key())
                            .setRespondedAt(System.currentTimeMillis()).build()));
                }
            }
        }
    }

    @AfterAll
    static void stopMarketplace() throws Exception {
        running = false;
        if (kafkaBuyer != null) {
            kafkaBuyer.join(10_000);
        }
        Closing.quietly(app, market);
    }

    @Test
    void shouldSellToKafkaNativeBuyerWhenItOutbidsHttpBuyer() {
        LeadGenerator generator = new LeadGenerator(producer, TOPICS,
                new LeadGenerator.Options(1_000, 0, 11, List.of(CAMPAIGN)));
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            ids.add(generator.send(Kind.VALID).leadId());
        }
        producer.flush();

        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> tracker.missing(ids).isEmpty());
        List<Outcome> outcomes = tracker.outcomeRecords().stream().filter(o -> ids.contains(o.getLeadId())).toList();
        assertThat(outcomes).extracting(Outcome::getLeadId).doesNotHaveDuplicates().hasSize(ids.size());
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SOLD);
            assertThat(o.getBuyerId()).isEqualTo(KAFKA_BUYER);
            assertThat(o.getPriceCents()).isEqualTo(3_000L);
        });
        assertThat(pingsSeen.keySet()).containsAll(ids);
        assertThat(pingsSeen.values()).allSatisfy(ping -> assertThat(ping.getBuyers()).containsExactly(KAFKA_BUYER));
        assertThat(postsSeen.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(postsSeen.values()).allSatisfy(post -> assertThat(post.getPingToken()).isEqualTo("kb-" + post.getLeadId()));
        assertThat(market.farm().byId().get("web").postCount()).as("the HTTP buyer bid less and is never posted").isZero();
        assertThat(market.farm().byId().get("web").pingCount()).isGreaterThanOrEqualTo(ids.size());
        assertThat(ids.stream().map(id -> pingsSeen.get(id).getPreview().toString()).collect(Collectors.joining()))
                .doesNotContain("@");
    }
}
