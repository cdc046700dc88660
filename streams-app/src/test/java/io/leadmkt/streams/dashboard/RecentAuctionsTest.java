package io.leadmkt.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentAuctionsTest {

    static Outcome sold(String leadId, String campaignId, String sourceId) {
        return Outcome.newBuilder().setLeadId(leadId).setStatus(OutcomeStatus.SOLD).setBuyerId("alpha")
                .setPriceCents(1_234L).setCampaignId(campaignId).setSourceId(sourceId).setCreatedAt(0)
                .setReceivedAt(1_000).setDecidedAt(1_250).setBuyersPinged(2).setBidsReceived(1).setPostAttempts(1)
                .build();
    }

    static AuditEvent roundClosed(String leadId, String unanswered, AuditAnswer... answers) {
        AuditEvent event = AuditEvent.newBuilder().setLeadId(leadId).setType(AuditType.AUCTION_CLOSED).setAt(1_100)
                .setDetail(unanswered == null ? Map.of() : Map.of("unanswered", unanswered)).build();
        event.setAnswers(List.of(answers));
        return event;
    }

    static AuditAnswer answer(String buyerId, String status, Long priceCents, Long rawPriceCents, int latencyMs) {
        return AuditAnswer.newBuilder().setBuyerId(buyerId).setStatus(status).setPriceCents(priceCents)
                .setRawPriceCents(rawPriceCents).setRespondedAt(1_050).setLatencyMs(latencyMs).build();
    }

    @Test
    void shouldJoinEveryRoundsAnswersToTheOutcomeWhenTheLeadEnds() {
        RecentAuctions recent = new RecentAuctions(10, 10);
        recent.audit(roundClosed("L1", null, answer("beta", "PASS", null, null, 30)));
        recent.audit(roundClosed("L1", "gamma", answer("alpha", "BID", 1_100L, 1_234L, 45)));
        recent.outcome(sold("L1", "camp-auto", "src-1"));

        RecentAuction auction = recent.latest(AuctionFilter.ALL, 10).get(0);
        assertThat(auction.decisionMs()).isEqualTo(250);
        assertThat(auction.answers()).containsExactly(
                new RecentAuction.Answer("beta", "PASS", null, 30),
                new RecentAuction.Answer("alpha", "BID", 1_234L, 45),
                new RecentAuction.Answer("gamma", "TIMEOUT", null, null));
    }

    @Test
    void shouldTimeNoAnswerOurSideNeverGotToTheBuyerWhenItIsShownLive() {
        RecentAuctions recent = new RecentAuctions(10, 10);
        AuditAnswer notHeard = answer("beta", "TIMEOUT", null, null, 500);
        notHeard.setReason(io.leadmkt.schema.BidReasons.NOT_HEARD);
        recent.audit(roundClosed("L1", null, notHeard, answer("gamma", "TIMEOUT", null, null, 500)));
        recent.outcome(sold("L1", "camp-auto", "src-1"));

        assertThat(recent.latest(AuctionFilter.ALL, 10).get(0).answers()).containsExactly(
                new RecentAuction.Answer("beta", "TIMEOUT", null, null),
                new RecentAuction.Answer("gamma", "TIMEOUT", null, 500));
    }

    @Test
    void shouldKeepOnlyTheNewestWhenMoreAuctionsEndThanItHolds() {
        RecentAuctions recent = new RecentAuctions(2, 10);
        for (String id : List.of("L1", "L2", "L3")) {
            recent.outcome(sold(id, "camp-auto", "src-1"));
        }

        assertThat(recent.all(AuctionFilter.ALL)).extracting(RecentAuction::leadId).containsExactly("L3", "L2");
    }

    @Test
    void shouldForgetTheOldestWaitingAnswersWhenTooManyLeadsHaveNoOutcomeYet() {
        RecentAuctions recent = new RecentAuctions(10, 1);
        recent.audit(roundClosed("L1", null, answer("alpha", "BID", 900L, null, 10)));
        recent.audit(roundClosed("L2", null, answer("alpha", "BID", 800L, null, 10)));
        recent.outcome(sold("L1", "camp-auto", "src-1"));
        recent.outcome(sold("L2", "camp-auto", "src-1"));

        assertThat(recent.all(AuctionFilter.ALL)).extracting(a -> a.answers().size()).containsExactly(1, 0);
    }

    @Test
    void shouldShowOnlyTheChosenCampaignAndSourceWhenFiltered() {
        RecentAuctions recent = new RecentAuctions(10, 10);
        recent.outcome(sold("L1", "camp-auto", "src-1"));
        recent.outcome(sold("L2", "camp-solar", "src-1"));
        recent.outcome(sold("L3", "camp-auto", "src-2"));

        assertThat(recent.all(new AuctionFilter("camp-auto", ""))).extracting(RecentAuction::leadId)
                .containsExactly("L3", "L1");
        assertThat(recent.all(new AuctionFilter("camp-auto", "src-2"))).extracting(RecentAuction::leadId)
                .containsExactly("L3");
        assertThat(recent.latest(AuctionFilter.ALL, 1)).extracting(RecentAuction::leadId).containsExactly("L3");
    }

    @Test
    void shouldTellSubscribersOfEachAuctionUntilTheyUnsubscribeWhenAuctionsEnd() throws Exception {
        RecentAuctions recent = new RecentAuctions(10, 10);
        List<String> heard = new ArrayList<>();
        AutoCloseable subscription = recent.subscribe(auction -> heard.add(auction.leadId()));
        recent.outcome(sold("L1", "camp-auto", "src-1"));
        subscription.close();
        recent.outcome(sold("L2", "camp-auto", "src-1"));

        assertThat(heard).containsExactly("L1");
    }
}
