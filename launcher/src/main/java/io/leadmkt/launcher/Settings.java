package io.leadmkt.launcher;

import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.streams.StreamsAppConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The launcher's properties file ({@code deploy/config/leadmkt.properties} documents every key)
 * mapped onto {@link StreamsAppConfig} and {@link ConnectorConfig}. Absent keys keep the
 * components' defaults; unknown keys are refused, so a typo does not silently do nothing.
 */
public final class Settings {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    static final Set<String> STREAMS_KEYS = Set.of("streams.application.id", "streams.state.dir", "streams.http.port",
            "streams.partitions", "streams.replication.factor", "streams.processing.guarantee",
            "streams.commit.interval.ms", "streams.producer.linger.ms", "streams.poll.ms",
            "streams.num.stream.threads", "streams.auction.punctuate.ms", "streams.post.grace.ms",
            "streams.closed.auction.retention.ms", "streams.dedupe.window.ms", "streams.store.type",
            "streams.http.advertised.host", "streams.auction.settle.ms", "streams.auction.backstop.ms",
            "streams.intake.max.lag.ms", "streams.cache.max.bytes");
    static final Set<String> CONNECTOR_KEYS = Set.of("connector.group.id", "connector.max.concurrent.requests",
            "connector.producer.linger.ms", "connector.max.price.cents");

    /** Where the streams app keeps its state when neither the file nor the command line says. */
    public static final Path DEFAULT_STATE_DIR = Path.of(".leadmkt", "state");

    private final Properties properties;

    public Settings(Properties properties) {
        this.properties = properties;
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.remove(BOOTSTRAP_SERVERS);
        unknown.removeAll(STREAMS_KEYS);
        unknown.removeAll(CONNECTOR_KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown settings " + unknown + " (see deploy/config/leadmkt.properties)");
        }
    }

    public static Settings empty() {
        return new Settings(new Properties());
    }

    /** These settings with {@code overrides} on top (command-line {@code --set key=value}); keys are checked. */
    public Settings with(java.util.Map<String, String> overrides) {
        Properties merged = new Properties();
        merged.putAll(properties);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /** Reads a properties file; a null path means no file. */
    public static Settings load(Path file) {
        Properties properties = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new Settings(properties);
    }

    /** The bootstrap servers: the flag when given, else the file's. */
    public String bootstrapServers(String flag) {
        String value = flag != null ? flag : properties.getProperty(BOOTSTRAP_SERVERS);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required: --bootstrap-servers or "
                    + BOOTSTRAP_SERVERS + " in the config file");
        }
        return value.trim();
    }

    /**
     * The streams app's configuration; non-null arguments (from the command line) override the file.
     */
    public StreamsAppConfig streamsConfig(String bootstrapFlag, Integer httpPortFlag, Path stateDirFlag) {
        StreamsAppConfig d = StreamsAppConfig.defaults(bootstrapServers(bootstrapFlag), DEFAULT_STATE_DIR);
        Path stateDir = stateDirFlag != null ? stateDirFlag : Path.of(string("streams.state.dir", d.stateDir().toString()));
        int httpPort = httpPortFlag != null ? httpPortFlag : integer("streams.http.port", d.httpPort());
        return new StreamsAppConfig(
                d.bootstrapServers(),
                string("streams.application.id", d.applicationId()),
                stateDir,
                httpPort,
                integer("streams.partitions", d.partitions()),
                (short) integer("streams.replication.factor", d.replicationFactor()),
                string("streams.processing.guarantee", d.processingGuarantee()),
                longValue("streams.commit.interval.ms", d.commitIntervalMs()),
                integer("streams.producer.linger.ms", d.producerLingerMs()),
                longValue("streams.poll.ms", d.pollMs()),
                integer("streams.num.stream.threads", d.numStreamThreads()),
                longValue("streams.auction.punctuate.ms", d.auctionPunctuateMs()),
                longValue("streams.post.grace.ms", d.postGraceMs()),
                longValue("streams.closed.auction.retention.ms", d.closedAuctionRetentionMs()),
                longValue("streams.dedupe.window.ms", d.dedupeWindowMs()),
                string("streams.store.type", d.storeType()),
                longValue("streams.auction.settle.ms", d.auctionSettleMs()),
                string("streams.http.advertised.host", d.advertisedHost()),
                longValue("streams.auction.backstop.ms", d.auctionBackstopMs()),
                longValue("streams.intake.max.lag.ms", d.intakeMaxLagMs()),
                longValue("streams.cache.max.bytes", d.cacheMaxBytes()));
    }

    /** The buyer connector's configuration; a non-null flag overrides the file's bootstrap servers. */
    public ConnectorConfig connectorConfig(String bootstrapFlag) {
        ConnectorConfig d = ConnectorConfig.defaults(bootstrapServers(bootstrapFlag));
        return new ConnectorConfig(
                d.bootstrapServers(),
                string("connector.group.id", d.groupId()),
                integer("connector.max.concurrent.requests", d.maxConcurrentRequests()),
                integer("connector.producer.linger.ms", d.producerLingerMs()),
                longValue("connector.max.price.cents", d.maxPriceCents()));
    }

    private String string(String key, String fallback) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private int integer(String key, int fallback) {
        return Math.toIntExact(longValue(key, fallback));
    }

    private long longValue(String key, long fallback) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
        }
    }
}
