package io.leadmkt.streams.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.outcome.Outcomes;
import io.leadmkt.streams.outcome.Rejections;
import io.leadmkt.streams.outcome.Shed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MarketMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MarketMetrics metrics = new MarketMetrics(registry);

    @Test
    void shouldCountOutcomesByStatusAndReasonWhenWritten() {
        metrics.accept(sold("buyer-a", 1_250));
        metrics.accept(sold("buyer-a", 2_000));
        metrics.accept(sold("buyer-b", 900));
        metrics.accept(unsold(Outcomes.NO_BIDS));

        assertThat(count("leadmkt.outcomes", "status", "SOLD", "reason", MarketMetrics.NO_REASON)).isEqualTo(3);
        assertThat(count("leadmkt.outcomes", "status", "UNSOLD", "reason", Outcomes.NO_BIDS)).isEqualTo(1);
        assertThat(count("leadmkt.sold", "buyer", "buyer-a")).isEqualTo(2);
        assertThat(count("leadmkt.sold.cents", "buyer", "buyer-a")).isEqualTo(3_250);
        assertThat(count("leadmkt.sold", "buyer", "buyer-b")).isEqualTo(1);
    }

    @Test
    void shouldCountShedLeadsApartWhenStaleAtIntakeOrAtTheAuction() {
        metrics.accept(rejection(Rejections.STALE));
        metrics.accept(rejection(Rejections.INVALID));
        metrics.accept(unsold(Outcomes.STALE));
        metrics.accept(unsold(Outcomes.STALE));

        assertThat(count("leadmkt.shed", "reason", Shed.AT_INTAKE)).isEqualTo(1);
        assertThat(count("leadmkt.shed", "reason", Shed.AT_AUCTION)).isEqualTo(2);
        assertThat(count("leadmkt.rejections", "reason", Rejections.STALE)).isEqualTo(1);
        assertThat(count("leadmkt.rejections", "reason", Rejections.INVALID)).isEqualTo(1);
    }

    @Test
    void shouldRecordTimeToDecisionFromIntakeToOutcome() {
        metrics.accept(sold("buyer-a", 1_000)); // decided 300 ms after intake read it

        var timer = registry.get("leadmkt.time.to.decision").tag("status", "SOLD").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
    }

    @Test
    void shouldCountAuditEventsByTypeAndPassOtherEventsWhenWritten() {
        metrics.accept(audit(AuditType.LATE_EVENT));
        metrics.accept(audit(AuditType.LATE_EVENT));
        metrics.accept(Ping.newBuilder().setLeadId("l").setCampaignId("c").setFloorCents(0).setPingedAt(0)
                .setDeadlineAt(0).setBuyers(List.of()).setPreview(io.leadmkt.schema.LeadPreview.newBuilder()
                        .setScore(0).setLeadAgeMs(0).build()).build());

        assertThat(count("leadmkt.audit.events", "type", "LATE_EVENT")).isEqualTo(2);
        assertThat(count("leadmkt.audit.events", "type", "CAP_REFUSED")).isZero();
        assertThat(registry.find("leadmkt.outcomes").counters()).isEmpty();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private static Outcome sold(String buyerId, long priceCents) {
        return outcome(OutcomeStatus.SOLD, null).setBuyerId(buyerId).setPriceCents(priceCents).build();
    }

    private static Outcome unsold(String reason) {
        return outcome(OutcomeStatus.UNSOLD, reason).build();
    }

    private static Outcome.Builder outcome(OutcomeStatus status, String reason) {
        return Outcome.newBuilder().setLeadId("lead-1").setStatus(status).setReason(reason)
                .setCreatedAt(1_000).setReceivedAt(1_200).setDecidedAt(1_500);
    }

    private static Rejection rejection(String reason) {
        return Rejection.newBuilder().setLeadId("lead-1").setReasonCode(reason).setRejectedAt(1_000).build();
    }

    private static AuditEvent audit(AuditType type) {
        return AuditEvent.newBuilder().setLeadId("lead-1").setType(type).setAt(1_000).build();
    }
}
