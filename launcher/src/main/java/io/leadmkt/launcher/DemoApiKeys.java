package io.leadmkt.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.access.ApiKeys;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * The demo's own API keys: a seller of every generated source and an analyst, created on the demo's
 * broker like {@code leadmkt keys create} does, written to a file only the user can read (so the API
 * can be tried during the run) and used at the end to read the reports each may see. Their ids are
 * printed, never the keys.
 */
final class DemoApiKeys {
    static final String ACTOR = "demo";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiKeys.Minted seller;
    private final ApiKeys.Minted analyst;
    private final Path file;

    private DemoApiKeys(ApiKeys.Minted seller, ApiKeys.Minted analyst, Path file) {
        this.seller = seller;
        this.analyst = analyst;
        this.file = file;
    }

    /** Creates both keys on the cluster and writes them to {@code file} (owner read/write only). */
    static DemoApiKeys create(KafkaClients kafka, Topics topics, Path file) throws IOException {
        long now = System.currentTimeMillis();
        ApiKeys.Minted seller = ApiKeys.mint(ApiKeys.request("seller", LeadGenerator.SOURCES, null, "demo seller")
                .request(), ACTOR, now);
        ApiKeys.Minted analyst = ApiKeys.mint(ApiKeys.request("analyst", List.of(), null, "demo analyst").request(),
                ACTOR, now);
        try (ConfigTopics config = new ConfigTopics(kafka, topics, "leadmkt-demo-keys")) {
            ConfigChanges.Author author = new ConfigChanges.Author(ACTOR, ConfigChanges.VIA_KEYS_COMMAND);
            config.putApiKey(seller.record(), author);
            config.putApiKey(analyst.record(), author);
        }
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: the file is as private as its folder
        }
        Files.writeString(file, "# leadmkt demo API keys: send one as Authorization: Bearer <key>\n"
                + "seller=" + seller.key() + "\nanalyst=" + analyst.key() + "\n");
        return new DemoApiKeys(seller, analyst, file);
    }

    /** The seller's key (its sources are every generated one), for the demo's sellers over HTTP. */
    String sellerKey() {
        return seller.key();
    }

    /** {@code API keys: seller k_... (sources aff-100..aff-107), analyst k_... in <file>}. */
    String describe() {
        return "API keys: seller " + seller.record().getKeyId() + " (sources " + String.join(",", LeadGenerator.SOURCES)
                + "), analyst " + analyst.record().getKeyId() + "; the keys are in " + file + " (deleted at exit)";
    }

    /**
     * Reads the day's source report with each key: the seller sees its sources' rows, the analyst
     * every source; a line saying how many rows each got, or why not.
     */
    String useOn(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return "API: seller key " + seller.record().getKeyId() + " read " + rows(http, port, seller.key())
                + " source report rows, analyst key " + analyst.record().getKeyId() + " read "
                + rows(http, port, analyst.key());
    }

    /** One lead's status and timeline as the analyst reads it ({@code GET /v1/leads/{id}}), or why not. */
    String timeline(int port, String leadId) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return get(http, port, "/v1/leads/" + leadId, analyst.key(), body -> body);
    }

    private static String rows(HttpClient http, int port, String key) {
        return get(http, port, "/v1/reports/source?bucket=day", key,
                body -> Integer.toString(JSON.readTree(body).path("rows").size()));
    }

    private interface BodyReader {
        String read(String body) throws IOException;
    }

    private static String get(HttpClient http, int port, String pathAndQuery, String key, BodyReader read) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + pathAndQuery)).header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return "no (" + answer.statusCode() + ")";
            }
            return read.read(answer.body());
        } catch (IOException e) {
            return "no (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no (interrupted)";
        }
    }
}
