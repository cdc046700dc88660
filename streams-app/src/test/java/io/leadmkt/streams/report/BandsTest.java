package io.leadmkt.streams.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BidStatus;
import org.junit.jupiter.api.Test;

class BandsTest {

    @Test
    void shouldCountABidInItsPriceBandAndEveryAnswerInItsTimeBandWhenABuyerAnswers() {
        ReportRow row = ReportRow.EMPTY
                .withAnswer(BidStatus.BID, 1_537L, 3)
                .withAnswer(BidStatus.BID, 2_000L, 11)
                .withAnswer(BidStatus.PASS, null, 250)
                .withAnswer(BidStatus.TIMEOUT, null, 1_500);

        assertThat(row.get(Figure.BIDS_10_TO_20)).as("$15.37").isEqualTo(1);
        assertThat(row.get(Figure.BIDS_20_TO_50)).as("$20.00 is the next band's lower end").isEqualTo(1);
        assertThat(row.get(Figure.ANSWERS_IN_10MS)).isEqualTo(1);
        assertThat(row.get(Figure.ANSWERS_IN_50MS)).as("11 ms").isEqualTo(1);
        assertThat(row.get(Figure.ANSWERS_IN_250MS)).as("250 ms is within 250").isEqualTo(1);
        assertThat(row.get(Figure.ANSWERS_OVER_1S)).isEqualTo(1);
        assertThat(row.get(Figure.PINGS)).isEqualTo(4);
        assertThat(row.get(Figure.BIDS)).isEqualTo(2);
    }

    @Test
    void shouldReadAPercentileAsTheBoundOfTheBandHoldingItWhenRowsAreMerged() {
        ReportRow first = ReportRow.EMPTY.withAnswer(BidStatus.BID, 600L, 5).withAnswer(BidStatus.BID, 700L, 5);
        ReportRow second = ReportRow.EMPTY.withAnswer(BidStatus.BID, 800L, 5).withAnswer(BidStatus.BID, 3_000L, 2_000);
        ReportRow merged = first.merge(second);

        assertThat(Bands.quantileBelow(merged, Bands.BID_CENTS, 0.5)).as("3 of 4 bids under $10").contains(1_000L);
        assertThat(Bands.quantileBelow(merged, Bands.BID_CENTS, 0.9)).as("the 4th is under $50").contains(5_000L);
        assertThat(Bands.quantileBelow(merged, Bands.ANSWER_MS, 0.5)).as("within 10 ms").contains(11L);
        assertThat(Bands.quantileBelow(merged, Bands.ANSWER_MS, 0.99)).as("over 1 s: no upper bound").isEmpty();
        assertThat(Bands.quantileBelow(ReportRow.EMPTY, Bands.BID_CENTS, 0.5)).isEmpty();
    }
}
