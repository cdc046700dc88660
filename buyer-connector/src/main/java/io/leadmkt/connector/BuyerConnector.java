package io.leadmkt.connector;

import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.kafka.KafkaBuyerAnswers;
import io.leadmkt.connector.kafka.KafkaBuyerDelivery;
import io.leadmkt.connector.kafka.KafkaBuyerTopics;
import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.connector.limits.BuyerHealth;
import io.leadmkt.connector.ping.PingDispatcher;
import io.leadmkt.connector.adapter.Answers;
import io.leadmkt.connector.post.PostDispatcher;
import io.leadmkt.connector.privacy.DeletionNotifier;
import io.leadmkt.connector.privacy.KeyRing;
import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionNotice;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.DataKey;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.ops.Health;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.AnswerRoute;
import io.leadmkt.schema.RoundAnswers;
import io.leadmkt.schema.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buyer-connector service: consumes {@code pings} and {@code posts}, calls buyers over HTTP,
 * and produces exactly one {@code bids} event per pinged buyer and one {@code post-results} event
 * per post, keyed by lead id. Kafka-native buyers are not called: their pings and posts are produced
 * to {@code buyer.<id>.pings} / {@code buyer.<id>.posts} (created here on first use, one partition)
 * and they answer on their own {@code buyer.<id>.bids} / {@code buyer.<id>.post-results}, which a
 * third loop relays to {@code bids} / {@code post-results} in that buyer's name only.
 *
 * <p>Pings and posts are consumed by separate threads (and groups), so slow posts never delay
 * pings. Neither thread waits for HTTP; offsets are committed once a record's events are
 * acknowledged (see {@link RecordLoop}). Buyer configs come from {@code config.buyers} and apply
 * to the next ping without a restart.
 *
 * <p>Its meters (bids and post results per buyer, answer times, its Kafka clients') go to the
 * registry it is created with; {@link #health()} says whether it is warmed up and serving.
 */
public final class BuyerConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuyerConnector.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Parallel calls of the HTTP warm-up: about one ping burst of a lead with many buyers. */
    private static final int WARM_UP_CALLS = 32;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private final ConnectorConfig config;
    private final Topics topics;
    private final BuyerDirectory directory = new BuyerDirectory();
    /** This process's {@code process} tag on every meter, when it runs on its own. */
    public static final String PROCESS = "buyer-connector";

    private final ConnectorCounters counters;
    private final ScheduledExecutorService metricsRefresh;
    private final BuyerHttpExecutor http;
    private final BuyerGate gate;
    private final Producer<String, byte[]> producer;
    private final PingDispatcher pingDispatcher;
    private final PostDispatcher postDispatcher;
    private final KafkaBuyerDelivery kafkaBuyers;
    private final Admin admin;
    private final CompactedTopicFeed<BuyerConfig> feed;
    private final CompactedTopicFeed<DataKey> keyFeed;
    private final KeyRing keyRing = new KeyRing();
    private final RecordLoop<DeletionNotice> noticeLoop;
    /** Waits between a buyer's failed deletion-notice attempts. */
    private final ScheduledExecutorService noticeRetries;
    private final RecordLoop<Ping> pingLoop;
    private final RecordLoop<Post> postLoop;
    private final RecordLoop<KafkaBuyerAnswers.Answer> answerLoop;
    private final List<Thread> threads;
    private final List<KafkaClientMetrics> kafkaMetrics = new java.util.ArrayList<>();
    private volatile boolean closed;
    /** Warmed up, buyer config loaded and both consumers joined: ready for pings. */
    private volatile boolean started;
    /** Cleared once the loops have stopped: answers arriving after that are not produced. */
    private volatile boolean producing = true;

    private BuyerConnector(ConnectorConfig config, MeterRegistry registry) {
        this.config = config;
        this.topics = Topics.of(config.kafka());
        this.counters = new ConnectorCounters(registry);
        this.metricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "connector-metrics-refresh"));
        this.http = new BuyerHttpExecutor(config.maxConcurrentRequests());
        this.producer = new KafkaProducer<>(producerProps(config), new StringSerializer(), new ByteArraySerializer());
        BuyerAdapters adapters = BuyerAdapters.json();
        Clock clock = Clock.systemUTC();
        this.gate = new BuyerGate(clock);
        this.pingDispatcher = new PingDispatcher(directory, adapters, http, config.maxPriceCents(), clock, gate);
        this.postDispatcher = new PostDispatcher(directory, adapters, http, clock, gate);
        this.admin = Admin.create(config.kafka().admin(
                Map.of(AdminClientConfig.CLIENT_ID_CONFIG, config.groupId() + "-admin")));
        this.kafkaBuyers = new KafkaBuyerDelivery(directory, topics, producer, this::ensureBuyerTopic, clock);
        List<KafkaConsumer<String, byte[]>> consumers = List.of(newConsumer(null, "buyers"),
                newConsumer(config.groupId() + "-pings", "pings"), newConsumer(config.groupId() + "-posts", "posts"),
                newConsumer(null, "keys"), newConsumer(config.groupId() + "-notices", "notices"),
                // A new buyer's answer topics match the pattern within a second, not metadata's default 5 minutes.
                new KafkaConsumer<>(consumerProps(config, config.groupId() + "-answers", "answers",
                        Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000)),
                        new StringDeserializer(), new ByteArrayDeserializer()));
        this.feed = new CompactedTopicFeed<>(consumers.get(0), topics.buyers().name(),
                topics.buyers().valueSerde().deserializer(), directory::apply, counters.skipped::increment);
        this.keyFeed = new CompactedTopicFeed<>(consumers.get(3), config.keyTopic(),
                topics.serde(DataKey.class).deserializer(), keyRing::apply, counters.skipped::increment);
        directory.followedBy(feed);
        keyRing.followedBy(keyFeed);
        this.pingLoop = new RecordLoop<>("pings", consumers.get(1), Topics.PINGS,
                bytes -> topics.pings().valueSerde().deserializer().deserialize(Topics.PINGS, bytes),
                this::onPing, config.maxConcurrentRequests(), DRAIN_TIMEOUT, counters.skipped::increment);
        this.postLoop = new RecordLoop<>("posts", consumers.get(2), Topics.POSTS,
                bytes -> topics.posts().valueSerde().deserializer().deserialize(Topics.POSTS, bytes),
                this::onPost, config.maxConcurrentRequests(), DRAIN_TIMEOUT, counters.skipped::increment);
        this.noticeRetries = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "deletion-notice-retries"));
        DeletionNotifier notifier = new DeletionNotifier(directory, adapters, http, kafkaBuyers::deliverDeletion,
                this::produce, noticeRetries, clock, DeletionNotifier.FIRST_BACKOFF);
        this.noticeLoop = new RecordLoop<>("notices", consumers.get(4), Topics.PRIVACY_NOTICES,
                bytes -> topics.privacyNotices().valueSerde().deserializer().deserialize(Topics.PRIVACY_NOTICES, bytes),
                notifier::deliver, config.maxConcurrentRequests(), DRAIN_TIMEOUT, counters.skipped::increment);
        KafkaBuyerAnswers answers = new KafkaBuyerAnswers(topics, producer, counters.skipped::increment, kafkaBuyers);
        this.answerLoop = new RecordLoop<>("answers", consumers.get(5), KafkaBuyerTopics.ANSWERS, answers::read,
                answers::relay, config.maxConcurrentRequests(), DRAIN_TIMEOUT, counters.skipped::increment);
        this.threads = List.of(thread(feed, "buyer-config-feed"), thread(keyFeed, "key-feed"),
                thread(pingLoop, "connector-pings"), thread(postLoop, "connector-posts"),
                thread(noticeLoop, "connector-notices"), thread(answerLoop, "connector-answers"));
        consumers.forEach(c -> kafkaMetrics.add(new KafkaClientMetrics(c, Tags.empty(), metricsRefresh)));
        kafkaMetrics.add(new KafkaClientMetrics(producer, Tags.empty(), metricsRefresh));
        kafkaMetrics.forEach(binder -> binder.bindTo(registry));
        Gauge.builder("leadmkt.connector.in.flight", http, BuyerHttpExecutor::inFlight)
                .description("buyer HTTP calls running or queued").register(registry);
        Gauge.builder("leadmkt.connector.buyers.paused", gate, g -> g.paused().size())
                .description("buyers not pinged right now (paused, or waiting on their half-open probe)")
                .register(registry);
    }

    /**
     * Starts consuming pings and posts; returns once buyer config is loaded (caught up with the end
     * of {@code config.buyers}) and both consumers have joined their groups. Its meters go nowhere.
     */
    public static BuyerConnector start(ConnectorConfig config) {
        return create(config, new CompositeMeterRegistry()).start();
    }

    /**
     * A connector whose meters go to {@code registry}, not started yet: {@link #health()} says
     * not ready until {@link #start()} has warmed it up.
     */
    public static BuyerConnector create(ConnectorConfig config, MeterRegistry registry) {
        return new BuyerConnector(config, registry);
    }

    /**
     * Warms the producer and the HTTP client up, starts consuming pings and posts; returns once
     * buyer config is loaded and both consumers have joined their groups. Closes it on failure.
     */
    public BuyerConnector start() {
        try {
            warmUpProducer();
            // Ready means able to serve a lead at normal speed: the first lead's pings must not pay
            // for a cold HTTP stack.
            int warm = http.warmUp(WARM_UP_CALLS, Duration.ofSeconds(5));
            log.info("HTTP client warmed up: {} of {} calls answered", warm, WARM_UP_CALLS);
            threads.forEach(Thread::start);
            awaitReady(START_TIMEOUT);
            started = true;
            log.info("buyer connector ready: {} buyers, group {}", directory.size(), config.groupId());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Live and ready, by {@link #health(boolean, boolean, Throwable)}. */
    public Health health() {
        Throwable failed = feed.failure() != null ? feed.failure()
                : pingLoop.failure() != null ? pingLoop.failure()
                : postLoop.failure() != null ? postLoop.failure() : answerLoop.failure();
        return health(started, closed, failed);
    }

    /**
     * The connector's health rule: ready once started (warmed up, buyers loaded, groups joined) and
     * until closed; a consumer loop that failed does not come back, so that one is for a restart.
     */
    static Health health(boolean started, boolean closed, Throwable failure) {
        if (failure != null) {
            return Health.dead("FAILED", "a consumer loop failed: " + failure);
        }
        if (closed) {
            return Health.notReady("CLOSED", "shutting down");
        }
        if (!started) {
            return Health.notReady("STARTING", "warming up the HTTP client, loading buyers, joining the groups");
        }
        return Health.ready("RUNNING");
    }

    /**
     * Waits until buyer config is loaded and both consumers have joined.
     *
     * @throws IllegalStateException when not ready within {@code timeout}, or a consumer failed
     */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!feed.awaitLoaded(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw notReady("buyer config not loaded within " + timeout, feed.failure());
            }
            if (!pingLoop.awaitJoined(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw notReady("ping consumer not assigned within " + timeout, null);
            }
            if (!postLoop.awaitJoined(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw notReady("post consumer not assigned within " + timeout, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the connector", e);
        }
        Throwable failed = pingLoop.failure() != null ? pingLoop.failure() : postLoop.failure();
        if (failed != null) {
            throw notReady("a consumer failed", failed);
        }
    }

    /** The live buyer table (read-only use: it follows {@code config.buyers}). */
    public BuyerDirectory directory() {
        return directory;
    }

    public ConnectorStats stats() {
        return counters.snapshot(directory.size(), http.inFlight(), gate.paused());
    }

    /**
     * How each buyer the connector has called is treated right now: ACTIVE, PAUSED (until when) or
     * HALF_OPEN (its next ping is a probe), with its consecutive errors and requests in flight.
     */
    public List<BuyerHealth> buyerHealth() {
        return gate.health();
    }

    /**
     * Stops polling, gives in-flight calls up to two seconds to finish and their events to be
     * produced, commits, and releases consumers, producer and HTTP resources. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        log.info("closing buyer connector: {}", stats().progressLine());
        // A connector closed before it started (its warm-up failed, its status API could not bind):
        // each loop closes its consumer on its own thread, so run them, to stop at once.
        threads.stream().filter(t -> t.getState() == Thread.State.NEW).forEach(Thread::start);
        try {
            // Ping and post loops drain in parallel; each waits at most DRAIN_TIMEOUT.
            Thread stopper = thread(() -> stopQuietly(postLoop), "connector-posts-stop");
            Thread answersStopper = thread(() -> stopQuietly(answerLoop), "connector-answers-stop");
            stopper.start();
            answersStopper.start();
            // A notice still retrying is not committed: the next instance sends it again.
            noticeRetries.shutdownNow();
            Thread noticeStopper = thread(() -> stopQuietly(noticeLoop), "connector-notices-stop");
            noticeStopper.start();
            stopQuietly(pingLoop);
            stopper.join(DRAIN_TIMEOUT.plusSeconds(3).toMillis());
            noticeStopper.join(DRAIN_TIMEOUT.plusSeconds(3).toMillis());
            answersStopper.join(DRAIN_TIMEOUT.plusSeconds(3).toMillis());
            feed.stop(Duration.ofSeconds(2));
            keyFeed.stop(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Producer before HTTP: calls cancelled below must not turn into ERROR events. Their
            // records were not committed, so they are re-delivered to the next instance.
            producing = false;
            try {
                producer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                log.warn("producer close failed", e);
            }
            http.close();
            admin.close(Duration.ofSeconds(2));
            kafkaMetrics.forEach(KafkaClientMetrics::close);
            metricsRefresh.shutdownNow();
        }
    }

    private CompletableFuture<?> onPing(Ping ping) {
        counters.pings.increment();
        List<CompletableFuture<?>> acks = new java.util.ArrayList<>();
        // The round's answers go out together once the last is in: the auction closes on it anyway
        // (RoundAnswers). Each buyer still gets its whole timeout, and slow ones are let go as before.
        acks.add(pingDispatcher.dispatch(ping).thenCompose(answers -> answers.isEmpty()
                ? CompletableFuture.completedFuture(null) : produce(answers, ping.getAuctionPartition())));
        // Kafka-native buyers get the ping on their own topic and answer on bids themselves.
        acks.addAll(kafkaBuyers.deliverPing(ping));
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> onPost(Post post) {
        counters.posts.increment();
        try {
            keyRing.unseal(post.getLead());
        } catch (KeyRing.ErasedException | IllegalArgumentException e) {
            // Erased (or not ours to read): nobody can be given this lead; the auction moves on.
            log.info("post of lead {} to {} not delivered: {}", post.getLeadId(), post.getBuyerId(), e.getMessage());
            return produce(Answers.postResult(post, PostStatus.ERROR, null, "ERASED", System.currentTimeMillis(), 0));
        }
        Optional<CompletableFuture<Void>> toKafkaBuyer = kafkaBuyers.deliverPost(post);
        if (toKafkaBuyer.isPresent()) {
            return toKafkaBuyer.get(); // the buyer answers on post-results itself
        }
        return postDispatcher.dispatch(post).thenCompose(this::produce);
    }

    /** A round's answers go to the partition its auction reads, named on the ping they answer ({@link AnswerRoute}). */
    private CompletableFuture<Void> produce(List<Bid> answers, int auctionPartition) {
        answers.forEach(counters::bid);
        Bid bid = RoundAnswers.together(answers);
        return send(Topics.BIDS, AnswerRoute.partition(auctionPartition), bid.getLeadId(),
                topics.bids().valueSerde().serializer().serialize(Topics.BIDS, bid));
    }

    private CompletableFuture<Void> produce(DeletionEvent event) {
        return send(Topics.PRIVACY_DELETION_EVENTS, null, event.getDeletionId(),
                topics.privacyDeletionEvents().valueSerde().serializer().serialize(Topics.PRIVACY_DELETION_EVENTS, event));
    }

    private CompletableFuture<Void> produce(PostResult result) {
        counters.postResult(result);
        return send(Topics.POST_RESULTS, AnswerRoute.partition(result.getAuctionPartition()), result.getLeadId(),
                topics.postResults().valueSerde().serializer().serialize(Topics.POST_RESULTS, result));
    }

    private CompletableFuture<Void> send(String topic, Integer partition, String key, byte[] value) {
        if (!producing) {
            return CompletableFuture.failedFuture(new IllegalStateException("connector closed"));
        }
        return AckedSend.send(producer, new ProducerRecord<>(topic, partition, key, value));
    }

    /**
     * Creates a Kafka-native buyer's topic when missing: one partition (a buyer reads all its
     * leads), the broker's default replication, and the PII retention for its posts.
     */
    private void ensureBuyerTopic(String topic) {
        NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty());
        if (topic.endsWith(".posts")) {
            newTopic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TopicProvisioner.PII_RETENTION_MS)));
        } else if (KafkaBuyerTopics.answerer(topic).isPresent()) {
            // As bids / post-results: the broker stamps when an answer arrived, the buyer cannot backdate it.
            newTopic.configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
        }
        try {
            admin.createTopics(List.of(newTopic)).all().get(10, TimeUnit.SECONDS);
            log.info("created topic {} for a Kafka-native buyer", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic, e);
        }
    }

    /** Fetches metadata of the output topics now, so the first send does not block an HTTP thread. */
    private void warmUpProducer() {
        for (String topic : List.of(Topics.BIDS, Topics.POST_RESULTS)) {
            try {
                producer.partitionsFor(topic);
            } catch (RuntimeException e) {
                log.warn("no metadata for output topic {} yet: {}", topic, e.getMessage());
            }
        }
    }

    private static void stopQuietly(RecordLoop<?> loop) {
        try {
            loop.stop(DRAIN_TIMEOUT.plusSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer(String groupId, String role) {
        return new KafkaConsumer<>(consumerProps(config, groupId, role), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** A consumer's properties: {@code groupId} null for one that assigns itself partitions. */
    static Map<String, Object> consumerProps(ConnectorConfig config, String groupId, String role) {
        return consumerProps(config, groupId, role, Map.of());
    }

    private static Map<String, Object> consumerProps(ConnectorConfig config, String groupId, String role,
                                                     Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId() + "-" + role);
        // The streams app writes with exactly-once: never act on an aborted ping or post.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(500, config.maxConcurrentRequests())));
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return config.kafka().consumer(props);
    }

    static Map<String, Object> producerProps(ConnectorConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.groupId() + "-producer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, config.producerLingerMs());
        // send() runs on HTTP threads: never let it block them for a minute.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return config.kafka().producer(props);
    }

    private static Thread thread(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static long remaining(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    private static IllegalStateException notReady(String message, Throwable cause) {
        return new IllegalStateException(message, cause);
    }
}
