package io.leadmkt.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.launcher.EmbeddedKafkaBroker;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.admin.ConfigTopics;
import io.leadmkt.streams.admin.StreamsConfigStore;
import io.leadmkt.streams.api.LeadApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoints against a running streams app on a real broker: a PUT lands on the compacted
 * topic and the GET shows it from the app's global table. The API is mounted on its own LeadApi
 * (the app's reads its token from the environment, which a test cannot set); store and checks are
 * the app's real ones.
 */
class AdminOnRunningAppTest {

    private static final String TOKEN = "test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafkaBroker broker;
    private static LeadMarketApp app;
    private static ConfigTopics topics;
    private static LeadApi api;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.onFreePorts().start();
        Path stateDir = Path.of("target", "admin-state-" + UUID.randomUUID()).toAbsolutePath();
        app = LeadMarketApp.start(StreamsAppConfig.defaults(broker.bootstrapServers(), stateDir).withHttpPort(0),
                ConnectorIntegrationCheck.INSTANCE);
        topics = new ConfigTopics(broker.clients(), Topics.embedded(), "admin-test");
        AdminApi admin = new AdminApi(ConfigFiles.documents(), new StreamsConfigStore(topics, app::streams, app.apiKeys()));
        api = new LeadApi(0, new Access(true, TOKEN, app.apiKeys()), lead -> CompletableFuture.completedFuture(null),
                id -> Optional.empty(), Map::of, admin).start();
    }

    @AfterAll
    static void stop() {
        api.close();
        topics.close();
        app.close();
        broker.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldListTheBuyerFromTheGlobalTableWhenItWasPut() throws Exception {
        HttpResponse<String> put = call("PUT", "/v1/admin/buyers/live-a",
                "{\"pingUrl\":\"http://a/ping\",\"postUrl\":\"http://a/post\",\"verticals\":[\"solar\"]}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(topics.currentBuyers()).containsKey("live-a");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode listing = JSON.readTree(call("GET", "/v1/admin/buyers", null).body());
            assertThat(listing.get("buyers")).extracting(b -> b.get("buyerId").asText()).contains("live-a");
            // read from the running app's cap-status and stats tables: open, no posts yet
            assertThat(listing.get("status").get("live-a").get("full").asBoolean()).isFalse();
        });
    }

    @Test
    void shouldRefuseAnIntegrationTheConnectorCannotUseWhenPut() throws Exception {
        HttpResponse<String> put = call("PUT", "/v1/admin/buyers/live-b", """
                {"pingUrl":"http://b/ping","postUrl":"http://b/post",
                 "integration":{"ping":{"response":{"kind":"regex","price":{"path":"$.price"}}},"post":{"response":{}}}}
                """);

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("integration.ping.response.price.pattern: required for a regex answer");
        assertThat(topics.currentBuyers()).doesNotContainKey("live-b");
    }
}
