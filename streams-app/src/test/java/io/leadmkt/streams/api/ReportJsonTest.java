package io.leadmkt.streams.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.streams.report.ReportDimension;
import io.leadmkt.streams.report.ReportKey;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportRow;
import io.leadmkt.streams.report.ReportTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportJsonTest {
    private static final Instant EIGHT = Instant.parse("2026-11-30T08:00:00Z");
    private static final Instant NINE = Instant.parse("2026-11-30T09:00:00Z");

    private static Outcome outcome(boolean sold, long cents) {
        return Outcome.newBuilder().setLeadId("L").setStatus(sold ? OutcomeStatus.SOLD : OutcomeStatus.UNSOLD)
                .setBuyerId(sold ? "b" : null).setPriceCents(sold ? cents : null)
                .setSellerPayoutCents(sold ? cents * 9 / 10 : null).setPlatformFeeCents(sold ? cents - cents * 9 / 10 : null)
                .setCreatedAt(0).setReceivedAt(0).setDecidedAt(0).build();
    }

    private static ReportTable sourceTable() {
        ReportRequest request = ReportRequest.parse("source", "hour", "2026-11-30", "2026-12-01", Instant.now());
        return new ReportTable(request)
                .addHour(ReportKey.of(ReportDimension.SOURCE, EIGHT.toEpochMilli(), "src-a"),
                        ReportRow.EMPTY.withOutcome(outcome(true, 1_000)).withOutcome(outcome(false, 0)))
                .addHour(ReportKey.of(ReportDimension.SOURCE, NINE.toEpochMilli(), "src-a"),
                        ReportRow.EMPTY.withOutcome(outcome(true, 2_000)))
                .addHour(ReportKey.of(ReportDimension.SOURCE, NINE.toEpochMilli(), "src-b"),
                        ReportRow.EMPTY.withOutcome(outcome(false, 0)));
    }

    @Test
    void shouldMergeRowsByBucketByValueAndInTotalWhenTheWholeReportIsAsked() {
        JsonNode body = ReportJson.withTotals(sourceTable());

        assertThat(body.path("rows")).hasSize(3);
        assertThat(body.path("byBucket")).extracting(b -> b.path("bucket").asText())
                .containsExactly("2026-11-30T08:00:00Z", "2026-11-30T09:00:00Z");
        assertThat(body.path("byBucket").get(1).path("leads").asLong()).isEqualTo(2);
        assertThat(body.path("byBucket").get(1).path("revenue").asText()).isEqualTo("20.00");
        assertThat(body.path("byValue")).extracting(v -> v.path("source").asText()).containsExactly("src-a", "src-b");
        assertThat(body.path("byValue").get(0).path("revenue").asText()).isEqualTo("30.00");
        assertThat(body.path("byValue").get(0).path("sellThrough").asText()).isEqualTo("66.7");
        assertThat(body.path("byValue").get(0).path("epl").asText()).isEqualTo("9.00");
        assertThat(body.path("total").path("leads").asLong()).isEqualTo(4);
        assertThat(body.path("total").path("sellThrough").asText()).isEqualTo("50.0");
        assertThat(body.path("total").has("winRate")).as("buyer rates only on buyer rows").isFalse();
    }

    @Test
    void shouldGiveBidWinAndAcceptRatesInPercentWhenTheRowIsABuyers() {
        ReportRow row = ReportRow.EMPTY.withAnswer(BidStatus.BID, 1_500L, 5).withAnswer(BidStatus.BID, 600L, 5)
                .withAnswer(BidStatus.PASS, null, 30)
                .withPost(1).withPostResult(PostStatus.REJECTED).withPost(2).withPostResult(PostStatus.ACCEPTED);

        assertThat(ReportJson.rates(row, ReportDimension.BUYER)).containsExactly(
                java.util.Map.entry("bidRate", Optional.of(new BigDecimal("66.7"))),
                java.util.Map.entry("winRate", Optional.of(new BigDecimal("50.0"))),
                java.util.Map.entry("acceptRate", Optional.of(new BigDecimal("50.0"))),
                java.util.Map.entry("bidP50Below", Optional.of(new BigDecimal("10.00"))),
                java.util.Map.entry("bidP90Below", Optional.of(new BigDecimal("20.00"))),
                java.util.Map.entry("answerP50WithinMs", Optional.of(new BigDecimal("10"))),
                java.util.Map.entry("answerP90WithinMs", Optional.of(new BigDecimal("50"))),
                java.util.Map.entry("answerP99WithinMs", Optional.of(new BigDecimal("50"))),
                java.util.Map.entry("returnRate", Optional.empty()),
                java.util.Map.entry("conversionRate", Optional.empty()));
        assertThat(ReportJson.rates(ReportRow.EMPTY, ReportDimension.BUYER).values())
                .containsOnly(Optional.empty());
    }

    @Test
    void shouldLeavePingsAndPostsOurSideNeverDeliveredOutOfTheBuyersRatesWhenThereAreSome() {
        ReportRow row = ReportRow.EMPTY.withAnswer(BidStatus.BID, 1_500L, 5).withAnswer(BidStatus.PASS, null, 30)
                .withPingNotReached().withPingNotReached()
                .withPost(1).withPostResult(PostStatus.ACCEPTED).withPost(1).withPostNotReached();

        assertThat(ReportJson.rates(row, ReportDimension.BUYER))
                .containsEntry("bidRate", Optional.of(new BigDecimal("50.0")))
                .containsEntry("acceptRate", Optional.of(new BigDecimal("100.0")));
    }

    @Test
    void shouldAddTheRatesAsCsvColumnsWhenAskedForCsv() {
        List<String> lines = ReportJson.csv(sourceTable()).lines().toList();

        assertThat(lines.get(0)).endsWith(",valid,epl,rpl,sellThrough,returnRate,conversionRate");
        assertThat(lines.get(1)).endsWith(",50.0,0.0,0.0");
    }
}
