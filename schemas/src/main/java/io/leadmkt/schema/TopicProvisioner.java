package io.leadmkt.schema;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the registry's topics when missing: lead-keyed topics with {@code partitions}
 * partitions (they must all match for the auction's co-partitioning), config topics compacted
 * with one partition, PII-bearing topics with a short retention.
 */
public final class TopicProvisioner {
    /** PII-bearing topics (inbound leads, posts, dead letters) keep data for 7 days. */
    public static final long PII_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    /**
     * Answers are timed by the broker (LogAppendTime), not by whoever wrote them: the auction judges
     * deadlines by this timestamp, and a Kafka-native buyer could otherwise backdate its answer; the
     * returns desk judges a return's window by it, so no buyer can backdate a return either.
     */
    static final Set<String> BROKER_TIMED = Set.of(Topics.BIDS, Topics.POST_RESULTS, Topics.POSTBACKS);

    /** Logs whose total order matters more than their throughput: one partition. */
    static final Set<String> SINGLE_PARTITION = Set.of(Topics.CONFIG_CHANGES);

    /** Audit logs: who changed what, and the proof of every deletion request. */
    static final Set<String> KEPT_FOREVER = Set.of(Topics.CONFIG_CHANGES, Topics.PRIVACY_DELETION_EVENTS);

    private TopicProvisioner() {
    }

    /**
     * How a topic is made: config tables compacted with one partition, the config change log with one
     * partition (one order) kept forever (it is the audit of who changed what, as the deletion events are
     * of every deletion), PII-bearing topics with
     * a 7-day retention, answer topics broker-timed, the rest with {@code partitions} partitions.
     */
    public static NewTopic newTopic(Topics.Topic<?, ?> topic, int partitions, short replicationFactor) {
        boolean single = topic.compacted() || SINGLE_PARTITION.contains(topic.name());
        NewTopic newTopic = new NewTopic(topic.name(), single ? 1 : partitions, replicationFactor);
        if (topic.compacted()) {
            newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        } else if (topic.holdsPii()) {
            newTopic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(PII_RETENTION_MS)));
        } else if (BROKER_TIMED.contains(topic.name())) {
            newTopic.configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
        } else if (KEPT_FOREVER.contains(topic.name())) {
            newTopic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        }
        return newTopic;
    }

    public static void ensureTopics(Admin admin, Topics topics, int partitions, short replicationFactor)
            throws InterruptedException {
        ensureTopics(admin, topics.all(), partitions, replicationFactor);
    }

    /** Creates those of {@code wanted} that are missing, each as {@link #newTopic} describes it. */
    public static void ensureTopics(Admin admin, List<Topics.Topic<?, ?>> wanted, int partitions,
                                    short replicationFactor) throws InterruptedException {
        ensureTopics(admin, wanted.stream().map(topic -> newTopic(topic, partitions, replicationFactor)).toList());
    }

    /** Creates those of {@code wanted} that are missing, as given. */
    public static void ensureTopics(Admin admin, List<NewTopic> wanted) throws InterruptedException {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
        List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        }
        awaitLeaders(admin, missing.stream().map(NewTopic::name).toList(), LEADER_WAIT);
    }

    /** How long new topics may take to elect leaders, or to be known to the broker asked, before provisioning gives up. */
    public static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    /**
     * Waits until every partition of {@code names} has a leader. Writing to a topic created a moment ago
     * can meet a broker that is not its leader yet: the producer retries, and an idempotent one was seen
     * (Kafka 4.4, one broker) to find its first batch already appended and then retry it as out of order
     * until its delivery timeout, two minutes later.
     */
    public static void awaitLeaders(Admin admin, List<String> names, Duration within) throws InterruptedException {
        awaitDescribed(admin, names, d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()),
                within, "topics without a leader");
    }

    /**
     * Describes {@code names}, leaders or not. In a cluster the broker asked may not know yet a topic that
     * another broker created or listed a moment ago (CI saw {@code UNKNOWN_TOPIC_OR_PARTITION} on a
     * 3-node cluster): that answer is waited out, up to {@code within}.
     */
    public static Map<String, TopicDescription> describe(Admin admin, List<String> names, Duration within)
            throws InterruptedException {
        return awaitDescribed(admin, names, d -> true, within, "topics unknown");
    }

    private static Map<String, TopicDescription> awaitDescribed(Admin admin, List<String> names,
                                                                Predicate<TopicDescription> ready, Duration within,
                                                                String notReady) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, TopicDescription> done = new HashMap<>();
        List<String> waiting = names;
        while (!waiting.isEmpty()) {
            try {
                for (TopicDescription d : admin.describeTopics(waiting).allTopicNames().get().values()) {
                    if (ready.test(d)) {
                        done.put(d.name(), d);
                    }
                }
                waiting = waiting.stream().filter(name -> !done.containsKey(name)).toList();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topics: " + e.getCause().getMessage(), e.getCause());
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(notReady + " after " + within.toSeconds() + " s: " + waiting);
                }
                Thread.sleep(50);
            }
        }
        return Map.copyOf(done);
    }
}
