package io.leadmkt.schema;

import io.leadmkt.schema.serde.SchemaRegistryConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * How one component reaches Kafka: the bootstrap servers and the operator's pass-through client
 * properties (security, SASL, TLS, timeouts, rack, standbys, static membership...). Every producer,
 * consumer, admin client and Kafka Streams instance the marketplace creates gets its properties
 * here, so a pass-through property reaches all of them and none is missed.
 *
 * <p>A client gets the bootstrap servers, then the caller's own properties, then the pass-through on
 * top. A plain producer, consumer or admin client gets only the pass-through properties its kind
 * knows (so {@code num.standby.replicas} reaches Kafka Streams only, and the others do not warn
 * about it); Kafka Streams gets all of them and hands them on to its own clients.
 *
 * @param bootstrapServers host:port pairs of the cluster
 * @param passThrough      Kafka client / Streams properties as the operator set them (values resolved,
 *                         secrets included: {@link #toString()} shows the keys only)
 * @param schemaRegistry   where the schema ids of records on this cluster come from (null: the embedded
 *                         resolver); every reader and writer of the cluster must agree, so it travels here
 */
public record KafkaClients(String bootstrapServers, Map<String, String> passThrough,
                           SchemaRegistryConfig schemaRegistry) {

    /**
     * How long a consumer group waits for a member that stopped heartbeating (a crashed process, a vanished
     * host) before its partitions move to the others: 10 s, Kafka's default until 3.0, instead of its 45 s.
     * A lead on a dead member's partitions waits this long before anyone reads it, and the demo campaigns
     * give a lead 5 s to be offered. Heartbeats go every {@link #HEARTBEAT_INTERVAL_MS} from a thread of their
     * own, so a busy or paused process does not miss ten in a row. Only the classic group protocol takes it from the client; the
     * newer ones take it from the broker ({@code group.consumer.session.timeout.ms},
     * {@code group.streams.session.timeout.ms}) and refuse it here.
     */
    public static final int SESSION_TIMEOUT_MS = 10_000;

    /**
     * How often a group member heartbeats: 1 s instead of Kafka's 3 s. A heartbeat's answer is also how a
     * member learns that its group is rebalancing, so when one joins or leaves (a restart, a deploy, a crash
     * once its session ran out) the others rejoin up to a heartbeat later, and under the cooperative
     * protocol a partition moves in two such rounds, unread in between. Measured (bench --processes, two
     * instances at 20 leads/s, two pairs): after a graceful stop the leads' p99 was 0.6-0.8 s against
     * 1.3-4.3 s (29 shed in one run), and a killed instance's partitions were taken over after 11.6-11.8 s
     * against 12.9-14.3 s. It costs each member two more small requests a second.
     */
    public static final int HEARTBEAT_INTERVAL_MS = 1_000;

    private static final Set<String> PRODUCER = ProducerConfig.configNames();
    private static final Set<String> CONSUMER = ConsumerConfig.configNames();
    private static final Set<String> ADMIN = AdminClientConfig.configNames();

    public KafkaClients {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    "Kafka bootstrap servers (host:port,host:port) are required");
        }
        passThrough = Map.copyOf(passThrough);
        schemaRegistry = schemaRegistry == null ? SchemaRegistryConfig.NONE : schemaRegistry;
    }

    /** The cluster with these pass-through properties and the embedded schema ids (no registry). */
    public KafkaClients(String bootstrapServers, Map<String, String> passThrough) {
        this(bootstrapServers, passThrough, SchemaRegistryConfig.NONE);
    }

    /** The cluster at {@code bootstrapServers}, with no pass-through properties. */
    public static KafkaClients to(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, Map.of());
    }

    public Map<String, Object> producer(Map<String, ?> ours) {
        return merged(ours, PRODUCER);
    }

    /**
     * A consumer's properties; in a group under the classic protocol its session timeout is {@link
     * #SESSION_TIMEOUT_MS} and its heartbeat interval {@link #HEARTBEAT_INTERVAL_MS}.
     */
    public Map<String, Object> consumer(Map<String, ?> ours) {
        return merged(withGroupTiming(ours), CONSUMER);
    }

    /**
     * {@link #SESSION_TIMEOUT_MS} and {@link #HEARTBEAT_INTERVAL_MS}, each unless ours or the operator's
     * properties choose it, or a protocol that refuses them.
     */
    private Map<String, Object> withGroupTiming(Map<String, ?> ours) {
        Map<String, Object> properties = new LinkedHashMap<>(ours);
        Object protocol = passThrough.containsKey(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                ? passThrough.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG) : ours.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        if (protocol == null || "classic".equalsIgnoreCase(protocol.toString().trim())) {
            properties.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
            properties.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        }
        return properties;
    }

    public Map<String, Object> admin(Map<String, ?> ours) {
        return merged(ours, ADMIN);
    }

    /**
     * Kafka Streams' properties: every pass-through property, Streams routes prefixed ones to its clients;
     * its group's session timeout and heartbeat interval as {@link #consumer}'s.
     */
    public Properties streams(Map<String, ?> ours) {
        Properties properties = new Properties();
        properties.putAll(merged(withGroupTiming(ours), null));
        return properties;
    }

    private Map<String, Object> merged(Map<String, ?> ours, Set<String> known) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.putAll(ours);
        passThrough.forEach((key, value) -> {
            if (known == null || known.contains(key)) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /** Names the pass-through keys only: their values may be passwords or JAAS configs. */
    @Override
    public String toString() {
        return "KafkaClients[bootstrapServers=" + bootstrapServers + ", passThrough="
                + new TreeMap<>(passThrough).keySet() + ", schemaRegistry=" + schemaRegistry + "]";
    }
}
