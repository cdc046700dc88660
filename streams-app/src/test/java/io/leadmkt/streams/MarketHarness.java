package io.leadmkt.streams;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.admin.Suppressions;
import io.leadmkt.streams.report.LeadStatusProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The whole topology in a {@link TopologyTestDriver}, with one input per topic a test writes and
 * one output per topic it reads. Wall-clock time only moves when a test calls {@link #advance}.
 */
public final class MarketHarness implements AutoCloseable {
    public static final Instant START = Instant.parse("2026-11-28T03:00:00Z");

    private final TopologyTestDriver driver;
    private final Topics topics = Topics.embedded();
    public final TestInputTopic<String, byte[]> inboundBytes;
    public final TestInputTopic<String, Lead> inbound;
    public final TestInputTopic<String, Bid> bids;
    public final TestInputTopic<String, PostResult> postResults;
    public final TestInputTopic<String, BuyerConfig> buyers;
    public final TestInputTopic<String, CampaignConfig> campaigns;
    public final TestInputTopic<String, SuppressionEntry> suppression;
    public final TestOutputTopic<String, Ping> pings;
    public final TestOutputTopic<String, Post> posts;
    public final TestOutputTopic<String, Outcome> outcomes;
    public final TestOutputTopic<String, Rejection> rejected;
    public final TestOutputTopic<String, AuditEvent> audit;
    public final TestOutputTopic<String, byte[]> deadletter;
    /** What the topology itself writes to post-results: the auction's TIMEOUT markers. */
    public final TestOutputTopic<String, PostResult> postResultsWritten;

    /**
     * How long past a round's answer budget the auction waits for answers that never come (the
     * default backstop): a round whose buyers do not all answer closes at budget + this.
     */
    public static final long BACKSTOP_MS = StreamsAppConfig.defaults("unused:9092", Path.of("unused"))
            .auctionBackstopMs();

    public MarketHarness() {
        // Timers fire from the first punctuation: settling after a takeover has its own test.
        // Tests drive the clock in steps of a few ms, so timers are looked for as often.
        this(StreamsAppConfig.defaults("unused:9092", Path.of("target", "ttd-state", UUID.randomUUID().toString()))
                .withAuctionSettleMs(0).withAuctionPunctuateMs(10));
    }

    /** What intake and the auction report about the pipeline's lag (the HTTP intake sheds on it). */
    public final io.leadmkt.streams.intake.IntakeBacklog backlog = new io.leadmkt.streams.intake.IntakeBacklog();

    public MarketHarness(StreamsAppConfig config) {
        Properties props = LeadMarketApp.streamsProperties(config);
        driver = new TopologyTestDriver(LeadMarketTopology.build(config, topics, backlog), props, START);
        StringSerializer keys = new StringSerializer();
        StringDeserializer keyReader = new StringDeserializer();
        inboundBytes = driver.createInputTopic(Topics.LEADS_INBOUND, keys, Serdes.ByteArray().serializer());
        inbound = driver.createInputTopic(Topics.LEADS_INBOUND, keys, topics.leadsInbound().valueSerde().serializer());
        bids = driver.createInputTopic(Topics.BIDS, keys, topics.bids().valueSerde().serializer());
        postResults = driver.createInputTopic(Topics.POST_RESULTS, keys, topics.postResults().valueSerde().serializer());
        buyers = driver.createInputTopic(Topics.CONFIG_BUYERS, keys, topics.buyers().valueSerde().serializer());
        campaigns = driver.createInputTopic(Topics.CONFIG_CAMPAIGNS, keys, topics.campaigns().valueSerde().serializer());
        suppression = driver.createInputTopic(Topics.CONFIG_SUPPRESSION, keys, topics.suppression().valueSerde().serializer());
        pings = driver.createOutputTopic(Topics.PINGS, keyReader, topics.pings().valueSerde().deserializer());
        posts = driver.createOutputTopic(Topics.POSTS, keyReader, topics.posts().valueSerde().deserializer());
        outcomes = driver.createOutputTopic(Topics.OUTCOMES, keyReader, topics.outcomes().valueSerde().deserializer());
        rejected = driver.createOutputTopic(Topics.LEADS_REJECTED, keyReader, topics.leadsRejected().valueSerde().deserializer());
        audit = driver.createOutputTopic(Topics.AUDIT, keyReader, topics.audit().valueSerde().deserializer());
        postResultsWritten = driver.createOutputTopic(Topics.POST_RESULTS, keyReader,
                topics.postResults().valueSerde().deserializer());
        deadletter = driver.createOutputTopic(Topics.LEADS_DEADLETTER, keyReader, Serdes.ByteArray().deserializer());
    }

    /** Raw bytes onto any input topic, for input that is not what the topic's serde expects. */
    public TestInputTopic<String, byte[]> rawInput(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), Serdes.ByteArray().serializer());
    }

    /** Any topic the topology writes, read with its registry serde. */
    public <V> TestOutputTopic<String, V> outputTopic(String name, Topics.Topic<String, V> topic) {
        return driver.createOutputTopic(name, new StringDeserializer(), topic.valueSerde().deserializer());
    }

    /** The cap keeper's answers, for feeding the auction one it did not expect. */
    public TestInputTopic<String, CapDecision> capDecisions() {
        return driver.createInputTopic(Topics.CAP_DECISIONS, new StringSerializer(),
                topics.capDecisions().valueSerde().serializer());
    }

    public Topics topics() {
        return topics;
    }

    /** The driver itself, for an input topic no helper here writes. */
    public TopologyTestDriver driver() {
        return driver;
    }

    public long now() {
        return START.toEpochMilli() + elapsedMs;
    }

    private long elapsedMs;

    public void advance(Duration duration) {
        elapsedMs += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    public void campaign(CampaignConfig campaign) {
        campaigns.pipeInput(campaign.getCampaignId(), campaign);
    }

    public void buyer(BuyerConfig buyer) {
        buyers.pipeInput(buyer.getBuyerId(), buyer);
    }

    /** The buyer's document, written to its topic now (the record's timestamp is the harness clock). */
    public void buyerChangedNow(BuyerConfig buyer) {
        buyers.pipeInput(buyer.getBuyerId(), buyer, Instant.ofEpochMilli(now()));
    }

    /** Puts the lead's consumer (by phone) on the suppression list, as an opt-out or erasure request would. */
    public void suppressPhoneOf(Lead lead, String reason) {
        suppress(lead.getContact().getPhone(), null, reason);
    }

    /**
     * Puts a consumer on the suppression list with the entries {@code leadmkt config suppress} and the
     * admin API write for that request (see {@link Suppressions}).
     */
    public void suppress(String phone, String email, String reason) {
        suppressUntil(phone, email, reason, null);
    }

    /** As {@link #suppress}, with an entry that stops suppressing at {@code expiresAt} (null: permanent). */
    public void suppressUntil(String phone, String email, String reason, Long expiresAt) {
        Suppressions.Parsed request = Suppressions.request(phone, email, reason, Suppressions.ADMIN_SOURCE, expiresAt,
                now());
        if (!request.ok()) {
            throw new IllegalArgumentException(String.join(", ", request.errors()));
        }
        request.entries().forEach(entry -> suppression.pipeInput(entry.getHash(), entry));
    }

    /** Writes the lead to leads.inbound now (the record's timestamp, its arrival, is the harness clock). */
    public void submit(Lead lead) {
        inbound.pipeInput(lead.getLeadId(), lead, Instant.ofEpochMilli(now()));
    }

    /** Writes the lead to leads.inbound as if it had arrived at {@code arrivedAt} and waited in a backlog since. */
    public void submitArrivedAt(Lead lead, long arrivedAt) {
        inbound.pipeInput(lead.getLeadId(), lead, Instant.ofEpochMilli(arrivedAt));
    }

    /** Submits a fresh complete lead and returns the one ping it produced. */
    public Ping submitAndPing(String leadId) {
        submit(MarketFixtures.lead(leadId, now()).build());
        return onlyPing();
    }

    public Ping onlyPing() {
        List<Ping> all = pings.readValuesToList();
        if (all.size() != 1) {
            throw new AssertionError("expected one ping, got " + all.size());
        }
        return all.get(0);
    }

    public Bid bid(String leadId, String buyerId, long priceCents) {
        return answer(leadId, buyerId, BidStatus.BID, priceCents);
    }

    public Bid answer(String leadId, String buyerId, BidStatus status, Long priceCents) {
        return answerAt(leadId, buyerId, status, priceCents, now());
    }

    /** An answer the buyer gave at {@code respondedAt}, arriving now (e.g. read late after a takeover). */
    public Bid answerAt(String leadId, String buyerId, BidStatus status, Long priceCents, long respondedAt) {
        return answerStamped(leadId, buyerId, status, priceCents, respondedAt, respondedAt);
    }

    /** An answer claiming {@code respondedAt} that reached the broker at {@code brokerTime}. */
    public Bid answerStamped(String leadId, String buyerId, BidStatus status, Long priceCents, long respondedAt,
                             long brokerTime) {
        Bid bid = Bid.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setStatus(status).setPriceCents(priceCents)
                .setPingToken(status == BidStatus.BID ? "tok-" + buyerId : null).setRespondedAt(respondedAt).build();
        bids.pipeInput(leadId, bid, Instant.ofEpochMilli(brokerTime));
        return bid;
    }

    /** A Kafka-native buyer's bid the connector relayed to every partition (it had forgotten the auction's). */
    public void broadcastBid(String leadId, String buyerId, long priceCents) {
        Bid bid = Bid.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setStatus(BidStatus.BID)
                .setPriceCents(priceCents).setRespondedAt(now()).build();
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(io.leadmkt.schema.AnswerRoute.BROADCAST_HEADER, new byte[] {1});
        bids.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(leadId, bid, headers, Instant.ofEpochMilli(now())));
    }

    public void postResult(Post post, PostStatus status) {
        postResult(post, status, null);
    }

    /** The connector's result for {@code post}, with its reason code. */
    public void postResult(Post post, PostStatus status, String reason) {
        postResults.pipeInput(post.getLeadId(), PostResult.newBuilder().setLeadId(post.getLeadId())
                .setBuyerId(post.getBuyerId()).setAttempt(post.getAttempt()).setStatus(status).setReason(reason)
                .setRespondedAt(now()).build());
    }

    public LeadStatus status(String leadId) {
        KeyValueStore<String, LeadStatus> statuses = driver.getKeyValueStore(LeadStatusProcessor.STORE);
        KeyValueStore<String, AuditEvent> timelines = driver.getKeyValueStore(LeadStatusProcessor.TIMELINE_STORE);
        return LeadStatusProcessor.read(statuses, timelines, leadId).orElse(null);
    }

    /** The post's lead with its PII unsealed by its consumer's current data key, as the connector does it. */
    public Lead unsealed(Post post) {
        Lead lead = post.getLead();
        io.leadmkt.schema.DataKey key = this.<io.leadmkt.schema.DataKey>store(io.leadmkt.streams.privacy.KeyVault.STORE)
                .get(lead.getSealed().getKeyId());
        return io.leadmkt.schema.PiiSeal.unseal(lead, key);
    }

    /** A deletion request as the privacy API writes it: one copy per partition (the driver has one). */
    public void requestDeletion(io.leadmkt.schema.ErasureRequest request) {
        driver.createInputTopic(Topics.PRIVACY_DELETIONS, new StringSerializer(),
                topics.privacyDeletions().valueSerde().serializer()).pipeInput(request.getDeletionId(), request);
    }

    public <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    @Override
    public void close() {
        driver.close();
    }
}
