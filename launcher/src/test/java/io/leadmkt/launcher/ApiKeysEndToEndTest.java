package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.access.ApiKeys;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * API keys on the real broker, made and revoked by the {@code keys} command as an operator would:
 * the running app knows a new key and forgets a revoked one within a second, a seller's key speaks
 * for its own source only, the key never shows in the audit trail nor in the log.
 */
class ApiKeysEndToEndTest {

    private static final Pattern KEY = Pattern.compile("^(lmk_\\S+)$", Pattern.MULTILINE);
    private static final Pattern ID = Pattern.compile("created (k_[0-9a-f]{16}) ");
    private static EmbeddedKafkaBroker broker;
    private static LeadMarketApp app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.onFreePorts().start();
        Path stateDir = Path.of("target", "keys-state-" + UUID.randomUUID()).toAbsolutePath();
        app = LeadMarketApp.start(StreamsAppConfig.defaults(broker.bootstrapServers(), stateDir).withHttpPort(0));
    }

    @AfterAll
    static void stop() {
        app.close();
        broker.close();
    }

    /** Runs {@code leadmkt keys ...} against the broker; its stdout. */
    private static String keys(String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = LeadMkt.commandLine();
        command.setOut(new PrintWriter(out));
        List<String> all = new java.util.ArrayList<>(List.of("keys"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", broker.bootstrapServers()));
        if (!args[0].equals("list")) {
            all.addAll(List.of("--actor", "ops-alice"));
        }
        assertThat(command.execute(all.toArray(String[]::new))).as(out.toString()).isZero();
        return out.toString();
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    private int postLead(String key, String sourceId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/v1/leads"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sourceId\":\"" + sourceId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void shouldHonourAKeyWithinASecondOfItsCreationAndRefuseItWithinASecondOfItsRevocation() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is when it logs: keep a copy of everything logged meanwhile.
        System.setErr(new PrintStream(new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                stderr.write(b);
                log.write(b);
            }

            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                stderr.write(bytes, offset, length);
                log.write(bytes, offset, length);
            }
        }, true));
        String key;
        String keyId;
        try {
            String created = keys("create", "--role", "seller", "--source", "S1", "--label", "web form");
            key = group(KEY, created);
            keyId = group(ID, created);
            long createdAt = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> app.apiKeys().byId(keyId).isPresent());
            System.out.printf("key known %d ms after the command returned%n", (System.nanoTime() - createdAt) / 1_000_000);

            assertThat(postLead(key, "S2")).as("another seller's source").isEqualTo(403);
            assertThat(postLead(key, "S1")).as("its own source: past access, judged on content").isEqualTo(400);
            assertThat(keys("list")).contains(keyId, "seller", "sources=S1", "web form", "ops-alice").doesNotContain(key);

            assertThat(keys("revoke", keyId)).contains("revoked " + keyId);
            long revokedAt = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> postLead(key, "S1") == 401);
            System.out.printf("key refused %d ms after the revocation returned%n", (System.nanoTime() - revokedAt) / 1_000_000);
        } finally {
            System.setErr(stderr);
        }

        List<ConfigChange> audit;
        try (ConfigTopics topics = new ConfigTopics(broker.clients(), Topics.embedded(), "keys-e2e")) {
            audit = topics.history().stream().filter(c -> c.getKind().equals("apikey")).toList();
        }
        assertThat(audit).extracting(c -> c.getAction().name()).containsExactly("CREATED", "DELETED");
        assertThat(audit).allSatisfy(change -> {
            assertThat(change.getId()).isEqualTo(keyId);
            assertThat(change.getActor()).isEqualTo("ops-alice");
            assertThat(change.getVia()).isEqualTo("keys-command");
            assertThat(change.toString()).contains("seller").doesNotContain(key, ApiKeys.hash(key));
        });
        assertThat(log.toString(StandardCharsets.UTF_8)).as("the log").doesNotContain(key)
                .doesNotContain(key.substring(ApiKeys.KEY_PREFIX.length(), ApiKeys.KEY_PREFIX.length() + 12));
    }
}
