package io.leadmkt.launcher.config;

import io.leadmkt.launcher.Settings;
import io.leadmkt.schema.KafkaClients;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command finds Kafka: {@code --bootstrap-servers}, and/or the settings file, whose
 * {@code bootstrap.servers} and shared {@code kafka.*} client properties (security, SASL, TLS) it
 * uses, as the streams app and the connector do.
 */
public final class ClusterOptions {
    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (overrides the settings file's).")
    String bootstrapServers;
    @Option(names = "--config", paramLabel = "<settings>", description = "Settings file (see "
            + "deploy/config/leadmkt.properties): its bootstrap.servers and kafka.* client properties, e.g. security.")
    Path settings;

    /** Whether a cluster was named at all (some commands can do without one). */
    public boolean given() {
        return bootstrapServers != null || settings != null;
    }

    /** The streams app's settings (its application id and partitions) on that cluster. */
    public io.leadmkt.streams.StreamsAppConfig streams() {
        return Settings.load(settings).streamsConfig(bootstrapServers, null, null);
    }

    /** The cluster, with the settings file's shared {@code kafka.*} properties. */
    public KafkaClients clients() {
        return Settings.load(settings).clients(bootstrapServers);
    }
}
