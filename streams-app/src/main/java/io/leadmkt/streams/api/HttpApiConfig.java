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
 * Who may call the streams app's HTTP API, and over what: API keys enforced or not, TLS from a
 * keystore, how often one address may submit the open capture forms and where a proxy in front
 * puts the client's address. Declared with {@link ConfigDef} like every other setting; part of the
 * streams app's.
 *
 * @param authRequired             {@value #AUTH_REQUIRED}
 * @param tls                      the keystore the API serves HTTPS with; empty: plain HTTP
 * @param formSubmissionsPerMinute {@value #FORM_SUBMISSIONS_PER_MINUTE}
 * @param clientIpHeader           {@value #CLIENT_IP_HEADER}; empty: the connection's address
 */
public record HttpApiConfig(boolean authRequired, Optional<Tls> tls, int formSubmissionsPerMinute,
                            Optional<String> clientIpHeader) {

    public static final String GROUP = "HTTP API (access and TLS)";
    public static final String AUTH_REQUIRED = "http.auth.required";
    public static final String TLS_KEYSTORE_PATH = "http.tls.keystore.path";
    public static final String TLS_KEYSTORE_PASSWORD = "http.tls.keystore.password";
    public static final String TLS_KEYSTORE_TYPE = "http.tls.keystore.type";
    public static final String FORM_SUBMISSIONS_PER_MINUTE = "http.form.submissions.per.minute";
    public static final String CLIENT_IP_HEADER = "http.client.ip.header";
    static final int DEFAULT_FORM_SUBMISSIONS_PER_MINUTE = 10;

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
                    GROUP, 4, ConfigDef.Width.SHORT, TLS_KEYSTORE_TYPE)
            .define(FORM_SUBMISSIONS_PER_MINUTE, Type.INT, DEFAULT_FORM_SUBMISSIONS_PER_MINUTE, ConfigDef.Range.atLeast(1),
                    MEDIUM, "How many capture-form submissions (POST /form/{campaignId}) one client address may make "
                            + "per minute on this instance, over all forms; more are answered 429 with Retry-After.",
                    GROUP, 5, ConfigDef.Width.SHORT, FORM_SUBMISSIONS_PER_MINUTE)
            .define(CLIENT_IP_HEADER, Type.STRING, null, MEDIUM,
                    "The request header a proxy in front of the API puts the client's address in (its left-most "
                            + "address is taken), e.g. X-Forwarded-For: the address a capture form records as the "
                            + "consumer's and limits. Set it only when that proxy overwrites the header; empty: the "
                            + "connection's own address.",
                    GROUP, 6, ConfigDef.Width.MEDIUM, CLIENT_IP_HEADER);

    /** Keys required, plain HTTP: the defaults. */
    public static final HttpApiConfig DEFAULTS = new HttpApiConfig(true, Optional.empty(),
            DEFAULT_FORM_SUBMISSIONS_PER_MINUTE, Optional.empty());

    public HttpApiConfig {
        tls = tls == null ? Optional.empty() : tls;
        clientIpHeader = clientIpHeader == null ? Optional.empty() : clientIpHeader;
    }

    /** Every {@code http.*} setting: a copy, for the streams app's definition to include. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** From settings parsed with (a definition including) {@link #definition()}; a keystore must be there. */
    public static HttpApiConfig from(AbstractConfig settings) {
        int perMinute = settings.getInt(FORM_SUBMISSIONS_PER_MINUTE);
        String header = settings.getString(CLIENT_IP_HEADER);
        Optional<String> clientIpHeader = header == null || header.isBlank() ? Optional.empty() : Optional.of(header.strip());
        String path = settings.getString(TLS_KEYSTORE_PATH);
        if (path == null || path.isBlank()) {
            return new HttpApiConfig(settings.getBoolean(AUTH_REQUIRED), Optional.empty(), perMinute, clientIpHeader);
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
                Optional.of(new Tls(keystore, password, settings.getString(TLS_KEYSTORE_TYPE))), perMinute, clientIpHeader);
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
        return new HttpApiConfig(required, tls, formSubmissionsPerMinute, clientIpHeader);
    }
}
