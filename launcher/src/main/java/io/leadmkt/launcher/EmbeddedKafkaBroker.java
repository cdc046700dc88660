package io.leadmkt.launcher;

import io.leadmkt.schema.KafkaClients;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) in this JVM, on loopback.
 * Internal topics are sized for one node (replication factor 1, one partition) and consumer groups
 * start without the initial rebalance delay, so demos and tests do not wait.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String LOOPBACK = "127.0.0.1";

    private final Path logDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path logDir, boolean deleteOnClose, int brokerPort, int controllerPort) {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** A broker on free ports with a temporary log dir that {@link #close()} deletes. */
    public static EmbeddedKafkaBroker onFreePorts() {
        return create(0, null);
    }

    /**
     * @param port   the PLAINTEXT port, or 0 for a free one
     * @param logDir a log dir to keep (formatted on first use, reused afterwards), or null for a temporary one
     */
    public static EmbeddedKafkaBroker create(int port, Path logDir) {
        try {
            boolean temporary = logDir == null;
            Path dir = temporary ? Files.createTempDirectory("leadmkt-kafka-") : logDir.toAbsolutePath();
            Files.createDirectories(dir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            return new EmbeddedKafkaBroker(dir, temporary, brokerPort, controllerPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's log dir", e);
        }
    }

    /** Formats the log dir when needed, starts the broker and returns once it serves metadata. */
    public synchronized EmbeddedKafkaBroker start(Duration timeout) {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        Map<String, Object> props = brokerProperties();
        try {
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format();
            }
            KafkaConfig config = new KafkaConfig(props, false);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitNode(timeout);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka broker failed to start: " + e.getMessage(), e);
        }
        log.info("Kafka broker up at {} in {} ms (log dir {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir);
        return this;
    }

    public EmbeddedKafkaBroker start() {
        return start(Duration.ofSeconds(60));
    }

    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** How clients reach this broker. */
    public KafkaClients clients() {
        return KafkaClients.to(bootstrapServers());
    }

    public Admin admin() {
        return Admin.create(clients().admin(Map.of()));
    }

    private Map<String, Object> brokerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // Topics come from TopicProvisioner with the right partition counts; an auto-created one would be wrong.
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        props.put("controlled.shutdown.enable", "false");
        return props;
    }

    private void format() throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
    }

    private void awaitNode(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(1, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not serving yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broker did not list a node within " + timeout);
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("broker shutdown failed: {}", e.toString());
            }
            server = null;
        }
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: a file still open elsewhere stays behind
                }
            });
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
