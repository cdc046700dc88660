package io.leadmkt.streams.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.report.ReportDimension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final Caller SELLER = new Caller("k1", Role.SELLER, Set.of("S1", "S2"), null);
    private static final Caller BUYER = new Caller("k2", Role.BUYER, Set.of(), "B1");
    private static final Caller ANALYST = new Caller("k3", Role.ANALYST, Set.of(), null);
    private static final Caller PRIVACY = new Caller("k4", Role.PRIVACY, Set.of(), null);
    private static final Caller ADMIN = new Caller("k5", Role.ADMIN, Set.of(), null);

    private static LeadStatus status(Outcome outcome, Rejection rejection, List<AuditEvent> timeline) {
        return LeadStatus.newBuilder().setLeadId("L1").setStage("x").setUpdatedAt(1L).setOutcome(outcome)
                .setRejection(rejection).setTimeline(timeline).build();
    }

    private static Outcome outcome(OutcomeStatus status, String buyer, String source) {
        return Outcome.newBuilder().setLeadId("L1").setStatus(status).setBuyerId(buyer).setSourceId(source)
                .setCreatedAt(0).setReceivedAt(0).setDecidedAt(0).setBuyersPinged(2).setBidsReceived(1)
                .setPostAttempts(1).build();
    }

    private static AuditEvent qualified(String source) {
        return AuditEvent.newBuilder().setLeadId("L1").setType(AuditType.QUALIFIED).setAt(1L)
                .setDetail(Map.of(AccessRules.SOURCE_DETAIL, source)).build();
    }

    @Test
    void shouldLetASellerSubmitOnlyForItsOwnSourcesWhenItPostsALead() {
        assertThat(AccessRules.maySubmit(SELLER, "S2")).isTrue();
        assertThat(AccessRules.maySubmit(SELLER, "S3")).isFalse();
        assertThat(AccessRules.maySubmit(SELLER, null)).isFalse();
        assertThat(AccessRules.maySubmit(ADMIN, "S3")).isTrue();
        assertThat(AccessRules.maySubmit(BUYER, "S1")).isFalse();
        assertThat(AccessRules.maySubmit(ANALYST, "S1")).isFalse();
    }

    @Test
    void shouldShowALeadToItsSellerWhetherItEndedOrIsStillOpen() {
        LeadStatus sold = status(outcome(OutcomeStatus.SOLD, "B1", "S1"), null, List.of());
        LeadStatus rejected = status(null, Rejection.newBuilder().setLeadId("L1").setSourceId("S2")
                .setReasonCode("INVALID").setRejectedAt(1L).build(), List.of());
        LeadStatus open = status(null, null, List.of(qualified("S1")));
        LeadStatus othersOpen = status(null, null, List.of(qualified("S9")));
        LeadStatus unknownSource = status(null, null, List.of());

        assertThat(AccessRules.maySee(SELLER, sold)).isTrue();
        assertThat(AccessRules.maySee(SELLER, rejected)).isTrue();
        assertThat(AccessRules.maySee(SELLER, open)).isTrue();
        assertThat(AccessRules.maySee(SELLER, othersOpen)).isFalse();
        assertThat(AccessRules.maySee(SELLER, unknownSource)).isFalse();
    }

    @Test
    void shouldShowALeadToTheBuyerThatBoughtItButNotToOneOnlyPinged() {
        LeadStatus soldToB1 = status(outcome(OutcomeStatus.SOLD, "B1", "S1"), null, List.of());
        LeadStatus soldToB2 = status(outcome(OutcomeStatus.SOLD, "B2", "S1"), null, List.of());
        LeadStatus unsold = status(outcome(OutcomeStatus.UNSOLD, "B1", "S1"), null, List.of());
        LeadStatus open = status(null, null, List.of(qualified("S1")));

        assertThat(AccessRules.maySee(BUYER, soldToB1)).isTrue();
        assertThat(AccessRules.maySee(BUYER, soldToB2)).isFalse();
        assertThat(AccessRules.maySee(BUYER, unsold)).isFalse();
        assertThat(AccessRules.maySee(BUYER, open)).isFalse();
        assertThat(AccessRules.maySee(ANALYST, soldToB2)).isTrue();
        assertThat(AccessRules.maySee(ADMIN, open)).isTrue();
        assertThat(AccessRules.maySee(PRIVACY, soldToB1)).isFalse();
    }

    @Test
    void shouldKeepEachPartysReportRowsWhenItAsksForADimension() {
        assertThat(AccessRules.reportRows(BUYER, ReportDimension.BUYER)).accepts("B1").rejects("B2");
        assertThat(AccessRules.reportRows(BUYER, ReportDimension.STATE)).rejects("CA", "B1");
        assertThat(AccessRules.reportRows(SELLER, ReportDimension.SOURCE)).accepts("S1", "S2").rejects("S3");
        assertThat(AccessRules.reportRows(SELLER, ReportDimension.BUYER)).rejects("B1");
        assertThat(AccessRules.reportRows(SELLER, ReportDimension.SUBID)).as("its sources' sub-ids only")
                .accepts("S1/a7", "S2/unknown").rejects("S3/a7", "S1", "S1x/a7");
        assertThat(AccessRules.reportRows(BUYER, ReportDimension.SUBID)).rejects("S1/a7");
        assertThat(AccessRules.reportRows(ANALYST, ReportDimension.CAMPAIGN)).accepts("anything");
        assertThat(AccessRules.reportRows(PRIVACY, ReportDimension.SOURCE)).rejects("S1");
    }

    @Test
    void shouldLetAPartyReportOptOutsOnlyInItsOwnNameWhenItIsABuyerOrSeller() {
        assertThat(AccessRules.mayReportOptOut(BUYER, "buyer:B1")).isTrue();
        assertThat(AccessRules.mayReportOptOut(BUYER, "buyer:B2")).isFalse();
        assertThat(AccessRules.mayReportOptOut(BUYER, "seller:B1")).isFalse();
        assertThat(AccessRules.mayReportOptOut(SELLER, "seller:S2")).isTrue();
        assertThat(AccessRules.mayReportOptOut(SELLER, "seller:S3")).isFalse();
        assertThat(AccessRules.mayReportOptOut(SELLER, "buyer:S1")).isFalse();
        assertThat(AccessRules.mayReportOptOut(PRIVACY, "buyer:anyone")).isTrue();
        assertThat(AccessRules.mayReportOptOut(ANALYST, "buyer:B1")).isFalse();
    }

    @Test
    void shouldAdmitAnAdminToEveryRouteAndOthersToTheirRolesOnly() {
        assertThat(AccessRules.admits(Set.of(Role.SELLER), ADMIN)).isTrue();
        assertThat(AccessRules.admits(Set.of(Role.SELLER, Role.BUYER), BUYER)).isTrue();
        assertThat(AccessRules.admits(Set.of(Role.ADMIN), ANALYST)).isFalse();
    }
}
