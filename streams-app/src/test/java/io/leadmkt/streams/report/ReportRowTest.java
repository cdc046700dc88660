package io.leadmkt.streams.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.PostbackDecision;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRowTest {
    /** Every buyer a webhook buyer, answered for by the connector. */
    private static final java.util.function.Predicate<String> WEBHOOK = buyerId -> false;
    static final long AT = Instant.parse("2026-11-30T08:17:00Z").toEpochMilli();

    static Outcome sold(String leadId, String buyerId, long price, long payout) {
        return outcome(leadId, OutcomeStatus.SOLD, null).setBuyerId(buyerId).setPriceCents(price)
                .setSellerPayoutCents(payout).setPlatformFeeCents(price - payout).build();
    }

    static Outcome.Builder outcome(String leadId, OutcomeStatus status, String reason) {
        return Outcome.newBuilder().setLeadId(leadId).setStatus(status).setReason(reason).setCampaignId("auto-tx")
                .setSourceId("src-1").setState("TX").setCreatedAt(AT).setReceivedAt(AT).setDecidedAt(AT);
    }

    static Rejection rejection(String leadId, String reason) {
        return Rejection.newBuilder().setLeadId(leadId).setCampaignId("auto-tx").setSourceId("src-1")
                .setReasonCode(reason).setRejectedAt(AT).build();
    }

    @Test
    void shouldAddMoneyOfSoldLeadsOnlyWhenOutcomesAreAdded() {
        ReportRow row = ReportRow.EMPTY
                .withOutcome(sold("L1", "alpha", 1_999, 1_799))
                .withOutcome(sold("L2", "bravo", 1_001, 901))
                .withOutcome(outcome("L3", OutcomeStatus.UNSOLD, "NO_BIDS").build());

        assertThat(row.get(Figure.LEADS)).isEqualTo(3);
        assertThat(row.get(Figure.SOLD)).isEqualTo(2);
        assertThat(row.get(Figure.REVENUE)).isEqualTo(3_000);
        assertThat(row.get(Figure.SELLER_PAYOUT)).isEqualTo(2_700);
        assertThat(row.get(Figure.PLATFORM_FEE)).isEqualTo(300);
        assertThat(row.rplCents()).contains(1_500L);
        assertThat(row.eplCents()).as("2,700 cents over 3 valid leads").contains(900L);
    }

    @Test
    void shouldCountRejectionsByReasonAndShedApartWhenLeadsAreRefused() {
        ReportRow row = ReportRow.EMPTY
                .withRejection(rejection("L1", "INVALID"))
                .withRejection(rejection("L2", "INVALID"))
                .withRejection(rejection("L3", "DUPLICATE"))
                .withRejection(rejection("L4", "STALE"))
                .withOutcome(outcome("L5", OutcomeStatus.UNSOLD, "STALE").build())
                .withOutcome(sold("L6", "alpha", 1_000, 333));

        assertThat(row.get(Figure.LEADS)).isEqualTo(6);
        assertThat(row.get(Figure.REJECTED)).isEqualTo(3);
        assertThat(row.rejectedByReason()).isEqualTo(Map.of("DUPLICATE", 1L, "INVALID", 2L));
        assertThat(row.get(Figure.SHED)).isEqualTo(2);
        assertThat(row.valid()).isEqualTo(3);
        assertThat(row.eplCents()).as("333 / 3 valid leads").contains(111L);
    }

    @Test
    void shouldRoundPerLeadFiguresHalfUpWhenTheyDoNotDivideEvenly() {
        ReportRow row = ReportRow.EMPTY.withOutcome(sold("L1", "a", 1_000, 5))
                .withOutcome(outcome("L2", OutcomeStatus.UNSOLD, "NO_BIDS").build());

        assertThat(row.eplCents()).as("5 / 2 = 2.5 cents").contains(3L);
        assertThat(ReportRow.EMPTY.eplCents()).isEmpty();
        assertThat(ReportRow.EMPTY.rplCents()).isEmpty();
    }

    @Test
    void shouldCountEachAnswerAndPostWhenABuyerTakesPart() {
        ReportRow row = ReportRow.EMPTY
                .withAnswer(BidStatus.BID).withAnswer(BidStatus.PASS).withAnswer(BidStatus.TIMEOUT)
                .withAnswer(BidStatus.ERROR).withAnswer(null)
                .withPost(1).withPostResult(PostStatus.REJECTED)
                .withPost(2).withPostResult(PostStatus.ACCEPTED)
                .withPost(1).withPostResult(PostStatus.TIMEOUT);

        assertThat(row.get(Figure.PINGS)).isEqualTo(5);
        assertThat(row.get(Figure.BIDS)).isEqualTo(1);
        assertThat(row.get(Figure.TIMEOUTS)).as("two pings, one post").isEqualTo(3);
        assertThat(row.get(Figure.ERRORS)).isEqualTo(1);
        assertThat(row.get(Figure.POSTS)).isEqualTo(3);
        assertThat(row.get(Figure.WINS)).isEqualTo(2);
        assertThat(row.get(Figure.ACCEPTED)).isEqualTo(1);
    }

    @Test
    void shouldEqualOneRowOfAllEventsWhenTwoRowsAreMerged() {
        ReportRow first = ReportRow.EMPTY.withOutcome(sold("L1", "alpha", 1_500, 1_350))
                .withRejection(rejection("L2", "INVALID")).withAnswer(BidStatus.BID);
        ReportRow second = ReportRow.EMPTY.withRejection(rejection("L3", "INVALID"))
                .withOutcome(sold("L4", "alpha", 2_000, 1_800)).withPost(1);
        ReportRow all = ReportRow.EMPTY.withOutcome(sold("L1", "alpha", 1_500, 1_350))
                .withRejection(rejection("L2", "INVALID")).withAnswer(BidStatus.BID)
                .withRejection(rejection("L3", "INVALID")).withOutcome(sold("L4", "alpha", 2_000, 1_800)).withPost(1);

        assertThat(first.merge(second)).isEqualTo(all);
        assertThat(second.merge(first)).isEqualTo(all);
        assertThat(all.merge(ReportRow.EMPTY)).isEqualTo(all);
    }

    @Test
    void shouldKeepEveryFigureWhenStoredAndReadBack() {
        ReportRow row = ReportRow.EMPTY.withOutcome(sold("L1", "alpha", 1_500, 1_350))
                .withRejection(rejection("L2", "INVALID")).withAnswer(BidStatus.ERROR).withPost(1);

        assertThat(ReportRow.fromAvro(row.toAvro())).isEqualTo(row);
    }

    @Test
    void shouldUpdateOneRowPerDimensionWhenALeadIsSold() {
        var updates = ReportProcessor.updates(sold("L1", "alpha", 1_500, 1_350), campaign -> "seller-9", WEBHOOK);

        assertThat(updates.keySet()).extracting(ReportKey::encoded).containsExactly(
                "seller|2026-11-30T08:00:00Z|seller-9", "source|2026-11-30T08:00:00Z|src-1",
                "subid|2026-11-30T08:00:00Z|src-1/unknown", "campaign|2026-11-30T08:00:00Z|auto-tx", "state|2026-11-30T08:00:00Z|TX",
                "buyer|2026-11-30T08:00:00Z|alpha");
        assertThat(updates.get(ReportKey.of(ReportDimension.BUYER, AT, "alpha")).apply(ReportRow.EMPTY).get(Figure.LEADS))
                .as("a buyer's leads are its pings, not its sales").isZero();
    }

    @Test
    void shouldCountEveryBuyerOfTheRoundWhenAnAuctionCloses() {
        AuditEvent closed = AuditEvent.newBuilder().setLeadId("L1").setType(AuditType.AUCTION_CLOSED).setAt(AT)
                .setDetail(Map.of("unanswered", "charlie,delta"))
                .setAnswers(List.of(
                        AuditAnswer.newBuilder().setBuyerId("alpha").setStatus("BID").setPriceCents(1_500L).build(),
                        AuditAnswer.newBuilder().setBuyerId("bravo").setStatus("PASS").build()))
                .build();

        // delta answers on Kafka itself; charlie is a webhook buyer the connector answers for.
        var rows = ReportProcessor.updates(closed, campaign -> null, "delta"::equals);

        assertThat(rows).hasSize(4);
        assertThat(rows.get(ReportKey.of(ReportDimension.BUYER, AT, "alpha")).apply(ReportRow.EMPTY).get(Figure.BIDS))
                .isEqualTo(1);
        ReportRow charlie = rows.get(ReportKey.of(ReportDimension.BUYER, AT, "charlie")).apply(ReportRow.EMPTY);
        assertThat(charlie.get(Figure.PINGS)).isEqualTo(1);
        assertThat(charlie.get(Figure.PINGS_NOT_REACHED)).as("the connector was gone, not charlie").isEqualTo(1);
        assertThat(charlie.get(Figure.TIMEOUTS)).isZero();
        ReportRow delta = rows.get(ReportKey.of(ReportDimension.BUYER, AT, "delta")).apply(ReportRow.EMPTY);
        assertThat(delta.get(Figure.TIMEOUTS)).as("delta's own silence").isEqualTo(1);
        assertThat(delta.get(Figure.PINGS_NOT_REACHED)).isZero();
    }

    @Test
    void shouldCountNoPostResultAsTheBuyersOwnTimeoutOnlyWhenItAnswersOnKafka() {
        AuditEvent noResult = AuditEvent.newBuilder().setLeadId("L1").setType(AuditType.POST_RESULT).setAt(AT)
                .setBuyerId("delta").setAttempt(1).setStatus("TIMEOUT").setDetail(Map.of("reason", "NO_POST_RESULT"))
                .build();

        ReportRow kafkaNative = ReportProcessor.updates(noResult, campaign -> null, "delta"::equals)
                .get(ReportKey.of(ReportDimension.BUYER, AT, "delta")).apply(ReportRow.EMPTY);
        ReportRow webhook = ReportProcessor.updates(noResult, campaign -> null, WEBHOOK)
                .get(ReportKey.of(ReportDimension.BUYER, AT, "delta")).apply(ReportRow.EMPTY);

        assertThat(kafkaNative.get(Figure.TIMEOUTS)).as("its own silence").isEqualTo(1);
        assertThat(kafkaNative.get(Figure.POSTS_NOT_REACHED)).isZero();
        assertThat(webhook.get(Figure.POSTS_NOT_REACHED)).as("the connector gone").isEqualTo(1);
        assertThat(webhook.get(Figure.TIMEOUTS)).isZero();
    }

    @Test
    void shouldReadKeysBackWhenEncoded() {
        ReportKey key = ReportKey.of(ReportDimension.SOURCE, AT, "a|b");

        assertThat(ReportKey.decode(key.encoded())).isEqualTo(key);
        assertThat(ReportKey.of(ReportDimension.STATE, AT, null).value()).isEqualTo(ReportDimension.UNKNOWN);
    }

    static PostbackDecision decision(PostbackType type, PostbackStatus status) {
        return PostbackDecision.newBuilder().setLeadId("L1").setBuyerId("alpha").setType(type).setStatus(status)
                .setCampaignId("auto-tx").setSourceId("src-1").setState("TX").setSoldAt(AT).setReceivedAt(AT)
                .setDecidedAt(AT).build();
    }

    @Test
    void shouldCountAcceptedReturnsAndConversionsOnlyWhenPostbacksAreDecided() {
        PostbackDecision returned = decision(PostbackType.RETURN, PostbackStatus.ACCEPTED);
        returned.setCreditCents(1_500);
        returned.setClawbackCents(1_350);
        PostbackDecision converted = decision(PostbackType.CONVERSION, PostbackStatus.ACCEPTED);
        converted.setValueCents(25_000);

        ReportRow row = ReportRow.EMPTY.withPostback(returned).withPostback(converted)
                .withPostback(decision(PostbackType.RETURN, PostbackStatus.REFUSED))
                .withPostback(decision(PostbackType.RETURN, PostbackStatus.PENDING_REVIEW));

        assertThat(row.figures()).containsOnly(Map.entry(Figure.RETURNS, 1L), Map.entry(Figure.RETURN_CREDIT, 1_500L),
                Map.entry(Figure.CLAWBACK, 1_350L), Map.entry(Figure.CONVERSIONS, 1L),
                Map.entry(Figure.CONVERSION_VALUE, 25_000L));
    }

    @Test
    void shouldUpdateTheLeadsRowsAndItsBuyersWhenAReturnIsAccepted() {
        var updates = ReportProcessor.updates(decision(PostbackType.RETURN, PostbackStatus.ACCEPTED), campaign -> "seller-9",
                WEBHOOK);

        assertThat(updates.keySet()).containsExactlyInAnyOrder(
                ReportKey.of(ReportDimension.SELLER, AT, "seller-9"), ReportKey.of(ReportDimension.SOURCE, AT, "src-1"),
                ReportKey.of(ReportDimension.SUBID, AT, "src-1/unknown"), ReportKey.of(ReportDimension.CAMPAIGN, AT, "auto-tx"), ReportKey.of(ReportDimension.STATE, AT, "TX"),
                ReportKey.of(ReportDimension.BUYER, AT, "alpha"));
        assertThat(ReportProcessor.updates(decision(PostbackType.RETURN, PostbackStatus.REFUSED), campaign -> "seller-9", WEBHOOK))
                .as("a refused return counts nowhere").isEmpty();
    }
}
