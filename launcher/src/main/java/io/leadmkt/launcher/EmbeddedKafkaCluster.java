package io.leadmkt.launcher;

import io.leadmkt.schema.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of several KRaft nodes in this JVM, on loopback: every node a broker and a
 * voter of the controller quorum, all formatted with one cluster id. Topics default to one replica
 * on every node, of which all but one must acknowledge a write ({@code min.insync.replicas} = size −
 * 1: three nodes give replication factor 3 and min ISR 2, as in production), so the cluster takes
 * writes with any one node down.
 *
 * <p>{@link #stopNode} crashes a node as far as an in-process server allows: controlled shutdown is
 * off, so the broker does not hand its partition leaderships over first; the others notice it gone
 * when its heartbeats stop ({@code broker.session.timeout.ms}, 9 s) and elect new leaders from the
 * in-sync replicas. Not like a {@code kill -9}: its server still runs its shutdown code, so its log
 * files are closed cleanly (no log recovery at restart), its connections close at once rather than
 * time out, and a node that leads the controller quorum resigns rather than going silent.
 * {@link #startNode} brings it back on the same ports with the same log dir: it catches up from the
 * leaders and rejoins the in-sync replicas.
 */
public final class EmbeddedKafkaCluster implements LocalKafka {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final List<KafkaNode> nodes;
    private final String voters;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Path root;

    private EmbeddedKafkaCluster(List<KafkaNode> nodes, Path root) {
        this.nodes = nodes;
        this.root = root;
        this.voters = nodes.stream().map(KafkaNode::voter).collect(Collectors.joining(","));
    }

    /** A cluster of {@code size} nodes (ids 1 to size) on free ports, in a temporary directory {@link #close()} deletes. */
    public static EmbeddedKafkaCluster onFreePorts(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        try {
            Path root = Files.createTempDirectory("leadmkt-kafka-cluster-");
            List<KafkaNode> nodes = new ArrayList<>();
            for (int id = 1; id <= size; id++) {
                Path logDir = Files.createDirectories(root.resolve("node-" + id));
                nodes.add(new KafkaNode(id, logDir, ListenerPorts.free(), ListenerPorts.free()));
            }
            return new EmbeddedKafkaCluster(List.copyOf(nodes), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the cluster's log dirs", e);
        }
    }

    /**
     * Formats every node's log dir, starts all nodes side by side (a node's start waits for a quorum of
     * voters) and returns once every broker is listed.
     */
    public EmbeddedKafkaCluster start() {
        long started = System.nanoTime();
        ExecutorService starter = Executors.newFixedThreadPool(nodes.size(), r -> new Thread(r, "kafka-cluster-start"));
        try {
            List<Future<?>> starting = new ArrayList<>();
            for (KafkaNode node : nodes) {
                starting.add(starter.submit(() -> {
                    node.formatIfNew(clusterId);
                    node.start(properties(node));
                    return null;
                }));
            }
            for (Future<?> start : starting) {
                start.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            awaitBrokers(ids -> ids.size() == nodes.size(), "not every broker was listed");
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka cluster failed to start: " + e.getMessage(), e);
        } finally {
            starter.shutdownNow();
        }
        log.info("Kafka cluster of {} nodes up at {} in {} ms", nodes.size(), bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    /** Every node's broker listener: clients find the live ones among them. */
    @Override
    public String bootstrapServers() {
        return nodes.stream().map(KafkaNode::address).collect(Collectors.joining(","));
    }

    @Override
    public KafkaClients clients() {
        return KafkaClients.to(bootstrapServers());
    }

    /** One replica on every node. */
    @Override
    public short replicationFactor() {
        return (short) nodes.size();
    }

    /** How many replicas must have a write before it is acknowledged to an {@code acks=all} producer. */
    public int minInSyncReplicas() {
        return Math.max(1, nodes.size() - 1);
    }

    public int size() {
        return nodes.size();
    }

    public boolean isRunning(int nodeId) {
        return node(nodeId).running();
    }

    /** Crashes node {@code nodeId} (1 to size) as the class comment describes; returns once its server is down. */
    public void stopNode(int nodeId) {
        node(nodeId).stop();
        log.info("Kafka node {} stopped", nodeId);
    }

    /** Starts node {@code nodeId} again on its ports and log dir; returns once the cluster lists its broker. */
    public void startNode(int nodeId) {
        KafkaNode node = node(nodeId);
        try {
            node.start(properties(node));
            awaitBrokers(ids -> ids.contains(nodeId), "node " + nodeId + " was not listed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting node " + nodeId, e);
        }
        log.info("Kafka node {} started again", nodeId);
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync: a restarted node has
     * caught up with everything written while it was gone.
     */
    public void awaitFullyReplicated(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (underReplicated(admin).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // metadata not served right now: ask again
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions still under-replicated after " + timeout);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for replication", e);
        }
    }

    /** Partitions (as topic-partition) whose in-sync replicas are fewer than their replicas. */
    private static Set<String> underReplicated(Admin admin)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(5, TimeUnit.SECONDS);
        Collection<TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values();
        return topics.stream().flatMap(topic -> topic.partitions().stream()
                        .filter(partition -> partition.isr().size() < partition.replicas().size())
                        .map(partition -> topic.name() + "-" + partition.partition()))
                .collect(Collectors.toSet());
    }

    private Map<String, Object> properties(KafkaNode node) {
        return node.properties(voters, nodes.size(), minInSyncReplicas());
    }

    private KafkaNode node(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("no node " + nodeId + ": node ids are 1 to " + nodes.size());
        }
        return nodes.get(nodeId - 1);
    }

    private void awaitBrokers(Predicate<Set<Integer>> ready, String what) throws InterruptedException {
        try (Admin admin = admin()) {
            KafkaNode.awaitNodes(admin, listed -> ready.test(listed.stream().map(Node::id).collect(Collectors.toSet())),
                    START_TIMEOUT, what);
        }
    }

    @Override
    public void close() {
        // All nodes stop side by side: one by one, the last ones would wait for a quorum that has gone.
        List<Thread> stopping = nodes.stream().map(node -> new Thread(node::stop, "kafka-node-" + node.id() + "-stop"))
                .toList();
        stopping.forEach(Thread::start);
        for (Thread thread : stopping) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        KafkaNode.deleteRecursively(root);
    }
}
