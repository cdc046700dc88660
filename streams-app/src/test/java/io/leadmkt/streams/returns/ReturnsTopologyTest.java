package io.leadmkt.streams.returns;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.CapUsage;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackDecision;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.ReportFigures;
import io.leadmkt.schema.ReturnApproval;
import io.leadmkt.schema.ReturnPolicy;
import io.leadmkt.schema.SoldLead;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.MarketHarness;
import io.leadmkt.streams.access.AccessRules;
import io.leadmkt.streams.access.Caller;
import io.leadmkt.streams.access.Role;
import io.leadmkt.streams.api.LeadStatusJson;
import io.leadmkt.streams.caps.CapPeriods;
import io.leadmkt.streams.caps.CapKeeper;
import io.leadmkt.streams.report.Figure;
import io.leadmkt.streams.report.ReportDimension;
import io.leadmkt.streams.report.ReportKey;
import io.leadmkt.streams.report.ReportProcessor;
import io.leadmkt.streams.report.ReportRow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Returns and conversions through the whole topology: leads sold by the auction, postbacks on their
 * topic (broker-timed, as the test stamps them), the returns desk's decisions, the cap keeper's
 * refund and the report rows.
 */
class ReturnsTopologyTest {
    private static final Duration WINDOW = Duration.ofHours(72);
    private MarketHarness market;
    private TestInputTopic<String, Postback> postbacks;
    private TestOutputTopic<String, PostbackDecision> decisions;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(100, 500).setClawbackOnReturn(true).build());
        postbacks = market.driver().createInputTopic(Topics.POSTBACKS, new StringSerializer(),
                market.topics().postbacks().valueSerde().serializer());
        decisions = market.outputTopic(Topics.POSTBACK_DECISIONS, market.topics().postbackDecisions());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private static ReturnPolicy policy(ReturnApproval approval, Integer maxPercentBasisPoints) {
        return ReturnPolicy.newBuilder().setReasonCodes(List.of("BAD_PHONE", "DUPLICATE")).setWindowMs(WINDOW.toMillis())
                .setMaxPercentBasisPoints(maxPercentBasisPoints).setPeriod(CapPeriod.DAY).setApproval(approval).build();
    }

    /** A lead sold to the only buyer, alpha, at {@code priceCents}; its outcome. */
    private Outcome sell(String leadId, long priceCents) {
        market.submitAndPing(leadId);
        market.bid(leadId, "alpha", priceCents);
        Post post = market.posts.readValue();
        market.postResult(post, PostStatus.ACCEPTED);
        return market.outcomes.readValue();
    }

    private void postback(String leadId, String buyerId, PostbackType type, String reason, Long valueCents) {
        postbacks.pipeInput(leadId, Postback.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setType(type)
                .setReason(reason).setValueCents(valueCents).build(), Instant.ofEpochMilli(market.now()));
    }

    private void review(String leadId, boolean approved) {
        postbacks.pipeInput(leadId, Postback.newBuilder().setLeadId(leadId).setBuyerId("alpha")
                .setType(PostbackType.RETURN_REVIEW).setApproved(approved).setReviewedBy("k_seller").build(),
                Instant.ofEpochMilli(market.now()));
    }

    /** The returns desk's steps in the lead's timeline, as {@code GET /v1/leads/{id}} reads it: type, status, price, reason. */
    private List<Tuple> afterSale(String leadId) {
        LeadStatus status = market.status(leadId);
        assertThat(status).as(leadId + " has a status").isNotNull();
        assertThat(status.getStage()).as("a return does not change where the lead is").isEqualTo("sold");
        return status.getTimeline().stream()
                .filter(e -> e.getType() == AuditType.RETURN_REQUESTED || e.getType() == AuditType.RETURN_DECIDED
                        || e.getType() == AuditType.CONVERSION_REPORTED)
                .peek(e -> assertThat(e.getBuyerId()).isEqualTo("alpha"))
                .map(e -> tuple(e.getType(), e.getStatus(), e.getPriceCents(), e.getDetail().get(ReturnDesk.REASON_DETAIL)))
                .toList();
    }

    private ReportRow row(ReportDimension dimension, String value) {
        ReportFigures figures = market.<ReportFigures>store(ReportProcessor.STORE)
                .get(ReportKey.of(dimension, market.now(), value).encoded());
        return ReportRow.fromAvro(figures);
    }

    @Test
    void shouldCreditTheBuyerClawBackThePayoutAndReportItWhenAReturnIsAccepted() {
        market.buyer(buyer("alpha").setTimeZone("America/New_York")
                .setCaps(List.of(BuyerCap.newBuilder().setPeriod(CapPeriod.DAY).setMaxLeads(1).build()))
                .setReturns(policy(ReturnApproval.AUTO, null)).build());
        Outcome sold = sell("L1", 1_500);
        BuyerCapStatus full = market.<BuyerCapStatus>store(CapKeeper.STATUS_STORE).get("alpha");
        assertThat(full.getFullUntil()).as("its one lead of the day is taken").isPositive();
        market.advance(Duration.ofHours(1));

        postback("L1", "alpha", PostbackType.RETURN, "BAD_PHONE", null);

        PostbackDecision decision = decisions.readValue();
        assertThat(decision.getStatus()).isEqualTo(PostbackStatus.ACCEPTED);
        assertThat(decision.getReason()).isEqualTo("BAD_PHONE");
        assertThat(decision.getCreditCents()).isEqualTo(1_500);
        assertThat(decision.getClawbackCents()).isEqualTo(sold.getSellerPayoutCents());
        String day = CapPeriods.of("alpha", CapPeriod.DAY, ZoneId.of("America/New_York"), sold.getDecidedAt()).key();
        assertThat(market.<CapUsage>store(CapKeeper.USAGE_STORE).get(day).getLeads()).as("the day's count").isZero();
        assertThat(market.<BuyerCapStatus>store(CapKeeper.STATUS_STORE).get("alpha").getFullUntil())
                .as("reopened by the refund").isZero();
        ReportRow buyerRow = row(ReportDimension.BUYER, "alpha");
        assertThat(List.of(buyerRow.get(Figure.RETURNS), buyerRow.get(Figure.RETURN_CREDIT), buyerRow.get(Figure.CLAWBACK)))
                .containsExactly(1L, 1_500L, (long) sold.getSellerPayoutCents());
        assertThat(row(ReportDimension.SOURCE, sold.getSourceId()).get(Figure.RETURNS)).isEqualTo(1);
    }

    @Test
    void shouldShowTheConversionTheReturnAndItsDecisionInTheLeadsTimelineWhenTheBuyerPostsThem() {
        market.buyer(buyer("alpha").setReturns(policy(ReturnApproval.AUTO, null)).build());
        sell("L1", 1_500);
        sell("L2", 1_200);
        long soldAt = market.now();
        market.advance(Duration.ofHours(1));

        postback("L1", "alpha", PostbackType.CONVERSION, null, 25_000L);
        market.advance(Duration.ofMinutes(5));
        postback("L1", "alpha", PostbackType.RETURN, "BAD_PHONE", null);

        assertThat(afterSale("L1")).containsExactly(
                tuple(AuditType.CONVERSION_REPORTED, "ACCEPTED", 25_000L, null),
                tuple(AuditType.RETURN_REQUESTED, null, null, "BAD_PHONE"),
                tuple(AuditType.RETURN_DECIDED, "ACCEPTED", 1_500L, "BAD_PHONE"));
        List<AuditEvent> timeline = market.status("L1").getTimeline();
        assertThat(timeline.get(timeline.size() - 1).getAt()).as("after the sale, at the return").isEqualTo(market.now())
                .isGreaterThan(soldAt);
        assertThat(afterSale("L2")).as("another lead's timeline").isEmpty();
    }

    @Test
    void shouldShowTheBuyerItsOwnReturnInTheTimelineItReadsWhenItBoughtTheLead() {
        market.buyer(buyer("alpha").setReturns(policy(ReturnApproval.AUTO, null)).build());
        sell("L1", 1_500);
        postback("L1", "alpha", PostbackType.RETURN, "BAD_PHONE", null);

        Caller alpha = new Caller("k_alpha", Role.BUYER, java.util.Set.of(), "alpha");
        Caller other = new Caller("k_other", Role.BUYER, java.util.Set.of(), "bravo");
        LeadStatus status = market.status("L1");
        assertThat(AccessRules.maySee(alpha, status)).isTrue();
        assertThat(LeadStatusJson.of(status, AccessRules.timelineView(alpha, status)).path("timeline"))
                .extracting(e -> e.path("type").asText()).contains("RETURN_REQUESTED", "RETURN_DECIDED");
        assertThat(AccessRules.maySee(other, status)).as("a buyer that did not buy it reads nothing of it").isFalse();
    }

    @Test
    void shouldRefuseAReturnWithItsReasonWhenItComesAfterTheWindow() {
        market.buyer(buyer("alpha").setReturns(policy(ReturnApproval.AUTO, null)).build());
        sell("L1", 1_500);
        market.advance(WINDOW.plusMillis(1));

        postback("L1", "alpha", PostbackType.RETURN, "BAD_PHONE", null);

        assertThat(decisions.readValue()).satisfies(d -> {
            assertThat(d.getStatus()).isEqualTo(PostbackStatus.REFUSED);
            assertThat(d.getReason()).isEqualTo(ReturnRules.OUTSIDE_WINDOW);
            assertThat(d.getCreditCents()).isZero();
        });
        assertThat(market.<SoldLead>store(ReturnDesk.SALES_STORE).get(ReturnDesk.saleKey("alpha", "L1"))
                .getReturned().getReason()).as("what the buyer reads back").isEqualTo(ReturnRules.OUTSIDE_WINDOW);
        assertThat(row(ReportDimension.BUYER, "alpha").get(Figure.RETURNS)).isZero();
        assertThat(afterSale("L1")).as("the buyer's reason, then the desk's").containsExactly(
                tuple(AuditType.RETURN_REQUESTED, null, null, "BAD_PHONE"),
                tuple(AuditType.RETURN_DECIDED, "REFUSED", null, ReturnRules.OUTSIDE_WINDOW));
    }

    @Test
    void shouldRefuseAPostbackWhenTheBuyerDidNotBuyTheLead() {
        market.buyer(buyer("alpha").setReturns(policy(ReturnApproval.AUTO, null)).build());
        market.buyer(buyer("bravo").setReturns(policy(ReturnApproval.AUTO, null)).build());
        market.submitAndPing("L1");
        market.bid("L1", "alpha", 1_500);
        market.answer("L1", "bravo", io.leadmkt.schema.BidStatus.PASS, null);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);

        postback("L1", "bravo", PostbackType.RETURN, "BAD_PHONE", null);
        postback("L2", "alpha", PostbackType.CONVERSION, null, 100L);

        assertThat(decisions.readValuesToList()).extracting(PostbackDecision::getStatus, PostbackDecision::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PostbackStatus.REFUSED, ReturnRules.NOT_BOUGHT),
                        org.assertj.core.groups.Tuple.tuple(PostbackStatus.REFUSED, ReturnRules.NOT_BOUGHT));
        assertThat(afterSale("L1")).as("not bravo's to write on").isEmpty();
        assertThat(market.status("L2")).as("no lead made up for a postback").isNull();
    }

    @Test
    void shouldDecideOnceWhenTheSamePostbacksComeTwice() {
        market.buyer(buyer("alpha").setReturns(policy(ReturnApproval.AUTO, null)).build());
        sell("L1", 1_500);

        for (int i = 0; i < 2; i++) {
            postback("L1", "alpha", PostbackType.CONVERSION, null, 25_000L);
            postback("L1", "alpha", PostbackType.RETURN, "BAD_PHONE", null);
        }

        assertThat(decisions.readValuesToList()).extracting(PostbackDecision::getType, PostbackDecision::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PostbackType.CONVERSION, PostbackStatus.ACCEPTED),
                        org.assertj.core.groups.Tuple.tuple(PostbackType.RETURN, PostbackStatus.ACCEPTED));
        ReportRow alpha = row(ReportDimension.BUYER, "alpha");
        assertThat(List.of(alpha.get(Figure.CONVERSIONS), alpha.get(Figure.CONVERSION_VALUE), alpha.get(Figure.RETURNS)))
                .containsExactly(1L, 25_000L, 1L);
        assertThat(afterSale("L1")).extracting(t -> t.toList().get(0)).containsExactly(AuditType.CONVERSION_REPORTED,
                AuditType.RETURN_REQUESTED, AuditType.RETURN_DECIDED);
    }

    @Test
    void shouldHoldAReturnForReviewAndCreditItOnlyWhenTheSellerApproves() {
        market.buyer(buyer("alpha").setReturns(policy(ReturnApproval.REVIEW, null)).build());
        sell("L1", 1_500);
        sell("L2", 1_200);

        postback("L1", "alpha", PostbackType.RETURN, "DUPLICATE", null);
        postback("L2", "alpha", PostbackType.RETURN, "DUPLICATE", null);
        assertThat(decisions.readValuesToList()).extracting(PostbackDecision::getStatus)
                .containsOnly(PostbackStatus.PENDING_REVIEW).hasSize(2);
        assertThat(row(ReportDimension.BUYER, "alpha").get(Figure.RETURNS)).as("held, not yet returned").isZero();

        review("L1", true);
        review("L2", false);
        review("L2", true); // too late: the return was decided

        List<PostbackDecision> reviewed = decisions.readValuesToList();
        assertThat(reviewed).extracting(PostbackDecision::getLeadId, PostbackDecision::getStatus, PostbackDecision::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("L1", PostbackStatus.ACCEPTED, "DUPLICATE"),
                        org.assertj.core.groups.Tuple.tuple("L2", PostbackStatus.REFUSED, ReturnRules.SELLER_REFUSED));
        assertThat(reviewed.get(0).getCreditCents()).isEqualTo(1_500);
        assertThat(row(ReportDimension.BUYER, "alpha").get(Figure.RETURN_CREDIT)).isEqualTo(1_500);
        assertThat(afterSale("L1")).containsExactly(
                tuple(AuditType.RETURN_REQUESTED, null, null, "DUPLICATE"),
                tuple(AuditType.RETURN_DECIDED, "PENDING_REVIEW", null, "DUPLICATE"),
                tuple(AuditType.RETURN_DECIDED, "ACCEPTED", 1_500L, "DUPLICATE"));
        assertThat(afterSale("L2")).containsExactly(
                tuple(AuditType.RETURN_REQUESTED, null, null, "DUPLICATE"),
                tuple(AuditType.RETURN_DECIDED, "PENDING_REVIEW", null, "DUPLICATE"),
                tuple(AuditType.RETURN_DECIDED, "REFUSED", null, ReturnRules.SELLER_REFUSED));
    }

    @Test
    void shouldRefuseTheReturnThatWouldPassTheBuyersMaximumShareOfThePeriod() {
        market.buyer(buyer("alpha").setReturns(policy(ReturnApproval.AUTO, 2_500)).build());
        for (int i = 1; i <= 4; i++) {
            sell("L" + i, 1_000);
        }

        postback("L1", "alpha", PostbackType.RETURN, "BAD_PHONE", null);
        postback("L2", "alpha", PostbackType.RETURN, "BAD_PHONE", null);

        assertThat(decisions.readValuesToList()).extracting(PostbackDecision::getStatus, PostbackDecision::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PostbackStatus.ACCEPTED, "BAD_PHONE"),
                        org.assertj.core.groups.Tuple.tuple(PostbackStatus.REFUSED, ReturnRules.RETURN_LIMIT));
    }

    @Test
    void shouldForgetASaleWhenItsWindowsHaveEnded() {
        market.buyer(buyer("alpha").setConversionWindowMs(Duration.ofDays(1).toMillis())
                .setReturns(policy(ReturnApproval.AUTO, null)).build());
        sell("L1", 1_000);
        String key = ReturnDesk.saleKey("alpha", "L1");
        assertThat(market.<SoldLead>store(ReturnDesk.SALES_STORE).get(key).getKeepUntil())
                .as("the later of the return and conversion windows")
                .isEqualTo(market.now() + WINDOW.toMillis());

        market.advance(WINDOW.plusMinutes(10));

        assertThat(market.<SoldLead>store(ReturnDesk.SALES_STORE).get(key)).isNull();
    }
}
