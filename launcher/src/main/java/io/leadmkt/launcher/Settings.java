package io.leadmkt.launcher;

import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.serde.SchemaRegistryConfig;
import io.leadmkt.streams.StreamsAppConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * The launcher's settings file ({@code deploy/config/leadmkt.properties}, generated from
 * {@link #definition()}) read with Kafka's own {@link AbstractConfig}: every key declared with its
 * type, default, allowed values and documentation ({@link StreamsAppConfig#definition()},
 * {@link ConnectorConfig#definition()}, {@link SchemaRegistryConfig#definition()} and the shared keys here), plus Kafka client properties
 * passed through under {@code kafka.}, {@code streams.kafka.} and {@code connector.kafka.}
 * ({@link PassThrough}). Any value may be a config-provider reference such as
 * {@code ${env:LEADMKT_SASL_PASSWORD}} or {@code ${file:/run/secrets/kafka.properties:password}},
 * resolved here, so secrets need not sit in the file. Absent (or blank) keys keep their defaults;
 * unknown keys, values a key does not allow and references that resolve to nothing are refused with
 * a {@link ConfigException} naming the key, so a typo never silently does nothing.
 */
public final class Settings extends AbstractConfig {

    public static final String SHARED_GROUP = "shared";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    /** Kafka's own key: the config providers that resolve {@code ${provider:path:key}} in any value. */
    public static final String CONFIG_PROVIDERS = CONFIG_PROVIDERS_CONFIG;

    /** Where the streams app keeps its state when neither the file nor the command line says. */
    public static final Path DEFAULT_STATE_DIR = Path.of(
            (String) StreamsAppConfig.definition().configKeys().get(StreamsAppConfig.STATE_DIR).defaultValue);

    private static final String DEFAULT_PROVIDERS_LIST = "env,file";
    private static final ConfigDef DEFINITION = definition();
    /** Providers on by default; the file may add others or change them under {@code config.providers.}. */
    private static final Map<String, String> DEFAULT_PROVIDERS = Map.of(
            CONFIG_PROVIDERS, DEFAULT_PROVIDERS_LIST,
            CONFIG_PROVIDERS + ".env.class", EnvVarConfigProvider.class.getName(),
            CONFIG_PROVIDERS + ".file.class", FileConfigProvider.class.getName());
    /** What a provider leaves in place when it has no value: {@code ${provider:path:key}} or {@code ${provider:key}}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+):([^}]*)}");

    /** As given (references unresolved), so {@link #with} resolves again. */
    private final Map<String, String> given;
    /** As given, references resolved. */
    private final Map<String, String> resolved;

    public Settings(Properties properties) {
        this(strings(properties));
    }

    private Settings(Map<String, String> given) {
        super(DEFINITION, present(given), providers(given), false);
        this.given = given;
        this.resolved = originalsStrings();
        refuseUnknown(resolved.keySet());
        refuseUnresolved(resolved, providerNames(given));
        PassThrough.of(resolved, PassThrough.STREAMS);
        PassThrough.of(resolved, PassThrough.CONNECTOR);
    }

    /**
     * Every key of the settings file: the shared ones, then {@link StreamsAppConfig#definition()} and
     * {@link ConnectorConfig#definition()}. Pass-through properties are not declared here: Kafka's own
     * definitions (producer, consumer, admin, Streams) check them.
     */
    public static ConfigDef definition() {
        ConfigDef definition = new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.STRING, null, Importance.HIGH,
                        "Kafka bootstrap servers (host:port,host:port). Required here or via --bootstrap-servers.",
                        SHARED_GROUP, 1, ConfigDef.Width.LONG, BOOTSTRAP_SERVERS)
                .define(CONFIG_PROVIDERS, Type.LIST, DEFAULT_PROVIDERS_LIST, Importance.MEDIUM,
                        "Kafka config providers that resolve ${provider:...} references in any value of this file, "
                                + "so secrets can stay out of it: env (${env:NAME}, an environment variable) and file "
                                + "(${file:/path/to/file.properties:key}, a key of a properties file, e.g. a mounted "
                                + "secret). Others are added as config.providers.NAME.class (and .param.*), as in "
                                + "Kafka, e.g. config.providers.file.param.allowed.paths=/run/secrets.",
                        SHARED_GROUP, 2, ConfigDef.Width.MEDIUM, CONFIG_PROVIDERS);
        SchemaRegistryConfig.definition().configKeys().values().forEach(definition::define);
        StreamsAppConfig.definition().configKeys().values().forEach(definition::define);
        ConnectorConfig.definition().configKeys().values().forEach(definition::define);
        return definition;
    }

    public static Settings empty() {
        return new Settings(Map.of());
    }

    /** These settings with {@code overrides} on top (command-line {@code --set key=value}); keys are checked. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(given);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /** These settings with {@code defaults} for the keys not given a value (blank counts as not given). */
    public Settings withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(given);
        Map<String, String> present = present(given);
        defaults.forEach((key, value) -> {
            if (!present.containsKey(key)) {
                merged.put(key, value);
            }
        });
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
        String value = flag != null ? flag : getString(BOOTSTRAP_SERVERS);
        if (value == null || value.isBlank()) {
            throw new ConfigException("bootstrap servers are required: --bootstrap-servers or "
                    + BOOTSTRAP_SERVERS + " in the config file");
        }
        return value.trim();
    }

    /** The cluster with the shared {@code kafka.} properties: for the config commands, {@code buyer test}, demo clients. */
    public KafkaClients clients(String bootstrapFlag) {
        return cluster(bootstrapFlag, null);
    }

    /**
     * The streams app's configuration; non-null arguments (from the command line) override the file.
     */
    public StreamsAppConfig streamsConfig(String bootstrapFlag, Integer httpPortFlag, Path stateDirFlag) {
        Map<String, String> flags = new HashMap<>();
        if (httpPortFlag != null) {
            flags.put(StreamsAppConfig.HTTP_PORT, httpPortFlag.toString());
        }
        if (stateDirFlag != null) {
            flags.put(StreamsAppConfig.STATE_DIR, stateDirFlag.toString());
        }
        Settings settings = flags.isEmpty() ? this : with(flags);
        return StreamsAppConfig.from(cluster(bootstrapFlag, PassThrough.STREAMS), settings);
    }

    /** The buyer connector's configuration; a non-null flag overrides the file's bootstrap servers. */
    public ConnectorConfig connectorConfig(String bootstrapFlag) {
        return ConnectorConfig.from(cluster(bootstrapFlag, PassThrough.CONNECTOR), this);
    }

    /** The cluster as {@code component} (null: shared) sees it: its pass-through and the schema registry. */
    private KafkaClients cluster(String bootstrapFlag, String component) {
        return new KafkaClients(bootstrapServers(bootstrapFlag), PassThrough.of(resolved, component),
                SchemaRegistryConfig.from(this));
    }

    private static Map<String, String> strings(Properties properties) {
        Map<String, String> strings = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> strings.put(key, properties.getProperty(key)));
        return strings;
    }

    /**
     * The keys given a value: a blank one keeps its default, as an absent one. Digits of a declared
     * number may be grouped with underscores (86_400_000), as in Java.
     */
    private static Map<String, String> present(Map<String, String> given) {
        Map<String, String> present = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            ConfigDef.ConfigKey declared = DEFINITION.configKeys().get(key);
            boolean number = declared != null
                    && (declared.type == Type.INT || declared.type == Type.LONG || declared.type == Type.SHORT);
            present.put(key, number ? value.trim().replace("_", "") : value);
        });
        return present;
    }

    /** The providers' own settings: the defaults with the file's {@code config.providers*} keys on top. */
    private static Map<String, String> providers(Map<String, String> given) {
        Map<String, String> providers = new HashMap<>(DEFAULT_PROVIDERS);
        given.forEach((key, value) -> {
            if (key.startsWith(CONFIG_PROVIDERS) && value != null && !value.isBlank()) {
                providers.put(key, value.trim());
            }
        });
        return providers;
    }

    private static Set<String> providerNames(Map<String, String> given) {
        Set<String> names = new TreeSet<>();
        for (String name : providers(given).get(CONFIG_PROVIDERS).split(",")) {
            names.add(name.trim());
        }
        return names;
    }

    private static void refuseUnknown(Set<String> keys) {
        Set<String> unknown = new TreeSet<>();
        for (String key : keys) {
            if (!DEFINITION.names().contains(key) && !PassThrough.isPassThrough(key)
                    && !key.startsWith(CONFIG_PROVIDERS + ".")) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown settings " + unknown + " (every key is listed in "
                    + "deploy/config/leadmkt.properties; Kafka client properties go under kafka., streams.kafka. "
                    + "or connector.kafka.)");
        }
    }

    /**
     * A reference its provider had no value for (an unset environment variable, a key missing from the
     * file) stays in the value as written: refuse it rather than connect with the reference as a password.
     * The message names the reference, never the value around it.
     */
    private static void refuseUnresolved(Map<String, String> resolved, Set<String> providers) {
        resolved.forEach((key, value) -> {
            Matcher reference = REFERENCE.matcher(value);
            while (reference.find()) {
                if (providers.contains(reference.group(1))) {
                    throw new ConfigException(key + " refers to " + reference.group()
                            + ", which has no value (an unset environment variable, or a file or key that is not there)");
                }
            }
        });
    }
}
