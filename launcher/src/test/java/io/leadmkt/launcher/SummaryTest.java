package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void shouldPrintExactSummaryJsonWhenAsked() {
        Summary summary = new Summary(12, 2, 7, 1, 2, Map.of(Summary.STALE_AT_INTAKE, 1L, Summary.STALE_AT_AUCTION, 1L),
                Map.of("NO_BIDS", 1L), Map.of("b2", 3L, "b1", 4L), 123450, 104933, 2.5, 12.34, 98.76);

        assertThat(summary.toJson()).isEqualTo("{\"leads\":12,\"rejected\":2,\"sold\":7,\"unsold\":1,\"shed\":2,"
                + "\"shed_reasons\":{\"STALE_AT_AUCTION\":1,\"STALE_AT_INTAKE\":1},\"unsold_reasons\":{\"NO_BIDS\":1},"
                + "\"sold_by_buyer\":{\"b1\":4,\"b2\":3},\"revenue\":\"1234.50\",\"payout\":\"1049.33\","
                + "\"buyers_per_lead\":2.50,\"latency_ms\":{\"p50\":12.3,\"p99\":98.8}}");
        assertThat(summary.accounted()).isEqualTo(summary.leads());
    }

    @Test
    void shouldCountStaleLeadsAsShedWhenTheAppCouldNotOfferThemInTime() {
        Map<String, Outcome> outcomes = Map.of(
                "sold", sold("sold", "b1", 1_000, 900, 4),
                "no-bids", unsold("no-bids", "NO_BIDS", 4),
                "stale-auction", unsold("stale-auction", "STALE", 0));
        Map<String, Rejection> rejections = Map.of(
                "invalid", rejection("invalid", "INVALID"),
                "stale-intake", rejection("stale-intake", "STALE"));

        Summary summary = Summary.of(List.of("sold", "no-bids", "stale-auction", "invalid", "stale-intake"),
                outcomes, rejections, 10, 20);

        assertThat(summary.leads()).isEqualTo(5);
        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(summary.sold()).isEqualTo(1);
        assertThat(summary.unsold()).isEqualTo(1);
        assertThat(summary.unsoldReasons()).containsExactly(Map.entry("NO_BIDS", 1L));
        assertThat(summary.shed()).isEqualTo(2);
        assertThat(summary.shedReasons()).containsOnly(Map.entry(Summary.STALE_AT_INTAKE, 1L),
                Map.entry(Summary.STALE_AT_AUCTION, 1L));
        assertThat(summary.accounted()).isEqualTo(summary.leads());
        assertThat(summary.valid()).isEqualTo(4);
        assertThat(summary.buyersPerLead()).as("only leads that went to market").isEqualTo(4.0);
    }

    @Test
    void shouldCountOnlyTheGivenLeadsAndLeaveUnansweredOnesOutWhenOthersAreSeenToo() {
        Map<String, Outcome> outcomes = Map.of(
                "mine", sold("mine", "b1", 2_500, 2_000, 3),
                "stray", sold("stray", "b2", 9_900, 9_000, 3));

        Summary summary = Summary.of(List.of("mine", "lost"), outcomes, Map.of(), 0, 0);

        assertThat(summary.leads()).isEqualTo(2);
        assertThat(summary.sold()).isEqualTo(1);
        assertThat(summary.revenueCents()).isEqualTo(2_500);
        assertThat(summary.payoutCents()).isEqualTo(2_000);
        assertThat(summary.soldByBuyer()).containsExactly(Map.entry("b1", 1L));
        assertThat(summary.accounted()).isEqualTo(1);
    }

    @Test
    void shouldLetTheOutcomeWinWhenALeadHasBothAnOutcomeAndARejection() {
        Summary summary = Summary.of(List.of("both"), Map.of("both", unsold("both", "STALE", 0)),
                Map.of("both", rejection("both", "DUPLICATE")), 0, 0);

        assertThat(summary.rejected()).isZero();
        assertThat(summary.shedReasons()).containsExactly(Map.entry(Summary.STALE_AT_AUCTION, 1L));
    }

    // Plain setters: an Avro builder fills defaults, which needs the class trust only the serde sets up.
    private static Outcome sold(String leadId, String buyerId, long priceCents, long payoutCents, int pinged) {
        Outcome outcome = outcome(leadId, OutcomeStatus.SOLD, pinged);
        outcome.setBuyerId(buyerId);
        outcome.setPriceCents(priceCents);
        outcome.setSellerPayoutCents(payoutCents);
        outcome.setPlatformFeeCents(priceCents - payoutCents);
        return outcome;
    }

    private static Outcome unsold(String leadId, String reason, int pinged) {
        Outcome outcome = outcome(leadId, OutcomeStatus.UNSOLD, pinged);
        outcome.setReason(reason);
        return outcome;
    }

    private static Outcome outcome(String leadId, OutcomeStatus status, int pinged) {
        Outcome outcome = new Outcome();
        outcome.setLeadId(leadId);
        outcome.setStatus(status);
        outcome.setBuyersPinged(pinged);
        return outcome;
    }

    private static Rejection rejection(String leadId, String reasonCode) {
        Rejection rejection = new Rejection();
        rejection.setLeadId(leadId);
        rejection.setReasonCode(reasonCode);
        return rejection;
    }
}
