package io.leadmkt.streams.report;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.PostbackDecision;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.StateStores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Adds every lead's outcome or rejection, and every answer and post the auction judged, to the
 * hourly report rows of {@link #STORE}: one row per dimension value and hour, in integer cents.
 *
 * <p>It reads what the lead-status report already reads (audit, outcomes, rejected; all keyed by
 * lead id), so reports cost no extra topic, consumer or repartition. Buyer figures come from the
 * auction's own audit of the bids and post results ({@code AUCTION_CLOSED} lists each round's
 * answers and who never answered, {@code POSTED} and {@code POST_RESULT} each post): the raw bids
 * and post-results topics hold answers the auction ignored (late bids, a post result behind the
 * auction's own TIMEOUT marker), and the audit counts each answer exactly once.
 *
 * <p>Rows are partial: each task keeps the rows of the leads on its partitions, and a report merges
 * the rows of every partition (see {@code ReportQueries}). An event updates one key per dimension
 * (an outcome six, an answer or a post one); the store's cache folds the updates of a busy row
 * into one changelog record per commit, so the changelog grows with rows touched, not with leads.
 */
public final class ReportProcessor implements Processor<String, SpecificRecord, Void, Void> {
    public static final String STORE = "report-figures-store";

    /** How many rows a task keeps decoded: an hour's rows of a busy partition (every buyer, seller, source, state). */
    static final int DECODED_ROWS = 2_048;

    private KeyValueStore<String, ReportFigures> rows;
    private ConfigTables config;
    /**
     * The rows this task wrote last, decoded: an auction's close updates a row per buyer and an outcome
     * six, and decoding them was a third of this processor's time with C2 (see {@link StateStores#decodedValues}).
     */
    private final Map<String, ReportRow> decoded = StateStores.decodedValues(DECODED_ROWS);

    public static ProcessorSupplier<String, SpecificRecord, Void, Void> supplier(AvroSerde<ReportFigures> serde,
                                                                               boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, Void, Void> get() {
                return new ReportProcessor();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.keyValue(STORE, Serdes.String(), serde, inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.rows = context.getStateStore(STORE);
        this.config = new ConfigTables(context);
        decoded.clear();
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        updates(record.value(), campaignId -> config.campaign(campaignId).map(CampaignConfig::getSellerId).orElse(null),
                config::answersOnKafka)
                .forEach((key, update) -> {
                    String stored = key.encoded();
                    ReportRow row = decoded.get(stored);
                    ReportRow updated = update.apply(row != null ? row : ReportRow.fromAvro(rows.get(stored)));
                    rows.put(stored, updated.toAvro());
                    decoded.put(stored, updated);
                });
    }

    /**
     * The rows an event changes, and how. A lead's seller is its campaign's seller, looked up when the
     * lead ends ({@code sellerOf}: campaign id to seller id, null when unknown). A buyer of a round that
     * never answered at all is the buyer's timeout when it answers on Kafka itself ({@code answersOnKafka}),
     * and a ping not reached when the connector answers for it: the connector always does, unless it is gone.
     */
    public static Map<ReportKey, UnaryOperator<ReportRow>> updates(SpecificRecord event,
                                                                   Function<String, String> sellerOf,
                                                                   Predicate<String> answersOnKafka) {
        Map<ReportKey, UnaryOperator<ReportRow>> updates = new LinkedHashMap<>();
        if (event instanceof Outcome outcome) {
            long at = outcome.getDecidedAt();
            for (ReportKey key : leadKeys(at, outcome.getCampaignId(), outcome.getSourceId(), outcome.getSubId(),
                    outcome.getState(), sellerOf)) {
                updates.put(key, row -> row.withOutcome(outcome));
            }
            if (outcome.getBuyerId() != null) {
                updates.put(ReportKey.of(ReportDimension.BUYER, at, outcome.getBuyerId()), row -> row.withSale(outcome));
            }
        } else if (event instanceof Rejection rejection) {
            for (ReportKey key : leadKeys(rejection.getRejectedAt(), rejection.getCampaignId(),
                    rejection.getSourceId(), rejection.getSubId(), rejection.getState(), sellerOf)) {
                updates.put(key, row -> row.withRejection(rejection));
            }
        } else if (event instanceof AuditEvent audit) {
            buyerUpdates(audit, answersOnKafka, updates);
        } else if (event instanceof PostbackDecision decision && decision.getStatus() == PostbackStatus.ACCEPTED) {
            long at = decision.getDecidedAt();
            for (ReportKey key : leadKeys(at, decision.getCampaignId(), decision.getSourceId(), decision.getSubId(),
                    decision.getState(), sellerOf)) {
                updates.put(key, row -> row.withPostback(decision));
            }
            updates.put(ReportKey.of(ReportDimension.BUYER, at, decision.getBuyerId()), row -> row.withPostback(decision));
        }
        return updates;
    }

    private static void buyerUpdates(AuditEvent audit, Predicate<String> answersOnKafka,
                                     Map<ReportKey, UnaryOperator<ReportRow>> updates) {
        long at = audit.getAt();
        switch (audit.getType()) {
            case AUCTION_CLOSED -> {
                for (AuditAnswer answer : audit.getAnswers()) {
                    BidStatus status = BidStatus.valueOf(answer.getStatus());
                    // Our own lag is not the buyer's timeout, nor an answer time of its.
                    UnaryOperator<ReportRow> counted = BidReasons.platformWasBehind(status, answer.getReason())
                            ? ReportRow::withPingNotReached
                            : row -> row.withAnswer(status, answer.getPriceCents(), answer.getLatencyMs());
                    updates.merge(ReportKey.of(ReportDimension.BUYER, at, answer.getBuyerId()), counted,
                            ReportProcessor::andThen);
                }
                String unanswered = audit.getDetail().get("unanswered");
                if (unanswered != null && !unanswered.isEmpty()) {
                    for (String buyerId : unanswered.split(",")) {
                        updates.merge(ReportKey.of(ReportDimension.BUYER, at, buyerId),
                                answersOnKafka.test(buyerId) ? row -> row.withAnswer(null) : ReportRow::withPingNotReached,
                                ReportProcessor::andThen);
                    }
                }
            }
            case POSTED -> updates.put(ReportKey.of(ReportDimension.BUYER, at, audit.getBuyerId()),
                    row -> row.withPost(audit.getAttempt() == null ? 0 : audit.getAttempt()));
            case POST_RESULT -> {
                PostStatus status = PostStatus.valueOf(audit.getStatus());
                updates.put(ReportKey.of(ReportDimension.BUYER, at, audit.getBuyerId()),
                        PostReasons.platformWasBehind(status, audit.getDetail().get("reason"),
                                answersOnKafka.test(audit.getBuyerId()))
                                ? ReportRow::withPostNotReached
                                : row -> row.withPostResult(status));
            }
            default -> {
                // the other steps of a lead's trail carry no report figure
            }
        }
    }

    private static UnaryOperator<ReportRow> andThen(UnaryOperator<ReportRow> first, UnaryOperator<ReportRow> second) {
        return row -> second.apply(first.apply(row));
    }

    private static List<ReportKey> leadKeys(long at, String campaignId, String sourceId, String subId, String state,
                                            Function<String, String> sellerOf) {
        List<ReportKey> keys = new ArrayList<>(5);
        keys.add(ReportKey.of(ReportDimension.SELLER, at, campaignId == null ? null : sellerOf.apply(campaignId)));
        keys.add(ReportKey.of(ReportDimension.SOURCE, at, sourceId));
        keys.add(ReportKey.of(ReportDimension.SUBID, at, ReportDimension.subIdValue(sourceId, subId)));
        keys.add(ReportKey.of(ReportDimension.CAMPAIGN, at, campaignId));
        keys.add(ReportKey.of(ReportDimension.STATE, at, state));
        return keys;
    }
}
