package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.leadmkt.streams.report.ReportRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One answer from a store partitioned like the leads, whichever instance is asked: this instance
 * reads its active partitions with one IQv2 {@link RangeQuery}, asks every other instance that
 * hosts active partitions of the store for its share over HTTP (the same route with
 * {@code ?scope=local}, the caller's key sent on), and merges. When an active instance does not
 * answer (no connection, a timeout, a 503) or no instance is active for a partition, that
 * partition is read from a standby instead ({@link PartitionChoice}): this instance's own, or
 * another's asked with {@code ?scope=local&standby=1,3}; the answer then names those partitions
 * ({@link Answer#fromStandby()}), as a standby may lag its active a little. The answer is given
 * only when every partition answered exactly once: when no copy of a partition can answer, or
 * partitions move while we ask, it is {@link ReportsUnavailable}, never a silently partial answer.
 * The reports and the floor what-if both ask through it.
 */
public final class InstanceFanOut {
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(10);
    /** The query parameter that asks an instance for its own share only. */
    public static final String SCOPE = "scope";
    public static final String LOCAL = "local";
    /** With {@code scope=local}: the partitions to read from this instance's standbys ({@code standby=1,3}). */
    public static final String STANDBY = "standby";
    /** The response header naming the partitions a standby answered, when any did ({@code 1,3}). */
    public static final String STANDBY_HEADER = "X-Standby-Partitions";

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final String scheme;
    private final int partitions;
    private final HttpClient http;

    /** One instance's share: what the partitions it read hold, and which partitions those are. */
    public record Part<T>(Set<Integer> partitions, T value) {
    }

    /**
     * Which copies an instance reads its share from: its active partitions ({@link #ACTIVE}), or the
     * partitions named, from whatever copy it holds of them (a standby's, normally).
     */
    public record Share(Set<Integer> standbyPartitions) {
        public static final Share ACTIVE = new Share(new TreeSet<>());

        public Share {
            standbyPartitions = Collections.unmodifiableSortedSet(new TreeSet<>(standbyPartitions));
        }

        public boolean fromStandby() {
            return !standbyPartitions.isEmpty();
        }

        /** The query parameters that ask another instance for this share. */
        String query() {
            return SCOPE + "=" + LOCAL + (fromStandby() ? "&" + STANDBY + "=" + joined(standbyPartitions) : "");
        }
    }

    /** A whole answer, and which of its partitions a standby served (empty: every one came from its active). */
    public record Answer<T>(T value, Set<Integer> fromStandby) {
        public Answer {
            fromStandby = Collections.unmodifiableSortedSet(new TreeSet<>(fromStandby));
        }

        /**
         * Says on the response which partitions a standby served: {@value #STANDBY_HEADER} when any
         * did and, in a JSON {@code body} (null for CSV), {@code standbyPartitions} (empty when none).
         */
        public void mark(Context ctx, ObjectNode body) {
            if (!fromStandby.isEmpty()) {
                ctx.header(STANDBY_HEADER, joined(fromStandby));
            }
            if (body != null) {
                fromStandby.forEach(body.putArray("standbyPartitions")::add);
            }
        }
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
     * Which share a request asks this instance for: empty for a whole answer (no {@code scope}), else
     * its active partitions ({@code scope=local}) or the standby partitions it names
     * ({@code scope=local&standby=1,3}). A {@link ReportRequest.BadParameter} names a wrong parameter.
     */
    public static Optional<Share> share(String scope, String standby) {
        if (scope != null && !LOCAL.equals(scope)) {
            throw new ReportRequest.BadParameter(SCOPE, "scope must be local, or left out for every instance's share");
        }
        if (standby == null) {
            return scope == null ? Optional.empty() : Optional.of(Share.ACTIVE);
        }
        if (scope == null) {
            throw new ReportRequest.BadParameter(STANDBY, "standby goes with scope=local");
        }
        SortedSet<Integer> named = new TreeSet<>();
        for (String partition : standby.split(",", -1)) {
            int number;
            try {
                number = Integer.parseInt(partition.trim());
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 0) {
                throw new ReportRequest.BadParameter(STANDBY, "standby: partition numbers separated by commas (standby=1,3)");
            }
            named.add(number);
        }
        return Optional.of(new Share(named));
    }

    /**
     * Every partition's share of {@code store}, merged: this instance's shares read by {@code here},
     * the others' asked for over HTTP.
     *
     * @param pathAndQuery  the route the other instances answer their share on, with its query
     *                      (without {@code scope}); their JSON carries {@code partitions}
     * @param authorization the caller's {@code Authorization} header, sent on (null: none)
     * @param read          an instance's JSON share, read
     */
    public <T> Answer<T> everywhere(String store, Function<Share, Part<T>> here, String pathAndQuery,
                                    String authorization, Function<JsonNode, T> read, BinaryOperator<T> merge) {
        KafkaStreams kafka = running();
        HostInfo me = self.get();
        Map<HostInfo, String> down = new LinkedHashMap<>();
        Set<Integer> answered = new TreeSet<>();
        SortedSet<Integer> fromStandby = new TreeSet<>();
        T merged = null;
        boolean someoneFailed;
        // Each round either answers the remaining partitions or finds one more instance down.
        do {
            someoneFailed = false;
            Map<Integer, PartitionChoice.Copies> remaining = copies(kafka, store, partitions);
            remaining.keySet().removeAll(answered);
            PartitionChoice.Plan plan = PartitionChoice.choose(remaining, me, down.keySet());
            if (!plan.unavailable().isEmpty()) {
                throw new ReportsUnavailable("partitions " + plan.unavailable() + " have no copy that answers"
                        + (down.isEmpty() ? "" : " (" + String.join("; ", down.values()) + ")")
                        + ": a store is restoring or rebalancing");
            }
            for (Map.Entry<PartitionChoice.Read, SortedSet<Integer>> each : plan.reads().entrySet()) {
                HostInfo host = each.getKey().host();
                Share share = each.getKey().standby() ? new Share(each.getValue()) : Share.ACTIVE;
                Part<T> part;
                if (host.equals(me)) {
                    part = here.apply(share);
                } else {
                    try {
                        part = remotePart(host, share, pathAndQuery, authorization, read);
                    } catch (InstanceDown e) {
                        down.put(host, e.getMessage());
                        someoneFailed = true;
                        continue;
                    }
                }
                if (!Collections.disjoint(answered, part.partitions())) {
                    // A partition moved between two instances while we asked: counting it twice would be wrong.
                    throw new ReportsUnavailable("partitions " + part.partitions() + " answered twice: rebalancing");
                }
                answered.addAll(part.partitions());
                if (share.fromStandby()) {
                    fromStandby.addAll(part.partitions());
                }
                merged = merged == null ? part.value() : merge.apply(merged, part.value());
            }
        } while (someoneFailed);
        if (answered.size() != partitions) {
            throw new ReportsUnavailable("only partitions " + answered + " of " + partitions
                    + " could answer: a store is restoring or rebalancing");
        }
        return new Answer<>(merged, fromStandby);
    }

    /**
     * Where each partition of {@code store} has its copies, as {@code kafka}'s metadata says now:
     * the active instance (none while unassigned) and the standbys.
     */
    public static Map<Integer, PartitionChoice.Copies> copies(KafkaStreams kafka, String store, int partitions) {
        Map<Integer, PartitionChoice.Copies> copies = new TreeMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            // A partitioner that names the partition asks the metadata about exactly that one.
            KeyQueryMetadata where = kafka.queryMetadataForKey(store, partition,
                    (topic, key, value, count) -> Optional.of(Set.of(key)));
            if (where == null) {
                throw new ReportsUnavailable("no store " + store + " in this instance's topology");
            }
            Optional<HostInfo> active = Optional.of(where.activeHost()).filter(host -> !host.equals(HostInfo.unavailable()));
            copies.put(partition, new PartitionChoice.Copies(active, where.standbyHosts()));
        }
        return copies;
    }

    /**
     * The entries from {@code from} to {@code to} (inclusive) of {@code store} in this instance's
     * {@code share}, each given to {@code each}; returns which partitions answered. A partition it
     * does not hold (no longer, or not yet restored) is left out: the caller counts what answered.
     */
    public <V> Set<Integer> rangeHere(String store, Share share, String from, String to,
                                     Consumer<KeyValue<String, V>> each) {
        StateQueryRequest<KeyValueIterator<String, V>> query = StateQueryRequest
                .inStore(store)
                .withQuery(RangeQuery.<String, V>withRange(from, to));
        query = share.fromStandby() ? query.withPartitions(share.standbyPartitions()) : query.requireActive();
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
                FailureReason reason = entries.getFailureReason();
                if (reason == FailureReason.NOT_ACTIVE || reason == FailureReason.NOT_PRESENT) {
                    continue; // another copy answers for it, or nothing does and the caller says so
                }
                throw new ReportsUnavailable("partition " + partition.getKey() + ": " + reason
                        + " " + entries.getFailureMessage());
            }
            try (KeyValueIterator<String, V> iterator = entries.getResult()) {
                iterator.forEachRemaining(each);
            }
            answered.add(partition.getKey());
        }
        return answered;
    }

    /** An instance that did not answer, or answered that it cannot (503): its partitions are read elsewhere. */
    private static final class InstanceDown extends Exception {
        InstanceDown(String message) {
            super(message, null, false, false);
        }
    }

    /** The other instance checks the caller's key as this one did, and filters alike. */
    private <T> Part<T> remotePart(HostInfo host, Share share, String pathAndQuery, String authorization,
                                   Function<JsonNode, T> read) throws InstanceDown {
        URI uri = URI.create(scheme + "://" + host.host() + ":" + host.port() + pathAndQuery
                + (pathAndQuery.contains("?") ? "&" : "?") + share.query());
        HttpResponse<byte[]> response;
        try {
            HttpRequest.Builder ask = HttpRequest.newBuilder(uri).timeout(REMOTE_TIMEOUT).GET();
            if (authorization != null) {
                ask.header("Authorization", authorization);
            }
            response = http.send(ask.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new InstanceDown("instance " + host + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportsUnavailable("interrupted while asking " + host, e);
        }
        if (response.statusCode() == 503) {
            throw new InstanceDown("instance " + host + " cannot answer now (503)");
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

    private static String joined(Set<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private KafkaStreams running() {
        KafkaStreams kafka = streams.get();
        if (kafka == null) {
            throw new ReportsUnavailable("streams app is starting");
        }
        return kafka;
    }
}
