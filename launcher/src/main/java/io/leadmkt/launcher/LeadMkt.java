package io.leadmkt.launcher;

import io.leadmkt.connector.BuyerConnector;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code leadmkt} command: the demo, or one piece of the marketplace run on its own. */
@Command(name = "leadmkt", mixinStandardHelpOptions = true, version = "leadmkt 0.1.0",
        description = "Real-time lead marketplace on Kafka Streams.",
        subcommands = {LeadMkt.DemoCommand.class, LeadMkt.BenchCommand.class, LeadMkt.BrokerCommand.class, LeadMkt.StreamsCommand.class,
                LeadMkt.ConnectorCommand.class, io.leadmkt.launcher.config.ConfigCommand.class,
                io.leadmkt.launcher.config.SuppressCommand.class, io.leadmkt.launcher.config.KeysCommand.class,
                io.leadmkt.launcher.config.PrivacyCommand.class,
                io.leadmkt.launcher.sandbox.BuyerCommand.class, ConnectorBench.ConnectorBenchCommand.class,
                LeadMkt.SettingsCommand.class, io.leadmkt.launcher.secure.AclsCommand.class})
public final class LeadMkt implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LeadMkt.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new LeadMkt()).registerConverter(Duration.class, new DurationConverter())
                .setExecutionExceptionHandler(LeadMkt::refuseSettings);
    }

    /** A setting refused at start-up is the operator's to fix: its message, not a stack trace. */
    private static int refuseSettings(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof ConfigException)) {
            throw e;
        }
        command.getErr().println("invalid settings: " + e.getMessage());
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Runs the marketplace once per latency profile (guarantee, commit interval, linger, "
                    + "store type) on a fast simulated market and prints lead-to-outcome latency per profile; "
                    + "--capacity instead finds the highest rate the market sustains and its CPU per lead; "
                    + "--processes runs broker, streams instances and connector as separate processes and prints "
                    + "per phase the leads' fates, latency and each process's CPU.")
    static final class BenchCommand implements Callable<Integer> {
        /** Options of the in-process benches, which a run of separate processes has no use for. */
        private static final List<String> IN_PROCESS_ONLY = List.of("--duration", "--warmup", "--buyers", "--profiles",
                "--deadlines", "--caps", "--capacity", "--rates", "--step");
        private static final List<String> PROCESSES_ONLY = List.of("--streams-instances", "--minutes",
                "--java-options", "--phases");

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--rate", description = "Leads per second (default 100; 30 with --processes).")
        Double rate;
        @Option(names = "--duration", defaultValue = "40s", description = "Per profile (default ${DEFAULT-VALUE}).")
        Duration duration;
        @Option(names = "--warmup", description = "Untimed start of each run (default 20s; 10s with --capacity).")
        Duration warmup;
        @Option(names = "--buyers", defaultValue = "8", description = "Fast simulated buyers (default ${DEFAULT-VALUE}).")
        int buyers;
        @Option(names = "--profiles", split = ",", description = "Profiles to run (default: all).")
        List<String> profiles;
        @Option(names = "--deadlines", description = "Measure how punctually auctions close at their deadline "
                + "(low rate, one buyer that never answers in time) for poll.ms 10 and 100, instead of the latency profiles.")
        boolean deadlines;
        @Option(names = "--caps", description = "Measure what caps cost: every sale of a capped buyer waits for "
                + "its cap keeper's hold; the same market without and with a (never reached) cap on every buyer.")
        boolean caps;
        @Option(names = "--capacity", description = "Ramp the fast market through offered rates (a fresh market per "
                + "step) until a step does not sustain its rate; per step: sold %%, shed leads, latency and CPU ms per "
                + "lead by component. The last line is JSON with capacity_leads_per_s.")
        boolean capacity;
        @Option(names = "--rates", split = ",", description = "With --capacity: offered leads/s per step "
                + "(default 25,50,100,150,200,300,400,500).")
        List<Double> rates;
        @Option(names = "--step", defaultValue = "30s", description = "With --capacity: length of a step (default ${DEFAULT-VALUE}).")
        Duration step;
        @Option(names = "--set", description = "With --capacity: override a setting for every step, e.g. --set "
                + "streams.commit.interval.ms=50; with --processes: a setting of the streams instances and the "
                + "connector, e.g. --set streams.kafka.num.standby.replicas=1 (repeatable; keys as in "
                + "deploy/config/leadmkt.properties).")
        java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();
        @Option(names = "--http-sellers", description = "With --capacity or --processes: the leads go through POST "
                + "/v1/leads, sent by sellers that retry a 503 after its Retry-After, as demo --http-sellers does (with "
                + "--processes spread over every streams instance's door, as by a load balancer).")
        boolean httpSellers;
        @Option(names = "--processes", description = "Start a broker, --streams-instances streams instances and the "
                + "connector as separate JVMs on this machine (the JVM options of --java-options), 7 fast buyers and the "
                + "lead generator in this one, and send leads in phases (the first while the processes start); per "
                + "phase: sent, sold, shed, unsold, lead-to-outcome p50/p99 and each process's CPU (ms per lead, or %% "
                + "of a core when idle). The last line is JSON.")
        boolean processes;
        @Option(names = "--streams-instances", description = "With --processes: streams instances (default 2).")
        Integer streamsInstances;
        @Option(names = "--minutes", description = "With --processes: one-minute phases at --rate after the start "
                + "phases (default 3).")
        Integer minutes;
        @Option(names = "--java-options", description = "With --processes: JVM options of the broker, streams and "
                + "connector processes, e.g. \"-XX:+UseParallelGC\" (default: none, the JVM's defaults).")
        String javaOptions;
        @Option(names = "--phases", split = "[,\\s]+", splitSynopsisLabel = ",", paramLabel = "PHASE",
                description = "With --processes: the phases instead of the "
                + "default plan (burst:20:60 idle:30 one idle:30, --minutes x burst:RATE:RATE*60, idle:30): "
                + "burst:RATE:COUNT (COUNT leads at RATE/s), idle:SECONDS, one (a single lead) , kill:PROCESS "
                + "(SIGKILL to streams-N or connector, a crash), stop:PROCESS (SIGTERM, as a deploy stops it) or "
                + "restart:PROCESS (the killed or stopped process started again).")
        List<String> phases;

        @Override
        public Integer call() throws Exception {
            if (processes) {
                return runProcesses();
            }
            List<String> misplaced = matched(PROCESSES_ONLY);
            if (!misplaced.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.join(", ", misplaced)
                        + (misplaced.size() == 1 ? " goes" : " go") + " with --processes");
            }
            if (httpSellers && !capacity) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--http-sellers goes with --capacity or --processes");
            }
            if (capacity) {
                if (deadlines || caps || profiles != null) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--capacity runs the default settings: no --deadlines, --caps or --profiles with it");
                }
                CapacityBench bench;
                try {
                    bench = new CapacityBench(rates == null ? CapacityBench.DEFAULT_RATES : rates, step,
                            warmup == null ? Duration.ofSeconds(10) : warmup, buyers, overrides, httpSellers,
                            System.out);
                } catch (IllegalArgumentException | ConfigException e) {
                    throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
                }
                bench.run();
                return 0;
            }
            List<Bench.Profile> all = deadlines ? Bench.DEADLINE_PROFILES : caps ? Bench.CAP_PROFILES : Bench.PROFILES;
            List<Bench.Profile> chosen = all.stream()
                    .filter(p -> profiles == null || profiles.contains(p.name())).toList();
            if (chosen.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "no such profile: " + profiles
                        + "; known: " + all.stream().map(Bench.Profile::name).toList());
            }
            new Bench(deadlines ? 5 : rate == null ? 100 : rate, duration, warmup == null ? Duration.ofSeconds(20) : warmup, buyers,
                    deadlines ? 1 : 0, System.out).run(chosen);
            return 0;
        }

        private int runProcesses() throws Exception {
            List<String> misplaced = matched(IN_PROCESS_ONLY);
            if (!misplaced.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--processes runs its own market of "
                        + "separate processes: no " + String.join(", ", misplaced) + " with it");
            }
            if (phases != null && (rate != null || minutes != null)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--phases replaces the default plan: no --rate or --minutes with it");
            }
            ProcessBench bench;
            try {
                List<ProcessBenchPhases.Phase> plan = phases != null ? ProcessBenchPhases.plan(phases)
                        : ProcessBenchPhases.defaultPlan(rate == null ? 30 : rate, minutes == null ? 3 : minutes);
                bench = new ProcessBench(streamsInstances == null ? 2 : streamsInstances, javaOptions, httpSellers, plan,
                        overrides, System.out);
            } catch (IllegalArgumentException | ConfigException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            bench.run();
            return 0;
        }

        /** Which of these options the command line gave. */
        private List<String> matched(List<String> names) {
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            return names.stream().filter(parsed::hasMatchedOption).toList();
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Runs broker, streams app, connector, simulated buyers and a lead generator in this "
                    + "process; prints progress, then a JSON summary as the last line.")
    static final class DemoCommand implements Callable<Integer> {
        @Option(names = "--duration", defaultValue = "30s", description = "How long to generate leads (default ${DEFAULT-VALUE}).")
        Duration duration;
        // Half of what the fast market sustained on a slow day here (bench --capacity: 100-150/s with
        // broker, app, connector and buyers sharing 2 cores), so a newcomer's first run shows it working.
        @Option(names = "--rate", defaultValue = "50", description = "Leads per second (default ${DEFAULT-VALUE}).")
        double rate;
        @Option(names = "--buyers", defaultValue = "8", description = "Simulated buyers (default ${DEFAULT-VALUE}).")
        int buyers;
        @Option(names = "--port", defaultValue = "8080", description = "HTTP API port, 0 for a free one (default ${DEFAULT-VALUE}).")
        int port;
        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--bad-fraction", defaultValue = "0.05", description = "Share of bad input (default ${DEFAULT-VALUE}).")
        double badFraction;
        @Option(names = "--settle-timeout", defaultValue = "30s",
                description = "How long to wait for the last outcomes after generating (default ${DEFAULT-VALUE}).")
        Duration settleTimeout;
        @Option(names = "--config", description = "Properties file for the streams app and connector "
                + "(see deploy/config/leadmkt.properties); bootstrap.servers is ignored: the demo brings its broker.")
        java.nio.file.Path config;
        @Option(names = "--set", description = "Override one setting, e.g. --set streams.processing.guarantee=at_least_once "
                + "(repeatable; keys as in deploy/config/leadmkt.properties).")
        java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();
        @Option(names = "--warmup", defaultValue = "0s",
                description = "Leads sent in this first part of the run are counted but not timed (default ${DEFAULT-VALUE}).")
        Duration warmup;
        @Option(names = "--fast-market", description = "Well-behaved 1-5 ms buyers that always bid and accept, "
                + "instead of the realistic mixed market: measures the platform, not the buyers.")
        boolean fastMarket;
        @Option(names = "--mode", defaultValue = "parallel", converter = RoutingModeConverter.class,
                description = "Routing of every campaign: parallel (one auction of all buyers), waterfall (one buyer "
                        + "at a time by priority) or tiers (parallel inside a tier of three buyers, waterfall across "
                        + "tiers) (default ${DEFAULT-VALUE}).")
        io.leadmkt.schema.RoutingMode mode;
        @Option(names = "--daily-cap", defaultValue = "0", description = "Every buyer takes at most this many leads "
                + "a day (0: no caps): watch caps bind, exactly, and leads go to the next-best bid (default ${DEFAULT-VALUE}).")
        int dailyCap;
        @Option(names = "--decide-in-time", description = "The demo campaigns want every lead decided within their "
                + "5 s time to decision (decideWithinMaxLeadAge): above capacity intake sheds a lead the queues ahead "
                + "of it would make late, instead of selling it late.")
        boolean decideInTime;
        @Option(names = "--serve", description = "After the summary line, keep the marketplace and its dashboard "
                + "running until Ctrl-C (the dashboard's URL goes to stderr).")
        boolean serve;
        @Option(names = "--secure", description = "Secure the embedded broker as a production cluster: TLS listeners, "
                + "SCRAM-SHA-512 users, ACLs enforced (StandardAuthorizer); the streams app and the connector each "
                + "connect over SASL_SSL as their own user with only the ACLs `leadmkt acls` prints for them.")
        boolean secure;
        @Option(names = "--http-sellers", description = "The sellers send their leads to POST /v1/leads, as a "
                + "seller's integration does (64 requests at once; a 503 retried with the same leadId after its "
                + "Retry-After, backing off; given up after --settle-timeout), instead of writing them to "
                + "leads.inbound: shows the door's load shedding. The summary adds \"http_intake\".")
        boolean httpSellers;

        @Override
        public Integer call() throws Exception {
            if (rate <= 0 || buyers < 1 || badFraction < 0 || badFraction > 1 || dailyCap < 0) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--rate must be > 0, --buyers >= 1, --bad-fraction within [0, 1], --daily-cap >= 0");
            }
            PrintStream out = System.out;
            CountDownLatch stopServing = new CountDownLatch(1);
            AtomicBoolean summaryPrinted = new AtomicBoolean();
            Demo[] demoRef = new Demo[1];
            Demo.Phases phases = !serve ? Demo.Phases.NONE : new Demo.Phases() {
                @Override
                public void summarised(Summary summary, int httpPort) throws InterruptedException {
                    printSummary(out, summary, secure, demoRef[0]);
                    summaryPrinted.set(true);
                    if (stopServing.getCount() > 0) {
                        System.err.println("dashboard: " + Demo.dashboardUrl(httpPort)
                                + " -- the marketplace keeps running; Ctrl-C stops it");
                        System.err.flush();
                    }
                    stopServing.await();
                }
            };
            Demo demo = new Demo(new Demo.Options(duration, rate, buyers, port, seed, badFraction, settleTimeout,
                    Settings.load(config).with(overrides), warmup, fastMarket, 0, mode, dailyCap, secure, httpSellers,
                    decideInTime),
                    out, phases);
            demoRef[0] = demo;
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                demo.requestStop();
                stopServing.countDown();
                try {
                    // Let run() settle, shut down and print its summary before the JVM goes.
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "leadmkt-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                Summary summary = demo.run();
                if (summary.accounted() != summary.leads()) {
                    log.warn("{} leads unaccounted for", summary.leads() - summary.accounted());
                }
                if (!summaryPrinted.get()) {
                    printSummary(out, summary, secure, demo);
                }
                return summary.accounted() == summary.leads() ? 0 : 2;
            } finally {
                finished.countDown();
            }
        }
    }

    /** The demo's summary as stdout's last line, with what the HTTP door did when the sellers used it. */
    private static void printSummary(PrintStream out, Summary summary, boolean secure, Demo demo) {
        String json = summary.toJson(secure ? "SASL_SSL" : "PLAINTEXT");
        java.util.Optional<io.leadmkt.simulator.HttpSeller.Stats> door = demo.sellerStats();
        if (door.isPresent()) {
            json = json.substring(0, json.length() - 1) + ",\"http_intake\":" + door.get().toJson() + "}";
        }
        out.println(json);
        out.flush();
    }

    @Command(name = "broker", mixinStandardHelpOptions = true,
            description = "Runs a single-node KRaft Kafka broker in this process until Ctrl-C.")
    static final class BrokerCommand implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "9092", description = "PLAINTEXT port (default ${DEFAULT-VALUE}).")
        int port;
        @Option(names = "--dir", description = "Log dir to keep between runs (default: a temporary dir, deleted on exit).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(port, dir).start();
            System.out.println("Kafka broker: " + broker.bootstrapServers() + " (log dir " + broker.logDir() + ")");
            System.out.flush();
            untilShutdown(broker);
            return 0;
        }
    }

    @Command(name = "streams", mixinStandardHelpOptions = true,
            description = "Runs the Kafka Streams app (intake, auction, outcomes, HTTP API) until Ctrl-C.")
    static final class StreamsCommand implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides the config file).")
        String bootstrapServers;
        @Option(names = "--config", description = "Properties file, see deploy/config/leadmkt.properties.")
        Path config;
        @Option(names = "--port", description = "HTTP API port (overrides streams.http.port).")
        Integer port;
        @Option(names = "--state-dir", description = "State dir (overrides streams.state.dir).")
        Path stateDir;

        @Override
        public Integer call() throws Exception {
            StreamsAppConfig appConfig = Settings.load(config).streamsConfig(bootstrapServers, port, stateDir);
            java.nio.file.Files.createDirectories(appConfig.stateDir());
            // The admin API checks integration documents with the connector's own parser.
            LeadMarketApp app = LeadMarketApp.start(appConfig, io.leadmkt.launcher.config.ConnectorIntegrationCheck.INSTANCE);
            System.out.println("HTTP API: http://127.0.0.1:" + app.httpPort() + "/v1/leads");
            System.out.flush();
            untilShutdown(app);
            return 0;
        }
    }

    @Command(name = "connector", mixinStandardHelpOptions = true,
            description = "Runs the buyer connector (pings and posts buyers over HTTP) until Ctrl-C.")
    static final class ConnectorCommand implements Callable<Integer> {
        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides the config file).")
        String bootstrapServers;
        @Option(names = "--config", description = "Properties file, see deploy/config/leadmkt.properties.")
        Path config;
        @Option(names = "--port", defaultValue = "8081",
                description = "Port of the connector's status API (GET /v1/buyers/health, /metrics, /health/ready); 0 = free (default ${DEFAULT-VALUE}).")
        int port;

        @Override
        public Integer call() throws Exception {
            ConnectorProcess connector = ConnectorProcess.open(Settings.load(config).connectorConfig(bootstrapServers), port)
                    .start();
            System.out.println("buyer connector running; status: http://127.0.0.1:" + connector.port()
                    + "/v1/buyers/health, metrics: http://127.0.0.1:" + connector.port() + "/metrics");
            System.out.flush();
            untilShutdown(connector);
            return 0;
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "Prints every setting of the settings file with its type, default, allowed values and "
                    + "documentation, as declared in the code: the documented properties file "
                    + "(deploy/config/leadmkt.properties) or the README's reference table.")
    static final class SettingsCommand implements Callable<Integer> {
        @Option(names = "--format", defaultValue = "properties",
                description = "properties or markdown (default ${DEFAULT-VALUE}).")
        String format;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String text = switch (format) {
                case "properties" -> SettingsReference.properties();
                case "markdown" -> SettingsReference.markdown();
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--format must be properties or markdown: " + format);
            };
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** Blocks until Ctrl-C (or SIGTERM), then closes {@code resource} before the JVM exits. */
    static void untilShutdown(AutoCloseable resource) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("shutdown failed: {}", e.toString());
            } finally {
                closed.countDown();
            }
        }, "leadmkt-shutdown"));
        closed.await();
    }
}
