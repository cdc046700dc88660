package io.leadmkt.launcher.secure;

import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.launcher.EmbeddedKafkaBroker;
import io.leadmkt.launcher.Settings;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.StreamsAppConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The marketplace's principals on a secured embedded broker: each gets its ACLs from {@link AclPlan}
 * (as {@code leadmkt acls} prints them) and its own SCRAM user, and the streams app and the connector
 * are configured through the ordinary pass-through settings ({@code streams.kafka.*},
 * {@code connector.kafka.*}), exactly as an operator would configure them for a secured cluster.
 */
public final class SecureMarket {

    private SecureMarket() {
    }

    /**
     * Grants the streams app, the connector and the config writers (and the given Kafka-native buyers)
     * their ACLs on {@code broker}, and returns {@code settings} with each component's SASL_SSL client
     * properties (its own user) under its pass-through prefix.
     */
    public static Settings grant(EmbeddedKafkaBroker broker, Settings settings, String... kafkaBuyerIds) {
        AclPlan.Principals principals = AclPlan.Principals.DEFAULT;
        List<AclPlan.PrincipalAcls> plan = AclPlan.plan(Topics.embedded(),
                settings.getString(StreamsAppConfig.APPLICATION_ID), settings.getString(ConnectorConfig.GROUP_ID),
                principals, List.of(kafkaBuyerIds));
        try (Admin admin = broker.admin()) {
            AclPlan.apply(admin, plan);
        }
        Map<String, String> overrides = new HashMap<>();
        prefixed(overrides, "streams.kafka.", broker.scramClients(principals.streams()));
        prefixed(overrides, "connector.kafka.", broker.scramClients(principals.connector()));
        return settings.with(overrides);
    }

    /** Clients of {@code broker} as the config writers' principal (config apply, suppress import, buyer test). */
    public static KafkaClients configWriter(EmbeddedKafkaBroker broker) {
        return broker.scramClients(AclPlan.Principals.DEFAULT.configWriter());
    }

    private static void prefixed(Map<String, String> into, String prefix, KafkaClients clients) {
        clients.passThrough().forEach((key, value) -> into.put(prefix + key, value));
    }
}
