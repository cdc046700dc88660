package io.leadmkt.schema.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Schema ids from a Confluent-compatible schema registry, over its documented REST API:
 * {@code POST /subjects/{subject}/versions} registers a writer schema (or returns the id it already
 * has) and {@code GET /schemas/ids/{id}} returns the schema of an id. Subjects follow the
 * TopicNameStrategy ({@code <topic>-value}), which {@link AvroSerde} passes in.
 *
 * <p>Both answers are cached for the life of the resolver: a registry never changes the schema of an
 * id, and registering the same schema under the same subject returns the same id. So the registry is
 * called once per (subject, schema) written and once per id read, not per record.
 */
public final class ConfluentRegistryResolver implements SchemaIdResolver {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Registration(String subject, Schema schema) {
    }

    private final URI base;
    private final String authorization;
    private final SchemaRegistryConfig config;
    private final HttpClient http;
    private final Map<Registration, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public ConfluentRegistryResolver(SchemaRegistryConfig config) {
        if (config.url() == null) {
            throw new IllegalArgumentException("a registry URL is required");
        }
        this.config = config;
        String url = config.url().toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.authorization = config.userInfo() == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString(config.userInfo().value().getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    @Override
    public int idFor(String subject, Schema schema) {
        Registration registration = new Registration(subject, schema);
        Integer known = ids.get(registration);
        if (known != null) {
            return known;
        }
        String body = JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO").toString();
        JsonNode answer = call(request("subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "registering " + schema.getFullName()
                + " under subject " + subject);
        int id = requiredField(answer, "id", "subject " + subject).asInt();
        ids.put(registration, id);
        schemas.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaFor(int id) {
        Schema known = schemas.get(id);
        if (known != null) {
            return known;
        }
        JsonNode answer;
        try {
            answer = call(request("schemas/ids/" + id).GET(), "looking up schema id " + id);
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                throw new UnknownSchemaException(id);
            }
            throw e;
        }
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new WrongSchemaException("schema id " + id + " is a " + type + " schema, not Avro");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(requiredField(answer, "schema", "schema id " + id).asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("registry " + config.url() + " returned an unparseable schema for id "
                    + id + ": " + e.getMessage(), 200, e);
        }
        Schema first = schemas.putIfAbsent(id, schema);
        return first != null ? first : schema;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(config.timeout())
                .header("Accept", CONTENT_TYPE)
                .header("Content-Type", CONTENT_TYPE);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    /** Sends {@code request}; any answer but 2xx, and no answer, is a {@link SchemaRegistryException} naming {@code what}. */
    private JsonNode call(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry " + config.url() + " unreachable while " + what + ": "
                    + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while " + what, 0, e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            // The registry's own words: {"error_code": 409, "message": "Schema being registered is incompatible ..."}
            String message = body != null && body.hasNonNull("message") ? body.get("message").asText() : response.body();
            throw new SchemaRegistryException("schema registry " + config.url() + " answered " + response.statusCode()
                    + (body != null && body.has("error_code") ? " (error " + body.get("error_code").asInt() + ")" : "")
                    + " while " + what + ": " + message, response.statusCode(), null);
        }
        if (body == null) {
            throw new SchemaRegistryException("schema registry " + config.url() + " answered no JSON while " + what
                    + ": " + response.body(), response.statusCode(), null);
        }
        return body;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode requiredField(JsonNode answer, String field, String about) {
        JsonNode value = answer.get(field);
        if (value == null || value.isNull()) {
            throw new SchemaRegistryException("schema registry " + config.url() + " answered without \"" + field
                    + "\" for " + about + ": " + answer, 200, null);
        }
        return value;
    }
}
