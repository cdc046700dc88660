package io.leadmkt.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft node in this JVM, broker and controller combined, on loopback: what
 * {@link EmbeddedKafkaBroker} runs one of and {@link EmbeddedKafkaCluster} several. Its id, ports and
 * log dir are fixed when it is made, so it can be stopped and started again as the same node, with
 * the data it had.
 */
final class KafkaNode {

    static final String LOOPBACK = "127.0.0.1";
    private static final Logger log = LoggerFactory.getLogger(KafkaNode.class);

    private final int id;
    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    KafkaNode(int id, Path logDir, int brokerPort, int controllerPort) {
        this.id = id;
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    int id() {
        return id;
    }

    Path logDir() {
        return logDir;
    }

    int brokerPort() {
        return brokerPort;
    }

    /** Where clients reach this node's PLAINTEXT listener. */
    String address() {
        return LOOPBACK + ":" + brokerPort;
    }

    /** Where the other voters reach this node's controller. */
    String controllerAddress() {
        return LOOPBACK + ":" + controllerPort;
    }

    /** This node as one entry of {@code controller.quorum.voters}. */
    String voter() {
        return id + "@" + controllerAddress();
    }

    /**
     * The settings of this node in a quorum of {@code voters}, with PLAINTEXT and CONTROLLER listeners:
     * topics default to {@code replicationFactor} replicas of which {@code minInSync} must acknowledge
     * a write, and so do the broker's own (offsets, transaction and share state) topics, with one
     * partition each so that nothing waits on dozens of them. Consumer groups start without the initial
     * rebalance delay. Topics come from TopicProvisioner with the right partition counts, never
     * auto-created (an auto-created one would be wrong).
     */
    Map<String, Object> properties(String voters, int replicationFactor, int minInSync) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(id));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://" + address() + ",CONTROLLER://" + controllerAddress());
        props.put("advertised.listeners", "PLAINTEXT://" + address());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        props.put("num.partitions", "1");
        String replicas = Integer.toString(replicationFactor);
        String inSync = Integer.toString(minInSync);
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", inSync);
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", replicas);
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", inSync);
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", inSync);
        props.put("group.initial.rebalance.delay.ms", "0");
        // A crashed producer's open transaction holds back every read-committed reader of the partitions it
        // wrote (the connector's pings and posts among them) until the broker aborts it: at its timeout (10 s
        // for Kafka Streams), found by a sweep that runs every 10 s by default, so up to 20 s. Swept every
        // second, a crashed streams instance's transaction ends about when its group gives it up.
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // The log cleaner's map of keys is a heap buffer, 128 MB by default: as much as all the rest of the
        // one-JVM demo's live heap, for compacted topics that hold far fewer keys than 16 MB maps (~600,000 a pass).
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        // Stopping a node is a crash, not a hand-over: the broker does not ask the controller to move
        // its partition leaderships first; the others notice it gone.
        props.put("controlled.shutdown.enable", "false");
        return props;
    }

    /** Formats the log dir as a member of cluster {@code clusterId}, unless it already was. */
    void formatIfNew(String clusterId) throws Exception {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(id)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
    }

    /**
     * Starts the node's server with {@code props}. It returns once the broker has registered with the
     * controller quorum, so in a cluster the first nodes must start side by side until a majority of
     * voters is up.
     */
    synchronized void start(Map<String, Object> props) {
        if (server != null) {
            return;
        }
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
    }

    synchronized boolean running() {
        return server != null;
    }

    /**
     * Stops the server and waits until it is down. With {@code controlled.shutdown.enable=false} (see
     * {@link #properties}) its partitions are not handed over first; its log files are closed cleanly.
     */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("node {} shutdown failed: {}", id, e.toString());
        }
        server = null;
    }

    /**
     * Waits until {@code admin}'s cluster description lists nodes that satisfy {@code ready}.
     *
     * @throws IllegalStateException naming {@code what} when they do not within {@code timeout}
     */
    static void awaitNodes(Admin admin, Predicate<Collection<Node>> ready, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (ready.test(admin.describeCluster().nodes().get(1, TimeUnit.SECONDS))) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // not serving yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(50);
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
}
