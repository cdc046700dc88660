package io.leadmkt.connector;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.SettingCheck;
import io.leadmkt.schema.Money;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Everything the buyer connector needs to run; each setting declared once, in {@link #definition()}.
 * A value the definition does not allow is refused with a {@link ConfigException} naming the setting.
 *
 * @param kafka                  the cluster and the operator's pass-through Kafka properties
 * @param groupId                {@value #GROUP_ID}
 * @param maxConcurrentRequests  {@value #MAX_CONCURRENT_REQUESTS}
 * @param producerLingerMs       {@value #PRODUCER_LINGER_MS}
 * @param maxPriceCents          {@value #MAX_PRICE_CENTS}
 * @param keyTopic               {@value #KEY_TOPIC}
 */
public record ConnectorConfig(
        KafkaClients kafka,
        String groupId,
        int maxConcurrentRequests,
        int producerLingerMs,
        long maxPriceCents,
        String keyTopic) {

    /** The settings-file group of these keys (the section of the documented properties file). */
    public static final String GROUP = "buyer connector (HTTP pings and posts to buyers)";

    public static final String GROUP_ID = "connector.group.id";
    public static final String MAX_CONCURRENT_REQUESTS = "connector.max.concurrent.requests";
    public static final String PRODUCER_LINGER_MS = "connector.producer.linger.ms";
    public static final String MAX_PRICE_CENTS = "connector.max.price.cents";
    public static final String KEY_TOPIC = "connector.key.topic";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(GROUP_ID, Type.STRING, "leadmkt-connector", new ConfigDef.NonEmptyString(), HIGH,
                    "Consumer group of the connector's ping and post consumers.",
                    GROUP, 1, ConfigDef.Width.MEDIUM, GROUP_ID)
            .define(MAX_CONCURRENT_REQUESTS, Type.INT, 512, Range.atLeast(1), MEDIUM,
                    "Cap on in-flight HTTP requests across all buyers. A call queued behind it counts its buyer's "
                            + "timeout from when it is sent; one still queued after its whole timeout is not sent "
                            + "(a ping's bid is then TIMEOUT NOT_HEARD, offered again; a post's result ERROR NOT_SENT, "
                            + "posted to the same buyer once more).",
                    GROUP, 2, ConfigDef.Width.SHORT, MAX_CONCURRENT_REQUESTS)
            .define(PRODUCER_LINGER_MS, Type.INT, 5, Range.atLeast(0), MEDIUM,
                    "linger.ms of the connector's bids / post-results producer.",
                    GROUP, 3, ConfigDef.Width.SHORT, PRODUCER_LINGER_MS)
            .define(MAX_PRICE_CENTS, Type.LONG, Money.MAX_BID_CENTS, Range.atLeast(1), MEDIUM,
                    "A bid above this (cents) is an ERROR (absurd price), not a win. 10000000 = $100,000.00.",
                    GROUP, 4, ConfigDef.Width.SHORT, MAX_PRICE_CENTS)
            .define(KEY_TOPIC, Type.STRING, "leadmkt-privacy-keys-store-changelog", new ConfigDef.NonEmptyString(), HIGH,
                    "The consumers' data keys the connector unseals posts with: <streams.application.id>-privacy-keys-store-changelog.",
                    GROUP, 5, ConfigDef.Width.LONG, KEY_TOPIC);

    public ConnectorConfig {
        Objects.requireNonNull(kafka, "kafka");
        SettingCheck.ensureValid(DEFINITION, GROUP_ID, groupId);
        SettingCheck.ensureValid(DEFINITION, MAX_CONCURRENT_REQUESTS, maxConcurrentRequests);
        SettingCheck.ensureValid(DEFINITION, PRODUCER_LINGER_MS, producerLingerMs);
        SettingCheck.ensureValid(DEFINITION, MAX_PRICE_CENTS, maxPriceCents);
        SettingCheck.ensureValid(DEFINITION, KEY_TOPIC, keyTopic);
    }

    /** Every {@code connector.*} setting: a copy, for the launcher to read the settings file with. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** The connector's configuration from settings parsed with (a definition including) {@link #definition()}. */
    public static ConnectorConfig from(KafkaClients kafka, AbstractConfig settings) {
        return new ConnectorConfig(kafka, settings.getString(GROUP_ID), settings.getInt(MAX_CONCURRENT_REQUESTS),
                settings.getInt(PRODUCER_LINGER_MS), settings.getLong(MAX_PRICE_CENTS), settings.getString(KEY_TOPIC));
    }

    /** Every setting at its default, on the cluster at {@code bootstrapServers} with no pass-through properties. */
    public static ConnectorConfig defaults(String bootstrapServers) {
        return from(KafkaClients.to(bootstrapServers), new AbstractConfig(DEFINITION, Map.of(), false));
    }
}
