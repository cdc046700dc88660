package io.leadmkt.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a loopback server that implements the registry calls as Confluent documents them
 * (no real registry runs here: no Docker, and none starts in-process from Maven Central).
 */
class ConfluentRegistryResolverTest {

    private FakeRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistry(null);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void shouldRegisterUnderTheTopicsSubjectWhenWritingFirst() {
        ConfluentRegistryResolver resolver = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()));

        int id = resolver.idFor("leads.inbound-value", Lead.getClassSchema());

        assertThat(id).isEqualTo(1);
        assertThat(registry.subjects).containsEntry("leads.inbound-value", List.of(1));
        assertThat(registry.registrations.get(0).get("schemaType").asText()).isEqualTo("AVRO");
    }

    @Test
    void shouldGetTheSameIdWhenTheSameSchemaIsRegisteredTwice() {
        int first = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()))
                .idFor("bids-value", Bid.getClassSchema());
        int again = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()))
                .idFor("bids-value", Bid.getClassSchema());

        assertThat(again).isEqualTo(first);
        assertThat(registry.registrations).hasSize(2);
    }

    @Test
    void shouldCallTheRegistryOncePerSchemaWhenWritingManyRecords() {
        ConfluentRegistryResolver resolver = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()));

        for (int i = 0; i < 5; i++) {
            resolver.idFor("bids-value", Bid.getClassSchema());
        }

        assertThat(registry.registrations).hasSize(1);
    }

    @Test
    void shouldReadBytesOfAnotherSerdeInstanceWhenOnlyTheRegistryKnowsTheId() {
        Topics writer = new Topics(new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url())));
        Topics reader = new Topics(new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url())));
        Bid bid = Bid.newBuilder().setLeadId("lead-1").setBuyerId("acme").setPriceCents(1_250L)
                .setStatus(io.leadmkt.schema.BidStatus.BID).setRespondedAt(1_000L)
                .build();

        byte[] bytes = writer.bids().valueSerde().serializer().serialize("bids", bid);
        Bid read = reader.bids().valueSerde().deserializer().deserialize("bids", bytes);

        assertThat(read).isEqualTo(bid);
        assertThat(registry.gets.get()).isEqualTo(1);
    }

    @Test
    void shouldCacheSchemasByIdWhenTheSameIdIsReadAgain() {
        int id = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()))
                .idFor("leads.inbound-value", Lead.getClassSchema());
        ConfluentRegistryResolver reader = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()));

        Schema first = reader.schemaFor(id);
        Schema again = reader.schemaFor(id);

        assertThat(first).isEqualTo(Lead.getClassSchema()).isSameAs(again);
        assertThat(registry.gets.get()).isEqualTo(1);
    }

    @Test
    void shouldSendBasicAuthWhenUserInfoIsSet() throws IOException {
        requireBasicAuth("leadmkt:s3cret");

        int id = resolverAs("leadmkt:s3cret").idFor("bids-value", Bid.getClassSchema());

        assertThat(resolverAs("leadmkt:s3cret").schemaFor(id)).isEqualTo(Bid.getClassSchema());
        assertThat(registry.authorizations).isNotEmpty()
                .allMatch(header -> header.equals(registry.requiredAuthorization));
    }

    @Test
    void shouldNameTheRegistryAndItsMessageWhenCredentialsAreRefused() throws IOException {
        requireBasicAuth("leadmkt:s3cret");
        ConfluentRegistryResolver resolver = resolverAs("leadmkt:wrong");

        assertThatThrownBy(() -> resolver.idFor("bids-value", Bid.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("answered 401")
                .hasMessageContaining("bids-value")
                .hasMessageContaining("Unauthorized")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(401));
    }

    @Test
    void shouldNameTheSubjectAndTheRegistrysMessageWhenTheSchemaIsIncompatible() {
        registry.incompatible.add("leads.inbound-value");
        ConfluentRegistryResolver resolver = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()));

        assertThatThrownBy(() -> resolver.idFor("leads.inbound-value", Lead.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("answered 409")
                .hasMessageContaining("subject leads.inbound-value")
                .hasMessageContaining("Schema being registered is incompatible with an earlier schema");
    }

    @Test
    void shouldSayTheRegistryIsUnreachableWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port);
        ConfluentRegistryResolver resolver = new ConfluentRegistryResolver(
                new SchemaRegistryConfig(nowhere, null, Duration.ofSeconds(2)));

        assertThatThrownBy(() -> resolver.idFor("bids-value", Bid.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("subject bids-value");
    }

    @Test
    void shouldThrowUnknownSchemaWhenTheRegistryDoesNotKnowTheId() {
        ConfluentRegistryResolver resolver = new ConfluentRegistryResolver(SchemaRegistryConfig.at(registry.url()));

        assertThatThrownBy(() -> resolver.schemaFor(42))
                .isInstanceOf(UnknownSchemaException.class)
                .satisfies(e -> assertThat(((UnknownSchemaException) e).schemaId()).isEqualTo(42));
    }

    /** Restarts the registry so that it answers only {@code userInfo}'s basic auth. */
    private void requireBasicAuth(String userInfo) throws IOException {
        registry.close();
        registry = new FakeRegistry("Basic " + java.util.Base64.getEncoder()
                .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }

    private ConfluentRegistryResolver resolverAs(String userInfo) {
        return new ConfluentRegistryResolver(
                new SchemaRegistryConfig(registry.url(), new Password(userInfo), Duration.ofSeconds(5)));
    }

    /**
     * The two calls of the Confluent Schema Registry REST API the resolver makes, with its answers
     * and error bodies ({@code {"error_code": ..., "message": ...}}): ids count up from 1 across
     * subjects and the same schema gets the same id.
     */
    static final class FakeRegistry implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();

        final String requiredAuthorization;
        final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();
        final List<JsonNode> registrations = new CopyOnWriteArrayList<>();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final List<String> incompatible = new CopyOnWriteArrayList<>();
        final AtomicInteger gets = new AtomicInteger();
        private final Map<String, Integer> idBySchema = new ConcurrentHashMap<>();
        private final Map<Integer, String> schemaById = new ConcurrentHashMap<>();
        private final HttpServer server;

        FakeRegistry(String requiredAuthorization) throws IOException {
            this.requiredAuthorization = requiredAuthorization;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private synchronized void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getRawPath();
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    authorizations.add(auth);
                }
                if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
                    answer(exchange, 401, Map.of("error_code", 401, "message", "Unauthorized"));
                    return;
                }
                String[] parts = path.split("/");
                if ("POST".equals(exchange.getRequestMethod()) && parts.length == 4 && "subjects".equals(parts[1])
                        && "versions".equals(parts[3])) {
                    String subject = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
                    JsonNode body = JSON.readTree(exchange.getRequestBody());
                    registrations.add(body);
                    if (incompatible.contains(subject)) {
                        answer(exchange, 409, Map.of("error_code", 409, "message",
                                "Schema being registered is incompatible with an earlier schema for subject \""
                                        + subject + "\""));
                        return;
                    }
                    String schema = new Schema.Parser().parse(body.get("schema").asText()).toString();
                    int id = idBySchema.computeIfAbsent(schema, s -> idBySchema.size() + 1);
                    schemaById.put(id, schema);
                    subjects.merge(subject, List.of(id), (old, added) -> old.contains(id) ? old
                            : java.util.stream.Stream.concat(old.stream(), added.stream()).toList());
                    answer(exchange, 200, Map.of("id", id));
                } else if ("GET".equals(exchange.getRequestMethod()) && parts.length == 4 && "schemas".equals(parts[1])
                        && "ids".equals(parts[2])) {
                    gets.incrementAndGet();
                    String schema = schemaById.get(Integer.parseInt(parts[3]));
                    if (schema == null) {
                        answer(exchange, 404, Map.of("error_code", 40403, "message", "Schema " + parts[3] + " not found"));
                    } else {
                        answer(exchange, 200, Map.of("schema", schema));
                    }
                } else {
                    answer(exchange, 404, Map.of("error_code", 404, "message", "HTTP 404 Not Found"));
                }
            }
        }

        private static void answer(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
