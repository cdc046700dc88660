package io.leadmkt.streams.auction;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.streams.MarketHarness;
import io.leadmkt.streams.StoreSweep;
import io.leadmkt.streams.outcome.Outcomes;
import io.leadmkt.streams.outcome.Rejections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuctionTopologyTest {
    private static final int DEADLINE_MS = 500;
    /** When a round whose buyers did not all answer closes: its budget plus the backstop. */
    private static final long BACKSTOP_AT_MS = DEADLINE_MS + MarketHarness.BACKSTOP_MS;
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(1_000, DEADLINE_MS).build());
        for (String id : List.of("alpha", "bravo", "charlie")) {
            market.buyer(buyer(id).build());
        }
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private Ping submit(String leadId) {
        return market.submitAndPing(leadId);
    }

    /** L1 submitted, and bid on by all three: alpha $30.00, bravo $20.00, charlie {@code charlieCents}. */
    private void threeBidOnL1(long charlieCents) {
        submit("L1");
        market.bid("L1", "alpha", 3_000);
        market.bid("L1", "bravo", 2_000);
        market.bid("L1", "charlie", charlieCents);
    }

    /** Every buyer bids, alpha best, and accepts the post. */
    private void sellToAlpha(String leadId) {
        submit(leadId);
        market.bid(leadId, "alpha", 2_000);
        market.bid(leadId, "bravo", 1_000);
        market.bid(leadId, "charlie", 1_000);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
    }

    @Test
    void shouldSellALeadWhoseBuyersTheConnectorCouldNotHearWhenTheyArePingedAgain() {
        submit("L1");
        // A stall of ours: every buyer timed out while the connector heard nobody at all.
        List<io.leadmkt.schema.Bid> unheard = List.of("alpha", "bravo", "charlie").stream()
                .map(buyer -> io.leadmkt.schema.Bid.newBuilder().setLeadId("L1").setBuyerId(buyer)
                        .setStatus(io.leadmkt.schema.BidStatus.TIMEOUT).setReason(io.leadmkt.schema.BidReasons.NOT_HEARD)
                        .setRespondedAt(market.now()).setLatencyMs(DEADLINE_MS).build())
                .toList();
        market.bids.pipeInput("L1", io.leadmkt.schema.RoundAnswers.together(unheard), market.now());

        assertThat(market.onlyPing().getBuyers()).as("offered once more").containsExactly("alpha", "bravo", "charlie");
        assertThat(market.outcomes.isEmpty()).isTrue();
        market.bid("L1", "alpha", 2_000);
        market.bid("L1", "bravo", 1_000);
        market.bid("L1", "charlie", 1_000);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);

        assertThat(market.outcomes.readValue().getStatus()).isEqualTo(OutcomeStatus.SOLD);
    }

    @Test
    void shouldPingEveryEligibleBuyerOnceWhenLeadQualifies() {
        Ping ping = submit("L1");

        assertThat(ping.getBuyers()).containsExactly("alpha", "bravo", "charlie");
        assertThat(ping.getFloorCents()).isEqualTo(1_000);
        assertThat(ping.getDeadlineAt()).isEqualTo(market.now() + DEADLINE_MS);
        assertThat(market.posts.isEmpty()).isTrue();
        assertThat(market.outcomes.isEmpty()).isTrue();
    }

    @Test
    void shouldCountEveryAnswerWhenTheConnectorCallsTheBuyersLongAfterThePingWasWritten() {
        submit("L1");
        // The connector was paused (or started late): it calls the buyers 2 s after the ping was written,
        // four times the round's budget, and they answer at once. Our lag is not theirs.
        market.advance(Duration.ofSeconds(2));
        assertThat(market.outcomes.isEmpty()).isTrue();
        market.bid("L1", "alpha", 1_500);
        market.bid("L1", "bravo", 1_200);
        market.answer("L1", "charlie", BidStatus.PASS, null);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).as("closed on the last answer, not waiting for the backstop").isEqualTo("alpha");
        market.postResult(post, PostStatus.ACCEPTED);
        assertThat(market.outcomes.readValue().getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(market.audit.readValuesToList()).extracting(AuditEvent::getType)
                .doesNotContain(AuditType.LATE_EVENT);
    }

    @Test
    void shouldShedAtIntakeAndPingNobodyWhenTheLeadIsAlreadyTooOldWhenRead() {
        // Waited 10.5 s in a backlog on leads.inbound: the campaign offers leads within 10 s.
        market.campaign(campaign(1_000, DEADLINE_MS).setMaxLeadAgeMs(10_000).build());
        market.submitArrivedAt(lead("L-old", market.now()).build(), market.now() - 10_500);

        assertThat(market.pings.isEmpty()).isTrue();
        assertThat(market.outcomes.isEmpty()).isTrue();
        assertThat(market.rejected.readValue().getReasonCode()).isEqualTo(Rejections.STALE);
    }

    @Test
    void shouldShedAFreshLeadAtIntakeWhenTheQueueBehindItWouldMakeItTooOld() {
        market.campaign(campaign(1_000, DEADLINE_MS).setMaxLeadAgeMs(5_000).build());
        // Auctions are opening 6 s after intake read their leads: a lead read now would open too late.
        market.backlog.auctionOpened(market.now() - 6_000, market.now());

        market.submit(lead("L-queued", market.now()).build());

        assertThat(market.pings.isEmpty()).isTrue();
        assertThat(market.rejected.readValue().getReasonCode()).isEqualTo(Rejections.STALE);
    }

    /**
     * Above capacity every lead intake takes is near its campaign's bound, and a ping the connector reads a
     * moment past it is not sent. Pings now reach the buyers 1 s after they are written (the last second's
     * answers say so): a lead 4.5 s old is shed at compliance, one 3.5 s old is offered.
     */
    @Test
    void shouldShedALeadAtIntakeWhenItsPingWouldReachTheConnectorTooLate() {
        market.campaign(campaign(1_000, DEADLINE_MS).setMaxLeadAgeMs(5_000).build());
        market.submitAndPing("L1");
        market.advance(Duration.ofMillis(1_000));
        market.bid("L1", "alpha", 1_500); // called (and answered) 1 s after its ping was written
        market.advance(Duration.ofMillis(1_000)); // a whole second measured
        market.pings.readValuesToList();

        market.submitArrivedAt(lead("L-late", market.now()).build(), market.now() - 4_500);
        market.submitArrivedAt(lead("L-early", market.now()).build(), market.now() - 3_500);

        assertThat(market.rejected.readValue()).satisfies(rejection -> {
            assertThat(rejection.getLeadId()).isEqualTo("L-late");
            assertThat(rejection.getReasonCode()).isEqualTo(Rejections.STALE);
        });
        assertThat(market.onlyPing().getLeadId()).isEqualTo("L-early");
    }

    /**
     * Answers wait 1.5 s for the stream thread: a lead 2.5 s old can still be offered within its campaign's
     * 5 s, and is, unless the campaign wants its leads decided within them (2.5 + 2 × 1.5 > 5).
     */
    @Test
    void shouldShedALeadAtIntakeOnlyForACampaignThatWantsItDecidedInTimeWhenAnswersQueue() {
        market.backlog.answerRead(market.now() - 1_500, market.now());
        market.campaign(campaign(1_000, DEADLINE_MS).setMaxLeadAgeMs(5_000).build());
        market.submitArrivedAt(lead("L-offered", market.now()).build(), market.now() - 2_500);
        assertThat(market.onlyPing().getLeadId()).isEqualTo("L-offered");

        market.campaign(campaign(1_000, DEADLINE_MS).setMaxLeadAgeMs(5_000).setDecideWithinMaxLeadAge(true).build());
        market.submitArrivedAt(lead("L-late", market.now()).build(), market.now() - 2_500);
        market.submitArrivedAt(lead("L-fresh", market.now()).build(), market.now() - 1_900);

        assertThat(market.rejected.readValue()).satisfies(rejection -> {
            assertThat(rejection.getLeadId()).isEqualTo("L-late");
            assertThat(rejection.getReasonCode()).isEqualTo(Rejections.STALE);
        });
        assertThat(market.onlyPing().getLeadId()).as("1.9 + 3 s fit in 5").isEqualTo("L-fresh");
    }

    @Test
    void shouldOfferTheLeadWhenItsBacklogLeftEnoughTimeToDecide() {
        market.campaign(campaign(1_000, DEADLINE_MS).setMaxLeadAgeMs(10_000).build());
        market.submitArrivedAt(lead("L-ok", market.now()).build(), market.now() - 9_400);

        Ping ping = market.onlyPing();
        assertThat(ping.getOfferBy()).as("buyers may be called until the lead's decide-by")
                .isEqualTo(market.now() - 9_400 + 10_000);
    }

    @Test
    void shouldCloseAtTheBackstopWhenOnlyWallClockAdvances() {
        submit("L1");
        market.bid("L1", "alpha", 1_500);

        market.advance(Duration.ofMillis(BACKSTOP_AT_MS - 50));
        assertThat(market.posts.isEmpty()).as("still collecting before the backstop").isTrue();

        market.advance(Duration.ofMillis(100));
        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("alpha");
        assertThat(post.getPriceCents()).isEqualTo(1_500);
        assertThat(post.getAttempt()).isEqualTo(1);
    }

    @Test
    void shouldEndStaleNotNoBidsAtTheBackstopWhenNoAnswerComes() {
        submit("L1");

        market.advance(Duration.ofMillis(DEADLINE_MS + 20));
        assertThat(market.outcomes.isEmpty()).as("a buyer's time counts from its call: nothing is judged at 520 ms")
                .isTrue();
        market.advance(Duration.ofMillis(BACKSTOP_AT_MS));

        // No answer at all means the buyers were never reached (the connector is gone): our failure, not theirs.
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.STALE);
        assertThat(market.outcomes.isEmpty()).isTrue();
    }

    @Test
    void shouldCloseEarlyWhenLastPingedBuyerAnswers() {
        submit("L1");
        market.bid("L1", "alpha", 1_200);
        market.answer("L1", "bravo", BidStatus.PASS, null);
        assertThat(market.posts.isEmpty()).isTrue();

        market.bid("L1", "charlie", 1_300);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("charlie");
        assertThat(post.getPingToken()).isEqualTo("tok-charlie");
        assertThat(post.getLead().getContact()).as("sealed on the posts topic").isNull();
        assertThat(market.unsealed(post).getContact().getPhone()).startsWith("+1512555");
    }

    @Test
    void shouldPostToNextBestWhenWinnerRejects() {
        threeBidOnL1(1_000);
        Post first = market.posts.readValue();
        assertThat(first.getBuyerId()).isEqualTo("alpha");

        market.postResult(first, PostStatus.REJECTED);
        Post second = market.posts.readValue();
        assertThat(second.getBuyerId()).isEqualTo("bravo");
        assertThat(second.getAttempt()).isEqualTo(2);

        market.postResult(second, PostStatus.ACCEPTED);
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(outcome.getBuyerId()).isEqualTo("bravo");
        assertThat(outcome.getPriceCents()).isEqualTo(2_000);
        assertThat(outcome.getPostAttempts()).isEqualTo(2);
        assertThat(market.posts.isEmpty()).as("the last bidder is never posted").isTrue();
    }

    @Test
    void shouldEndUnsoldWhenEveryBidderRejects() {
        submit("L1");
        market.bid("L1", "alpha", 3_000);
        market.bid("L1", "bravo", 2_000);
        market.answer("L1", "charlie", BidStatus.ERROR, null);

        market.postResult(market.posts.readValue(), PostStatus.REJECTED);
        market.postResult(market.posts.readValue(), PostStatus.ERROR);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.ALL_REJECTED);
        assertThat(market.posts.isEmpty()).isTrue();
    }

    @Test
    void shouldPostToNextBestWhenPostResultNeverArrives() {
        threeBidOnL1(500);
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");

        // The connector may send the post until the backstop after it was written; then its timeout, then the grace.
        market.advance(Duration.ofMillis(MarketHarness.BACKSTOP_MS + 2_000 + 2_000 + 50));

        Post second = market.posts.readValue();
        assertThat(second.getBuyerId()).isEqualTo("bravo");
        // The timeout went through the post-results partition, behind any result already queued there.
        List<io.leadmkt.schema.PostResult> written = market.postResultsWritten.readValuesToList();
        assertThat(written).singleElement().satisfies(marker -> {
            assertThat(marker.getStatus()).isEqualTo(PostStatus.TIMEOUT);
            assertThat(marker.getReason()).isEqualTo(AuctionMachine.NO_POST_RESULT);
            assertThat(marker.getBuyerId()).isEqualTo("alpha");
            assertThat(marker.getAttempt()).isEqualTo(1);
        });
        market.postResult(second, PostStatus.ACCEPTED);
        assertThat(market.outcomes.readValue().getBuyerId()).isEqualTo("bravo");
    }

    @Test
    void shouldEndStaleNotAllRejectedWhenTheConnectorNeverSentTheWinningPost() {
        threeBidOnL1(1_500);
        // The connector read alpha's post past its sendBy (it was down a minute): not sent.
        market.postResult(market.posts.readValue(), PostStatus.TIMEOUT, io.leadmkt.schema.PostReasons.DEADLINE_PASSED);
        List<String> postedTo = new ArrayList<>();
        for (Post next = market.posts.readValue(); next != null;
             next = market.posts.isEmpty() ? null : market.posts.readValue()) {
            postedTo.add(next.getBuyerId());
            market.postResult(next, PostStatus.REJECTED);
        }

        assertThat(postedTo).as("the winner first, once more, then the others").containsExactly("alpha", "bravo",
                "charlie");
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).as("the platform's loss, shed").isEqualTo(Outcomes.STALE);
        assertThat(outcome.getPostAttempts()).isEqualTo(4);
    }

    @Test
    void shouldKeepAcceptedPostWhenTimeoutMarkerArrivesAfterIt() {
        threeBidOnL1(1_000);
        Post first = market.posts.readValue();
        market.postResult(first, PostStatus.ACCEPTED);
        // a marker for the same attempt, read after the real result (as a timer racing a backlog would write it)
        market.postResults.pipeInput("L1", io.leadmkt.schema.PostResult.newBuilder().setLeadId("L1")
                .setBuyerId(first.getBuyerId()).setAttempt(first.getAttempt()).setStatus(PostStatus.TIMEOUT)
                .setReason(AuctionMachine.NO_POST_RESULT).setRespondedAt(market.now()).build());

        assertThat(market.outcomes.readValuesToList()).singleElement()
                .satisfies(o -> assertThat(o.getBuyerId()).isEqualTo("alpha"));
        assertThat(market.posts.isEmpty()).as("nobody else is posted the sold lead").isTrue();
    }

    @Test
    void shouldNeverSellTwiceWhenEventsAreRedelivered() {
        Lead lead = lead("L1", market.now()).build();
        market.submit(lead);
        market.bid("L1", "alpha", 3_000);
        market.bid("L1", "bravo", 2_000);
        market.bid("L1", "charlie", 1_500);
        Post post = market.posts.readValue();
        market.postResult(post, PostStatus.ACCEPTED);

        // everything again: the lead, every bid, the post result
        market.submit(lead);
        market.bid("L1", "alpha", 3_000);
        market.bid("L1", "bravo", 2_000);
        market.postResult(post, PostStatus.ACCEPTED);
        market.postResult(post, PostStatus.REJECTED);
        market.advance(Duration.ofSeconds(30));

        List<Outcome> outcomes = market.outcomes.readValuesToList();
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).getBuyerId()).isEqualTo("alpha");
        assertThat(market.posts.readValuesToList()).isEmpty();
        assertThat(market.pings.readValuesToList()).hasSize(1).as("redelivered lead is not pinged again");
        assertThat(market.audit.readValuesToList()).extracting(AuditEvent::getType).contains(AuditType.LATE_EVENT);
    }

    @Test
    void shouldIgnoreDuplicateBidWhenBuyerAnswersTwice() {
        submit("L1");
        market.bid("L1", "alpha", 1_100);
        market.bid("L1", "alpha", 9_900); // a second answer may not raise the price

        market.advance(Duration.ofMillis(BACKSTOP_AT_MS + 20));

        Post post = market.posts.readValue();
        assertThat(post.getPriceCents()).isEqualTo(1_100);
    }

    @Test
    void shouldIgnoreBidWhenBuyerWasNotPinged() {
        submit("L1");
        market.bid("L1", "mallory", 99_900);
        for (String id : List.of("alpha", "bravo", "charlie")) {
            market.answer("L1", id, BidStatus.PASS, null);
        }

        assertThat(market.posts.isEmpty()).isTrue();
        assertThat(market.outcomes.readValue().getReason()).isEqualTo(Outcomes.NO_BIDS);
    }

    @Test
    void shouldIgnoreBidWhenItArrivesAfterDeadline() {
        submit("L1");
        market.advance(Duration.ofMillis(BACKSTOP_AT_MS + 20));
        assertThat(market.outcomes.readValue().getReason()).isEqualTo(Outcomes.STALE);

        market.bid("L1", "alpha", 5_000);

        assertThat(market.posts.isEmpty()).isTrue();
        assertThat(market.outcomes.isEmpty()).isTrue();
    }

    @Test
    void shouldNeverPostBelowFloorWhenOnlyLowBidsArrive() {
        submit("L1");
        market.bid("L1", "alpha", 999);
        market.bid("L1", "bravo", 1);
        market.bid("L1", "charlie", 0);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.BELOW_FLOOR);
        assertThat(market.posts.isEmpty()).isTrue();
    }

    @Test
    void shouldSkipBelowFloorBidderWhenHigherBiddersReject() {
        submit("L1");
        market.bid("L1", "alpha", 2_000);
        market.bid("L1", "bravo", 999);
        market.bid("L1", "charlie", 1_000); // exactly the floor: may win

        market.postResult(market.posts.readValue(), PostStatus.REJECTED);
        Post second = market.posts.readValue();
        assertThat(second.getBuyerId()).isEqualTo("charlie");
        market.postResult(second, PostStatus.REJECTED);

        assertThat(market.posts.isEmpty()).as("bravo bid below the floor and is never posted").isTrue();
        assertThat(market.outcomes.readValue().getReason()).isEqualTo(Outcomes.ALL_REJECTED);
    }

    @Test
    void shouldPostOnlyToWinnerWhenSeveralBuyersBid() {
        submit("L1");
        market.bid("L1", "alpha", 1_500);
        market.bid("L1", "bravo", 2_500);
        market.bid("L1", "charlie", 2_000);
        Post post = market.posts.readValue();
        market.postResult(post, PostStatus.ACCEPTED);

        assertThat(post.getBuyerId()).isEqualTo("bravo");
        assertThat(market.posts.isEmpty()).as("losing bidders never see the lead").isTrue();
        assertThat(market.outcomes.readValue().getStatus()).isEqualTo(OutcomeStatus.SOLD);
    }

    @Test
    void shouldPreferEarlierBidWhenPricesTie() {
        submit("L1");
        market.bid("L1", "charlie", 2_000);
        market.advance(Duration.ofMillis(10));
        market.bid("L1", "alpha", 2_000);
        market.answer("L1", "bravo", BidStatus.TIMEOUT, null);

        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("charlie");
    }

    @Test
    void shouldEndUnsoldAtOnceWhenNoBuyerIsEligible() {
        market.submit(lead("L1", market.now()).setProfile(io.leadmkt.schema.Profile.newBuilder()
                .setVertical("auto_insurance").setState("TX").setZip("75001").build()).build());
        // all three buyers are eligible; make a lead no buyer takes by removing them
        market.pings.readValuesToList();
        market.outcomes.readValuesToList();

        for (String id : List.of("alpha", "bravo", "charlie")) {
            market.buyer(buyer(id).setActive(false).build());
        }
        market.submit(lead("L2", market.now()).build());

        assertThat(market.pings.isEmpty()).isTrue();
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getLeadId()).isEqualTo("L2");
        assertThat(outcome.getReason()).isEqualTo(Outcomes.NO_ELIGIBLE_BUYERS);
    }

    @Test
    void shouldCountInTimeAnswersReadLateWhenTaskHasJustTakenOver() {
        market.close();
        market = new MarketHarness(io.leadmkt.streams.StreamsAppConfig.defaults("unused:9092",
                java.nio.file.Path.of("target", "ttd-state", java.util.UUID.randomUUID().toString()))
                .withAuctionSettleMs(BACKSTOP_AT_MS + 2_000).withAuctionPunctuateMs(10));
        market.campaign(campaign(1_000, DEADLINE_MS).build());
        for (String id : List.of("alpha", "bravo", "charlie")) {
            market.buyer(buyer(id).build());
        }
        long pingedAt = market.now();
        submit("L1");

        // The new owner is still reading the backlog when the deadline passes: nothing is judged yet.
        market.advance(Duration.ofMillis(BACKSTOP_AT_MS + 300));
        assertThat(market.outcomes.isEmpty()).isTrue();
        market.answerAt("L1", "alpha", BidStatus.BID, 1_500L, pingedAt + 100);      // answered in time
        market.answerAt("L1", "bravo", BidStatus.BID, 9_900L, pingedAt + BACKSTOP_AT_MS + 1); // after the backstop
        // claims an early answer, but reached the broker after the backstop: a backdated answer
        market.answerStamped("L1", "charlie", BidStatus.BID, 9_000L, pingedAt + 50, pingedAt + BACKSTOP_AT_MS + 200);
        assertThat(market.posts.isEmpty()).isTrue();

        market.advance(Duration.ofSeconds(5));

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).as("the in-time answer counts, late and backdated ones do not").isEqualTo("alpha");
        assertThat(post.getPriceCents()).isEqualTo(1_500);
    }

    @Test
    void shouldAuditRawResponseButNotStoreItWhenBuyerAnswersGarbage() {
        submit("L1");
        market.bids.pipeInput("L1", io.leadmkt.schema.Bid.newBuilder().setLeadId("L1").setBuyerId("alpha")
                .setStatus(BidStatus.ERROR).setReason("BAD_JSON").setRawResponse("<html>oops</html>")
                .setRespondedAt(market.now()).build(), java.time.Instant.ofEpochMilli(market.now()));
        market.bid("L1", "bravo", 1_200);
        market.answer("L1", "charlie", BidStatus.PASS, null);

        assertThat(market.audit.readValuesToList()).filteredOn(e -> e.getType() == AuditType.AUCTION_CLOSED)
                .singleElement().satisfies(e -> assertThat(e.getAnswers())
                        .filteredOn(a -> a.getBuyerId().equals("alpha")).singleElement().satisfies(a -> {
                            assertThat(a.getResponse()).isEqualTo("<html>oops</html>");
                            assertThat(a.getReason()).isEqualTo("BAD_JSON");
                        }));
        io.leadmkt.schema.AuctionState state =
                market.<io.leadmkt.schema.AuctionState>store(AuctionProcessor.AUCTIONS_STORE).get("L1");
        assertThat(state.getBids()).allSatisfy(b -> assertThat(b.getRawResponse()).isNull());
    }

    @Test
    void shouldKeepAuctioningWhenBidBytesAreGarbage() {
        // (the bytes go to events.deadletter on a real broker: MarketplaceEndToEndTest)
        submit("L1");
        org.apache.kafka.streams.TestInputTopic<String, byte[]> rawBids = market.rawInput(io.leadmkt.schema.Topics.BIDS);
        rawBids.pipeInput("L1", "{\"price\":\"lots\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        market.bid("L1", "alpha", 1_500);
        market.advance(Duration.ofMillis(BACKSTOP_AT_MS + 20));
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");
    }

    @Test
    void shouldNotPostTheLeadWhenTheConsumerOptsOutWhileTheAuctionRuns() {
        Lead lead = lead("L-optout", market.now()).build();
        market.submit(lead);
        market.onlyPing();
        market.suppressPhoneOf(lead, "opted out by SMS STOP");
        market.bid("L-optout", "alpha", 2_000);
        market.bid("L-optout", "bravo", 1_500);
        market.answer("L-optout", "charlie", BidStatus.PASS, null);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.SUPPRESSED);
        assertThat(market.posts.isEmpty()).as("no buyer receives the lead").isTrue();
        assertThat(market.<Lead>store(AuctionProcessor.LEADS_STORE).get("L-optout")).isNull();
    }

    @Test
    void shouldForgetLeadPiiWhenAuctionCloses() {
        submit("L0");
        assertThat(market.<Lead>store(AuctionProcessor.LEADS_STORE).get("L0")).as("kept while open").isNotNull();
        sellToAlpha("L1");

        io.leadmkt.schema.AuctionState state =
                market.<io.leadmkt.schema.AuctionState>store(AuctionProcessor.AUCTIONS_STORE).get("L1");
        assertThat(state.getOutcome().getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(state.toString()).doesNotContain("Lovelace").doesNotContain("+1512555");
        assertThat(market.<Lead>store(AuctionProcessor.LEADS_STORE).get("L1")).as("PII forgotten at close").isNull();
    }

    @Test
    void shouldRememberAClosedAuctionForItsRetentionThenForgetItWhenTheSweepComes() {
        sellToAlpha("L1");
        KeyValueStore<String, io.leadmkt.schema.AuctionState> auctions = market.store(AuctionProcessor.AUCTIONS_STORE);

        market.advance(Duration.ofMinutes(30));
        assertThat(auctions.get("L1")).as("within its retention: a late answer is told AUCTION_CLOSED").isNotNull();
        market.bid("L1", "alpha", 2_500);
        assertThat(market.audit.readValuesToList()).filteredOn(e -> e.getType() == AuditType.LATE_EVENT)
                .extracting(e -> e.getDetail().get("reason")).containsExactly("AUCTION_CLOSED");

        market.advance(Duration.ofMinutes(30).plus(StoreSweep.EVERY));
        assertThat(auctions.get("L1")).as("past its retention, at the next sweep").isNull();
    }
}
