package io.leadmkt.streams.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.Disclosure;
import io.leadmkt.streams.report.LeadStatusProcessor;
import io.leadmkt.schema.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Every lead of a consumer, across instances. The disclosures are partitioned like the leads (a
 * consumer's leads are spread over all partitions), so this instance reads its active partitions and
 * asks every other instance hosting the store for its share ({@code scope=local}); the answer is
 * given only when every partition answered exactly once.
 */
public final class DisclosureQueries {
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final int partitions;
    private final HttpClient http;

    /** This instance's share: the partitions it answered for and their leads' disclosures as JSON, by lead id. */
    public record Part(Set<Integer> partitions, Map<String, JsonNode> leads) {
    }

    /** The store cannot answer completely right now (restoring, rebalancing, an instance down). */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    public DisclosureQueries(Supplier<KafkaStreams> streams, Supplier<HostInfo> self, int partitions, Executor executor) {
        this.streams = streams;
        this.self = self;
        this.partitions = partitions;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(executor).build();
    }

    /** Every instance's share, merged; {@code query} is the request's query string, {@code authorization} its header. */
    public Map<String, JsonNode> all(List<String> hashes, String query, String authorization) {
        KafkaStreams kafka = running();
        Part local = local(hashes);
        Set<Integer> answered = new TreeSet<>(local.partitions());
        Map<String, JsonNode> leads = new TreeMap<>(local.leads());
        for (StreamsMetadata instance : kafka.streamsMetadataForStore(DisclosureProcessor.INDEX_STORE)) {
            if (instance.hostInfo().equals(self.get())) {
                continue;
            }
            Part remote = remote(instance.hostInfo(), query, authorization);
            if (!Collections.disjoint(answered, remote.partitions())) {
                throw new Unavailable("partitions " + remote.partitions() + " answered twice: rebalancing");
            }
            answered.addAll(remote.partitions());
            leads.putAll(remote.leads());
        }
        if (answered.size() != partitions) {
            throw new Unavailable("only partitions " + answered + " of " + partitions + " could answer");
        }
        return leads;
    }

    /** This instance's active partitions only. */
    public Part local(List<String> hashes) {
        KafkaStreams kafka = running();
        Set<Integer> mine = new TreeSet<>();
        kafka.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task -> {
            if (task.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(Topics.AUDIT))) {
                mine.add(task.taskId().partition());
            }
        }));
        Map<String, JsonNode> leads = new TreeMap<>();
        try {
            ReadOnlyKeyValueStore<String, String> index = kafka.store(StoreQueryParameters.fromNameAndType(
                    DisclosureProcessor.INDEX_STORE, QueryableStoreTypes.<String, String>keyValueStore()));
            ReadOnlyKeyValueStore<String, Disclosure> disclosures = kafka.store(StoreQueryParameters.fromNameAndType(
                    DisclosureProcessor.STORE, QueryableStoreTypes.<String, Disclosure>keyValueStore()));
            ReadOnlyKeyValueStore<String, AuditEvent> timelines = kafka.store(StoreQueryParameters.fromNameAndType(
                    LeadStatusProcessor.TIMELINE_STORE, QueryableStoreTypes.<String, AuditEvent>keyValueStore()));
            for (String hash : hashes) {
                for (String leadId : DisclosureProcessor.leadIds(index, hash)) {
                    Disclosure disclosure = Disclosures.current(disclosures.get(leadId), timelines);
                    if (disclosure != null) {
                        leads.put(leadId, PrivacyJson.disclosure(disclosure));
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new Unavailable("disclosures cannot be queried here: " + e.getMessage());
        }
        return new Part(mine, leads);
    }

    private Part remote(HostInfo host, String query, String authorization) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + "/v1/privacy/disclosures?"
                + (query == null ? "" : query + "&") + "scope=local");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REMOTE_TIMEOUT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unavailable("instance " + host + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking " + host);
        }
        if (response.statusCode() != 200) {
            throw new Unavailable("instance " + host + " answered " + response.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            Set<Integer> theirs = new TreeSet<>();
            body.path("partitions").forEach(p -> theirs.add(p.asInt()));
            Map<String, JsonNode> leads = new TreeMap<>();
            body.path("leads").forEach(lead -> leads.put(lead.path("leadId").asText(), lead));
            return new Part(theirs, leads);
        } catch (IOException e) {
            throw new Unavailable("instance " + host + " sent an unreadable answer: " + e.getMessage());
        }
    }

    private KafkaStreams running() {
        KafkaStreams kafka = streams.get();
        if (kafka == null) {
            throw new Unavailable("streams app is starting");
        }
        return kafka;
    }
}
