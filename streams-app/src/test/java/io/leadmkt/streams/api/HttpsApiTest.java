package io.leadmkt.streams.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.streams.access.TestKeys;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over HTTPS from a keystore made here by the JDK's keytool (a self-signed certificate for 127.0.0.1). */
class HttpsApiTest {

    private static final String PASSWORD = "changeit-" + System.nanoTime();

    @TempDir
    Path dir;

    private Path keystore() throws Exception {
        Path keystore = dir.resolve("api.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=leadmkt-test", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        return keystore;
    }

    /** A client that trusts exactly the certificate in {@code keystore}. */
    private static HttpClient trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void shouldServeTheApiOverHttpsOnlyWhenAKeystoreIsConfigured() throws Exception {
        Path keystore = keystore();
        HttpApiConfig config = HttpApiConfig.of(Map.of(HttpApiConfig.TLS_KEYSTORE_PATH, keystore.toString(),
                HttpApiConfig.TLS_KEYSTORE_PASSWORD, PASSWORD));
        assertThat(config.scheme()).isEqualTo("https");

        try (LeadApi api = new LeadApi(0, TestKeys.access(), config.tls(), lead -> CompletableFuture.completedFuture(null),
                id -> Optional.empty(), () -> Map.of("status", "UP"), null, null, null).start()) {
            HttpResponse<String> secure = trusting(keystore).send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + api.port() + "/v1/leads"))
                    .header("Authorization", "Bearer " + TestKeys.SELLER.key())
                    .POST(HttpRequest.BodyPublishers.ofString(io.leadmkt.streams.intake.TestLeads.json())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(secure.statusCode()).isEqualTo(202);
            assertThat(api.scheme()).isEqualTo("https");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI overHttp = URI.create("http://127.0.0.1:" + api.port() + "/health");
            // Jetty answers plain HTTP on a TLS port with a 400 or closes the connection: never the API.
            try {
                assertThat(plain.send(HttpRequest.newBuilder(overHttp).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(400);
            } catch (java.io.IOException closed) {
                assertThat(closed).isNotNull();
            }
        }
    }

    @Test
    void shouldNameTheSettingWhenTheKeystoreIsMissingOrHasNoPassword() throws Exception {
        assertThatThrownBy(() -> HttpApiConfig.of(Map.of(HttpApiConfig.TLS_KEYSTORE_PATH, dir.resolve("none.p12").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(HttpApiConfig.TLS_KEYSTORE_PATH);
        Path keystore = keystore();
        assertThatThrownBy(() -> HttpApiConfig.of(Map.of(HttpApiConfig.TLS_KEYSTORE_PATH, keystore.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(HttpApiConfig.TLS_KEYSTORE_PASSWORD);
        assertThatThrownBy(() -> HttpApiConfig.of(Map.of(HttpApiConfig.TLS_KEYSTORE_PATH, keystore.toString(),
                HttpApiConfig.TLS_KEYSTORE_PASSWORD, PASSWORD, HttpApiConfig.TLS_KEYSTORE_TYPE, "PEM")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(HttpApiConfig.TLS_KEYSTORE_TYPE);
        assertThat(HttpApiConfig.of(Map.of()).tls()).isEmpty();
        assertThat(HttpApiConfig.of(Map.of()).authRequired()).isTrue();
        assertThat(HttpApiConfig.of(Map.of(HttpApiConfig.AUTH_REQUIRED, "false")).authRequired()).isFalse();
    }
}
