package io.leadmkt.streams;

import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.CapReservation;
import io.leadmkt.schema.CapUsage;
import io.leadmkt.schema.DataKey;
import io.leadmkt.schema.DeletionStatus;
import io.leadmkt.schema.Disclosure;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.ReturnTally;
import io.leadmkt.schema.SoldLead;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.Topics;
import io.leadmkt.schema.WhatIfAuction;
import io.leadmkt.streams.auction.AuctionMachine;
import io.leadmkt.streams.auction.AuctionProcessor;
import io.leadmkt.streams.caps.CapKeeper;
import io.leadmkt.streams.comply.ComplianceProcessor;
import io.leadmkt.streams.comply.DuplicateGuard;
import io.leadmkt.streams.comply.IdentityPartition;
import io.leadmkt.streams.comply.IdentityRoute;
import io.leadmkt.streams.eligibility.EligibilityProcessor;
import io.leadmkt.streams.enrich.EnrichProcessor;
import io.leadmkt.streams.intake.IntakeBacklog;
import io.leadmkt.streams.intake.LeadIntakeProcessor;
import io.leadmkt.streams.privacy.DeletionStatusProcessor;
import io.leadmkt.streams.privacy.DisclosureProcessor;
import io.leadmkt.streams.privacy.KeyVault;
import io.leadmkt.streams.report.BuyerStatsProcessor;
import io.leadmkt.streams.report.LeadStatusProcessor;
import io.leadmkt.streams.report.ReportProcessor;
import io.leadmkt.streams.returns.ReturnDesk;
import io.leadmkt.streams.whatif.WhatIfRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The marketplace as one topology, in the order a lead flows:
 * intake → enrich → comply → dedupe → seal (privacy) → eligibility → auction (ping, bids, posts) → outcome,
 * then returns and conversions, with the lead-status report and the disclosures beside it. Every operator, store
 * and internal topic is named, so the topology can evolve without losing state.
 */
public final class LeadMarketTopology {
    /**
     * Leads keyed by consumer identity, so duplicates meet on one partition: only leads their source did
     * not write to their identity's partition cross it ({@link IdentityRoute}). The topic is the app's own
     * ({@link #leadsByIdentityTopic}); it kept the name it had as Kafka Streams' repartition topic.
     */
    public static final String LEADS_BY_IDENTITY = "leads-by-identity";
    /** Repartition: post results keyed by buyer, for the buyer's acceptance rate. */
    public static final String POST_RESULTS_BY_BUYER = "post-results-by-buyer";
    /** Repartitions: sales and postbacks keyed by buyer, so one buyer's meet on one partition at the returns desk. */
    public static final String SALES_BY_BUYER = "sales-by-buyer";
    public static final String POSTBACKS_BY_BUYER = "postbacks-by-buyer";
    /**
     * How long the returns desk's sweep takes over its sales (kept through windows of days: millions of
     * them) and tallies; a sale outlives its window by at most this, when a return is refused as late anyway.
     */
    static final Duration RETURNS_SWEEP_PASS = Duration.ofHours(6);
    /** How long the cap keeper's sweep takes over its ended periods and settled holds (a few per buyer). */
    static final Duration CAP_SWEEP_PASS = Duration.ofMinutes(1);
    /** The reason on a suppression entry whose record could not be read. */
    public static final String UNDECODABLE = "UNDECODABLE";
    static final long STATUS_RETENTION_MS = Duration.ofDays(7).toMillis();

    /**
     * The two sides of the marketplace. The market sells leads and needs every commit soon (each hop of a
     * lead waits for one under exactly-once); the reports only read what the market wrote (audit, outcomes,
     * rejections), so they can commit far less often and off the market's stream thread.
     */
    public enum Part {
        /** Intake to outcome: intake, enrich, comply, dedupe, seal, eligibility, auction, buyer stats, caps, returns. */
        MARKET,
        /** Lead status and timeline, report figures, what-if, disclosures, deletion status. */
        REPORTS,
        /** Both, in one application. */
        ALL
    }

    private LeadMarketTopology() {
    }

    /**
     * The topic leads cross to their identity's partition by. The app creates it (it holds leads in clear:
     * 7 days' retention, like {@code leads.inbound}) with the app's partitions; a lead read from it and
     * one that needed no crossing meet on the same task, so it must not be an internal repartition topic.
     */
    public static String leadsByIdentityTopic(String applicationId) {
        return applicationId + "-" + LEADS_BY_IDENTITY + "-repartition";
    }

    public static Topology build(StreamsAppConfig config, Topics topics) {
        return build(config, topics, new IntakeBacklog());
    }

    /** @param backlog where intake reports how old the leads it reads are (the HTTP intake sheds on it) */
    public static Topology build(StreamsAppConfig config, Topics topics, IntakeBacklog backlog) {
        return build(config, topics, backlog, event -> { });
    }

    /** @param written told of every event the topology writes (the app's metrics count them) */
    public static Topology build(StreamsAppConfig config, Topics topics, IntakeBacklog backlog,
                                 Consumer<? super SpecificRecord> written) {
        return build(config, topics, backlog, written, Part.ALL);
    }

    /**
     * The stages of {@code part}. {@link Part#ALL} is one application; {@link Part#MARKET} and
     * {@link Part#REPORTS} are two, run side by side (see {@link StreamsAppConfig#reportsOwnInstance()}).
     * ALL declares every operator in the same order as the two parts do, so its sub-topologies and
     * their task ids are the ones an instance running everything has always had.
     */
    public static Topology build(StreamsAppConfig config, Topics topics, IntakeBacklog backlog,
                                 Consumer<? super SpecificRecord> written, Part part) {
        StreamsBuilder builder = new StreamsBuilder();
        EventRouting routing = new EventRouting(topics, written);
        boolean inMemory = "in_memory".equals(config.storeType());
        boolean market = part != Part.REPORTS;
        boolean reports = part != Part.MARKET;

        // both: eligibility and the auction read buyers and campaigns, the report figures a campaign's seller
        configTables(builder, topics);
        if (market) {
            market(builder, config, topics, backlog, routing, inMemory);
        }

        // report: where each lead is and how it ended
        KStream<String, SpecificRecord> outcomes = events(builder, topics.outcomes(), "outcomes");
        KStream<String, SpecificRecord> trail = null;
        if (reports) {
            trail = events(builder, topics.audit(), "audit")
                    .merge(outcomes, Named.as("status-merge-outcomes"))
                    .merge(events(builder, topics.leadsRejected(), "rejected"), Named.as("status-merge-rejected"));
            trail.process(LeadStatusProcessor.supplier(STATUS_RETENTION_MS, topics.serde(LeadStatus.class),
                            topics.serde(io.leadmkt.schema.AuditEvent.class), inMemory),
                    Named.as("lead-status"));
        }
        if (market) {
            returns(builder, config, topics, routing, inMemory, outcomes);
        }
        if (reports) {
            reports(builder, config, topics, routing, inMemory, trail);
        }
        return builder.build();
    }

    /** Intake to outcome, with buyer stats and the cap keeper. */
    private static void market(StreamsBuilder builder, StreamsAppConfig config, Topics topics, IntakeBacklog backlog,
                               EventRouting routing, boolean inMemory) {

        // intake: raw bytes in, normalised leads or rejections out
        Map<String, KStream<String, Object>> intake = builder
                .stream(topics.leadsInbound().name(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("leads-inbound-source"))
                .process(() -> new LeadIntakeProcessor(topics.serde(Lead.class), backlog), Named.as("intake"))
                .split(Named.as("intake-"))
                .branch((id, v) -> v instanceof Lead, Branched.as("lead"))
                .branch((id, v) -> v instanceof byte[], Branched.as("unreadable"))
                .defaultBranch(Branched.as("events"));
        intake.get("intake-unreadable")
                .mapValues(v -> (byte[]) v, Named.as("intake-unreadable-bytes"))
                .to(topics.leadsDeadletter().name(), Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("leads-deadletter-sink"));
        toEvents(intake.get("intake-events"), routing, "intake");

        // enrich, then comply: consent, campaign, suppression
        Map<String, KStream<String, Object>> complied = asLeads(intake.get("intake-lead"), "intake")
                .processValues(EnrichProcessor::new, Named.as("enrich"))
                .process(() -> new ComplianceProcessor(backlog), Named.as("comply"))
                .split(Named.as("comply-"))
                .branch((id, v) -> v instanceof Lead, Branched.as("lead"))
                .defaultBranch(Branched.as("events"));
        toEvents(complied.get("comply-events"), routing, "comply");

        // dedupe on the consumer's identity: a lead its source wrote to its identity's partition goes
        // straight on; any other crosses over through leads-by-identity, read back by this same task
        Map<String, KStream<String, Object>> routed = asLeads(complied.get("comply-lead"), "comply")
                .selectKey((id, lead) -> lead.getEnrichment().getIdentityHash(), Named.as("key-by-identity"))
                .process(() -> new IdentityRoute(config.partitions()), Named.as("identity-route"))
                .split(Named.as("identity-route-"))
                .branch((id, v) -> v instanceof Lead, Branched.as("here"))
                .defaultBranch(Branched.as("elsewhere"));
        String byIdentity = leadsByIdentityTopic(config.applicationId());
        Serde<Lead> leadSerde = topics.serde(Lead.class);
        routed.get("identity-route-elsewhere")
                .mapValues(v -> ((IdentityRoute.Elsewhere) v).lead(), Named.as("identity-route-crossing"))
                .to(byIdentity, Produced.with(Serdes.String(), leadSerde)
                        .withStreamPartitioner((topic, identity, lead, partitions) ->
                                Optional.of(Set.of(IdentityPartition.of(identity, partitions))))
                        .withName(LEADS_BY_IDENTITY + "-sink"));
        Map<String, KStream<String, Object>> unique = asLeads(routed.get("identity-route-here"), "identity-route")
                .merge(builder.stream(byIdentity, Consumed.with(Serdes.String(), leadSerde)
                        .withName(LEADS_BY_IDENTITY + "-source")), Named.as("identity-route-merge-crossed"))
                .process(DuplicateGuard.supplier(config.dedupeWindowMs(), inMemory), Named.as("dedupe"))
                .split(Named.as("dedupe-"))
                .branch((id, v) -> v instanceof Lead, Branched.as("lead"))
                .defaultBranch(Branched.as("events"));
        toEvents(unique.get("dedupe-events"), routing, "dedupe");

        // privacy: seal the consumer's PII under their own data key; erase keys on request (same identity partition)
        Map<String, KStream<String, Object>> sealed = unique.get("dedupe-lead")
                .merge(events(builder, topics.privacyKeyErasures(), "key-erasures")
                        .mapValues(v -> (Object) v, Named.as("key-erasures-as-input")), Named.as("key-vault-merge-erasures"))
                .process(KeyVault.supplier(topics.serde(DataKey.class), inMemory), Named.as("key-vault"))
                .split(Named.as("key-vault-"))
                .branch((id, v) -> v instanceof Lead, Branched.as("lead"))
                .defaultBranch(Branched.as("events"));
        toEvents(sealed.get("key-vault-events"), routing, "key-vault");

        // eligibility: which buyers to ping, on what terms; keyed by lead id from here on
        Map<String, KStream<String, Object>> eligible = asLeads(sealed.get("key-vault-lead"), "key-vault")
                .process(EligibilityProcessor::new, Named.as("eligibility"))
                .split(Named.as("eligibility-"))
                .branch((id, v) -> v instanceof QualifiedLead, Branched.as("qualified"))
                .defaultBranch(Branched.as("events"));
        toEvents(eligible.get("eligibility-events"), routing, "eligibility");
        KStream<String, SpecificRecord> qualified = eligible.get("eligibility-qualified")
                .mapValues(v -> (SpecificRecord) v, Named.as("qualified-as-auction-event"));

        // auction: on the identity partition the lead is already on (no repartition: one exactly-once hop
        // less per lead); bids, post results and cap decisions of the lead come back to that partition
        // number, named on the requests (AnswerRoute)
        KStream<String, SpecificRecord> bids = events(builder, topics.bids(), "bids");
        KStream<String, SpecificRecord> postResults = events(builder, topics.postResults(), "post-results");
        KStream<String, SpecificRecord> capDecisions = events(builder, topics.capDecisions(), "cap-decisions");
        AuctionProcessor.Settings auctionSettings = new AuctionProcessor.Settings(
                Duration.ofMillis(config.auctionPunctuateMs()), new AuctionMachine.Settings(config.auctionBackstopMs(),
                config.postGraceMs(), config.closedAuctionRetentionMs()), config.auctionSettleMs());
        KStream<String, Object> auctionEvents = qualified
                .merge(bids, Named.as("auction-merge-bids"))
                .merge(postResults, Named.as("auction-merge-post-results"))
                .merge(capDecisions, Named.as("auction-merge-cap-decisions"))
                .process(AuctionProcessor.supplier(auctionSettings, topics.serde(AuctionState.class),
                        topics.serde(Lead.class), inMemory, backlog),
                        Named.as("auction"));
        toEvents(auctionEvents, routing, "auction");

        // buyer stats: each buyer's recent post-acceptance rate, for ranking ties and the acceptance discount
        postResults
                .mapValues(v -> (PostResult) v, Named.as("post-results-cast"))
                .selectKey((leadId, result) -> result.getBuyerId(), Named.as("key-post-results-by-buyer"))
                .repartition(Repartitioned.<String, PostResult>as(POST_RESULTS_BY_BUYER)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.serde(PostResult.class))
                        .withNumberOfPartitions(config.partitions()))
                .process(BuyerStatsProcessor.supplier(topics.serde(BuyerStats.class), inMemory), Named.as("buyer-stats"))
                .to(topics.buyerStats().name(), Produced.with(topics.buyerStats().keySerde(),
                        topics.buyerStats().valueSerde()).withName("buyer-stats-sink"));

        toEvents(capKeeper(builder, topics, inMemory), routing, "cap-keeper");
    }

    /**
     * Caps: every hold on one buyer's caps and balance is judged by the one task owning its partition.
     * Returns the keeper's decisions (keyed by lead) and cap statuses (keyed by buyer), to be routed.
     */
    public static KStream<String, Object> capKeeper(StreamsBuilder builder, Topics topics, boolean inMemory) {
        return builder
                .stream(topics.capRequests().name(), Consumed.with(topics.capRequests().keySerde(),
                        topics.capRequests().valueSerde()).withName("cap-requests-source"))
                .process(CapKeeper.supplier(topics.serde(CapUsage.class), topics.serde(CapReservation.class),
                        topics.serde(BuyerCapStatus.class), CAP_SWEEP_PASS, inMemory), Named.as("cap-keeper"));
    }

    /** Returns and conversions: a buyer's sales and postbacks meet on the buyer's partition; decisions keyed by lead. */
    private static void returns(StreamsBuilder builder, StreamsAppConfig config, Topics topics, EventRouting routing,
                                boolean inMemory, KStream<String, SpecificRecord> outcomes) {
        KStream<String, SpecificRecord> sales = outcomes
                .flatMapValues(v -> ReturnDesk.sale((Outcome) v).stream().toList(), Named.as("returns-sales"))
                .selectKey((leadId, sale) -> sale.getBuyerId().toString(), Named.as("key-sales-by-buyer"))
                .repartition(Repartitioned.<String, SoldLead>as(SALES_BY_BUYER)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.serde(SoldLead.class))
                        .withNumberOfPartitions(config.partitions()))
                .mapValues(v -> (SpecificRecord) v, Named.as("sales-as-event"));
        KStream<String, SpecificRecord> postbacks = builder.stream(topics.postbacks().name(),
                        Consumed.with(topics.postbacks().keySerde(), topics.postbacks().valueSerde()).withName("postbacks-source"))
                .filter((leadId, postback) -> postback != null, Named.as("postbacks-present"))
                .selectKey((leadId, postback) -> postback.getBuyerId().toString(), Named.as("key-postbacks-by-buyer"))
                .repartition(Repartitioned.<String, Postback>as(POSTBACKS_BY_BUYER)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.serde(Postback.class))
                        .withNumberOfPartitions(config.partitions()))
                .mapValues(v -> (SpecificRecord) v, Named.as("postbacks-as-event"));
        sales.merge(postbacks, Named.as("returns-merge-postbacks"))
                .process(ReturnDesk.supplier(topics.serde(SoldLead.class), topics.serde(ReturnTally.class),
                        RETURNS_SWEEP_PASS, inMemory), Named.as("returns-desk"))
                .to(routing, routing.produced("returns-desk-events-sink"));
    }

    /** What the lead-status report's {@code trail} (audit, outcomes, rejections) feeds besides the status. */
    private static void reports(StreamsBuilder builder, StreamsAppConfig config, Topics topics, EventRouting routing,
                                boolean inMemory, KStream<String, SpecificRecord> trail) {
        // report: figures per buyer, seller, source, campaign and state, by the hour (the same input, no repartition),
        // and the returns desk's decisions
        trail.merge(events(builder, topics.postbackDecisions(), "postback-decisions"), Named.as("report-merge-postbacks"))
                .process(ReportProcessor.supplier(topics.serde(ReportFigures.class), inMemory), Named.as("report-figures"));
        // what-if: each decided lead's answers, terms and post results, read off its status once it ended (after lead-status)
        trail.process(WhatIfRecorder.supplier(config.whatIfRetentionMs(), topics.serde(WhatIfAuction.class), inMemory),
                Named.as("whatif-auctions"), LeadStatusProcessor.STORE, LeadStatusProcessor.TIMELINE_STORE);
        // privacy: who was told what about each lead, found by the consumer's hashes; deletion requests searched here
        toEvents(trail.merge(events(builder, topics.privacyDeletions(), "privacy-deletions"), Named.as("disclosures-merge-deletions"))
                .process(DisclosureProcessor.supplier(topics.serde(Disclosure.class), inMemory), Named.as("disclosures"),
                        LeadStatusProcessor.TIMELINE_STORE),
                routing, "disclosures");
        builder.stream(topics.privacyDeletionEvents().name(), Consumed.with(topics.privacyDeletionEvents().keySerde(),
                        topics.privacyDeletionEvents().valueSerde()).withName("deletion-events-source"))
                .process(DeletionStatusProcessor.supplier(topics.serde(DeletionStatus.class), inMemory),
                        Named.as("deletion-status"));
    }

    /** The config topics as the global stores every stage reads through {@link ConfigTables}. */
    public static void configTables(StreamsBuilder builder, Topics topics) {
        globalTable(builder, topics.buyers(), ConfigTables.BUYERS_STORE, () -> null);
        globalTable(builder, topics.campaigns(), ConfigTables.CAMPAIGNS_STORE, () -> null);
        // The key is the hash: whatever the value, the consumer stays suppressed.
        globalTable(builder, topics.suppression(), ConfigTables.SUPPRESSION_STORE, () -> SuppressionEntry.newBuilder()
                .setHash("").setKind("unknown").setReason(UNDECODABLE).setAddedAt(0).build());
        globalTable(builder, topics.capStatus(), ConfigTables.CAP_STATUS_STORE, () -> null);
        globalTable(builder, topics.buyerStats(), ConfigTables.BUYER_STATS_STORE, () -> null);
    }

    /**
     * A config topic as a global store, applied record by record through {@link ConfigTables#writer}, which
     * counts its writes so the stages can keep the table decoded between them (a global table built by
     * {@code builder.globalTable} offers no such hook). Same store, same format, same source: state from
     * before carries over.
     */
    private static <V> void globalTable(StreamsBuilder builder, Topics.Topic<String, V> topic, String store,
                                        Supplier<V> whenUndecodable) {
        Serde<V> values = topic.valueSerde();
        Serde<V> tolerant = Serdes.serdeFrom(values.serializer(),
                new UndecodableConfig<>(values.deserializer(), whenUndecodable));
        builder.addGlobalStore(
                Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(store),
                        topic.keySerde(), values).withLoggingDisabled().withCachingEnabled(),
                topic.name(),
                Consumed.with(topic.keySerde(), tolerant).withName(topic.name() + "-source"),
                () -> ConfigTables.writer(store));
    }

    private static <V extends SpecificRecord> KStream<String, SpecificRecord> events(
            StreamsBuilder builder, Topics.Topic<String, V> topic, String name) {
        Serde<V> serde = topic.valueSerde();
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), serde).withName(name + "-source"))
                .mapValues(v -> (SpecificRecord) v, Named.as(name + "-as-event"));
    }

    private static KStream<String, Lead> asLeads(KStream<String, Object> stream, String stage) {
        return stream.mapValues(v -> (Lead) v, Named.as(stage + "-lead-cast"));
    }

    private static void toEvents(KStream<String, Object> stream, EventRouting routing, String stage) {
        stream.mapValues(v -> (SpecificRecord) v, Named.as(stage + "-events-cast"))
                .to(routing, routing.produced(stage + "-events-sink"));
    }
}
