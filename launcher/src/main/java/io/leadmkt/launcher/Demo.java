package io.leadmkt.launcher;

import io.leadmkt.connector.BuyerConnector;
import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.launcher.secure.SecureMarket;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerFarm;
import io.leadmkt.simulator.HttpSeller;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.SimulatedBuyer;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.comply.IdentityPartition;
import io.leadmkt.streams.outcome.Outcomes;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole marketplace in one process: an embedded broker, the streams app, the buyer connector,
 * a farm of simulated buyers and a lead generator. Generates for a while, waits until every lead is
 * accounted for, and prints a one-line JSON summary as the last line on stdout.
 */
public final class Demo {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    /**
     * @param duration       how long leads are generated
     * @param ratePerSecond  leads per second
     * @param buyers         simulated buyers in the market
     * @param httpPort       port of the streams app's HTTP API (0: a free one)
     * @param seed           seed of the buyers and the generator
     * @param badFraction    share of bad input among generated leads
     * @param settleTimeout  how long to wait after generating for the last leads' final answers
     * @param settings       streams-app and connector settings (file and --set overrides)
     * @param warmup         leads sent in this first part of the run count but are not timed (JIT warm-up)
     * @param fastMarket     well-behaved 1-5 ms buyers instead of the realistic mixed market (benchmarks)
     * @param slowBuyers     in the fast market, how many buyers answer only after every deadline
     * @param mode           routing of every campaign, so the modes can be compared on the same market
     * @param dailyCapPerBuyer every buyer takes at most this many leads a day (0: no caps; a huge cap
     *                       never binds but makes every sale take the hold round trip, for benchmarks)
     * @param secure         the broker secured (TLS, SCRAM, ACLs), the streams app and the connector each
     *                       its own SCRAM principal with only the ACLs {@code AclPlan} grants it
     * @param httpSellers    the sellers send their leads to {@code POST /v1/leads} ({@link HttpSeller}: 503s
     *                       retried after their Retry-After) instead of writing them to {@code leads.inbound}
     * @param decideInTime   the campaigns want their leads decided within their time to decision
     *                       ({@code decideWithinMaxLeadAge}): above capacity, shed rather than sold late
     */
    public record Options(Duration duration, double ratePerSecond, int buyers, int httpPort, long seed,
                          double badFraction, Duration settleTimeout, Settings settings, Duration warmup,
                          boolean fastMarket, int slowBuyers, RoutingMode mode, int dailyCapPerBuyer, boolean secure,
                          boolean httpSellers, boolean decideInTime) {

        /** On a PLAINTEXT broker, the sellers on Kafka. */
        public Options(Duration duration, double ratePerSecond, int buyers, int httpPort, long seed,
                       double badFraction, Duration settleTimeout, Settings settings, Duration warmup,
                       boolean fastMarket, int slowBuyers, RoutingMode mode, int dailyCapPerBuyer) {
            this(duration, ratePerSecond, buyers, httpPort, seed, badFraction, settleTimeout, settings, warmup,
                    fastMarket, slowBuyers, mode, dailyCapPerBuyer, false, false, false);
        }

        /** The same run, generating leads for {@code length}. */
        public Options withDuration(Duration length) {
            return new Options(length, ratePerSecond, buyers, httpPort, seed, badFraction, settleTimeout, settings,
                    warmup, fastMarket, slowBuyers, mode, dailyCapPerBuyer, secure, httpSellers, decideInTime);
        }

        /** The same run, its sellers sending over HTTP. */
        public Options withHttpSellers() {
            return new Options(duration, ratePerSecond, buyers, httpPort, seed, badFraction, settleTimeout, settings,
                    warmup, fastMarket, slowBuyers, mode, dailyCapPerBuyer, secure, true, decideInTime);
        }
    }

    /** How many requests the HTTP sellers have out at once: a seller's integration has a bounded pool. */
    static final int HTTP_SELLER_REQUESTS = 64;

    /**
     * The moments a benchmark measures between: the timed part of a run starts (the warm-up is over) and
     * ends (the generator has stopped and flushed; also when a stop came during the warm-up). Called on
     * the thread running {@link #run()}.
     */
    public interface Phases {
        Phases NONE = new Phases() {
        };

        default void timingStarted() {
        }

        default void generatingStopped() {
        }

        /**
         * Every lead of the run has its answer (or the settle time is up), before anything shuts down:
         * the broker still holds all the run wrote.
         */
        default void settled(Admin admin, int leadsSent) throws Exception {
        }

        /**
         * The run's summary is known; the marketplace (broker, app and its dashboard on {@code httpPort},
         * connector, buyers) still runs until this returns.
         */
        default void summarised(Summary summary, int httpPort) throws Exception {
        }
    }

    /** Client ids of the demo's own producers (config seeding, lead generator), for telling them apart. */
    public static final String CLIENT_ID_PREFIX = "leadmkt-demo-";
    /**
     * The demo (and every bench built on it) is one instance with one stream thread, so more partitions
     * buy it no parallelism, and each exactly-once commit writes a marker to every partition it touched.
     * On one partition, side by side: commit waits a third shorter, overhead at 100 leads/s 80-93 vs
     * 143-307 ms, 280/s sustained where 3 partitions were not (README "Performance"). A given
     * {@code streams.partitions} still wins.
     */
    static final UnaryOperator<Settings> ONE_INSTANCE =
            settings -> settings.withDefaults(Map.of(StreamsAppConfig.PARTITIONS, "1"));

    private final Options options;
    private final Phases phases;
    private volatile String lastStageReport = "";
    private volatile LeadHops.Percentiles lastOverhead = new LeadHops.Percentiles(0, 0);
    private volatile Summary lastTimedSummary;
    private volatile HttpSeller.Stats lastSellerStats;
    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    public Demo(Options options, PrintStream out) {
        this(options, out, Phases.NONE);
    }

    public Demo(Options options, PrintStream out, Phases phases) {
        this.options = options;
        this.out = out;
        this.phases = phases;
    }

    /** The per-hop latency line of the last run. */
    public String stageReport() {
        return lastStageReport;
    }

    /** The last run's platform overhead (lead in → outcome, minus the buyers' answer times) over its timed leads. */
    public LeadHops.Percentiles overhead() {
        return lastOverhead;
    }

    /** The last run's counts over the leads sent after its warm-up (all of them without one). */
    public Summary timedSummary() {
        return lastTimedSummary;
    }

    /** What the HTTP door did to the sellers' leads in the last run; empty when they went to Kafka. */
    public java.util.Optional<HttpSeller.Stats> sellerStats() {
        return java.util.Optional.ofNullable(lastSellerStats);
    }

    /** Ends generating early (Ctrl-C); {@link #run()} then settles briefly, shuts down and prints the summary. */
    public void requestStop() {
        stopRequested.countDown();
    }

    public Summary run() throws Exception {
        Topics topics = Topics.embedded();
        Path stateRoot = Path.of(".leadmkt", "state-" + UUID.randomUUID()).toAbsolutePath();
        try {
            EmbeddedKafkaBroker broker = open(options.secure() ? EmbeddedKafkaBroker.secured()
                    : EmbeddedKafkaBroker.onFreePorts()).start();
            String bootstrap = broker.bootstrapServers();
            Settings settings = ONE_INSTANCE.apply(options.secure() ? SecureMarket.grant(broker, options.settings())
                    : options.settings());
            StreamsAppConfig appConfig = settings.streamsConfig(bootstrap, options.httpPort(), stateRoot);
            log.info("streams settings: {}", appConfig);
            try (Admin admin = broker.admin()) {
                TopicProvisioner.ensureTopics(admin, topics, appConfig.partitions(), appConfig.replicationFactor());
            }

            List<CampaignConfig> campaigns = DemoMarket.campaigns(options.mode());
            campaigns.forEach(campaign -> campaign.setDecideWithinMaxLeadAge(options.decideInTime()));
            // The simulated buyers keep counts only: what they received is for tests to inspect, and kept
            // here it would be the largest part of this JVM's heap, its GC pauses charged to the market.
            BuyerFarm farm = open(BuyerFarm.start(options.fastMarket()
                    ? BuyerFarm.fastSpecs(options.buyers(), options.slowBuyers(), options.seed())
                    : BuyerFarm.marketSpecs(options.buyers(), options.seed()), SimulatedBuyer.Memory.COUNTS));
            try (KafkaProducer<String, byte[]> configProducer = DemoMarket.configProducer(broker.clients(), CLIENT_ID_PREFIX + "config")) {
                List<BuyerConfig> buyers = DemoMarket.inTiers(farm.configs());
                DemoMarket.seed(configProducer, topics, campaigns,
                        options.dailyCapPerBuyer() > 0 ? DemoMarket.withDailyCap(buyers, options.dailyCapPerBuyer())
                                : buyers,
                        DemoMarket.suppression());
            }
            log.info("market: {} buyers, campaigns {}", farm.buyers().size(), DemoMarket.describe(campaigns));

            Files.createDirectories(stateRoot);
            DemoApiKeys keys = DemoApiKeys.create(broker.clients(), topics, stateRoot.resolve("api-keys.properties"));
            LeadMarketApp app = open(LeadMarketApp.start(appConfig,
                    io.leadmkt.launcher.config.ConnectorIntegrationCheck.INSTANCE));
            out.println("HTTP API: http://127.0.0.1:" + app.httpPort() + "/v1/leads");
            out.println(keys.describe());
            ConnectorProcess connectorProcess = open(
                    ConnectorProcess.open(settings.connectorConfig(bootstrap), 0)).start();
            BuyerConnector connector = connectorProcess.connector();
            out.println("metrics: http://127.0.0.1:" + app.httpPort() + "/metrics (streams app), http://127.0.0.1:"
                    + connectorProcess.port() + "/metrics (connector)");
            out.println("dashboard: " + dashboardUrl(app.httpPort()));
            out.flush();

            LeadGenerator.Options generated = new LeadGenerator.Options(options.ratePerSecond(), options.badFraction(),
                    options.seed(), campaigns);
            LeadGenerator generator;
            OutcomeTracker tracker;
            HttpSeller seller = null;
            if (options.httpSellers()) {
                // Leads the door refuses for good, or that the seller gives up on, end there: the tracker
                // counts them, so every lead still has exactly one answer.
                OutcomeTracker[] trackerRef = new OutcomeTracker[1];
                seller = open(new HttpSeller(URI.create("http://127.0.0.1:" + app.httpPort() + "/v1/leads"),
                        keys.sellerKey(), HTTP_SELLER_REQUESTS, options.settleTimeout(), new HttpSeller.Listener() {
                            @Override
                            public void refused(HttpSeller.Refusal refusal) {
                                trackerRef[0].refusedAtDoor(refusal);
                            }

                            @Override
                            public void gaveUp(String leadId, int attempts) {
                                trackerRef[0].shedAtDoor(leadId);
                            }
                        }));
                generator = new LeadGenerator(generated, seller.sink());
                // A lead's time starts when the door took it: the seller's waits before are the door's report.
                HttpSeller door = seller;
                tracker = open(new OutcomeTracker(broker.clients(), topics, door::attemptNanos));
                trackerRef[0] = tracker;
            } else {
                KafkaProducer<String, byte[]> leadProducer = open(DemoMarket.producer(broker.clients(),
                        CLIENT_ID_PREFIX + "leads"));
                // The generator writes each lead to its consumer's partition, as the HTTP intake does (IdentityPartition).
                int inboundPartitions = leadProducer.partitionsFor(topics.leadsInbound().name()).size();
                generator = new LeadGenerator(leadProducer, topics, generated,
                        lead -> IdentityPartition.toWrite(lead, appConfig.partitions(), inboundPartitions,
                                System.currentTimeMillis()));
                LeadGenerator kafkaSeller = generator;
                tracker = open(new OutcomeTracker(broker.clients(), topics,
                        leadId -> kafkaSeller.sent(leadId)
                                .map(sent -> OptionalLong.of(sent.sentAtNanos()))
                                .orElse(OptionalLong.empty())));
            }
            tracker.start();

            long startedAt = System.nanoTime();
            generator.start();
            long deadline = startedAt + options.duration().toNanos();
            long timeFrom = startedAt + options.warmup().toNanos();
            boolean timing = options.warmup().isZero();
            // A run stopped during its warm-up has no timed leads.
            long timedFrom = timing ? startedAt : Long.MAX_VALUE;
            if (timing) {
                phases.timingStarted();
            }
            while (!awaitStopOrTick(startedAt, deadline)) {
                if (!timing && System.nanoTime() >= timeFrom) {
                    timedFrom = System.nanoTime();
                    tracker.timeFromNow();
                    phases.timingStarted();
                    timing = true;
                }
                out.println(tracker.summary(generator.sent().keySet()).toProgressLine(elapsedSeconds(startedAt)));
                out.flush();
            }
            generator.stop();
            phases.generatingStopped();

            Duration settle = stopRequested.getCount() == 0
                    ? min(options.settleTimeout(), Duration.ofSeconds(5)) : options.settleTimeout();
            Set<String> sentIds = generator.sent().keySet();
            long settleDeadline = System.nanoTime() + settle.toNanos();
            while (!tracker.missing(sentIds).isEmpty() && System.nanoTime() < settleDeadline) {
                awaitStopOrTick(startedAt, settleDeadline);
                out.println(tracker.summary(sentIds).toProgressLine(elapsedSeconds(startedAt)));
                out.flush();
            }
            if (seller != null) {
                seller.giveUpWaiting();
                lastSellerStats = seller.stats();
                out.println("sellers over HTTP: " + lastSellerStats.toJson());
            }
            Set<String> missing = tracker.missing(sentIds);
            if (!missing.isEmpty()) {
                log.warn("{} of {} leads have no outcome or rejection after {} s, e.g. {} ({} producer send failures)",
                        missing.size(), sentIds.size(), settle.toSeconds(),
                        missing.stream().limit(5).map(id -> id + " (" + generator.sent(id).map(s -> s.kind().name())
                                .orElse("?") + ")").toList(), generator.failedSends());
            }
            try (Admin admin = broker.admin()) {
                phases.settled(admin, sentIds.size());
            }
            log.info("generated {}", generator.countsByKind());
            out.println(tracker.stageReport());
            out.println("connector: " + connector.stats().progressLine());
            out.println(keys.useOn(app.httpPort()));
            if (options.fastMarket()) {
                // Every fast buyer bids on every lead: a lead nobody bid on, or one shed after it reached its
                // auction, says the platform failed it, and its timeline says how (who answered what, when).
                tracker.outcomes().values().stream()
                        .filter(o -> Outcomes.NO_BIDS.equals(o.getReason()) || Outcomes.STALE.equals(o.getReason()))
                        .limit(3)
                        .forEach(o -> log.warn("lead {} ended {} although every buyer bids on every lead: {}",
                                o.getLeadId(), o.getReason(), keys.timeline(app.httpPort(), o.getLeadId())));
            }
            lastStageReport = tracker.stageReport();
            lastOverhead = tracker.overheadMs();
            long timedSince = timedFrom;
            lastTimedSummary = tracker.summary(generator.sent().values().stream()
                    .filter(sent -> sent.sentAtNanos() >= timedSince).map(LeadGenerator.Sent::leadId).toList());
            Summary summary = tracker.summary(sentIds);
            phases.summarised(summary, app.httpPort());
            return summary;
        } finally {
            closeAll();
            KafkaNode.deleteRecursively(stateRoot);
            deleteIfEmpty(stateRoot.getParent());
        }
    }

    /**
     * Waits until the next whole second since {@code startedAt} or {@code deadline}, whichever is first.
     * Returns true when the deadline has passed or a stop was requested.
     */
    private boolean awaitStopOrTick(long startedAt, long deadline) throws InterruptedException {
        long now = System.nanoTime();
        if (now >= deadline) {
            return true;
        }
        long sinceStart = now - startedAt;
        long nextTick = startedAt + (sinceStart / 1_000_000_000L + 1) * 1_000_000_000L;
        long wait = Math.min(nextTick, deadline) - now;
        if (stopRequested.await(wait, TimeUnit.NANOSECONDS)) {
            return true;
        }
        return System.nanoTime() >= deadline;
    }

    /** Where the streams app on {@code httpPort} serves its dashboard. */
    public static String dashboardUrl(int httpPort) {
        return "http://127.0.0.1:" + httpPort + "/dashboard";
    }

    private static long elapsedSeconds(long startedAt) {
        return Math.round((System.nanoTime() - startedAt) / 1e9);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes in reverse order of opening: generator's producer, connector, app, buyers, broker last. */
    private void closeAll() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            // not empty: someone else's state lives there too
        }
    }
}
