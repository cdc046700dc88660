package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One answer from a store partitioned like the leads, whichever instance is asked: this instance
 * reads its active partitions with one IQv2 {@link RangeQuery}, asks every other instance hosting
 * the store for its share over HTTP (the same route with {@code ?scope=local}, the caller's key
 * sent on), and merges. The answer is given only when every partition answered exactly once:
 * while a store restores or partitions move it is {@link ReportsUnavailable}, never a silently
 * partial answer. The reports and the floor what-if both ask through it.
 */
public final class InstanceFanOut {
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(10);
    /** The query parameter that asks an instance for its own share only. */
    public static final String SCOPE = "scope";
    public static final String LOCAL = "local";

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final String scheme;
    private final int partitions;
    private final HttpClient http;

    /** One instance's share: what its active partitions hold, and which partitions those are. */
    public record Part<T>(Set<Integer> partitions, T value) {
    }

    /**
     * @param scheme     how the instances' APIs are reached: {@code http}, or {@code https} (their
     *                   certificates then trusted by this JVM's default trust store)
     * @param partitions how many partitions the stores have (the app's {@code partitions})
     * @param executor   runs the HTTP client's work (never the common pool: one thread on 2 cores)
     */
    public InstanceFanOut(Supplier<KafkaStreams> streams, Supplier<HostInfo> self, String scheme, int partitions,
                          Executor executor) {
        this.streams = streams;
        this.self = self;
        this.scheme = scheme;
        this.partitions = partitions;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(executor).build();
    }

    /**
     * Every partition's share of {@code store}, merged into {@code local} (this instance's part).
     *
     * @param pathAndQuery  the route the other instances answer their share on, with its query
     *                      (without {@code scope}); their JSON carries {@code partitions}
     * @param authorization the caller's {@code Authorization} header, sent on (null: none)
     * @param read          an instance's JSON share, read
     */
    public <T> T everywhere(String store, Part<T> local, String pathAndQuery, String authorization,
                            Function<JsonNode, T> read, BinaryOperator<T> merge) {
        KafkaStreams kafka = running();
        Set<Integer> answered = new TreeSet<>(local.partitions());
        T merged = local.value();
        for (StreamsMetadata instance : kafka.streamsMetadataForStore(store)) {
            if (instance.hostInfo().equals(self.get())) {
                continue;
            }
            Part<T> remote = remotePart(instance.hostInfo(), pathAndQuery, authorization, read);
            if (!Collections.disjoint(answered, remote.partitions())) {
                // A partition moved between two instances while we asked: counting it twice would be wrong.
                throw new ReportsUnavailable("partitions " + remote.partitions() + " answered twice: rebalancing");
            }
            answered.addAll(remote.partitions());
            merged = merge.apply(merged, remote.value());
        }
        if (answered.size() != partitions) {
            throw new ReportsUnavailable("only partitions " + answered + " of " + partitions
                    + " could answer: a store is restoring or rebalancing");
        }
        return merged;
    }

    /**
     * The entries from {@code from} to {@code to} (inclusive) of {@code store} on this instance's
     * active partitions, each given to {@code each}; returns which partitions answered.
     */
    public <V> Set<Integer> rangeHere(String store, String from, String to, Consumer<KeyValue<String, V>> each) {
        StateQueryRequest<KeyValueIterator<String, V>> query = StateQueryRequest
                .inStore(store)
                .withQuery(RangeQuery.<String, V>withRange(from, to))
                .requireActive();
        StateQueryResult<KeyValueIterator<String, V>> result;
        try {
            result = running().query(query);
        } catch (RuntimeException e) {
            throw new ReportsUnavailable(store + " cannot be queried: " + e.getMessage(), e);
        }
        Set<Integer> answered = new TreeSet<>();
        for (Map.Entry<Integer, QueryResult<KeyValueIterator<String, V>>> partition
                : result.getPartitionResults().entrySet()) {
            QueryResult<KeyValueIterator<String, V>> entries = partition.getValue();
            if (entries.isFailure()) {
                if (entries.getFailureReason() == FailureReason.NOT_ACTIVE) {
                    continue; // a standby here: the active instance answers for it
                }
                throw new ReportsUnavailable("partition " + partition.getKey() + ": " + entries.getFailureReason()
                        + " " + entries.getFailureMessage());
            }
            try (KeyValueIterator<String, V> iterator = entries.getResult()) {
                iterator.forEachRemaining(each);
            }
            answered.add(partition.getKey());
        }
        return answered;
    }

    /** The other instance checks the caller's key as this one did, and filters alike. */
    private <T> Part<T> remotePart(HostInfo host, String pathAndQuery, String authorization,
                                   Function<JsonNode, T> read) {
        URI uri = URI.create(scheme + "://" + host.host() + ":" + host.port() + pathAndQuery
                + (pathAndQuery.contains("?") ? "&" : "?") + SCOPE + "=" + LOCAL);
        HttpResponse<byte[]> response;
        try {
            HttpRequest.Builder ask = HttpRequest.newBuilder(uri).timeout(REMOTE_TIMEOUT).GET();
            if (authorization != null) {
                ask.header("Authorization", authorization);
            }
            response = http.send(ask.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ReportsUnavailable("instance " + host + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportsUnavailable("interrupted while asking " + host, e);
        }
        if (response.statusCode() != 200) {
            throw new ReportsUnavailable("instance " + host + " answered " + response.statusCode());
        }
        try {
            JsonNode body = JsonResponses.MAPPER.readTree(response.body());
            Set<Integer> theirs = new TreeSet<>();
            body.path("partitions").forEach(p -> theirs.add(p.asInt()));
            return new Part<>(theirs, read.apply(body));
        } catch (IOException | RuntimeException e) {
            throw new ReportsUnavailable("instance " + host + " sent an unreadable answer: " + e.getMessage(), e);
        }
    }

    private KafkaStreams running() {
        KafkaStreams kafka = streams.get();
        if (kafka == null) {
            throw new ReportsUnavailable("streams app is starting");
        }
        return kafka;
    }
}
