package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerFarm;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marketplace on one real (embedded KRaft) broker, or on an in-process cluster of them, for tests
 * that need real partitions, transactions and rebalances: the broker, a farm of simulated HTTP buyers, the real buyer
 * connector, an {@link OutcomeTracker} and a lead producer, with the market config seeded before
 * any streams instance starts. Each test starts its own streams instances from
 * {@link #appConfig}: one application id, as instances of one deployment.
 */
final class RealMarket implements AutoCloseable {

    static final Topics TOPICS = Topics.embedded();
    /** The longest any wait here may take before the test fails. */
    static final Duration SETTLE = Duration.ofSeconds(120);
    /**
     * Three buyers whose answers are known in advance: picky bids 25.37 and turns every post down,
     * steady bids 10.01 to 19.99 and takes every post, cheap bids 7.77.
     */
    static final List<BuyerSpec> KNOWN_BIDDERS = List.of(
            BuyerSpec.of("picky", BuyerBehaviour.alwaysBids(2_537).withMode(BuyerBehaviour.Mode.REJECTS_POSTS)),
            BuyerSpec.of("steady", BuyerBehaviour.bidsBetween(1_001, 1_999)),
            BuyerSpec.of("cheap", BuyerBehaviour.alwaysBids(777)));
    /** Two sellers' campaigns with a 5.00 floor and 5 s to answer a ping or a post. */
    static final List<CampaignConfig> NORTH_AND_SOUTH = List.of(
            campaign("camp-north", "seller-north", 500, 5_000),
            campaign("camp-south", "seller-south", 500, 5_000));
    private static final Logger LOG = LoggerFactory.getLogger(RealMarket.class);

    private LocalKafka broker;
    private BuyerFarm farm;
    private KafkaProducer<String, byte[]> producer;
    private ConnectorProcess connector;
    private OutcomeTracker tracker;

    private RealMarket() {
    }

    /** Starts the marketplace with the buyers registered as they are. */
    static RealMarket start(List<BuyerSpec> buyers, List<CampaignConfig> campaigns) throws Exception {
        return start(buyers, campaigns, buyer -> { });
    }

    /**
     * Starts the broker and the buyers, writes the campaigns and the buyers' registrations (each
     * first passed to {@code registration}, e.g. to give a buyer caps), then starts the connector
     * and the tracker.
     */
    static RealMarket start(List<BuyerSpec> buyers, List<CampaignConfig> campaigns,
                            Consumer<BuyerConfig> registration) throws Exception {
        return start(() -> EmbeddedKafkaBroker.onFreePorts().start(), buyers, campaigns, registration);
    }

    /**
     * As {@link #start(List, List)}, on the Kafka {@code kafka} starts (a cluster, say), which the market
     * then owns and closes: topics get its {@link LocalKafka#replicationFactor()}, as do the streams
     * app's internal topics through {@link #appConfig}.
     */
    static RealMarket startOn(Supplier<LocalKafka> kafka, List<BuyerSpec> buyers, List<CampaignConfig> campaigns)
            throws Exception {
        return start(kafka, buyers, campaigns, buyer -> { });
    }

    private static RealMarket start(Supplier<LocalKafka> kafka, List<BuyerSpec> buyers, List<CampaignConfig> campaigns,
                                    Consumer<BuyerConfig> registration) throws Exception {
        RealMarket market = new RealMarket();
        try {
            market.broker = kafka.get();
            market.farm = BuyerFarm.start(buyers);
            market.producer = DemoMarket.producer(market.broker.clients(), "real-market-test");
            // Market config must be on its topics before the first instance starts.
            StreamsAppConfig defaults = market.appConfig("unused");
            try (Admin admin = market.broker.admin()) {
                TopicProvisioner.ensureTopics(admin, TOPICS, defaults.partitions(), defaults.replicationFactor());
            }
            List<BuyerConfig> configs = market.farm.configs();
            configs.forEach(registration);
            try (KafkaProducer<String, byte[]> config = DemoMarket.configProducer(market.broker.clients(),
                    "real-market-config")) {
                DemoMarket.seed(config, TOPICS, campaigns, configs, List.of());
            }
            market.startConnector();
            market.tracker = new OutcomeTracker(market.broker.clients(), TOPICS, id -> OptionalLong.empty()).start();
            return market;
        } catch (Exception | Error e) {
            market.close();
            throw e;
        }
    }

    /** Stops the buyer connector, as if its process died or was paused: pings wait on their topic. */
    void stopConnector() {
        connector.close();
        connector = null;
    }

    /**
     * Starts the buyer connector (again), as its own process would (metrics, status API), in the same
     * consumer group: it goes on from the committed pings.
     */
    void startConnector() {
        connector = ConnectorProcess.open(ConnectorConfig.defaults(broker.bootstrapServers()), 0).start();
    }

    /** The running connector's status API port: its {@code /metrics} and {@code /health/ready}. */
    int connectorPort() {
        return connector.port();
    }

    LocalKafka broker() {
        return broker;
    }

    BuyerFarm farm() {
        return farm;
    }

    KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    OutcomeTracker tracker() {
        return tracker;
    }

    /**
     * A new API key of {@code role} on the cluster's key topic, as {@code leadmkt keys create} writes
     * it; instances know it within a second (those started later, at start). Returns the key.
     */
    String apiKey(String role, List<String> sourceIds, String buyerId) {
        io.leadmkt.streams.access.ApiKeys.Parsed request = io.leadmkt.streams.access.ApiKeys.request(role, sourceIds,
                buyerId, "test");
        io.leadmkt.streams.access.ApiKeys.Minted minted = io.leadmkt.streams.access.ApiKeys.mint(request.request(),
                "tests", System.currentTimeMillis());
        try (io.leadmkt.streams.admin.ConfigTopics topics = new io.leadmkt.streams.admin.ConfigTopics(
                broker.clients(), TOPICS, "real-market-keys")) {
            topics.putApiKey(minted.record(), new io.leadmkt.streams.admin.ConfigChanges.Author("tests",
                    io.leadmkt.streams.admin.ConfigChanges.VIA_KEYS_COMMAND));
        }
        return minted.key();
    }

    /**
     * An instance of the one deployment: same application id, its own state directory and a free port,
     * every other setting at its default but {@code streams.replication.factor}, which is the Kafka's.
     */
    StreamsAppConfig appConfig(String instance) {
        return appConfig(instance, Map.of());
    }

    /** As {@link #appConfig(String)}, with Kafka client / Streams properties passed through as an operator would. */
    StreamsAppConfig appConfig(String instance, Map<String, String> passThrough) {
        Path stateDir = Path.of("target", "market-state-" + instance + "-" + UUID.randomUUID()).toAbsolutePath();
        AbstractConfig settings = new AbstractConfig(StreamsAppConfig.definition(), Map.of(
                StreamsAppConfig.STATE_DIR, stateDir.toString(),
                StreamsAppConfig.REPLICATION_FACTOR, Short.toString(broker.replicationFactor())), false);
        return StreamsAppConfig.from(new KafkaClients(broker.bootstrapServers(), passThrough), settings).withHttpPort(0);
    }

    /** As {@link #appConfig(String)}, with {@code streamThreads} stream threads. */
    StreamsAppConfig appConfig(String instance, int streamThreads) {
        return appConfig(instance).withStreamThreads(streamThreads);
    }

    /** An auto-insurance campaign whose ping deadline and post timeout are both {@code deadlineMs}. */
    static CampaignConfig campaign(String campaignId, String sellerId, long floorCents, int deadlineMs) {
        CampaignConfig campaign = DemoMarket.campaign(campaignId, sellerId, "auto_insurance", floorCents, deadlineMs);
        campaign.setPostTimeoutMs(deadlineMs);
        return campaign;
    }

    /** Sends {@code leads} valid leads, waits until each has ended and returns every committed outcome. */
    List<Outcome> sendValidAndAwaitOutcomes(LeadGenerator generator, int leads) {
        List<String> ids = java.util.stream.IntStream.range(0, leads)
                .mapToObj(i -> generator.send(LeadGenerator.Kind.VALID).leadId()).toList();
        producer.flush();
        awaitEveryLeadEnded(ids);
        return committedOutcomes();
    }

    /** Waits until every one of the leads has a final answer (an outcome or a rejection). */
    void awaitEveryLeadEnded(Collection<String> leadIds) {
        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(tracker.missing(leadIds)).as("leads without a final answer").isEmpty());
    }

    /** How many of {@code leadIds} have a final answer (an outcome or a rejection) so far. */
    int ended(List<String> leadIds) {
        return leadIds.size() - tracker.missing(leadIds).size();
    }

    /** Waits until at least {@code count} of the leads {@code leadIds} gives (read at each look) have a final answer. */
    void awaitEnded(Supplier<List<String>> leadIds, int count) {
        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> ended(leadIds.get()) >= count);
    }

    /**
     * Every committed record on {@code outcomes}, read to the end. The tracker has no way to say it
     * has read everything, and a duplicate outcome could be the last record written.
     */
    List<Outcome> committedOutcomes() {
        return committed(TOPICS.outcomes());
    }

    /**
     * Each of {@code leadIds} has exactly one committed outcome, {@code SOLD}; a failure shows the lead's
     * audit timeline.
     */
    void assertEverySoldOnce(Collection<String> leadIds) {
        Map<String, List<Outcome>> outcomes = committedOutcomes().stream()
                .filter(o -> leadIds.contains(o.getLeadId()))
                .collect(Collectors.groupingBy(Outcome::getLeadId));
        assertThat(outcomes).hasSize(leadIds.size());
        assertThat(outcomes.values()).allSatisfy(once -> {
            assertThat(once).as("decided exactly once").hasSize(1);
            // A supplier: the timeline reads the whole audit topic, so only when it is needed.
            assertThat(once.get(0).getStatus()).as(() -> once.get(0) + ", its timeline "
                    + timeline(once.get(0).getLeadId())).isEqualTo(io.leadmkt.schema.OutcomeStatus.SOLD);
        });
    }

    /** The audit events of one lead, in the order committed. */
    List<String> timeline(String leadId) {
        return committed(TOPICS.audit()).stream().filter(event -> leadId.equals(event.getLeadId()))
                .map(Object::toString).toList();
    }

    /** Every committed value on a topic, from its beginning to its end as of now. */
    <V> List<V> committed(Topics.Topic<String, V> topic) {
        Map<String, Object> props = broker.clients().consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await().atMost(SETTLE).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(
                        topic.valueSerde().deserializer().deserialize(record.topic(), record.value())));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return values;
    }

    /**
     * As close to {@code kill -9} of one instance as one JVM allows through public APIs.
     *
     * <p>First its stream threads' transactional producers are fenced ({@link Admin#fenceProducers}):
     * the broker aborts every transaction A has open and refuses any later commit from it, which is
     * what a dead process's in-flight work comes to (after {@code transaction.timeout.ms}). So output
     * A produced but had not committed (pings, posts, outcomes, store changelog writes) is never seen
     * by read-committed readers, and the input behind it is re-processed by the survivor from the
     * last committed offsets. Then {@code close} with a zero timeout stops A without waiting: its
     * fenced threads drop their tasks uncommitted, and its state directory is abandoned, so the
     * survivor restores every store from the changelogs.
     *
     * <p>Not simulated: the process really vanishing (A's threads still run their close code, which
     * can no longer change anything on the broker), the read-committed stall until a crashed
     * producer's transaction times out (fencing aborts at once), and the wait for the group
     * coordinator to notice a silent member: A leaves the group on close, where a dead process would
     * hold its partitions until {@code session.timeout.ms} (10 s, {@link io.leadmkt.schema.KafkaClients#SESSION_TIMEOUT_MS})
     * expires. That wait changes when the survivor takes over, not what it must do then.
     *
     * <p>A fenced stream thread unsubscribes, which leaves the group, before it rejoins as a new member, so a
     * close that stays in the group does not make this a silent crash: that new member, if it joined in
     * time, lingers instead ({@link #stopWithoutLeaving} is the silent one).
     */
    void crash(LeadMarketApp app) throws Exception {
        // Exactly-once v2 names a stream thread's transactional id "<application.id>-<process id>-<n>",
        // and the thread itself "<application.id>-<process id>-StreamThread-<n>": the thread names give
        // this instance's prefix, so other instances of the same application are left alone.
        Set<String> prefixes = applications(app).stream()
                .flatMap(streams -> streams.metadataForLocalThreads().stream())
                .map(thread -> thread.threadName().replaceFirst("-StreamThread-\\d+$", "-"))
                .collect(Collectors.toSet());
        try (Admin admin = broker.admin()) {
            List<String> transactionalIds = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> prefixes.stream().anyMatch(id::startsWith))
                    .toList();
            assertThat(transactionalIds).as("transactional ids of the streams app").isNotEmpty();
            admin.fenceProducers(transactionalIds).all().get(30, TimeUnit.SECONDS);
        }
        // Fenced, A can no longer commit anything; the wait is for its consumers to say they leave. With no
        // wait the leave raced the close, and 1 run in 5 the survivor waited out the session (then 45 s) instead.
        applications(app).forEach(streams -> streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)));
    }

    /** The instance's Kafka Streams applications: the market's, and the reports' when they run on their own. */
    static List<org.apache.kafka.streams.KafkaStreams> applications(LeadMarketApp app) {
        return java.util.stream.Stream.of(app.streams(), app.reportStreams()).distinct().toList();
    }

    /** The lead ids of request bodies a simulated buyer received, kept only for the given leads. */
    static List<String> leadIdsOf(List<Map<String, Object>> bodies, Set<String> ids) {
        return bodies.stream().map(body -> String.valueOf(body.get("leadId"))).filter(ids::contains).toList();
    }

    /** The partitions an instance's stream threads (the market's and the reports') process as active tasks right now. */
    static Set<TopicPartition> activePartitions(LeadMarketApp app) {
        return applications(app).stream()
                .flatMap(streams -> streams.metadataForLocalThreads().stream())
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .collect(Collectors.toSet());
    }

    /**
     * A graceful scale-in: commit, close and leave the group, so the remaining instance takes the
     * tasks over at once. {@link org.apache.kafka.streams.KafkaStreams#close(Duration)} alone keeps the
     * member in the group: its partitions then stay unprocessed until {@code session.timeout.ms}
     * expires (10 s by default, 10.2 s measured here; 43 s with Kafka's own 45 s).
     */
    static void leaveGracefully(LeadMarketApp app) {
        app.close();
    }

    /**
     * An instance that stops as a dead process would for the rest of the group: its HTTP API gone
     * (connections refused), and its member still in the group, so the others go on taking it for
     * the active host of its partitions until its {@code session.timeout.ms} passes or it is removed
     * ({@link #removeFromGroup}). Its stream threads commit on the way out.
     */
    static void stopWithoutLeaving(LeadMarketApp app) {
        applications(app).forEach(streams -> streams.close(Duration.ofSeconds(30)));
        app.close();
    }

    /**
     * What an operator does for an instance gone for good before its session times out: removes its
     * static members ({@code group.instance.id} {@code instanceId}, one per stream thread) from the
     * application's group, which rebalances at once.
     */
    void removeFromGroup(String applicationId, String instanceId) throws Exception {
        try (Admin admin = broker.admin()) {
            List<MemberToRemove> members = admin.describeConsumerGroups(List.of(applicationId)).all()
                    .get(30, TimeUnit.SECONDS).get(applicationId).members().stream()
                    .flatMap(member -> member.groupInstanceId().stream())
                    .filter(id -> id.startsWith(instanceId + "-"))
                    .map(MemberToRemove::new).toList();
            assertThat(members).as("static members of " + instanceId).isNotEmpty();
            admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions(members))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Closes everything given, in order, streams instances gracefully, even when one of them fails. */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    if (resource instanceof LeadMarketApp app) {
                        leaveGracefully(app);
                    } else {
                        resource.close();
                    }
                } catch (Exception e) {
                    LOG.warn("close failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closeAll(tracker, connector, producer, farm, broker);
    }
}
