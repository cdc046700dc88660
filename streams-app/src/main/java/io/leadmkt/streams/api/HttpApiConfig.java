package io.leadmkt.streams.api;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Who may call the streams app's HTTP API, and over what: API keys enforced or not, and TLS from a
 * keystore. Declared with {@link ConfigDef} like every other setting; part of the streams app's.
 *
 * @param authRequired {@value #AUTH_REQUIRED}
 * @param tls          the keystore the API serves HTTPS with; empty: plain HTTP
 */
public record HttpApiConfig(boolean authRequired, Optional<Tls> tls) {

    public static final String GROUP = "HTTP API (access and TLS)";
    public static final String AUTH_REQUIRED = "http.auth.required";
    public static final String TLS_KEYSTORE_PATH = "http.tls.keystore.path";
    public static final String TLS_KEYSTORE_PASSWORD = "http.tls.keystore.password";
    public static final String TLS_KEYSTORE_TYPE = "http.tls.keystore.type";

    /** The keystore holding the API's private key and certificate chain. */
    public record Tls(Path keystore, Password password, String type) {
    }

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(AUTH_REQUIRED, Type.BOOLEAN, true, HIGH,
                    "Whether the HTTP API asks every caller for an API key (Authorization: Bearer <key> or X-Api-Key) "
                            + "and serves it only what its role and parties allow. false serves everyone as an admin: "
                            + "for local development only. /health/* and /metrics are open either way.",
                    GROUP, 1, ConfigDef.Width.SHORT, AUTH_REQUIRED)
            .define(TLS_KEYSTORE_PATH, Type.STRING, null, MEDIUM,
                    "A keystore (PKCS12 or JKS) with the API's private key and certificate: the API then serves HTTPS "
                            + "only, on streams.http.port. Empty: plain HTTP (put a TLS-terminating proxy in front).",
                    GROUP, 2, ConfigDef.Width.LONG, TLS_KEYSTORE_PATH)
            .define(TLS_KEYSTORE_PASSWORD, Type.PASSWORD, null, MEDIUM,
                    "The keystore's password; required with http.tls.keystore.path. Best as a reference, e.g. "
                            + "${env:LEADMKT_TLS_PASSWORD}.",
                    GROUP, 3, ConfigDef.Width.MEDIUM, TLS_KEYSTORE_PASSWORD)
            .define(TLS_KEYSTORE_TYPE, Type.STRING, "PKCS12", ValidString.in("PKCS12", "JKS"), MEDIUM,
                    "The keystore's format.",
                    GROUP, 4, ConfigDef.Width.SHORT, TLS_KEYSTORE_TYPE);

    /** Keys required, plain HTTP: the defaults. */
    public static final HttpApiConfig DEFAULTS = new HttpApiConfig(true, Optional.empty());

    public HttpApiConfig {
        tls = tls == null ? Optional.empty() : tls;
    }

    /** Every {@code http.*} setting: a copy, for the streams app's definition to include. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** From settings parsed with (a definition including) {@link #definition()}; a keystore must be there. */
    public static HttpApiConfig from(AbstractConfig settings) {
        String path = settings.getString(TLS_KEYSTORE_PATH);
        if (path == null || path.isBlank()) {
            return new HttpApiConfig(settings.getBoolean(AUTH_REQUIRED), Optional.empty());
        }
        Path keystore = Path.of(path.strip());
        if (!Files.isReadable(keystore)) {
            throw new ConfigException(TLS_KEYSTORE_PATH, path, "no readable keystore there");
        }
        Password password = settings.getPassword(TLS_KEYSTORE_PASSWORD);
        if (password == null || password.value().isEmpty()) {
            throw new ConfigException(TLS_KEYSTORE_PASSWORD + " is required with " + TLS_KEYSTORE_PATH);
        }
        return new HttpApiConfig(settings.getBoolean(AUTH_REQUIRED),
                Optional.of(new Tls(keystore, password, settings.getString(TLS_KEYSTORE_TYPE))));
    }

    /** For tests and tools: these settings over the defaults. */
    public static HttpApiConfig of(Map<String, ?> settings) {
        return from(new AbstractConfig(DEFINITION, settings, false));
    }

    /** {@code https} with a keystore, else {@code http}: how other instances and redirects reach this API. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    public HttpApiConfig withAuthRequired(boolean required) {
        return new HttpApiConfig(required, tls);
    }
}
