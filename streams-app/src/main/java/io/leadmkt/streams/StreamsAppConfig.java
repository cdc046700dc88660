package io.leadmkt.streams;

import java.nio.file.Path;

/**
 * Everything the streams app needs to run. Latency-relevant settings are explicit here because
 * Kafka Streams' defaults (producer linger 100 ms, EOS commit 100 ms) each add ~100 ms per hop.
 *
 * @param bootstrapServers       Kafka bootstrap servers
 * @param applicationId          Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir               where RocksDB stores live
 * @param httpPort               port of the intake / query API; 0 picks a free port
 * @param partitions             partition count for lead-keyed topics when the app creates them
 * @param replicationFactor      replication factor for topics the app creates
 * @param processingGuarantee    "exactly_once_v2" or "at_least_once"
 * @param commitIntervalMs       Streams commit interval: under EOS, output is visible only after a commit
 * @param producerLingerMs       producer linger.ms for Streams' producers
 * @param pollMs                 Streams poll.ms: bounds how late an idle thread runs wall-clock punctuators
 * @param numStreamThreads       stream threads in this instance
 * @param auctionPunctuateMs     how often the auction looks for due timers (wall clock). Every wall-clock
 *                               punctuation makes Kafka Streams commit the task, a transaction under
 *                               exactly-once even when idle, and the timers are only backstops now: seconds
 * @param postGraceMs            how long past a post's deadline the auction waits for the connector's result
 * @param closedAuctionRetentionMs how long a closed auction is remembered, so late or redelivered events change nothing
 * @param dedupeWindowMs         how long an identity hash blocks a duplicate lead
 * @param storeType              "rocksdb" or "in_memory" for the app's own stores (both are changelogged)
 * @param auctionSettleMs        after a task (re)starts, how long auction timers wait so queued answers are read first
 * @param advertisedHost         host other instances and clients use to reach this instance's HTTP API
 *                               (Streams' application.server), for routing lead-status queries
 * @param auctionBackstopMs      how long past a round's answer budget the auction waits for answers that
 *                               are not there (transport, commits), before taking the connector to be gone
 * @param intakeMaxLagMs         the HTTP intake answers 503 with Retry-After while the leads intake is
 *                               reading are older than this: the pipeline is behind, shed at the door
 * @param cacheMaxBytes          Streams' record cache for the app's stores (statestore.cache.max.bytes); it
 *                               folds repeated writes of one key between commits into one changelog record
 */
public record StreamsAppConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        int httpPort,
        int partitions,
        short replicationFactor,
        String processingGuarantee,
        long commitIntervalMs,
        int producerLingerMs,
        long pollMs,
        int numStreamThreads,
        long auctionPunctuateMs,
        long postGraceMs,
        long closedAuctionRetentionMs,
        long dedupeWindowMs,
        String storeType,
        long auctionSettleMs,
        String advertisedHost,
        long auctionBackstopMs,
        long intakeMaxLagMs,
        long cacheMaxBytes) {

    /** Refuses a configuration that cannot work, naming the setting, before anything starts. */
    public StreamsAppConfig {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers is required");
        require(applicationId != null && !applicationId.isBlank(), "applicationId is required");
        require(stateDir != null, "stateDir is required");
        require(httpPort >= 0 && httpPort <= 65_535, "httpPort must be 0..65535, was " + httpPort);
        require(partitions >= 1, "partitions must be at least 1, was " + partitions);
        require(replicationFactor >= 1, "replicationFactor must be at least 1, was " + replicationFactor);
        require("exactly_once_v2".equals(processingGuarantee) || "at_least_once".equals(processingGuarantee),
                "processingGuarantee must be exactly_once_v2 or at_least_once, was " + processingGuarantee);
        require(commitIntervalMs >= 1, "commitIntervalMs must be positive, was " + commitIntervalMs);
        require(producerLingerMs >= 0, "producerLingerMs must not be negative, was " + producerLingerMs);
        require(pollMs >= 1, "pollMs must be positive, was " + pollMs);
        require(numStreamThreads >= 1, "numStreamThreads must be at least 1, was " + numStreamThreads);
        require(auctionPunctuateMs >= 1, "auctionPunctuateMs must be positive, was " + auctionPunctuateMs);
        require(postGraceMs >= 0, "postGraceMs must not be negative, was " + postGraceMs);
        require(closedAuctionRetentionMs >= 0, "closedAuctionRetentionMs must not be negative");
        require(dedupeWindowMs >= 0, "dedupeWindowMs must not be negative");
        require("rocksdb".equals(storeType) || "in_memory".equals(storeType),
                "storeType must be rocksdb or in_memory, was " + storeType);
        require(auctionSettleMs >= 0, "auctionSettleMs must not be negative, was " + auctionSettleMs);
        require(advertisedHost != null && !advertisedHost.isBlank() && !advertisedHost.contains(":"),
                "advertisedHost must be a host name or IPv4 address without a port, was " + advertisedHost);
        require(auctionBackstopMs >= 0, "auctionBackstopMs must not be negative, was " + auctionBackstopMs);
        require(intakeMaxLagMs >= 1, "intakeMaxLagMs must be positive, was " + intakeMaxLagMs);
        require(cacheMaxBytes >= 0, "cacheMaxBytes must not be negative, was " + cacheMaxBytes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static StreamsAppConfig defaults(String bootstrapServers, Path stateDir) {
        return new StreamsAppConfig(bootstrapServers, "leadmkt", stateDir, 8080, 3, (short) 1,
                "exactly_once_v2", 20, 5, 10, 1, 1_000, 2_000, 60 * 60 * 1000L, 24 * 60 * 60 * 1000L, "rocksdb", 1_000, "127.0.0.1",
                60_000, 3_000, 16L * 1024 * 1024);
    }

    public StreamsAppConfig withHttpPort(int port) {
        return with(port, null, null, null, null);
    }

    public StreamsAppConfig withAuctionSettleMs(long settleMs) {
        return with(null, null, null, settleMs, null);
    }

    public StreamsAppConfig withAuctionPunctuateMs(long punctuateMs) {
        return with(null, null, punctuateMs, null, null);
    }

    public StreamsAppConfig withStreamThreads(int threads) {
        return with(null, threads, null, null, null);
    }

    public StreamsAppConfig withAuctionBackstopMs(long backstopMs) {
        return with(null, null, null, null, backstopMs);
    }

    /** A copy with the given settings changed (null: as it is): the one place the withers build a config. */
    private StreamsAppConfig with(Integer port, Integer threads, Long punctuateMs, Long settleMs, Long backstopMs) {
        return new StreamsAppConfig(bootstrapServers, applicationId, stateDir, port != null ? port : httpPort,
                partitions, replicationFactor, processingGuarantee, commitIntervalMs, producerLingerMs, pollMs,
                threads != null ? threads : numStreamThreads, punctuateMs != null ? punctuateMs : auctionPunctuateMs,
                postGraceMs, closedAuctionRetentionMs, dedupeWindowMs, storeType,
                settleMs != null ? settleMs : auctionSettleMs, advertisedHost,
                backstopMs != null ? backstopMs : auctionBackstopMs, intakeMaxLagMs,
                cacheMaxBytes);
    }
}
