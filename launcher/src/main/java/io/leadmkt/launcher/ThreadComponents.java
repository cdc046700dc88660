package io.leadmkt.launcher;

import io.leadmkt.streams.StreamsAppConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells which part of the one-JVM market a thread works for, by its name alone: the broker, the
 * streams app, the buyer connector, the simulated buyers, the lead generator, or anything else (the
 * JVM's own threads, the bench's main thread and its outcome tracker). The names were read off a
 * running demo; Kafka's client threads end in {@code " | <client id>"}, which names the client.
 *
 * <p>What names cannot tell apart is documented where it is decided: the streams app's HTTP API runs
 * on the same Jetty as the simulated buyers (its threads are idle in a Kafka-fed run and count as
 * buyers), and GC, JIT and RocksDB's native threads are no Java threads at all (only the process's
 * CPU time includes them).
 */
public final class ThreadComponents {

    public enum Component {
        BROKER, STREAMS, CONNECTOR, BUYERS, GENERATOR, OTHER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Thread-name globs ({@code *} any run of characters, {@code ?} one) that put a thread in a component. */
    public record Rule(Component component, List<String> globs) {
        public Rule {
            globs = List.copyOf(globs);
        }

        /** One line for a bench's header. */
        public String describe() {
            return String.format(Locale.ROOT, "%-9s %s", component.label(), String.join(", ", globs));
        }
    }

    /** A Kafka Streams client id: the application id, then the instance's process UUID. */
    private static final String UUID_GLOB = "????????-????-????-????-????????????";

    /** Threads of the in-process KRaft broker and controller (Kafka 4.4). */
    private static final List<String> BROKER_GLOBS = List.of(
            "data-plane-kafka-*", "kafka-request-handler-*", "broker-*", "controller-*", "quorum-controller-*",
            "kafka-?-*", "raft-*", "ExpirationReaper-*", "kafka-scheduler-*", "kafka-log-cleaner-thread-*",
            "LogDirFailureHandler", "group-coordinator-*", "share-coordinator-*", "share-group-*",
            "transaction-log-manager-*", "TxnMarkerSenderThread-*", "AddPartitionsToTxnSenderThread-*",
            "PersisterStateManager", "ShareGroupDLQSendThread", "client-metrics-reaper", "executor-*",
            "metrics-meter-tick-thread-*", "SensorExpiryThread");

    private final List<Rule> rules;
    /** Each rule's globs as one pattern, in rule order. */
    private final List<Pattern> patterns;

    /**
     * @param streamsApplicationId the streams app's {@code application.id} (its client ids start with it)
     * @param connectorGroupId     the connector's group id (its client ids start with it)
     */
    public ThreadComponents(String streamsApplicationId, String connectorGroupId) {
        List<Rule> list = new ArrayList<>();
        // Most specific first: the demo's and the tracker's client ids also start with "leadmkt-".
        // The sellers over HTTP (HttpSeller) are the generator's too, with the JDK HTTP client's selector.
        list.add(new Rule(Component.GENERATOR, List.of("lead-generator", "* | " + Demo.CLIENT_ID_PREFIX + "*",
                "http-seller-*", "HttpClient-*-SelectorManager")));
        list.add(new Rule(Component.OTHER, List.of("outcome-tracker", "* | " + OutcomeTracker.CLIENT_ID,
                ThreadCpuMeter.THREAD_NAME)));
        // CompletableFuture's shared timer thread fires the connector's ping timeouts and overdue waits.
        list.add(new Rule(Component.CONNECTOR, List.of("* | " + connectorGroupId + "-*", "connector-*",
                "buyer-http-*", "buyer-config-feed", "OkHttp *", "Okio Watchdog", "CompletableFutureDelayScheduler")));
        // The market's application and the reports' own (its id ends in -reports), when they run on their own.
        List<String> streams = new ArrayList<>();
        for (String id : List.of(streamsApplicationId, streamsApplicationId + StreamsAppConfig.REPORTS_SUFFIX)) {
            streams.addAll(List.of(id + "-" + UUID_GLOB + "-*", "* | " + id, "* | " + id + "-" + UUID_GLOB + "-*"));
        }
        streams.add("* | " + streamsApplicationId + "-http-intake");
        // The HTTP API's Jetty (Javalin): intake, reports, dashboard.
        streams.addAll(List.of("JettyServerThreadPool-*", "Scheduler-*"));
        list.add(new Rule(Component.STREAMS, streams));
        // Each simulated buyer's Jetty threads and reply scheduler.
        list.add(new Rule(Component.BUYERS, List.of("simulated-buyer-*")));
        list.add(new Rule(Component.BROKER, BROKER_GLOBS));
        list.add(new Rule(Component.OTHER, List.of("*")));
        this.rules = List.copyOf(list);
        this.patterns = rules.stream().map(rule -> Pattern.compile(
                String.join("|", rule.globs().stream().map(ThreadComponents::regex).toList()), Pattern.DOTALL)).toList();
    }

    /** The component of a thread: the first rule that matches its name. */
    public Component of(String threadName) {
        for (int i = 0; i < rules.size(); i++) {
            if (patterns.get(i).matcher(threadName).matches()) {
                return rules.get(i).component();
            }
        }
        return Component.OTHER;
    }

    /** The rules in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder("(?:");
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.append(')').toString();
    }
}
