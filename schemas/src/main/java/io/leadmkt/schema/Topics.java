package io.leadmkt.schema;

import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.schema.serde.EmbeddedSchemaIdResolver;
import io.leadmkt.schema.serde.SchemaIdResolver;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one registry of the marketplace's topics and their serdes. Every lead-keyed topic is keyed
 * by lead id and must have the same partition count, so the auction sees a lead's ping, bids and
 * post results on one partition.
 */
public final class Topics {

    /** A topic with its serdes. {@code compacted} topics are config tables, read whole at start. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted,
                              boolean holdsPii) {
    }

    public static final String LEADS_INBOUND = "leads.inbound";
    public static final String LEADS_REJECTED = "leads.rejected";
    public static final String LEADS_DEADLETTER = "leads.deadletter";
    /** Bids and post results that could not be read (e.g. from a Kafka-native buyer), with the error in headers. */
    public static final String EVENTS_DEADLETTER = "events.deadletter";
    public static final String PINGS = "pings";
    public static final String BIDS = "bids";
    public static final String POSTS = "posts";
    public static final String POST_RESULTS = "post-results";
    public static final String OUTCOMES = "outcomes";
    public static final String AUDIT = "audit";
    public static final String CONFIG_BUYERS = "config.buyers";
    public static final String CONFIG_CAMPAIGNS = "config.campaigns";
    public static final String CONFIG_SUPPRESSION = "config.suppression";
    /** HTTP API keys by key id, hashed; a tombstone revokes one. */
    public static final String CONFIG_APIKEYS = "config.apikeys";
    /** Append-only log of every applied config change: who, when, what. */
    public static final String CONFIG_CHANGES = "config.changes";
    /** Cap reservations from the auction to the buyer's cap keeper, keyed by buyer id. */
    public static final String CAP_REQUESTS = "caps.requests";
    /** The cap keeper's answers, keyed by lead id (co-partitioned with the auction's inputs). */
    public static final String CAP_DECISIONS = "caps.decisions";
    /** Which buyers are full until when, keyed by buyer id; eligibility does not ping a full buyer. */
    public static final String CAP_STATUS = "caps.status";
    /** Each buyer's recent post-acceptance rate, keyed by buyer id. */
    public static final String BUYER_STATS = "buyers.stats";

    /** Buyers' conversions and returns (and sellers' reviews of returns), keyed by lead id; broker-timed. */
    public static final String POSTBACKS = "postbacks";
    /** The returns desk's decision on each postback, keyed by lead id: reports count them, buyers read them back. */
    public static final String POSTBACK_DECISIONS = "postbacks.decisions";

    /** A consumer's deletion request, one copy on every partition: each task searches its own leads. */
    public static final String PRIVACY_DELETIONS = "privacy.deletions";
    /** Which identities' data keys to erase, keyed by identity hash (co-partitioned with the key vault). */
    public static final String PRIVACY_KEY_ERASURES = "privacy.key-erasures";
    /** Deletion notices for the buyers that received a consumer's lead, keyed by deletion id. */
    public static final String PRIVACY_NOTICES = "privacy.notices";
    /** Every step of every deletion request, keyed by deletion id, kept forever: the proof. */
    public static final String PRIVACY_DELETION_EVENTS = "privacy.deletion-events";

    private final SchemaIdResolver resolver;
    private final Topic<String, Lead> leadsInbound;
    private final Topic<String, Rejection> leadsRejected;
    private final Topic<String, byte[]> leadsDeadletter;
    private final Topic<byte[], byte[]> eventsDeadletter;
    private final Topic<String, Ping> pings;
    private final Topic<String, Bid> bids;
    private final Topic<String, Post> posts;
    private final Topic<String, PostResult> postResults;
    private final Topic<String, Outcome> outcomes;
    private final Topic<String, AuditEvent> audit;
    private final Topic<String, BuyerConfig> buyers;
    private final Topic<String, CampaignConfig> campaigns;
    private final Topic<String, SuppressionEntry> suppression;
    private final Topic<String, ConfigChange> configChanges;
    private final Topic<String, ApiKey> apiKeys;
    private final Topic<String, CapRequest> capRequests;
    private final Topic<String, CapDecision> capDecisions;
    private final Topic<String, BuyerCapStatus> capStatus;
    private final Topic<String, BuyerStats> buyerStats;
    private final Topic<String, Postback> postbacks;
    private final Topic<String, PostbackDecision> postbackDecisions;
    private final Topic<String, ErasureRequest> privacyDeletions;
    private final Topic<String, KeyErasure> privacyKeyErasures;
    private final Topic<String, DeletionNotice> privacyNotices;
    private final Topic<String, DeletionEvent> privacyDeletionEvents;

    public Topics(SchemaIdResolver resolver) {
        this.resolver = resolver;
        Serde<String> key = Serdes.String();
        leadsInbound = new Topic<>(LEADS_INBOUND, key, serde(Lead.class), false, true);
        leadsRejected = new Topic<>(LEADS_REJECTED, key, serde(Rejection.class), false, false);
        // Raw bytes of input that could not be read at all: may hold PII, so short retention.
        leadsDeadletter = new Topic<>(LEADS_DEADLETTER, key, Serdes.ByteArray(), false, true);
        eventsDeadletter = new Topic<>(EVENTS_DEADLETTER, Serdes.ByteArray(), Serdes.ByteArray(), false, false);
        pings = new Topic<>(PINGS, key, serde(Ping.class), false, false);
        bids = new Topic<>(BIDS, key, serde(Bid.class), false, false);
        posts = new Topic<>(POSTS, key, serde(Post.class), false, true);
        postResults = new Topic<>(POST_RESULTS, key, serde(PostResult.class), false, false);
        outcomes = new Topic<>(OUTCOMES, key, serde(Outcome.class), false, false);
        audit = new Topic<>(AUDIT, key, serde(AuditEvent.class), false, false);
        buyers = new Topic<>(CONFIG_BUYERS, key, serde(BuyerConfig.class), true, false);
        campaigns = new Topic<>(CONFIG_CAMPAIGNS, key, serde(CampaignConfig.class), true, false);
        suppression = new Topic<>(CONFIG_SUPPRESSION, key, serde(SuppressionEntry.class), true, false);
        configChanges = new Topic<>(CONFIG_CHANGES, key, serde(ConfigChange.class), false, false);
        apiKeys = new Topic<>(CONFIG_APIKEYS, key, serde(ApiKey.class), true, false);
        capRequests = new Topic<>(CAP_REQUESTS, key, serde(CapRequest.class), false, false);
        capDecisions = new Topic<>(CAP_DECISIONS, key, serde(CapDecision.class), false, false);
        capStatus = new Topic<>(CAP_STATUS, key, serde(BuyerCapStatus.class), true, false);
        buyerStats = new Topic<>(BUYER_STATS, key, serde(BuyerStats.class), true, false);
        postbacks = new Topic<>(POSTBACKS, key, serde(Postback.class), false, false);
        postbackDecisions = new Topic<>(POSTBACK_DECISIONS, key, serde(PostbackDecision.class), false, false);
        privacyDeletions = new Topic<>(PRIVACY_DELETIONS, key, serde(ErasureRequest.class), false, false);
        privacyKeyErasures = new Topic<>(PRIVACY_KEY_ERASURES, key, serde(KeyErasure.class), false, false);
        privacyNotices = new Topic<>(PRIVACY_NOTICES, key, serde(DeletionNotice.class), false, false);
        privacyDeletionEvents = new Topic<>(PRIVACY_DELETION_EVENTS, key, serde(DeletionEvent.class), false, false);
    }

    /** Topics whose schema ids come from where {@code cluster}'s settings say ({@code schema.registry.url}). */
    public static Topics of(KafkaClients cluster) {
        return new Topics(cluster.schemaRegistry().resolver());
    }

    /** Topics whose ids come from the schemas shipped in this jar: no registry needed. */
    public static Topics embedded() {
        return new Topics(new EmbeddedSchemaIdResolver());
    }

    public <T extends SpecificRecord> AvroSerde<T> serde(Class<T> type) {
        return new AvroSerde<>(type, resolver);
    }

    public Topic<String, Lead> leadsInbound() { return leadsInbound; }
    public Topic<String, Rejection> leadsRejected() { return leadsRejected; }
    public Topic<String, byte[]> leadsDeadletter() { return leadsDeadletter; }
    public Topic<byte[], byte[]> eventsDeadletter() { return eventsDeadletter; }
    public Topic<String, Ping> pings() { return pings; }
    public Topic<String, Bid> bids() { return bids; }
    public Topic<String, Post> posts() { return posts; }
    public Topic<String, PostResult> postResults() { return postResults; }
    public Topic<String, Outcome> outcomes() { return outcomes; }
    public Topic<String, AuditEvent> audit() { return audit; }
    public Topic<String, BuyerConfig> buyers() { return buyers; }
    public Topic<String, CampaignConfig> campaigns() { return campaigns; }
    public Topic<String, SuppressionEntry> suppression() { return suppression; }
    public Topic<String, ConfigChange> configChanges() { return configChanges; }
    public Topic<String, ApiKey> apiKeys() { return apiKeys; }
    public Topic<String, CapRequest> capRequests() { return capRequests; }
    public Topic<String, CapDecision> capDecisions() { return capDecisions; }
    public Topic<String, BuyerCapStatus> capStatus() { return capStatus; }
    public Topic<String, BuyerStats> buyerStats() { return buyerStats; }
    public Topic<String, Postback> postbacks() { return postbacks; }
    public Topic<String, PostbackDecision> postbackDecisions() { return postbackDecisions; }
    public Topic<String, ErasureRequest> privacyDeletions() { return privacyDeletions; }
    public Topic<String, KeyErasure> privacyKeyErasures() { return privacyKeyErasures; }
    public Topic<String, DeletionNotice> privacyNotices() { return privacyNotices; }
    public Topic<String, DeletionEvent> privacyDeletionEvents() { return privacyDeletionEvents; }

    public List<Topic<?, ?>> all() {
        return List.of(leadsInbound, leadsRejected, leadsDeadletter, eventsDeadletter, pings, bids, posts, postResults, outcomes,
                audit, buyers, campaigns, suppression, configChanges, apiKeys, capRequests, capDecisions, capStatus, buyerStats,
                postbacks, postbackDecisions, privacyDeletions, privacyKeyErasures, privacyNotices, privacyDeletionEvents);
    }
}
