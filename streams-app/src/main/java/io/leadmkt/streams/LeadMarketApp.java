package io.leadmkt.streams;

import io.leadmkt.ops.Health;
import io.leadmkt.ops.ProcessMetrics;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.SoldLead;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.ApiKeyFeed;
import io.leadmkt.schema.DeletionStatus;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.comply.IdentityPartition;
import io.leadmkt.streams.privacy.DeletionProgress;
import io.leadmkt.streams.privacy.DeletionStatusProcessor;
import io.leadmkt.streams.privacy.Deletions;
import io.leadmkt.streams.privacy.DisclosureQueries;
import io.leadmkt.streams.privacy.PrivacyApi;
import io.leadmkt.streams.returns.PostbackApi;
import io.leadmkt.streams.returns.ReturnDesk;
import io.leadmkt.streams.admin.ConfigDocuments;
import io.leadmkt.streams.admin.ConfigTopics;
import io.leadmkt.streams.admin.IntegrationCheck;
import io.leadmkt.streams.admin.StreamsConfigStore;
import io.leadmkt.streams.api.IntakeForwarding;
import io.leadmkt.streams.api.IntakeNotReadyException;
import io.leadmkt.streams.api.IntakeOverloadedException;
import io.leadmkt.streams.api.LeadApi;
import io.leadmkt.streams.capture.CaptureForms;
import io.leadmkt.streams.capture.FormRateLimit;
import io.leadmkt.streams.dashboard.AuctionFeed;
import io.leadmkt.streams.dashboard.Dashboard;
import io.leadmkt.streams.dashboard.RecentAuctions;
import io.leadmkt.streams.api.InstanceFanOut;
import io.leadmkt.streams.api.ReportQueries;
import io.leadmkt.streams.intake.IntakeBacklog;
import io.leadmkt.streams.api.LeadOwnedElsewhere;
import io.leadmkt.streams.ops.MarketMetrics;
import io.leadmkt.streams.ops.StreamsHealth;
import io.leadmkt.streams.whatif.WhatIfApi;
import io.leadmkt.streams.whatif.WhatIfQueries;
import io.leadmkt.streams.report.LeadStatusProcessor;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams application: provisions its topics, runs {@link LeadMarketTopology}, and serves
 * the intake / lead-status HTTP API and the {@link Dashboard}, with its metrics ({@code GET /metrics}: the marketplace's own
 * from {@link MarketMetrics}, Kafka Streams' and its clients', the JVM's) and health
 * ({@code /health/live}, {@code /health/ready} by {@link StreamsHealth}).
 */
public final class LeadMarketApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeadMarketApp.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration KEYS_TIMEOUT = Duration.ofSeconds(30);
    /** This process's {@value ProcessMetrics#PROCESS_TAG} tag on every meter. */
    public static final String PROCESS = "streams-app";
    /** Auctions the dashboard keeps for its live stream and live figures. */
    static final int RECENT_AUCTIONS = 1_000;

    private final StreamsAppConfig config;
    private final KafkaProducer<String, Lead> intakeProducer;
    private final Topics topics;
    private volatile KafkaStreams streams;
    /**
     * The reports' application (lead status, report figures, what-if, disclosures, deletion status): its
     * own when {@link StreamsAppConfig#reportsOwnInstance()}, else the same as {@link #streams}.
     */
    private volatile KafkaStreams reports;
    private volatile HostInfo self;
    private final ConfigTopics configTopics;
    /** The API keys every instance knows, followed from config.apikeys. */
    private final ApiKeyFeed keys;
    private final IntakeBacklog backlog = new IntakeBacklog();
    private final ProcessMetrics metrics;
    private final MarketMetrics market;
    /** Streams (the market's, the reports') has been RUNNING since start: see {@link StreamsHealth}. */
    private volatile boolean hasRun;
    private volatile boolean reportsHaveRun;
    private LeadApi api;
    /** The dashboard's recent auctions, read from outcomes and audit once someone opens it. */
    private final RecentAuctions recentAuctions = new RecentAuctions(RECENT_AUCTIONS, RECENT_AUCTIONS * 10);
    private final AuctionFeed auctionFeed;
    private final Dashboard dashboard;
    private Deletions deletions;
    /** Writes buyers' postbacks taken over HTTP to the postbacks topic. */
    private KafkaProducer<String, Postback> postbackProducer;
    /** Runs the HTTP calls to the other instances: reports fanned out, leads sent on to the door that judges them. */
    private final ExecutorService instanceRequests = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "instance-request");
        thread.setDaemon(true);
        return thread;
    });

    private LeadMarketApp(StreamsAppConfig config, Topics topics, KafkaProducer<String, Lead> intakeProducer,
                          ProcessMetrics metrics) {
        this.config = config;
        this.topics = topics;
        this.intakeProducer = intakeProducer;
        this.metrics = metrics;
        this.market = new MarketMetrics(metrics.registry());
        this.configTopics = new ConfigTopics(config.kafka(), topics, config.applicationId() + "-admin");
        this.auctionFeed = new AuctionFeed(config.kafka(), topics, config.applicationId() + "-dashboard", recentAuctions);
        this.dashboard = new Dashboard(recentAuctions, auctionFeed::ensureRunning);
        this.keys = new ApiKeyFeed(config.kafka(), topics, config.applicationId() + "-api-keys");
    }

    /**
     * Provisions topics, starts the HTTP API and the topology; returns once streams is RUNNING. The
     * API starts first because its port is this instance's address for interactive queries.
     */
    public static LeadMarketApp start(StreamsAppConfig config) {
        return start(config, IntegrationCheck.OBJECT_ONLY);
    }

    /**
     * As {@link #start(StreamsAppConfig)}, the admin API checking buyers' integration documents
     * with {@code integrationCheck} (the launcher passes the buyer-connector's parser). The API asks
     * for keys ({@code http.auth.required}); the {@value AdminApi#TOKEN_ENV} token is an admin's key.
     */
    public static LeadMarketApp start(StreamsAppConfig config, IntegrationCheck integrationCheck) {
        return start(config, integrationCheck, System.getenv(AdminApi.TOKEN_ENV));
    }

    /** As {@link #start(StreamsAppConfig, IntegrationCheck)} with the admin token given (null: no token; API keys only). */
    public static LeadMarketApp start(StreamsAppConfig config, IntegrationCheck integrationCheck, String adminToken) {
        Topics topics = Topics.of(config.kafka());
        provision(config, topics);
        KafkaProducer<String, Lead> producer = new KafkaProducer<>(intakeProducerProperties(config),
                new StringSerializer(), topics.leadsInbound().valueSerde().serializer());
        ProcessMetrics metrics = ProcessMetrics.start(PROCESS);
        LeadMarketApp app = new LeadMarketApp(config, topics, producer, metrics);
        metrics.bind(new KafkaClientMetrics(producer, Tags.empty(), metrics.kafkaRefresh()));
        metrics.watch(app::readiness);
        app.market.watch(app::streams, app.backlog, config.intakeInFlightMs());
        app.keys.start();
        StreamsConfigStore configStore = new StreamsConfigStore(app.configTopics, app::streams, app.keys.table());
        AdminApi admin = new AdminApi(new ConfigDocuments(integrationCheck), configStore);
        CaptureForms forms = new CaptureForms(configStore::campaign,
                new FormRateLimit(config.http().formSubmissionsPerMinute()), config.http().clientIpHeader());
        Access access = new Access(config.http().authRequired(), adminToken, app.keys.table());
        app.deletions = new Deletions(config.kafka(), app.configTopics, topics, config.partitions(), config.applicationId());
        PrivacyApi privacy = new PrivacyApi(app.deletions, app::findDeletion,
                new DisclosureQueries(app::reportStreams, () -> app.self, config.partitions(), app.instanceRequests));
        Map<String, Object> postbackProducer = new LinkedHashMap<>(intakeProducerProperties(config));
        postbackProducer.put(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-http-postbacks");
        app.postbackProducer = new KafkaProducer<>(postbackProducer, new StringSerializer(),
                topics.postbacks().valueSerde().serializer());
        PostbackApi postbacks = new PostbackApi(app::findSale, configStore::buyer, app::writePostback);
        InstanceFanOut instances = new InstanceFanOut(app::reportStreams, () -> app.self, config.http().scheme(),
                config.partitions(), app.instanceRequests);
        app.api = new LeadApi(config.httpPort(), access, config.http().tls(), app::submit, app::findStatus, app::health,
                admin, new LeadApi.Operations(metrics, app::readiness),
                new ReportQueries(instances)).withDashboard(app.dashboard).withPrivacy(privacy).withForms(forms)
                .withPostbacks(postbacks).withWhatIf(new WhatIfApi(new WhatIfQueries(instances)))
                .withForwarding(new IntakeForwarding(app::intakeElsewhere, () -> app.self, config.http().scheme(),
                        LeadApi.SUBMIT_TIMEOUT.plusSeconds(1), app.market::forwardFailed, app.instanceRequests))
                .start();
        try {
            app.self = new HostInfo(config.advertisedHost(), app.api.port());
            String server = app.self.host() + ":" + app.self.port();
            boolean own = config.reportsOwnInstance();
            KafkaStreams streams = new KafkaStreams(LeadMarketTopology.build(config, topics, app.backlog, app.market,
                    own ? LeadMarketTopology.Part.MARKET : LeadMarketTopology.Part.ALL), withServer(streamsProperties(config), server));
            metrics.bind(new KafkaStreamsMetrics(streams, Tags.empty(), metrics.kafkaRefresh()));
            // Known before it runs, so /health/ready can say what it is waiting for.
            app.streams = streams;
            KafkaStreams reports = streams;
            if (own) {
                reports = new KafkaStreams(LeadMarketTopology.build(config, topics, app.backlog, app.market,
                        LeadMarketTopology.Part.REPORTS), withServer(reportsProperties(config), server));
                metrics.bind(new KafkaStreamsMetrics(reports, Tags.empty(), metrics.kafkaRefresh()));
            }
            app.reports = reports;
            Runnable awaitMarket = startStreams(streams, () -> app.hasRun = true);
            Runnable awaitReports = own ? startStreams(reports, () -> app.reportsHaveRun = true) : () -> { };
            awaitMarket.run();
            awaitReports.run();
            // Read long before streams runs; waited for so the first request with a valid key is served, not 503.
            awaitKeys(app.keys);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        LOG.info("leadmkt streams app running; HTTP API on port {}", app.api.port());
        return app;
    }

    private static void awaitKeys(ApiKeyFeed keys) {
        try {
            if (!keys.table().awaitLoaded(KEYS_TIMEOUT)) {
                LOG.warn("API keys not loaded within {}: requests with keys not yet read answer 503 keys_loading",
                        KEYS_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading API keys", e);
        }
    }

    private static Properties withServer(Properties props, String applicationServer) {
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        return props;
    }

    /**
     * Starts {@code streams}; the returned wait blocks until it is RUNNING (and closes it and throws if it
     * does not get there). {@code onRunning} runs each time it gets there. Two applications start
     * together and are then waited for, so the second adds nothing to the start-up.
     */
    private static Runnable startStreams(KafkaStreams streams, Runnable onRunning) {
        CountDownLatch running = new CountDownLatch(1);
        // The first state it settles in: RUNNING (or ERROR). Not the state when we look, since a second
        // instance joining can move it on to REBALANCING at once (seen in CapsConcurrencyTest).
        AtomicReference<KafkaStreams.State> last = new AtomicReference<>();
        streams.setStateListener((now, before) -> {
            if (running.getCount() > 0) {
                last.set(now);
            }
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                onRunning.run();
            }
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                running.countDown();
            }
        });
        // A processing bug on one record must not stop the marketplace: log it, start a fresh thread
        // (the record is retried from the last commit). Bugs show up in the log and metrics.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return () -> {
            try {
                if (!running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        || last.get() != KafkaStreams.State.RUNNING) {
                    streams.close(Duration.ofSeconds(5));
                    throw new IllegalStateException("streams did not reach RUNNING within " + START_TIMEOUT
                            + " (state " + last.get() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                streams.close(Duration.ofSeconds(5));
                throw new IllegalStateException("interrupted while starting", e);
            }
        };
    }

    private static void provision(StreamsAppConfig config, Topics topics) {
        try (Admin admin = Admin.create(config.kafka().admin(
                Map.of(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-provisioner")))) {
            TopicProvisioner.ensureTopics(admin, topics, config.partitions(), config.replicationFactor());
            String byIdentity = LeadMarketTopology.leadsByIdentityTopic(config.applicationId());
            TopicProvisioner.ensureTopics(admin, List.of(new NewTopic(byIdentity, config.partitions(),
                    config.replicationFactor()).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, PII_RETENTION))));
            boundRetention(admin, byIdentity);
            // The auction reads a lead (on its identity partition), and its bids, post results and cap
            // decisions on that partition number: refuse to start on topics that would split them.
            List<String> leadKeyed = List.of(byIdentity, topics.bids().name(), topics.postResults().name(),
                    topics.capDecisions().name());
            Map<String, TopicDescription> described =
                    TopicProvisioner.describe(admin, leadKeyed, TopicProvisioner.LEADER_WAIT);
            for (TopicDescription d : described.values()) {
                if (d.partitions().size() != config.partitions()) {
                    throw new IllegalStateException("topic " + d.name() + " has " + d.partitions().size()
                            + " partitions but partitions=" + config.partitions()
                            + ": lead-keyed topics must match (set partitions to " + d.partitions().size() + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static final String PII_RETENTION = Long.toString(TopicProvisioner.PII_RETENTION_MS);

    /**
     * Up to 2026-12 {@code leads-by-identity} was Kafka Streams' own repartition topic: kept forever
     * ({@code retention.ms=-1}) and purged by Streams after each commit. Now the app's own topic, nothing
     * purges it, so a topic left that way gets the retention of the other topics holding leads in clear.
     */
    private static void boundRetention(Admin admin, String topic) throws InterruptedException, ExecutionException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry retention = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.RETENTION_MS_CONFIG);
        if (retention != null && "-1".equals(retention.value())) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, PII_RETENTION), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
    }

    static Properties streamsProperties(StreamsAppConfig config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        p.put(StreamsConfig.POLL_MS_CONFIG, config.pollMs());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // A malformed bid or post result (a Kafka-native buyer's bad record) is logged and skipped;
        // the auction's deadline then treats that buyer as silent. Leads are read as bytes and never fail here.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        // ... and its bytes are kept, with the error in the record headers (KIP-1034).
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.EVENTS_DEADLETTER);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Again for the main consumer: its partition assignor builds a StreamsConfig of its own from the
        // consumer's settings, and Kafka 4.4 then warns on every start that the setting above is missing.
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        // Folds repeated writes of one key between commits (see StateStores); forwards are never held back.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
        // Every RocksDB store of the process shares one bounded block cache and memtable budget.
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbMemory.class);
        p.put(RocksDbMemory.BUDGET_BYTES_CONFIG, config.rocksDbMemoryBytes());
        // No stage needs records of its co-partitioned inputs in timestamp order (a bid or post result
        // always follows the ping or post it answers through the connector; the status store orders by
        // stage), so a task never waits on an empty partition. With the default (0) Streams also
        // formats a "fetched lag" log string for every empty partition on every record it picks:
        // 1.8 % of the stream thread's time, measured (JFR, 50 leads/s).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), config.producerLingerMs());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return config.kafka().streams(p);
    }

    /**
     * The reports' own application: the market's settings, but its own id (so its own group, transactions,
     * internal topics and state directory) and its own commit interval, which is also its poll.ms: nothing
     * waits on a report's commit the way a lead's next hop waits on the market's.
     */
    static Properties reportsProperties(StreamsAppConfig config) {
        Properties p = streamsProperties(config);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.reportsApplicationId());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.reportsCommitIntervalMs());
        p.put(StreamsConfig.POLL_MS_CONFIG, config.reportsCommitIntervalMs());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        return p;
    }

    static Map<String, Object> intakeProducerProperties(StreamsAppConfig config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, config.producerLingerMs());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-http-intake");
        return config.kafka().producer(p);
    }

    private CompletableFuture<Void> submit(Lead lead) {
        KafkaStreams starting = streams;
        if (!hasRun) {
            // Not selling yet: a lead taken now would wait unread until Streams runs. Later rebalances do not
            // refuse, as readiness does not: the other tasks keep running and the moved ones resume within seconds.
            return CompletableFuture.failedFuture(new IntakeNotReadyException(
                    starting == null ? "starting" : starting.state().toString()));
        }
        IntakeBacklog.Admission admission = backlog.admit(System.currentTimeMillis(), config.intakeMaxLagMs(),
                config.intakeInFlightMs());
        if (!admission.taken()) {
            market.refusedAtDoor();
            // Behind: the lead would only queue and age. Not written, so a retry with the same leadId is safe.
            return CompletableFuture.failedFuture(new IntakeOverloadedException(admission));
        }
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            String inbound = topics.leadsInbound().name();
            // On its consumer's identity partition: the lead then needs no leads-by-identity hop (IdentityRoute).
            Integer partition = IdentityPartition.toWrite(lead, config.partitions(),
                    intakeProducer.partitionsFor(inbound).size(), System.currentTimeMillis());
            intakeProducer.send(new ProducerRecord<>(inbound, partition, lead.getLeadId(), lead), (meta, error) -> {
                if (error == null) {
                    backlog.written(meta.partition(), meta.offset(), meta.timestamp());
                    acked.complete(null);
                } else {
                    backlog.notWritten();
                    acked.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            backlog.notWritten();
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /**
     * The instance whose intake reads the partition {@link #submit} would write {@code lead} to, when it is
     * another instance (empty: this one, no partition of its own, or unknown while the group rebalances).
     */
    private Optional<HostInfo> intakeElsewhere(Lead lead) {
        KafkaStreams streams = this.streams;
        HostInfo me = self;
        if (streams == null || me == null) {
            return Optional.empty();
        }
        String inbound = topics.leadsInbound().name();
        Integer partition = IdentityPartition.toWrite(lead, config.partitions(),
                intakeProducer.partitionsFor(inbound).size(), System.currentTimeMillis());
        if (partition == null) {
            return Optional.empty();
        }
        return IntakeForwarding.readerOf(streams.metadataForAllStreamsClients(), new TopicPartition(inbound, partition))
                .filter(reader -> !reader.equals(me));
    }

    private Optional<LeadStatus> findStatus(String leadId) {
        KafkaStreams streams = ownerOf(reports, LeadStatusProcessor.STORE, leadId);
        ReadOnlyKeyValueStore<String, LeadStatus> statuses = streams.store(StoreQueryParameters.fromNameAndType(
                LeadStatusProcessor.STORE, QueryableStoreTypes.<String, LeadStatus>keyValueStore()));
        ReadOnlyKeyValueStore<String, io.leadmkt.schema.AuditEvent> timelines = streams.store(
                StoreQueryParameters.fromNameAndType(LeadStatusProcessor.TIMELINE_STORE,
                        QueryableStoreTypes.<String, io.leadmkt.schema.AuditEvent>keyValueStore()));
        return LeadStatusProcessor.read(statuses, timelines, leadId);
    }

    /** A buyer's sale as the returns desk keeps it, read on the instance owning the buyer's partition. */
    private Optional<SoldLead> findSale(String buyerId, String leadId) {
        ReadOnlyKeyValueStore<String, SoldLead> sales = ownerOf(this.streams, ReturnDesk.SALES_STORE, buyerId).store(
                StoreQueryParameters.fromNameAndType(ReturnDesk.SALES_STORE, QueryableStoreTypes.<String, SoldLead>keyValueStore()));
        return Optional.ofNullable(sales.get(ReturnDesk.saleKey(buyerId, leadId)));
    }

    private CompletableFuture<Void> writePostback(Postback postback) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        postbackProducer.send(new ProducerRecord<>(topics.postbacks().name(), postback.getLeadId().toString(), postback),
                (meta, error) -> {
                    if (error == null) {
                        acked.complete(null);
                    } else {
                        acked.completeExceptionally(error);
                    }
                });
        return acked;
    }

    /**
     * {@code streams} (the application running {@code store}), when this instance owns {@code key} in
     * {@code store}; else {@link LeadOwnedElsewhere} (a 307).
     */
    private KafkaStreams ownerOf(KafkaStreams streams, String store, String key) {
        if (streams == null) {
            throw new IllegalStateException("streams app is starting");
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw new IllegalStateException(store + " is not available (rebalancing)");
        }
        if (!owner.activeHost().equals(self)) {
            throw new LeadOwnedElsewhere(config.http().scheme() + "://" + owner.activeHost().host() + ":" + owner.activeHost().port());
        }
        return streams;
    }

    private Optional<DeletionProgress> findDeletion(String deletionId) {
        ReadOnlyKeyValueStore<String, DeletionStatus> statuses = ownerOf(reports, DeletionStatusProcessor.STORE, deletionId)
                .store(StoreQueryParameters.fromNameAndType(DeletionStatusProcessor.STORE,
                        QueryableStoreTypes.<String, DeletionStatus>keyValueStore()));
        return Optional.ofNullable(statuses.get(deletionId))
                .map(status -> DeletionProgress.of(deletionId, status.getEvents()));
    }

    private Map<String, Object> health() {
        KafkaStreams streams = this.streams;
        if (streams == null) {
            return Map.of("status", "STARTING");
        }
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", streams.state() == KafkaStreams.State.RUNNING ? "UP" : "DEGRADED");
        health.put("streams", streams.state().name());
        health.put("applicationId", config.applicationId());
        KafkaStreams reports = this.reports;
        if (reports != null && reports != streams) {
            if (reports.state() != KafkaStreams.State.RUNNING) {
                health.put("status", "DEGRADED");
            }
            health.put("reports", reports.state().name());
            health.put("reportsApplicationId", config.reportsApplicationId());
        }
        health.put("processingGuarantee", config.processingGuarantee());
        return health;
    }

    /** Live and ready, by {@link StreamsHealth}: served on {@code /health/live} and {@code /health/ready}. */
    public Health readiness() {
        KafkaStreams streams = this.streams;
        KafkaStreams reports = this.reports;
        Health market = StreamsHealth.of(streams == null ? null : streams.state(), hasRun);
        return reports == null || reports == streams ? market
                : StreamsHealth.both(market, StreamsHealth.of(reports.state(), reportsHaveRun));
    }

    /** The port the intake / query API listens on. */
    public int httpPort() {
        return api.port();
    }

    /** The routes the HTTP API registered (what {@code GET /openapi.json} must describe). */
    public List<LeadApi.Route> httpRoutes() {
        return api.routes();
    }

    /** The API keys this instance knows now. */
    public io.leadmkt.streams.access.ApiKeyTable apiKeys() {
        return keys.table();
    }

    /** The market's application (with the reports in it unless they run on their own). */
    public KafkaStreams streams() {
        return streams;
    }

    /** The reports' application: the market's own unless {@link StreamsAppConfig#reportsOwnInstance()}. */
    public KafkaStreams reportStreams() {
        return reports;
    }

    @Override
    public synchronized void close() {
        if (api != null) {
            api.close();
            api = null;
        }
        dashboard.close();
        auctionFeed.close();
        intakeProducer.close(Duration.ofSeconds(5));
        if (postbackProducer != null) {
            postbackProducer.close(Duration.ofSeconds(5));
        }
        if (deletions != null) {
            deletions.close();
        }
        configTopics.close();
        keys.close();
        // Leave the group at once: otherwise the other instances wait a whole session timeout
        // (KafkaClients.SESSION_TIMEOUT_MS) before taking over this instance's auctions.
        if (reports != null && reports != streams) {
            reports.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        if (streams != null) {
            streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        metrics.close();
        instanceRequests.shutdownNow();
    }
}
