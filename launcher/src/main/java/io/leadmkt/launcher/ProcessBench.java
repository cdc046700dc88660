package io.leadmkt.launcher;

import io.leadmkt.launcher.ProcessBenchPhases.NotSold;
import io.leadmkt.launcher.ProcessBenchPhases.Phase;
import io.leadmkt.launcher.ProcessBenchPhases.Result;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerFarm;
import io.leadmkt.simulator.HttpSeller;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.SimulatedBuyer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The marketplace as separate processes on this machine, as an operator runs it: a broker, N streams
 * instances and the buyer connector, each its own JVM (started as {@code leadmkt broker}, {@code leadmkt
 * streams}, {@code leadmkt connector} are, with the settings file's defaults), while this JVM plays the
 * market around them: 7 fast simulated HTTP buyers (always bid in 1-5 ms), the config seeding, a lead
 * generator writing to {@code leads.inbound}, and the outcome tracker reading where each lead ended.
 *
 * <p>The leads go in phases ({@code burst:RATE:COUNT}, {@code idle:SECONDS}, {@code one}; {@code kill:PROCESS}
 * sends a child SIGKILL, a crash as a host failure makes it, and the phases after it show what the others
 * made of it: the group waits out the dead member's {@code session.timeout.ms}, read-committed readers its
 * open transaction; {@code stop:PROCESS} sends SIGTERM, as a rolling deploy does; {@code restart:PROCESS}
 * starts it again). The first phase
 * starts as soon as the processes are started and the topics exist, not when the instances say they are
 * ready: its leads are the ones a seller sends while the platform is still starting (the cold start an
 * issue was filed about), and how long each process took to answer {@code /health/ready} is printed apart.
 *
 * <p>How to read a row: {@code wall} runs from a phase's first lead until its last lead has its final
 * answer (or {@link #ANSWER_TIMEOUT} passed: those leads are {@code unansd}); sold / shed / unsold count
 * the phase's leads; p50/p99 is lead sent → final answer visible to a read-committed consumer, this
 * phase's leads only. CPU is each process's whole CPU time (user + system, from the OS: GC, JIT and
 * RocksDB included) over the row's wall time: per lead sent for a phase that sends, as % of one core for
 * an idle one; {@code platform} sums the child processes (broker, streams, connector), not this JVM
 * ({@value ProcessBenchPhases#HARNESS}). The last line is the same as JSON.
 *
 * <p>With {@code httpSellers} the leads go to {@code POST /v1/leads} instead, spread over every streams
 * instance's door as a load balancer would, by sellers that retry a {@code 503} after its
 * {@code Retry-After} for up to {@link #ANSWER_TIMEOUT} ({@link HttpSeller}); a lead's time then starts
 * at the attempt the door took, and the line under the row says what the doors did.
 */
public final class ProcessBench {

    /** How long a phase waits for its leads' final answers, as the separate-process runs did. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    /** A child that takes longer than this to start serving was not going to: its log says why. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** SIGTERM lets each child close its Kafka clients and state cleanly; past this it is killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String AVRO_TRUST = "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.leadmkt.schema";
    private static final int BUYERS = 7;
    private static final long SEED = 42;

    private final int streamsInstances;
    private final boolean httpSellers;
    private final List<String> javaOptions;
    private final List<Phase> plan;
    private final Map<String, String> settings;
    private final PrintStream out;
    private final Map<String, Long> readyMs = new ConcurrentHashMap<>();

    /**
     * @param javaOptions the children's JVM options, whitespace-separated (none: the JVM's defaults)
     * @param httpSellers the leads go to the streams instances' {@code POST /v1/leads}, not to {@code leads.inbound}
     * @param settings    settings file entries for the streams instances and the connector ({@code --set}), checked here
     */
    public ProcessBench(int streamsInstances, String javaOptions, boolean httpSellers, List<Phase> plan,
                        Map<String, String> settings, PrintStream out) {
        if (streamsInstances < 1) {
            throw new IllegalArgumentException("--streams-instances must be >= 1: " + streamsInstances);
        }
        Set<String> dead = new HashSet<>();
        for (Phase phase : plan) {
            if (phase.victim() != null && !(phase.victim().equals("connector") || phase.victim().matches("streams-[1-9][0-9]*")
                    && Integer.parseInt(phase.victim().substring("streams-".length())) <= streamsInstances)) {
                throw new IllegalArgumentException("phase '" + phase.label() + "': the processes are streams-1.."
                        + "streams-" + streamsInstances + " and connector");
            }
            if (phase.downs() && !dead.add(phase.victim()) || phase.restarts() && !dead.remove(phase.victim())) {
                throw new IllegalArgumentException("phase '" + phase.label() + "': " + phase.victim()
                        + (phase.downs() ? " is down already" : " was not killed or stopped before"));
            }
        }
        this.streamsInstances = streamsInstances;
        this.httpSellers = httpSellers;
        this.javaOptions = javaOptions == null || javaOptions.isBlank() ? List.of()
                : List.of(javaOptions.trim().split("\\s+"));
        this.plan = List.copyOf(plan);
        // A bad key or value is refused here, before any process starts, as the children would refuse it.
        Settings checked = Settings.empty().with(settings);
        checked.streamsConfig("127.0.0.1:9092", 0, null);
        checked.connectorConfig("127.0.0.1:9092");
        this.settings = Map.copyOf(settings);
        this.out = out;
    }

    /** Starts the processes, runs the phases, prints a row per phase and the JSON line; always stops them. */
    public List<Result> run() throws Exception {
        Path runDir = Files.createDirectories(Path.of(".leadmkt", "bench-processes",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        Children children = new Children(runDir, Files.createTempDirectory("leadmkt-bench-processes-"), javaOptions);
        Thread hook = new Thread(children::close, "leadmkt-bench-processes-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(children, runDir);
        } finally {
            children.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs (and finds everything stopped)
            }
        }
    }

    private List<Result> run(Children children, Path runDir) throws Exception {
        int brokerPort = ListenerPorts.free();
        out.printf(Locale.ROOT, "bench --processes: broker, %d streams instance(s) and the connector as separate JVMs "
                        + "(options: %s), %d fast buyers and the lead generator in this one, %d cores; leads %s%n",
                streamsInstances, javaOptions.isEmpty() ? "JVM defaults" : String.join(" ", javaOptions), BUYERS,
                Runtime.getRuntime().availableProcessors(),
                httpSellers ? "over POST /v1/leads, spread over every instance's door" : "on leads.inbound");
        out.println("  plan: " + plan.stream().map(Phase::label).reduce((a, b) -> a + " " + b).orElse(""));
        out.println("  logs: " + runDir);
        List<String> settingsFile = List.of();
        if (!settings.isEmpty()) {
            Path file = runDir.resolve("leadmkt.properties");
            Properties properties = new Properties();
            properties.putAll(settings);
            try (java.io.Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "bench --processes --set");
            }
            settingsFile = List.of("--config", file.toString());
            out.println("  settings of the streams instances and the connector: " + new java.util.TreeMap<>(settings));
        }
        out.flush();
        long brokerStarted = System.nanoTime();
        Child broker = children.start("broker", List.of("broker", "--port", Integer.toString(brokerPort),
                "--dir", children.stateRoot.resolve("broker").toString()));
        awaitPort(broker, brokerPort);
        readyMs.put("broker", elapsedMs(brokerStarted));
        String bootstrap = "127.0.0.1:" + brokerPort;
        Map<String, Integer> readyPorts = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (int i = 1; i <= streamsInstances; i++) {
            int port = ListenerPorts.free();
            String name = "streams-" + i;
            children.start(name, concat(List.of("streams", "--bootstrap-servers", bootstrap, "--port",
                    Integer.toString(port), "--state-dir", children.stateRoot.resolve(name).toString()), settingsFile));
            readyPorts.put(name, port);
        }
        int connectorPort = ListenerPorts.free();
        children.start("connector", concat(List.of("connector", "--bootstrap-servers", bootstrap, "--port",
                Integer.toString(connectorPort)), settingsFile));
        readyPorts.put("connector", connectorPort);
        Thread readiness = watchReadiness(readyPorts, started);

        Map<String, ProcessHandle> measured = new LinkedHashMap<>();
        children.all().forEach(child -> measured.put(child.name(), child.process().toHandle()));
        measured.put(ProcessBenchPhases.HARNESS, ProcessHandle.current());
        KafkaClients kafka = KafkaClients.to(bootstrap);
        Topics topics = Topics.embedded();
        List<Result> results = new ArrayList<>();
        try {
            awaitTopics(children, bootstrap, topics);
            try (BuyerFarm farm = BuyerFarm.start(BuyerFarm.fastSpecs(BUYERS, 0, SEED), SimulatedBuyer.Memory.COUNTS);
                 KafkaProducer<String, byte[]> producer = DemoMarket.producer(kafka, "leadmkt-bench-processes-leads")) {
                var campaigns = DemoMarket.campaigns();
                try (var config = DemoMarket.configProducer(kafka, "leadmkt-bench-processes-config")) {
                    DemoMarket.seed(config, topics, campaigns, farm.configs(), DemoMarket.suppression());
                }
                LeadGenerator.Options leads = new LeadGenerator.Options(1, 0, SEED, campaigns);
                Sellers sellers = httpSellers ? new Sellers(DemoApiKeys.create(kafka, topics,
                        runDir.resolve("api-keys.properties")).sellerKey(), readyPorts.entrySet().stream()
                        .filter(entry -> entry.getKey().startsWith("streams-")).map(Map.Entry::getValue).toList()) : null;
                // One generator for the whole run: its phones stay unique, so no phase's lead is a duplicate
                // of an earlier one. Keyed by lead id, the producer's partitioner picks the partition, as the
                // separate-process runs' sellers did.
                LeadGenerator generator = sellers != null ? new LeadGenerator(leads, sellers::send)
                        : new LeadGenerator(producer, topics, leads);
                // Over HTTP a lead's time starts at the attempt the door took, as in demo --http-sellers.
                try (OutcomeTracker tracker = new OutcomeTracker(kafka, topics, sellers != null ? sellers::attemptNanos
                        : id -> generator.sent(id).map(sent -> OptionalLong.of(sent.sentAtNanos()))
                        .orElse(OptionalLong.empty())).start()) {
                    if (sellers != null) {
                        sellers.tracker = tracker;
                    }
                    out.printf(Locale.ROOT, "  first phase starts %.1f s after the streams instances and connector were "
                            + "started (topics there, config seeded)%n", elapsedMs(started) / 1000.0);
                    out.println(ProcessBenchPhases.header(List.copyOf(measured.keySet())));
                    out.flush();
                    for (Phase phase : plan) {
                        children.checkAlive();
                        Result result = phase.sendsLeads() ? send(phase, generator, producer, tracker, sellers, measured)
                                : phase.downs() ? down(phase, children, measured)
                                : phase.restarts() ? restart(phase, children, measured) : idle(phase, measured);
                        results.add(result);
                        out.println(result.toLine());
                        if (phase.action() != null) {
                            out.println("    at " + LocalTime.now().truncatedTo(ChronoUnit.MILLIS));
                        }
                        if (!result.reasons().isEmpty()) {
                            out.println("    " + result.reasons());
                        }
                        out.flush();
                    }
                }
            }
        } finally {
            readiness.interrupt();
        }
        out.println("  ready after (ms from start; broker: port open, others: GET /health/ready 200): "
                + readyView(readyPorts) + "; at the end: " + readyNow(readyPorts));
        out.println(ProcessBenchPhases.toJson(streamsInstances, String.join(" ", javaOptions), readyView(readyPorts),
                results));
        out.flush();
        return results;
    }

    private Result send(Phase phase, LeadGenerator generator, KafkaProducer<String, byte[]> producer,
                        OutcomeTracker tracker, Sellers sellers, Map<String, ProcessHandle> measured)
            throws InterruptedException {
        Map<String, Long> cpuBefore = cpuMs(measured);
        tracker.restartTiming();
        if (sellers != null) {
            sellers.open();
        }
        List<String> ids = new ArrayList<>(phase.leads());
        long start = System.nanoTime();
        for (int i = 0; i < phase.leads(); i++) {
            long wait = start + (long) (i * 1e9 / phase.ratePerSecond()) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            ids.add(generator.send(LeadGenerator.Kind.VALID).leadId());
        }
        producer.flush();
        long sendMs = elapsedMs(start);
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (!tracker.missing(ids).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        HttpSeller.Stats door = sellers == null ? null : sellers.close();
        long wallMs = elapsedMs(start);
        Map<String, Long> cpu = cpuSince(cpuBefore, measured);
        Map<String, Outcome> outcomes = tracker.outcomes();
        NotSold notSold = NotSold.of(ids.stream().map(id -> outcomes.get(id) != null
                && outcomes.get(id).getStatus() == OutcomeStatus.SOLD).toList(), phase.ratePerSecond());
        return new Result(phase, wallMs, sendMs, tracker.summary(ids), tracker.missing(ids).size(), cpu, door, notSold);
    }

    private static Result idle(Phase phase, Map<String, ProcessHandle> measured) throws InterruptedException {
        Map<String, Long> cpuBefore = cpuMs(measured);
        long start = System.nanoTime();
        Thread.sleep(phase.idle().toMillis());
        return new Result(phase, elapsedMs(start), 0, null, 0, cpuSince(cpuBefore, measured), null);
    }

    private static Result down(Phase phase, Children children, Map<String, ProcessHandle> measured)
            throws InterruptedException {
        Map<String, Long> cpuBefore = cpuMs(measured);
        long start = System.nanoTime();
        children.down(phase.victim(), phase.action() == Phase.Action.KILL);
        return new Result(phase, elapsedMs(start), 0, null, 0, cpuSince(cpuBefore, measured), null);
    }

    private static Result restart(Phase phase, Children children, Map<String, ProcessHandle> measured)
            throws IOException {
        long start = System.nanoTime();
        Child child = children.restart(phase.victim());
        measured.put(child.name(), child.process().toHandle());
        return new Result(phase, elapsedMs(start), 0, null, 0, cpuMs(Map.of()), null);
    }

    private static List<String> concat(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    /** Each process's CPU time so far: utime + stime from /proc on Linux, in its 10 ms ticks. */
    private static Map<String, Long> cpuMs(Map<String, ProcessHandle> processes) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, process) -> cpu.put(name,
                process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)));
        return cpu;
    }

    private static Map<String, Long> cpuSince(Map<String, Long> before, Map<String, ProcessHandle> processes) {
        Map<String, Long> cpu = cpuMs(processes);
        cpu.replaceAll((name, now) -> Math.max(0, now - before.getOrDefault(name, 0L)));
        return cpu;
    }

    /** Every topic the seeding, the generator and the tracker use: the streams instances create them. */
    private static void awaitTopics(Children children, String bootstrap, Topics topics) throws Exception {
        Set<String> needed = Set.of(topics.buyers().name(), topics.campaigns().name(), topics.suppression().name(),
                topics.leadsInbound().name(), topics.leadsRejected().name(), topics.outcomes().name(),
                topics.pings().name(), topics.bids().name(), topics.posts().name(), topics.postResults().name());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (!admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(needed)) {
                children.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the streams instances did not create the topics within "
                            + START_TIMEOUT.toSeconds() + " s; see their logs in " + children.runDir);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void awaitPort(Child child, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return;
            } catch (IOException notYet) {
                if (!child.process().isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(child.name() + " did not open port " + port + "; see " + child.log());
                }
                Thread.sleep(100);
            }
        }
    }

    /** Polls each process's {@code /health/ready} until it answers 200, noting when it first did. */
    private Thread watchReadiness(Map<String, Integer> ports, long startedNanos) {
        Thread watcher = new Thread(() -> {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            try {
                while (!readyMs.keySet().containsAll(ports.keySet())) {
                    for (Map.Entry<String, Integer> entry : ports.entrySet()) {
                        if (!readyMs.containsKey(entry.getKey()) && readyStatus(http, entry.getValue()) == 200) {
                            readyMs.put(entry.getKey(), elapsedMs(startedNanos));
                        }
                    }
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-processes-readiness");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }

    private static Map<String, Integer> readyNow(Map<String, Integer> ports) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Map<String, Integer> status = new LinkedHashMap<>();
        ports.forEach((name, port) -> status.put(name, readyStatus(http, port)));
        return status;
    }

    /** The HTTP status of {@code GET /health/ready}, 0 when nothing answered. */
    private static int readyStatus(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Every process in table order, null for one that never answered ready. */
    private Map<String, Long> readyView(Map<String, Integer> ports) {
        Map<String, Long> view = new LinkedHashMap<>();
        view.put("broker", readyMs.get("broker"));
        ports.keySet().forEach(name -> view.put(name, readyMs.get(name)));
        return view;
    }

    private static long elapsedMs(long fromNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fromNanos);
    }

    /**
     * Sellers over HTTP behind a load balancer: each request, a retry too, goes to the next streams
     * instance's door in turn. New for each phase, so each phase's door figures are its own. A lead the
     * door refuses for good or the sellers give up on ends there, and the tracker counts it.
     */
    private static final class Sellers implements HttpSeller.Listener {
        private final String key;
        private final List<URI> doors;
        private volatile HttpSeller current;
        volatile OutcomeTracker tracker;

        Sellers(String key, List<Integer> ports) {
            this.key = key;
            this.doors = ports.stream().map(port -> URI.create("http://127.0.0.1:" + port + "/v1/leads")).toList();
        }

        void open() {
            current = new HttpSeller(doors, key, Demo.HTTP_SELLER_REQUESTS, ANSWER_TIMEOUT, HttpSeller.MAX_BACKOFF, this);
        }

        void send(LeadGenerator.Sent sent, byte[] undecodable) {
            current.sink().send(sent, undecodable);
        }

        OptionalLong attemptNanos(String leadId) {
            HttpSeller seller = current;
            return seller == null ? OptionalLong.empty() : seller.attemptNanos(leadId);
        }

        /** Gives up what still waits, closes the phase's sellers and returns what the doors did to them. */
        HttpSeller.Stats close() {
            HttpSeller seller = current;
            seller.giveUpWaiting();
            HttpSeller.Stats stats = seller.stats();
            seller.close();
            return stats;
        }

        @Override
        public void refused(HttpSeller.Refusal refusal) {
            tracker.refusedAtDoor(refusal);
        }

        @Override
        public void gaveUp(String leadId, int attempts) {
            tracker.shedAtDoor(leadId);
        }
    }

    /** A child JVM and where its stdout and stderr go. */
    record Child(String name, Process process, Path log, List<String> args) {
    }

    /** The child JVMs, started with this JVM's java and classpath; closing stops them and deletes their state. */
    private static final class Children implements AutoCloseable {
        final Path runDir;
        final Path stateRoot;
        private final List<String> javaOptions;
        private final List<Child> started = new ArrayList<>();
        private final Set<String> down = new HashSet<>();
        private boolean closed;

        Children(Path runDir, Path stateRoot, List<String> javaOptions) {
            this.runDir = runDir;
            this.stateRoot = stateRoot;
            this.javaOptions = javaOptions;
        }

        synchronized Child start(String name, List<String> args) throws IOException {
            if (closed) {
                throw new IllegalStateException("stopping: not starting " + name);
            }
            Path log = runDir.resolve(name + ".log");
            Process process = new ProcessBuilder(command(javaBinary(), javaOptions, System.getProperty("java.class.path"), args))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Child child = new Child(name, process, log, List.copyOf(args));
            started.add(child);
            return child;
        }

        /** The killed or stopped child {@code name} started again with its first arguments, its log appended to. */
        synchronized Child restart(String name) throws IOException {
            Child dead = named(name);
            Process process = new ProcessBuilder(command(javaBinary(), javaOptions, System.getProperty("java.class.path"),
                    dead.args())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dead.log().toFile())).start();
            Child child = new Child(name, process, dead.log(), dead.args());
            started.set(started.indexOf(dead), child);
            down.remove(name);
            return child;
        }

        synchronized List<Child> all() {
            return List.copyOf(started);
        }

        /**
         * {@code kill}: SIGKILL, as a crashed host: no shutdown hook runs, nothing is committed or left.
         * Else SIGTERM, as a deploy stops it, waiting for it to close and exit (killed past {@link #STOP_TIMEOUT}).
         */
        void down(String name, boolean kill) throws InterruptedException {
            Child child;
            synchronized (this) {
                child = named(name);
                down.add(name);
            }
            if (kill) {
                child.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } else {
                stop(List.of(child));
            }
        }

        /** The child started as {@code name}; the plan was checked against the names before anything started. */
        private synchronized Child named(String name) {
            return started.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no process " + name + " among " + started));
        }

        void checkAlive() {
            for (Child child : all()) {
                if (!child.process().isAlive() && !wasDowned(child)) {
                    throw new IllegalStateException(child.name() + " exited with code " + child.process().exitValue()
                            + "; see " + child.log());
                }
            }
        }

        private synchronized boolean wasDowned(Child child) {
            return down.contains(child.name());
        }

        /** The broker last, so the others can commit and leave their groups on the way out. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            List<Child> others = started.stream().filter(child -> !child.name().equals("broker")).toList();
            stop(others);
            stop(started.stream().filter(child -> child.name().equals("broker")).toList());
            KafkaNode.deleteRecursively(stateRoot);
        }

        private static void stop(List<Child> children) {
            children.forEach(child -> child.process().destroy());
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            for (Child child : children) {
                try {
                    if (!child.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        System.err.println(child.name() + " did not stop within " + STOP_TIMEOUT.toSeconds()
                                + " s: killed");
                        child.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    child.process().destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** {@code java [avro trust] [options] -cp classpath io.leadmkt.launcher.LeadMkt args...}. */
    static List<String> command(String java, List<String> javaOptions, String classpath, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add(AVRO_TRUST);
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(LeadMkt.class.getName());
        command.addAll(args);
        return command;
    }

    /** The java that runs this JVM, so the children run on the same one. */
    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
