package io.leadmkt.schema.serde;

import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import java.net.URI;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Where schema ids come from: no URL keeps the {@link EmbeddedSchemaIdResolver} (ids are schema
 * fingerprints, no network); a URL uses a Confluent-compatible registry
 * ({@link ConfluentRegistryResolver}). Every process of one marketplace must agree, since a reader
 * resolves the ids its writers chose.
 *
 * @param url      {@value #URL}; null: the embedded resolver
 * @param userInfo {@value #USER_INFO}; null: no basic auth
 * @param timeout  {@value #TIMEOUT_MS}
 */
public record SchemaRegistryConfig(URI url, Password userInfo, Duration timeout) {

    public static final String GROUP = "schema registry (optional)";
    public static final String URL = "schema.registry.url";
    public static final String USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String TIMEOUT_MS = "schema.registry.timeout.ms";

    /** No registry: the embedded resolver. */
    public static final SchemaRegistryConfig NONE = new SchemaRegistryConfig(null, null, Duration.ofSeconds(10));

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(URL, Type.STRING, null, MEDIUM,
                    "Base URL of a Confluent-compatible schema registry (Confluent Schema Registry, Karapace, "
                            + "Apicurio's /apis/ccompat/v7), e.g. https://registry:8081. Writers register their "
                            + "schema under <topic>-value and readers look ids up there. Unset: schema ids are the "
                            + "schemas' fingerprints and no registry is needed. Set it the same on every process.",
                    GROUP, 1, ConfigDef.Width.LONG, URL)
            .define(USER_INFO, Type.PASSWORD, null, MEDIUM,
                    "Basic auth for the registry as user:password, e.g. ${env:LEADMKT_REGISTRY_AUTH}. Unset: no "
                            + "Authorization header.",
                    GROUP, 2, ConfigDef.Width.MEDIUM, USER_INFO)
            .define(TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), LOW,
                    "Connect and request timeout (ms) of each registry call. Calls happen once per schema and "
                            + "once per unknown id, then answers are cached.",
                    GROUP, 3, ConfigDef.Width.SHORT, TIMEOUT_MS);

    public SchemaRegistryConfig {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException(TIMEOUT_MS, timeout, "must be positive");
        }
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new ConfigException(URL, url.toString(), "must be an http:// or https:// URL");
        }
        if (userInfo != null && userInfo.value().indexOf(':') < 1) {
            throw new ConfigException(USER_INFO, "[hidden]", "must be user:password");
        }
    }

    /** Every {@code schema.registry.*} setting: a copy, for the launcher to read the settings file with. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** From settings parsed with (a definition including) {@link #definition()}. */
    public static SchemaRegistryConfig from(AbstractConfig settings) {
        String url = settings.getString(URL);
        URI uri;
        try {
            uri = url == null || url.isBlank() ? null : URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(URL, url, "not a URL: " + e.getMessage());
        }
        return new SchemaRegistryConfig(uri, settings.getPassword(USER_INFO),
                Duration.ofMillis(settings.getInt(TIMEOUT_MS)));
    }

    /** A registry at {@code url} without auth, default timeout. */
    public static SchemaRegistryConfig at(URI url) {
        return new SchemaRegistryConfig(url, null, NONE.timeout);
    }

    /** The resolver these settings choose: a new one, with its own caches. */
    public SchemaIdResolver resolver() {
        return url == null ? new EmbeddedSchemaIdResolver() : new ConfluentRegistryResolver(this);
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "SchemaRegistryConfig[url=" + url + ", auth=" + (userInfo != null) + ", timeout=" + timeout + "]";
    }
}
