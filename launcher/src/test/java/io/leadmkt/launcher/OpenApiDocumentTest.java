package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.api.LeadApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json} against the routes the running app's HTTP server really registered:
 * every registered route documented with the roles it serves, nothing documented that is not
 * registered. A route added to the server without its entry in
 * {@code streams-app/src/main/resources/leadmkt/openapi.json} fails here.
 */
class OpenApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static EmbeddedKafkaBroker broker;
    private static LeadMarketApp app;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.onFreePorts().start();
        Path stateDir = Path.of("target", "openapi-state-" + UUID.randomUUID()).toAbsolutePath();
        app = LeadMarketApp.start(StreamsAppConfig.defaults(broker.bootstrapServers(), stateDir).withHttpPort(0));
        // open to everyone, no key
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.httpPort() + "/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        document = JSON.readTree(response.body());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDocumentEveryRegisteredRouteWithItsRolesAndNothingElseWhenServed() {
        Map<String, Set<String>> registered = new TreeMap<>();
        for (LeadApi.Route route : app.httpRoutes()) {
            registered.put(route.method().toUpperCase(Locale.ROOT) + " " + route.path(), route.roles());
        }
        Map<String, Set<String>> documented = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (METHODS.contains(operation.getKey())) {
                Set<String> roles = new HashSet<>();
                operation.getValue().path("x-roles").forEach(role -> roles.add(role.asText()));
                documented.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), roles);
            }
        }));

        assertThat(registered).as("routes registered").isNotEmpty().containsKey("GET /openapi.json");
        assertThat(documented.keySet()).as("documented routes vs registered ones")
                .containsExactlyInAnyOrderElementsOf(registered.keySet());
        assertThat(documented).as("each route's roles (x-roles; empty: open)").isEqualTo(registered);
    }

    @Test
    void shouldBeAnOpenApi3DocumentWhoseOperationsDeclareTheirPathParametersAndAnswersWhenRead() {
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("info").path("title").asText()).isNotBlank();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Set<String> inTemplate = new HashSet<>();
            Matcher names = PATH_PARAMETER.matcher(path.getKey());
            while (names.find()) {
                inTemplate.add(names.group(1));
            }
            path.getValue().fields().forEachRemaining(operation -> {
                String where = operation.getKey() + " " + path.getKey();
                Set<String> declared = new HashSet<>();
                operation.getValue().path("parameters").forEach(p -> {
                    if ("path".equals(p.path("in").asText())) {
                        assertThat(p.path("required").asBoolean()).as(where + " path parameter required").isTrue();
                        declared.add(p.path("name").asText());
                    }
                });
                assertThat(declared).as(where + " path parameters").isEqualTo(inTemplate);
                assertThat(operation.getValue().path("summary").asText()).as(where + " summary").isNotBlank();
                assertThat(operation.getValue().path("responses").size()).as(where + " responses").isPositive();
                operation.getValue().path("responses").fields().forEachRemaining(answer ->
                        assertThat(answer.getValue().path("description").asText()).as(where + " " + answer.getKey()).isNotBlank());
            });
        }
    }
}
