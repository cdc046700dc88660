package io.leadmkt.launcher;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka client and Streams properties passed through the settings file: {@value #SHARED} for every
 * client the marketplace creates, {@value #STREAMS} / {@value #CONNECTOR} for one component's clients,
 * winning over the shared ones. A pass-through property must be one Kafka knows, with a value Kafka
 * accepts, and not one the marketplace sets itself: each of these is refused at start-up with a
 * {@link ConfigException} naming the setting, as a typo in {@code security.protocol} would otherwise
 * only show as a client that never connects.
 */
final class PassThrough {

    /** Every producer, consumer, admin client and Kafka Streams instance the marketplace creates. */
    static final String SHARED = "kafka.";
    /** The streams app's clients: Kafka Streams and its own clients, the intake producer, its admin clients. */
    static final String STREAMS = "streams.kafka.";
    /** The buyer connector's producer, consumers and admin client. */
    static final String CONNECTOR = "connector.kafka.";

    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();
    private static final ConfigDef STREAMS_CONFIG = StreamsConfig.configDef();

    /** Streams' prefixes for one kind of its clients, and the definition that kind's properties follow. */
    private static final Map<String, ConfigDef> STREAMS_CLIENT_PREFIXES = Map.of(
            StreamsConfig.MAIN_CONSUMER_PREFIX, CONSUMER,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, CONSUMER,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, CONSUMER,
            StreamsConfig.CONSUMER_PREFIX, CONSUMER,
            StreamsConfig.PRODUCER_PREFIX, PRODUCER,
            StreamsConfig.ADMIN_CLIENT_PREFIX, ADMIN);

    /**
     * Kafka properties the marketplace sets itself, and what to do instead: they carry its own settings
     * (one key each, so the app and its clients never disagree) or its delivery guarantees.
     */
    static final Map<String, String> MANAGED = managed();

    private PassThrough() {
    }

    private static Map<String, String> managed() {
        String guarantee = "the marketplace's delivery guarantees depend on it";
        String formats = "records are in the marketplace's own formats";
        String badRecords = "how the app keeps bad records is part of its design";
        Map<String, String> m = new TreeMap<>();
        m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "set bootstrap.servers (or --bootstrap-servers)");
        m.put(CommonClientConfigs.CLIENT_ID_CONFIG, "each client is named after streams.application.id or connector.group.id");
        m.put(CommonClientConfigs.GROUP_ID_CONFIG, "set streams.application.id or connector.group.id");
        m.put(StreamsConfig.APPLICATION_ID_CONFIG, "set streams.application.id");
        m.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "set streams.http.advertised.host");
        m.put(StreamsConfig.STATE_DIR_CONFIG, "set streams.state.dir");
        m.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "set streams.processing.guarantee");
        m.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "set streams.commit.interval.ms");
        m.put(StreamsConfig.POLL_MS_CONFIG, "set streams.poll.ms");
        m.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "set streams.num.stream.threads");
        m.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "set streams.replication.factor");
        m.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "set streams.cache.max.bytes");
        m.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "set streams.rocksdb.memory.bytes");
        m.put(ProducerConfig.LINGER_MS_CONFIG, "set streams.producer.linger.ms or connector.producer.linger.ms");
        m.put(ProducerConfig.ACKS_CONFIG, guarantee);
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, guarantee);
        m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, guarantee);
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, guarantee);
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, guarantee);
        m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, guarantee);
        m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, formats);
        m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, formats);
        m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, formats);
        m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, formats);
        m.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, formats);
        m.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, formats);
        m.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "every store and topic of the app is named");
        m.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, badRecords);
        m.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, badRecords);
        m.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, badRecords);
        return Map.copyOf(m);
    }

    /** Whether {@code key} of the settings file is a pass-through property. */
    static boolean isPassThrough(String key) {
        return key.startsWith(SHARED) || key.startsWith(STREAMS) || key.startsWith(CONNECTOR);
    }

    /**
     * One component's pass-through properties out of the (resolved) settings: the shared ones with the
     * component's own ({@code componentPrefix}, or null for the shared ones only) on top, prefixes
     * stripped. Each is checked first.
     */
    static Map<String, String> of(Map<String, String> settings, String componentPrefix) {
        Map<String, String> properties = new TreeMap<>();
        for (String prefix : componentPrefix == null ? List.of(SHARED) : List.of(SHARED, componentPrefix)) {
            settings.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    check(prefix, key.substring(prefix.length()), value);
                    properties.put(key.substring(prefix.length()), value);
                }
            });
        }
        return properties;
    }

    /** Refuses {@code property} under {@code prefix} unless Kafka knows it, accepts its value and leaves it to us. */
    static void check(String prefix, String property, String value) {
        String setting = prefix + property;
        boolean streams = prefix.equals(STREAMS);
        if (streams && (property.startsWith(StreamsConfig.TOPIC_PREFIX) || property.startsWith(StreamsConfig.CLIENT_TAG_PREFIX))) {
            // Internal topics' configs and rack-aware assignment tags: open-ended, Streams checks them.
            return;
        }
        ClientProperty target = streams ? streamsClientProperty(property) : new ClientProperty(property, null);
        String managed = MANAGED.get(target.name());
        if (managed != null) {
            throw new ConfigException(setting, value, "the marketplace sets " + target.name() + " itself: " + managed);
        }
        List<ConfigDef> definitions = target.definition() != null ? List.of(target.definition())
                : prefix.equals(CONNECTOR) ? List.of(PRODUCER, CONSUMER, ADMIN)
                : List.of(PRODUCER, CONSUMER, ADMIN, STREAMS_CONFIG);
        ConfigDef.ConfigKey declared = definitions.stream()
                .map(d -> d.configKeys().get(target.name()))
                .filter(k -> k != null)
                .findFirst()
                .orElseThrow(() -> new ConfigException(setting, value, "not a Kafka "
                        + (prefix.equals(CONNECTOR) ? "producer, consumer or admin" : "client or Streams")
                        + " property (see the Kafka documentation for " + target.name() + ")"));
        Object parsed = ConfigDef.parseType(setting, value, declared.type);
        if (declared.validator != null) {
            declared.validator.ensureValid(setting, parsed);
        }
    }

    /** A Streams property, or a property of one kind of Streams' clients when it has that kind's prefix. */
    private static ClientProperty streamsClientProperty(String property) {
        // Longest prefix first: main.consumer. before consumer.
        Optional<String> prefix = STREAMS_CLIENT_PREFIXES.keySet().stream()
                .filter(property::startsWith)
                .max((a, b) -> Integer.compare(a.length(), b.length()));
        return prefix.map(p -> new ClientProperty(property.substring(p.length()), STREAMS_CLIENT_PREFIXES.get(p)))
                .orElseGet(() -> new ClientProperty(property, null));
    }

    /** A property's name for the client that reads it; {@code definition} null: any client kind may. */
    private record ClientProperty(String name, ConfigDef definition) {
    }
}
