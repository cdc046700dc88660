package io.leadmkt.streams;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.SettingCheck;
import io.leadmkt.streams.api.HttpApiConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Everything the streams app needs to run. Each setting is declared once, in {@link #definition()}:
 * its key in the settings file, type, default, what is allowed and why it is there. Latency-relevant
 * settings are explicit because Kafka Streams' defaults (producer linger 100 ms, EOS commit 100 ms)
 * each add ~100 ms per hop. A value the definition does not allow is refused with a
 * {@link ConfigException} naming the setting, however the record is built.
 *
 * @param kafka                  the cluster and the operator's pass-through Kafka properties
 * @param applicationId          {@value #APPLICATION_ID}
 * @param stateDir               {@value #STATE_DIR}
 * @param httpPort               {@value #HTTP_PORT}
 * @param partitions             {@value #PARTITIONS}
 * @param replicationFactor      {@value #REPLICATION_FACTOR}
 * @param processingGuarantee    {@value #PROCESSING_GUARANTEE}
 * @param commitIntervalMs       {@value #COMMIT_INTERVAL_MS}
 * @param producerLingerMs       {@value #PRODUCER_LINGER_MS}
 * @param pollMs                 {@value #POLL_MS}
 * @param numStreamThreads       {@value #NUM_STREAM_THREADS}
 * @param auctionPunctuateMs     {@value #AUCTION_PUNCTUATE_MS}
 * @param postGraceMs            {@value #POST_GRACE_MS}
 * @param closedAuctionRetentionMs {@value #CLOSED_AUCTION_RETENTION_MS}
 * @param dedupeWindowMs         {@value #DEDUPE_WINDOW_MS}
 * @param storeType              {@value #STORE_TYPE}
 * @param auctionSettleMs        {@value #AUCTION_SETTLE_MS}
 * @param advertisedHost         {@value #HTTP_ADVERTISED_HOST}
 * @param auctionBackstopMs      {@value #AUCTION_BACKSTOP_MS}
 * @param intakeMaxLagMs         {@value #INTAKE_MAX_LAG_MS}
 * @param intakeInFlightMs       {@value #INTAKE_IN_FLIGHT_MS}
 * @param cacheMaxBytes          {@value #CACHE_MAX_BYTES}
 * @param rocksDbMemoryBytes     {@value #ROCKSDB_MEMORY_BYTES}
 * @param whatIfRetentionMs      {@value #WHATIF_RETENTION_MS}
 * @param reportsOwnInstance     {@value #REPORTS_OWN_INSTANCE}
 * @param reportsCommitIntervalMs {@value #REPORTS_COMMIT_INTERVAL_MS}
 * @param http                   the HTTP API's access and TLS ({@link HttpApiConfig}, the {@code http.*} keys)
 */
public record StreamsAppConfig(
        KafkaClients kafka,
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
        long intakeInFlightMs,
        long cacheMaxBytes,
        long rocksDbMemoryBytes,
        long whatIfRetentionMs,
        boolean reportsOwnInstance,
        long reportsCommitIntervalMs,
        HttpApiConfig http) {

    /** The settings-file group of these keys (the section of the documented properties file). */
    public static final String GROUP = "streams app (intake, auction, outcomes, HTTP API)";

    public static final String APPLICATION_ID = "streams.application.id";
    public static final String STATE_DIR = "streams.state.dir";
    public static final String HTTP_PORT = "streams.http.port";
    public static final String HTTP_ADVERTISED_HOST = "streams.http.advertised.host";
    public static final String PARTITIONS = "streams.partitions";
    public static final String REPLICATION_FACTOR = "streams.replication.factor";
    public static final String PROCESSING_GUARANTEE = "streams.processing.guarantee";
    public static final String COMMIT_INTERVAL_MS = "streams.commit.interval.ms";
    public static final String PRODUCER_LINGER_MS = "streams.producer.linger.ms";
    public static final String POLL_MS = "streams.poll.ms";
    public static final String NUM_STREAM_THREADS = "streams.num.stream.threads";
    public static final String AUCTION_PUNCTUATE_MS = "streams.auction.punctuate.ms";
    public static final String AUCTION_SETTLE_MS = "streams.auction.settle.ms";
    public static final String AUCTION_BACKSTOP_MS = "streams.auction.backstop.ms";
    public static final String INTAKE_MAX_LAG_MS = "streams.intake.max.lag.ms";
    public static final String INTAKE_IN_FLIGHT_MS = "streams.intake.in.flight.ms";
    public static final String CACHE_MAX_BYTES = "streams.cache.max.bytes";
    public static final String POST_GRACE_MS = "streams.post.grace.ms";
    public static final String CLOSED_AUCTION_RETENTION_MS = "streams.closed.auction.retention.ms";
    public static final String DEDUPE_WINDOW_MS = "streams.dedupe.window.ms";
    public static final String STORE_TYPE = "streams.store.type";
    public static final String ROCKSDB_MEMORY_BYTES = "streams.rocksdb.memory.bytes";
    public static final String WHATIF_RETENTION_MS = "streams.whatif.retention.ms";
    public static final String REPORTS_OWN_INSTANCE = "streams.reports.own.instance";
    public static final String REPORTS_COMMIT_INTERVAL_MS = "streams.reports.commit.interval.ms";
    /** What the reports' own application id adds to {@link #applicationId()}. */
    public static final String REPORTS_SUFFIX = "-reports";

    /** Streams' application.server is this host with the API's actual port, so no port here. */
    private static final ConfigDef.Validator HOST_WITHOUT_PORT = ConfigDef.LambdaValidator.with((key, value) -> {
        if (value == null || ((String) value).isBlank() || ((String) value).contains(":")) {
            throw new ConfigException(key, value, "must be a host name or IPv4 address without a port");
        }
    }, () -> "a host name or IPv4 address, without a port");

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(APPLICATION_ID, Type.STRING, "leadmkt", new ConfigDef.NonEmptyString(), HIGH,
                    "Kafka Streams application id: the consumer group and the prefix of internal topics.",
                    GROUP, 1, ConfigDef.Width.MEDIUM, APPLICATION_ID)
            .define(STATE_DIR, Type.STRING, ".leadmkt/state", new ConfigDef.NonEmptyString(), HIGH,
                    "Where RocksDB state stores live. Keep it off the OS temp dir (Streams warns) and per instance.",
                    GROUP, 2, ConfigDef.Width.LONG, STATE_DIR)
            .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65_535), HIGH,
                    "Port of the intake / interactive-query HTTP API (POST /v1/leads, GET /v1/leads/{id}); 0 = free port.",
                    GROUP, 3, ConfigDef.Width.SHORT, HTTP_PORT)
            .define(HTTP_ADVERTISED_HOST, Type.STRING, "127.0.0.1", HOST_WITHOUT_PORT, HIGH,
                    "Host other instances and clients use to reach this instance's API (Streams' application.server): "
                            + "GET /v1/leads/{id} answers 307 to the instance that owns the lead, and POST /v1/leads is sent "
                            + "on to the instance that reads the lead's partition. Set to the pod/host address.",
                    GROUP, 4, ConfigDef.Width.MEDIUM, HTTP_ADVERTISED_HOST)
            .define(PARTITIONS, Type.INT, 3, Range.atLeast(1), HIGH,
                    "Partitions of lead-keyed topics when the app creates them (all lead-keyed topics must match).",
                    GROUP, 5, ConfigDef.Width.SHORT, PARTITIONS)
            .define(REPLICATION_FACTOR, Type.SHORT, (short) 1, Range.atLeast(1), HIGH,
                    "Replication factor of topics the app creates (1 on a single broker, 3 in production).",
                    GROUP, 6, ConfigDef.Width.SHORT, REPLICATION_FACTOR)
            .define(PROCESSING_GUARANTEE, Type.STRING, "exactly_once_v2", ValidString.in("exactly_once_v2", "at_least_once"),
                    HIGH, "exactly_once_v2 (default) or at_least_once.",
                    GROUP, 7, ConfigDef.Width.MEDIUM, PROCESSING_GUARANTEE)
            .define(COMMIT_INTERVAL_MS, Type.LONG, 10L, Range.atLeast(1), HIGH,
                    "Commit interval (ms). Under exactly-once, output becomes visible only at a commit, and a lead waits "
                    + "for three (its ping, its post, its outcome): this bounds latency. 10 (default) measured faster than "
                    + "20 at the median up to ~450 leads/s per instance on 2 cores (overhead p50 43-46 against 70 ms at "
                    + "100/s) for ~15 % more CPU per lead at 100/s and the same from 350/s; 20 is faster near capacity "
                    + "(above ~500/s there, lower on a slower machine). At 10-25 leads/s 10 costs 20-35 % more CPU per "
                    + "lead than 20 (about a tenth of a core at 10/s, a sixth at 25/s) for half the median: an instance "
                    + "selling a few leads a second where that CPU counts for more than ~50 ms saves it with 20.",
                    GROUP, 8, ConfigDef.Width.SHORT, COMMIT_INTERVAL_MS)
            .define(PRODUCER_LINGER_MS, Type.INT, 5, Range.atLeast(0), MEDIUM,
                    "linger.ms of Streams' producers. Kafka Streams' own default (100) adds ~100 ms per hop; 5 batches "
                            + "records at load (p50 172 ms vs 311 ms with 0 at 200 leads/s) and costs nothing measurable at 100/s.",
                    GROUP, 9, ConfigDef.Width.SHORT, PRODUCER_LINGER_MS)
            .define(POLL_MS, Type.LONG, 20L, Range.atLeast(1), MEDIUM,
                    "poll.ms: how long an idle stream thread blocks in poll before it commits what it processed, so it "
                            + "bounds how long output waits for its (exactly-once) commit when traffic is light. Its loop "
                            + "is most of an idle streams app's CPU. 20 against 10, side by side in three pairs: every "
                            + "idle process under 5 % of a core (streams app 3.2 vs 5.3 %), 17-25 ms more median "
                            + "overhead at 10 leads/s, none at 100/s. 10 for the lowest latency in light traffic; 100 "
                            + "halves an idle market's CPU again for ~150 ms of median.",
                    GROUP, 10, ConfigDef.Width.SHORT, POLL_MS)
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), MEDIUM,
                    "Stream threads in this instance.",
                    GROUP, 11, ConfigDef.Width.SHORT, NUM_STREAM_THREADS)
            .define(AUCTION_PUNCTUATE_MS, Type.LONG, 1_000L, Range.atLeast(1), MEDIUM,
                    "How often (ms, wall clock) the auction looks for due timers: round backstops, post and hold "
                            + "timeouts. Every wall-clock punctuation makes Kafka Streams commit (a transaction under "
                            + "exactly-once, even when idle); the timers are backstops of seconds. Measured at 2 leads/s: "
                            + "10 ms -> 0.53 cores, 100 -> 0.43, 1000 -> 0.38 for the whole one-JVM market.",
                    GROUP, 12, ConfigDef.Width.SHORT, AUCTION_PUNCTUATE_MS)
            .define(AUCTION_SETTLE_MS, Type.LONG, 1_000L, Range.atLeast(0), LOW,
                    "After a task (re)starts (startup, rebalance, crash recovery), auction timers wait this long (ms) "
                            + "so answers already queued in its partitions are read before any deadline is judged.",
                    GROUP, 13, ConfigDef.Width.SHORT, AUCTION_SETTLE_MS)
            .define(AUCTION_BACKSTOP_MS, Type.LONG, 60_000L, Range.atLeast(0), MEDIUM,
                    "A buyer's time counts from when it is actually called, so a round closes on its last answer however "
                            + "late our own lag delivered the ping. This (ms) is only the backstop past the round's answer "
                            + "budget, for answers that are not coming (the connector or a Kafka-native buyer is gone): "
                            + "buyers with no answer by then were never really offered the lead, and a round that ends so "
                            + "with nothing to sell ends STALE. As long as a campaign's default time to decision "
                            + "(maxLeadAgeMs, 60 s): a connector that is behind may still call buyers until then, and their "
                            + "answers must find the auction waiting. Posts likewise: the connector may send a post until "
                            + "this long after it was written, and the winning bid waits for it (a connector restart does "
                            + "not pass the lead to the next-best bid); so does a hold on a capped buyer's cap keeper.",
                    GROUP, 14, ConfigDef.Width.SHORT, AUCTION_BACKSTOP_MS)
            .define(INTAKE_MAX_LAG_MS, Type.LONG, 3_000L, Range.atLeast(1), MEDIUM,
                    "The HTTP intake answers 503 with Retry-After while the leads it is reading are older than this (ms): "
                            + "the pipeline is behind, so new leads wait at the door (retry with the same leadId) instead "
                            + "of queueing.",
                    GROUP, 15, ConfigDef.Width.SHORT, INTAKE_MAX_LAG_MS)
            .define(INTAKE_IN_FLIGHT_MS, Type.LONG, 500L, Range.atLeast(1), MEDIUM,
                    "The HTTP intake answers 503 with Retry-After while this instance has as many leads in flight "
                            + "(written by its HTTP intake and not yet read, or in an open auction) as it decided in this "
                            + "many ms plus the time its buyers take (its rate and its auctions' open time less their "
                            + "answers' wait for the stream thread, over the last 5 s; at least 50 leads while the queues keep up): a lead taken "
                            + "then would queue behind them, so it waits at the door (retry with the same leadId) and the "
                            + "leads taken are decided at normal speed. Slow buyers widen the bound instead of filling it.",
                    GROUP, 15, ConfigDef.Width.SHORT, INTAKE_IN_FLIGHT_MS)
            .define(CACHE_MAX_BYTES, Type.LONG, 16L * 1024 * 1024, Range.atLeast(0), LOW,
                    "Record cache of the stores written often per key (bytes; 0 = off): folds an auction's state, a report "
                            + "row's or a buyer's stats' repeated writes between commits into one changelog record (in the "
                            + "Processor API it never holds back forwarded records). Stores whose keys are written once per "
                            + "lead (timeline, status, dedupe, disclosures) bypass it.",
                    GROUP, 16, ConfigDef.Width.SHORT, CACHE_MAX_BYTES)
            .define(POST_GRACE_MS, Type.LONG, 2_000L, Range.atLeast(0), LOW,
                    "How long (ms) past the end of a post's budget (the post sent at the latest moment it may be, "
                            + "streams.auction.backstop.ms after it was written) the auction still waits for the "
                            + "connector's result before it moves on to the next-best bid.",
                    GROUP, 17, ConfigDef.Width.SHORT, POST_GRACE_MS)
            .define(CLOSED_AUCTION_RETENTION_MS, Type.LONG, 60 * 60 * 1000L, Range.atLeast(0), LOW,
                    "How long (ms) a closed auction is remembered so late or redelivered events change nothing (1 h).",
                    GROUP, 18, ConfigDef.Width.SHORT, CLOSED_AUCTION_RETENTION_MS)
            .define(DEDUPE_WINDOW_MS, Type.LONG, 24 * 60 * 60 * 1000L, Range.atLeast(0), MEDIUM,
                    "How long (ms) a consumer's identity hash blocks a duplicate lead (24 h).",
                    GROUP, 19, ConfigDef.Width.SHORT, DEDUPE_WINDOW_MS)
            .define(STORE_TYPE, Type.STRING, "rocksdb", ValidString.in("rocksdb", "in_memory"), LOW,
                    "State stores of the app: rocksdb (default) or in_memory (both are changelogged, so state survives "
                            + "restarts).",
                    GROUP, 20, ConfigDef.Width.SHORT, STORE_TYPE)
            .define(ROCKSDB_MEMORY_BYTES, Type.LONG, 64L * 1024 * 1024, Range.atLeast(4L * 1024 * 1024), MEDIUM,
                    "Off-heap memory (bytes) all RocksDB stores of the process share: one block cache with their "
                            + "memtables charged to it. Without a bound each store instance keeps its own 50 MB cache "
                            + "and 48 MB of memtables, and resident memory creeps up for hours. Add it to the heap "
                            + "when sizing a container.",
                    GROUP, 21, ConfigDef.Width.SHORT, ROCKSDB_MEMORY_BYTES)
            .define(WHATIF_RETENTION_MS, Type.LONG, 7 * 24 * 60 * 60 * 1000L, Range.atLeast(0), LOW,
                    "How long (ms) each decided lead's answers, terms and post results are kept for the floor "
                            + "what-if (GET /v1/whatif/*), counted from its decision (7 days): the what-if can look "
                            + "back this far. About 150 bytes plus 40 per buyer offered, per lead.",
                    GROUP, 22, ConfigDef.Width.SHORT, WHATIF_RETENTION_MS)
            .define(REPORTS_OWN_INSTANCE, Type.BOOLEAN, false, MEDIUM,
                    "true runs the reports (lead status and timeline, report figures, what-if, disclosures, deletion "
                            + "status) as a Kafka Streams application of their own in this process (application id "
                            + "<application.id>" + REPORTS_SUFFIX + "): their own stream thread, group, transactions and "
                            + "commit interval, so a slow or failing report store never holds up a sale. false (default) "
                            + "runs them on the market's stream thread: on 2 cores that measured 5-10 % less CPU per lead "
                            + "and the same capacity; where cores are spare and the one stream thread is the limit, true "
                            + "takes the reports (over a third of its work) off it. Choose before the first start: switching "
                            + "later moves the report stores to other changelog topics, rebuilt from what the new side's "
                            + "group has not read yet (all of it for <application.id>" + REPORTS_SUFFIX + ", the first "
                            + "time), so going back needs an application reset to rebuild them whole.",
                    GROUP, 23, ConfigDef.Width.SHORT, REPORTS_OWN_INSTANCE)
            .define(REPORTS_COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.atLeast(1), MEDIUM,
                    "Commit interval (ms) of the reports' own application (also its poll.ms): a lead's status and the "
                            + "report figures trail the market by about this much; longer folds more updates of a busy "
                            + "report row into one changelog record and costs fewer transactions.",
                    GROUP, 24, ConfigDef.Width.SHORT, REPORTS_COMMIT_INTERVAL_MS);

    static {
        HttpApiConfig.definition().configKeys().values().forEach(DEFINITION::define);
    }

    /** Refuses a configuration that cannot work, naming the setting, before anything starts. */
    public StreamsAppConfig {
        Objects.requireNonNull(kafka, "kafka");
        http = http == null ? HttpApiConfig.DEFAULTS : http;
        SettingCheck.ensureValid(DEFINITION, APPLICATION_ID, applicationId);
        SettingCheck.ensureValid(DEFINITION, STATE_DIR, stateDir == null ? null : stateDir.toString());
        SettingCheck.ensureValid(DEFINITION, HTTP_PORT, httpPort);
        SettingCheck.ensureValid(DEFINITION, PARTITIONS, partitions);
        SettingCheck.ensureValid(DEFINITION, REPLICATION_FACTOR, replicationFactor);
        SettingCheck.ensureValid(DEFINITION, PROCESSING_GUARANTEE, processingGuarantee);
        SettingCheck.ensureValid(DEFINITION, COMMIT_INTERVAL_MS, commitIntervalMs);
        SettingCheck.ensureValid(DEFINITION, PRODUCER_LINGER_MS, producerLingerMs);
        SettingCheck.ensureValid(DEFINITION, POLL_MS, pollMs);
        SettingCheck.ensureValid(DEFINITION, NUM_STREAM_THREADS, numStreamThreads);
        SettingCheck.ensureValid(DEFINITION, AUCTION_PUNCTUATE_MS, auctionPunctuateMs);
        SettingCheck.ensureValid(DEFINITION, POST_GRACE_MS, postGraceMs);
        SettingCheck.ensureValid(DEFINITION, CLOSED_AUCTION_RETENTION_MS, closedAuctionRetentionMs);
        SettingCheck.ensureValid(DEFINITION, DEDUPE_WINDOW_MS, dedupeWindowMs);
        SettingCheck.ensureValid(DEFINITION, STORE_TYPE, storeType);
        SettingCheck.ensureValid(DEFINITION, AUCTION_SETTLE_MS, auctionSettleMs);
        SettingCheck.ensureValid(DEFINITION, HTTP_ADVERTISED_HOST, advertisedHost);
        SettingCheck.ensureValid(DEFINITION, AUCTION_BACKSTOP_MS, auctionBackstopMs);
        SettingCheck.ensureValid(DEFINITION, INTAKE_MAX_LAG_MS, intakeMaxLagMs);
        SettingCheck.ensureValid(DEFINITION, CACHE_MAX_BYTES, cacheMaxBytes);
        SettingCheck.ensureValid(DEFINITION, ROCKSDB_MEMORY_BYTES, rocksDbMemoryBytes);
        SettingCheck.ensureValid(DEFINITION, WHATIF_RETENTION_MS, whatIfRetentionMs);
        SettingCheck.ensureValid(DEFINITION, REPORTS_COMMIT_INTERVAL_MS, reportsCommitIntervalMs);
    }

    /** Every {@code streams.*} setting: a copy, for the launcher to read the settings file with. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** The app's configuration from settings parsed with (a definition including) {@link #definition()}. */
    public static StreamsAppConfig from(KafkaClients kafka, AbstractConfig settings) {
        return new StreamsAppConfig(kafka,
                settings.getString(APPLICATION_ID),
                Path.of(settings.getString(STATE_DIR)),
                settings.getInt(HTTP_PORT),
                settings.getInt(PARTITIONS),
                settings.getShort(REPLICATION_FACTOR),
                settings.getString(PROCESSING_GUARANTEE),
                settings.getLong(COMMIT_INTERVAL_MS),
                settings.getInt(PRODUCER_LINGER_MS),
                settings.getLong(POLL_MS),
                settings.getInt(NUM_STREAM_THREADS),
                settings.getLong(AUCTION_PUNCTUATE_MS),
                settings.getLong(POST_GRACE_MS),
                settings.getLong(CLOSED_AUCTION_RETENTION_MS),
                settings.getLong(DEDUPE_WINDOW_MS),
                settings.getString(STORE_TYPE),
                settings.getLong(AUCTION_SETTLE_MS),
                settings.getString(HTTP_ADVERTISED_HOST),
                settings.getLong(AUCTION_BACKSTOP_MS),
                settings.getLong(INTAKE_MAX_LAG_MS),
                settings.getLong(INTAKE_IN_FLIGHT_MS),
                settings.getLong(CACHE_MAX_BYTES),
                settings.getLong(ROCKSDB_MEMORY_BYTES),
                settings.getLong(WHATIF_RETENTION_MS),
                settings.getBoolean(REPORTS_OWN_INSTANCE),
                settings.getLong(REPORTS_COMMIT_INTERVAL_MS),
                HttpApiConfig.from(settings));
    }

    /** Every setting at its default, on the cluster at {@code bootstrapServers} with no pass-through properties. */
    public static StreamsAppConfig defaults(String bootstrapServers, Path stateDir) {
        return from(KafkaClients.to(bootstrapServers), new AbstractConfig(DEFINITION, Map.of(STATE_DIR, stateDir.toString()), false));
    }

    public StreamsAppConfig withHttpPort(int port) {
        return with(port, null, null, null, null, null, null);
    }

    public StreamsAppConfig withAuctionSettleMs(long settleMs) {
        return with(null, null, null, settleMs, null, null, null);
    }

    public StreamsAppConfig withAuctionPunctuateMs(long punctuateMs) {
        return with(null, null, punctuateMs, null, null, null, null);
    }

    public StreamsAppConfig withStreamThreads(int threads) {
        return with(null, threads, null, null, null, null, null);
    }

    public StreamsAppConfig withAuctionBackstopMs(long backstopMs) {
        return with(null, null, null, null, backstopMs, null, null);
    }

    /** A copy running the reports as an application of their own, or inside the market's. */
    public StreamsAppConfig withReportsOwnInstance(boolean own) {
        return with(null, null, null, null, null, null, own);
    }

    /** A copy serving its HTTP API with these access and TLS settings. */
    public StreamsAppConfig withHttp(HttpApiConfig http) {
        return with(null, null, null, null, null, http, null);
    }

    /** A copy with the given settings changed (null: as it is): the one place the withers build a config. */
    private StreamsAppConfig with(Integer port, Integer threads, Long punctuateMs, Long settleMs, Long backstopMs,
                                  HttpApiConfig httpApi, Boolean reportsOwn) {
        return new StreamsAppConfig(kafka, applicationId, stateDir, port != null ? port : httpPort,
                partitions, replicationFactor, processingGuarantee, commitIntervalMs, producerLingerMs, pollMs,
                threads != null ? threads : numStreamThreads, punctuateMs != null ? punctuateMs : auctionPunctuateMs,
                postGraceMs, closedAuctionRetentionMs, dedupeWindowMs, storeType,
                settleMs != null ? settleMs : auctionSettleMs, advertisedHost,
                backstopMs != null ? backstopMs : auctionBackstopMs, intakeMaxLagMs,
                intakeInFlightMs, cacheMaxBytes, rocksDbMemoryBytes, whatIfRetentionMs, reportsOwn != null ? reportsOwn : reportsOwnInstance, reportsCommitIntervalMs,
                httpApi != null ? httpApi : http);
    }

    /** The reports' own application id, when they run on their own ({@link #reportsOwnInstance()}). */
    public String reportsApplicationId() {
        return applicationId + REPORTS_SUFFIX;
    }
}
