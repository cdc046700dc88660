package io.leadmkt.streams.caps;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapRequestKind;
import io.leadmkt.schema.CapUsage;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.MarketHarness;
import io.leadmkt.streams.outcome.Outcomes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Caps and balances through the whole topology: the auction holds the price on the buyer's cap
 * keeper before it posts, a refused hold goes to the next-best bid, a rejected post gives the hold
 * back, and a full buyer is not pinged until its period ends at its own local midnight.
 * (The harness starts at 2026-11-28T03:00Z: 22:00 on Friday in New York.)
 */
class CapsTopologyTest {
    private static final int DEADLINE_MS = 500;
    private MarketHarness market;
    private TestOutputTopic<String, CapRequest> capRequests;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(100, DEADLINE_MS).build());
        market.buyer(buyer("bravo").build());
        capRequests = market.outputTopic(Topics.CAP_REQUESTS, market.topics().capRequests());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private void capped(String buyerId, BuyerCap... caps) {
        market.buyer(buyer(buyerId).setTimeZone("America/New_York").setCaps(List.of(caps)).build());
    }

    private static BuyerCap daily(int leads) {
        return BuyerCap.newBuilder().setPeriod(CapPeriod.DAY).setMaxLeads(leads).build();
    }

    /** A fresh lead, pinged, on which alpha and bravo bid. */
    private void auction(String leadId, long alphaCents, long bravoCents) {
        market.submitAndPing(leadId);
        bid(leadId, alphaCents, bravoCents);
    }

    private void bid(String leadId, long alphaCents, long bravoCents) {
        market.bid(leadId, "alpha", alphaCents);
        market.bid(leadId, "bravo", bravoCents);
    }

    private List<AuditEvent> audits(AuditType type) {
        return market.audit.readValuesToList().stream().filter(a -> a.getType() == type).toList();
    }

    @Test
    void shouldPostACappedBuyerOnlyAfterItsHoldIsGranted() {
        capped("alpha", daily(5));
        auction("L1", 900, 500);

        List<CapRequest> requests = capRequests.readValuesToList();
        assertThat(requests).extracting(CapRequest::getKind).containsExactly(CapRequestKind.RESERVE);
        assertThat(requests.get(0).getPriceCents()).isEqualTo(900);
        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("alpha");
        assertThat(audits(AuditType.CAP_GRANTED)).hasSize(1);

        market.postResult(post, PostStatus.ACCEPTED);
        assertThat(capRequests.readValuesToList()).extracting(CapRequest::getKind)
                .containsExactly(CapRequestKind.CONFIRM);
        assertThat(market.outcomes.readValue().getBuyerId()).isEqualTo("alpha");
    }

    @Test
    void shouldPostToTheNextBestWhenTwoOpenAuctionsRaceForTheLastLeadUnderACap() {
        capped("alpha", daily(1));
        market.submitAndPing("L1");
        market.submitAndPing("L2"); // both auctions pinged alpha before either reached its cap
        market.bid("L1", "alpha", 900);
        market.bid("L2", "alpha", 900);
        market.bid("L1", "bravo", 500);
        Post first = market.posts.readValue();
        assertThat(first.getBuyerId()).isEqualTo("alpha");
        market.bid("L2", "bravo", 500);

        Post second = market.posts.readValue();
        assertThat(second.getLeadId()).isEqualTo("L2");
        assertThat(second.getBuyerId()).as("alpha's one lead today is held for L1").isEqualTo("bravo");
        List<AuditEvent> refused = audits(AuditType.CAP_REFUSED);
        assertThat(refused).singleElement().satisfies(a -> {
            assertThat(a.getLeadId()).isEqualTo("L2");
            assertThat(a.getDetail()).containsEntry("reason", "DAY_LEADS_CAP");
        });
    }

    @Test
    void shouldGiveTheHoldBackWhenTheCappedBuyerRejectsThePost() {
        capped("alpha", daily(1));
        auction("L1", 900, 500);
        market.postResult(market.posts.readValue(), PostStatus.REJECTED);
        assertThat(capRequests.readValuesToList()).extracting(CapRequest::getKind)
                .containsExactly(CapRequestKind.RESERVE, CapRequestKind.RELEASE);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED); // bravo takes L1

        Ping ping = market.submitAndPing("L2");
        assertThat(ping.getBuyers()).as("alpha is open again").contains("alpha");
        bid("L2", 900, 500);
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");
    }

    @Test
    void shouldNotPingAFullBuyerUntilItsLocalMidnightAndThenSellToItAgain() {
        capped("alpha", daily(1));
        auction("L1", 900, 500);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);

        // 23:30 Friday in New York: alpha's one lead today is sold.
        market.advance(Duration.ofMinutes(90));
        Ping evening = market.submitAndPing("L2");
        assertThat(evening.getBuyers()).containsExactly("bravo");
        market.answer("L2", "bravo", BidStatus.PASS, null);

        // 00:00:01 Saturday in New York (05:00:01 UTC): a new day.
        market.advance(Duration.between(Instant.ofEpochMilli(market.now()), Instant.parse("2026-11-28T05:00:01Z")));
        Ping saturday = market.submitAndPing("L3");
        assertThat(saturday.getBuyers()).contains("alpha");
        bid("L3", 900, 500);
        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("alpha");
        market.postResult(post, PostStatus.ACCEPTED);
        assertThat(market.outcomes.readValuesToList()).extracting(Outcome::getLeadId, Outcome::getBuyerId)
                .contains(org.assertj.core.groups.Tuple.tuple("L3", "alpha"));
    }

    @Test
    void shouldPingAFullBuyerAgainAsSoonAsItsCapIsRaised() {
        capped("alpha", daily(1));
        auction("L1", 900, 500);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
        market.advance(Duration.ofMinutes(1));
        assertThat(market.submitAndPing("L2").getBuyers()).as("full for today").containsExactly("bravo");
        market.answer("L2", "bravo", BidStatus.PASS, null);

        market.advance(Duration.ofMinutes(1));
        market.buyerChangedNow(buyer("alpha").setTimeZone("America/New_York").setCaps(List.of(daily(2))).build());
        assertThat(market.submitAndPing("L3").getBuyers()).as("the raised cap reopens it").contains("alpha");
        bid("L3", 900, 500);
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");
    }

    @Test
    void shouldGiveTheHoldBackAndPostNothingWhenTheConsumerOptedOutDuringTheAuction() {
        capped("alpha", daily(1));
        io.leadmkt.schema.Lead lead = io.leadmkt.streams.MarketFixtures.lead("L1", market.now()).build();
        market.submit(lead);
        market.onlyPing();
        market.suppressPhoneOf(lead, "opted out by SMS STOP");
        bid("L1", 900, 500);

        assertThat(capRequests.readValuesToList()).extracting(CapRequest::getKind)
                .containsExactly(CapRequestKind.RESERVE, CapRequestKind.RELEASE);
        assertThat(market.posts.isEmpty()).isTrue();
        assertThat(market.outcomes.readValue().getReason()).isEqualTo(Outcomes.SUPPRESSED);
        KeyValueStore<String, CapUsage> usage = market.store(CapKeeper.USAGE_STORE);
        assertThat(usage.get(CapPeriods.lifetime("alpha").key()).getLeads()).as("the hold was given back").isZero();
    }

    @Test
    void shouldForgetEndedPeriodsAndSettledHoldsButKeepTheLifetimeTotal() {
        capped("alpha", daily(5));
        auction("L1", 900, 500);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
        KeyValueStore<String, CapUsage> usage = market.store(CapKeeper.USAGE_STORE);
        KeyValueStore<String, io.leadmkt.schema.CapReservation> holds = market.store(CapKeeper.RESERVATIONS_STORE);
        String today = CapPeriods.of("alpha", CapPeriod.DAY, java.time.ZoneId.of("America/New_York"), market.now()).key();
        assertThat(usage.get(today).getLeads()).isEqualTo(1);
        assertThat(holds.get("L1|1").getConfirmed()).isTrue();

        market.advance(Duration.ofHours(2)); // past New York's midnight, and a cleanup
        assertThat(usage.get(today)).as("the day is over").isNull();
        assertThat(usage.get(CapPeriods.lifetime("alpha").key()).getSpendCents()).isEqualTo(900);
        assertThat(holds.get("L1|1")).as("kept a day, to recognise a redelivered request").isNotNull();

        market.advance(Duration.ofDays(1));
        assertThat(holds.get("L1|1")).isNull();
    }

    @Test
    void shouldSellNoMoreThanThePrepaidBalanceAndCreditAllow() {
        market.buyer(buyer("alpha").setPrepaidCents(1_000L).setCreditLimitCents(200).build());
        auction("L1", 700, 500);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);

        auction("L2", 600, 500); // 700 + 600 > 1,000 + 200
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("bravo");
        assertThat(audits(AuditType.CAP_REFUSED)).singleElement()
                .satisfies(a -> assertThat(a.getDetail()).containsEntry("reason", CapRules.BALANCE));
        KeyValueStore<String, CapUsage> usage = market.store(CapKeeper.USAGE_STORE);
        assertThat(usage.get(CapPeriods.lifetime("alpha").key()).getSpendCents()).isEqualTo(700);
    }

    @Test
    void shouldNotAskForAHoldAboveWhatTheBuyerCanStillSpendOnceOneWasRefusedForSpend() {
        market.buyer(buyer("alpha").setPrepaidCents(1_000L).setCreditLimitCents(200).build());
        auction("L1", 700, 500);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
        auction("L2", 600, 500); // refused: 700 + 600 > 1,200 — now the keeper says $5.00 is left
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
        capRequests.readValuesToList();
        market.audit.readValuesToList();

        auction("L3", 600, 500);
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("bravo");
        assertThat(capRequests.readValuesToList()).as("no hold asked for a price it cannot pay").isEmpty();
        assertThat(audits(AuditType.CAP_REFUSED)).singleElement().satisfies(a -> {
            assertThat(a.getBuyerId()).isEqualTo("alpha");
            assertThat(a.getDetail()).containsEntry("reason", io.leadmkt.streams.auction.AuctionMachine.OVER_SPEND_LEFT)
                    .containsEntry("spendLeftCents", "500");
        });

        auction("L4", 450, 400); // within what is left
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");
    }

    @Test
    void shouldEndUnsoldAsCappedWhenTheOnlyWinnableBuyerIsRefused() {
        capped("alpha", daily(1));
        market.submitAndPing("L1");
        market.submitAndPing("L2");
        market.bid("L1", "alpha", 900);
        market.answer("L1", "bravo", BidStatus.PASS, null);
        market.bid("L2", "alpha", 900);
        market.answer("L2", "bravo", BidStatus.PASS, null);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getLeadId()).isEqualTo("L2");
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.CAPPED);
    }

    @Test
    void shouldReleaseAGrantThatArrivesAfterTheAuctionStoppedWaitingForIt() {
        capped("alpha", daily(1));
        auction("L1", 900, 500);
        Post post = market.posts.readValue();
        capRequests.readValuesToList();

        // The same grant again (a redelivery) changes nothing: the hold is the auction's own.
        market.capDecisions().pipeInput("L1", CapDecision.newBuilder().setLeadId("L1").setBuyerId("alpha")
                .setAttempt(post.getAttempt()).setGranted(true).setDecidedAt(market.now()).build());
        assertThat(capRequests.isEmpty()).isTrue();

        // A grant for an attempt the auction never waited on is given back.
        market.capDecisions().pipeInput("L1", CapDecision.newBuilder().setLeadId("L1").setBuyerId("alpha")
                .setAttempt(7).setGranted(true).setDecidedAt(market.now()).build());
        assertThat(capRequests.readValuesToList()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo(CapRequestKind.RELEASE);
            assertThat(r.getAttempt()).isEqualTo(7);
        });
    }
}
