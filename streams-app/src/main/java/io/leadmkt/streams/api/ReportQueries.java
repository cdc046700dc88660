package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.streams.report.ReportKey;
import io.leadmkt.streams.report.ReportProcessor;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportRow;
import io.leadmkt.streams.report.ReportTable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Reports by Kafka Streams interactive queries (IQv2). The report-figures store is partitioned
 * like the leads (its rows are partial, per partition), so a report reads this instance's active
 * partitions with one {@link RangeQuery} and asks every other instance hosting the store for its
 * share over HTTP ({@code ?scope=local}), then merges. The answer is given only when every
 * partition answered exactly once: while a store restores or partitions move it is
 * {@link ReportsUnavailable}, never a silently partial total.
 */
public final class ReportQueries implements ReportSource {
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(10);
    /** The query parameter that asks an instance for its own share only. */
    public static final String SCOPE = "scope";
    public static final String LOCAL = "local";

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final String scheme;
    private final int partitions;
    private final HttpClient http;

    /**
     * @param scheme     how the instances' APIs are reached: {@code http}, or {@code https} (their
     *                   certificates then trusted by this JVM's default trust store)
     * @param partitions how many partitions the store has (the app's {@code partitions})
     * @param executor   runs the HTTP client's work (never the common pool: one thread on 2 cores)
     */
    public ReportQueries(Supplier<KafkaStreams> streams, Supplier<HostInfo> self, String scheme, int partitions,
                         Executor executor) {
        this.streams = streams;
        this.self = self;
        this.scheme = scheme;
        this.partitions = partitions;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(executor).build();
    }

    @Override
    public ReportTable report(ReportRequest request, String authorization) {
        KafkaStreams kafka = running();
        Part local = part(request);
        Set<Integer> answered = new TreeSet<>(local.partitions());
        ReportTable table = local.table();
        for (StreamsMetadata instance : kafka.streamsMetadataForStore(ReportProcessor.STORE)) {
            if (instance.hostInfo().equals(self.get())) {
                continue;
            }
            Part remote = remotePart(instance.hostInfo(), request, authorization);
            if (!Collections.disjoint(answered, remote.partitions())) {
                // A partition moved between two instances while we asked: counting it twice would be wrong.
                throw new ReportsUnavailable("partitions " + remote.partitions() + " answered twice: rebalancing");
            }
            answered.addAll(remote.partitions());
            table.merge(remote.table());
        }
        if (answered.size() != partitions) {
            throw new ReportsUnavailable("only partitions " + answered + " of " + partitions
                    + " could answer: a store is restoring or rebalancing");
        }
        return table;
    }

    @Override
    public Part part(ReportRequest request) {
        StateQueryRequest<KeyValueIterator<String, ReportFigures>> query = StateQueryRequest
                .inStore(ReportProcessor.STORE)
                .withQuery(RangeQuery.<String, ReportFigures>withRange(request.lowestKey(), request.highestKey()))
                .requireActive();
        StateQueryResult<KeyValueIterator<String, ReportFigures>> result;
        try {
            result = running().query(query);
        } catch (RuntimeException e) {
            throw new ReportsUnavailable("report store cannot be queried: " + e.getMessage(), e);
        }
        ReportTable table = new ReportTable(request);
        Set<Integer> answered = new TreeSet<>();
        for (Map.Entry<Integer, QueryResult<KeyValueIterator<String, ReportFigures>>> partition
                : result.getPartitionResults().entrySet()) {
            QueryResult<KeyValueIterator<String, ReportFigures>> rows = partition.getValue();
            if (rows.isFailure()) {
                if (rows.getFailureReason() == FailureReason.NOT_ACTIVE) {
                    continue; // a standby here: the active instance answers for it
                }
                throw new ReportsUnavailable("partition " + partition.getKey() + ": " + rows.getFailureReason()
                        + " " + rows.getFailureMessage());
            }
            try (KeyValueIterator<String, ReportFigures> iterator = rows.getResult()) {
                iterator.forEachRemaining(kv -> table.addHour(ReportKey.decode(kv.key), ReportRow.fromAvro(kv.value)));
            }
            answered.add(partition.getKey());
        }
        return new Part(answered, table);
    }

    /** The other instance checks the caller's key as this one did, and filters its rows alike. */
    private Part remotePart(HostInfo host, ReportRequest request, String authorization) {
        URI uri = URI.create(scheme + "://" + host.host() + ":" + host.port() + "/v1/reports/"
                + request.dimension().path() + "?bucket=" + request.bucket().path()
                + "&from=" + query(DateTimeFormatter.ISO_INSTANT.format(request.from()))
                + "&to=" + query(DateTimeFormatter.ISO_INSTANT.format(request.to()))
                + "&" + SCOPE + "=" + LOCAL);
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
            return new Part(theirs, ReportJson.read(body, new ReportTable(request)));
        } catch (IOException | RuntimeException e) {
            throw new ReportsUnavailable("instance " + host + " sent an unreadable report: " + e.getMessage(), e);
        }
    }

    private KafkaStreams running() {
        KafkaStreams kafka = streams.get();
        if (kafka == null) {
            throw new ReportsUnavailable("streams app is starting");
        }
        return kafka;
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
