package io.leadmkt.streams.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.MockStores;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report processor alone over an in-memory store: the rows it keeps decoded between events never
 * hide what the store holds once the task is initialised again (restored, or revived after an aborted
 * transaction).
 */
class ReportProcessorTest {
    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private KeyValueStore<String, ReportFigures> rows;
    private final ReportProcessor processor = new ReportProcessor();

    @BeforeEach
    void setUp() {
        rows = MockStores.keyValue(context, ReportProcessor.STORE, ReportFigures.class);
        MockStores.timestamped(context, ConfigTables.BUYERS_STORE, BuyerConfig.class);
        MockStores.timestamped(context, ConfigTables.CAMPAIGNS_STORE, CampaignConfig.class);
        MockStores.timestamped(context, ConfigTables.SUPPRESSION_STORE, SuppressionEntry.class);
        MockStores.timestamped(context, ConfigTables.CAP_STATUS_STORE, BuyerCapStatus.class);
        MockStores.timestamped(context, ConfigTables.BUYER_STATS_STORE, BuyerStats.class);
        context.setCurrentSystemTimeMs(0); // the config tables' decoding keeps time
        processor.init(context);
    }

    private void process(SpecificRecord event, String leadId) {
        processor.process(new Record<>(leadId, event, 0L));
    }

    private long sourceLeads() {
        String key = ReportKey.of(ReportDimension.SOURCE, ReportRowTest.AT, "src-1").encoded();
        return ReportRow.fromAvro(rows.get(key)).get(Figure.LEADS);
    }

    @Test
    void shouldAddEachEventToTheRowItWroteLastWhenARowIsUpdatedTwice() {
        process(ReportRowTest.sold("L1", "alpha", 1_000, 900), "L1");
        process(ReportRowTest.sold("L2", "alpha", 2_000, 1_800), "L2");

        assertThat(sourceLeads()).isEqualTo(2);
        String buyer = ReportKey.of(ReportDimension.BUYER, ReportRowTest.AT, "alpha").encoded();
        assertThat(ReportRow.fromAvro(rows.get(buyer)).get(Figure.REVENUE)).isEqualTo(3_000);
    }

    @Test
    void shouldReadRowsFromTheStoreAgainWhenTheTaskIsInitialisedAgain() {
        process(ReportRowTest.sold("L1", "alpha", 1_000, 900), "L1");
        // the store as a restore leaves it: without the first lead, which an aborted transaction took back
        rows.delete(ReportKey.of(ReportDimension.SOURCE, ReportRowTest.AT, "src-1").encoded());

        processor.init(context);
        process(ReportRowTest.sold("L2", "alpha", 2_000, 1_800), "L2");

        assertThat(sourceLeads()).isEqualTo(1);
    }

    /** Our own lag is not the buyer's: a ping or post our side never got to it is counted apart. */
    @Test
    void shouldCountPingsAndPostsOurSideNeverDeliveredApartFromTheBuyersTimeoutsWhenTheAuditSaysSo() {
        AuditEvent closed = AuditEvent.newBuilder().setLeadId("L1").setType(AuditType.AUCTION_CLOSED)
                .setAt(ReportRowTest.AT).setAnswers(java.util.List.of(
                        answer("alpha", BidStatus.TIMEOUT, BidReasons.NOT_HEARD, 500),
                        answer("alpha", BidStatus.TIMEOUT, BidReasons.STALE, 0),
                        answer("alpha", BidStatus.TIMEOUT, "TIMEOUT", 500),
                        answer("alpha", BidStatus.BID, null, 7)))
                .build();
        process(closed, "L1");
        process(postResult("L1", PostStatus.TIMEOUT, PostReasons.DEADLINE_PASSED), "L1");
        process(postResult("L2", PostStatus.ERROR, PostReasons.NOT_SENT), "L2");
        process(postResult("L3", PostStatus.TIMEOUT, null), "L3");
        // No result by the backstop from a buyer the connector answers for (alpha has no Kafka delivery).
        process(postResult("L4", PostStatus.TIMEOUT, PostReasons.NO_POST_RESULT), "L4");

        ReportRow alpha = ReportRow.fromAvro(rows.get(ReportKey.of(ReportDimension.BUYER, ReportRowTest.AT, "alpha")
                .encoded()));
        assertThat(alpha.get(Figure.PINGS)).isEqualTo(4);
        assertThat(alpha.get(Figure.PINGS_NOT_REACHED)).isEqualTo(2);
        assertThat(alpha.get(Figure.POSTS_NOT_REACHED)).isEqualTo(3);
        assertThat(alpha.get(Figure.TIMEOUTS)).as("its own ping and post timeouts only").isEqualTo(2);
        assertThat(alpha.get(Figure.ERRORS)).isZero();
        assertThat(alpha.get(Figure.ANSWERS_IN_500MS) + alpha.get(Figure.ANSWERS_IN_10MS))
                .as("answer times: the buyer's own answers only").isEqualTo(2);
    }

    private static AuditAnswer answer(String buyerId, BidStatus status, String reason, int latencyMs) {
        return AuditAnswer.newBuilder().setBuyerId(buyerId).setStatus(status.name()).setReason(reason)
                .setLatencyMs(latencyMs).setPriceCents(status == BidStatus.BID ? 1_000L : null).build();
    }

    private static AuditEvent postResult(String leadId, PostStatus status, String reason) {
        return AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.POST_RESULT).setAt(ReportRowTest.AT)
                .setBuyerId("alpha").setAttempt(1).setStatus(status.name())
                .setDetail(reason == null ? java.util.Map.of() : java.util.Map.of("reason", reason)).build();
    }
}
