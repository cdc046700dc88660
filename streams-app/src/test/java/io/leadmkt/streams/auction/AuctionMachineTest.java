package io.leadmkt.streams.auction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leadmkt.schema.AuctionPhase;
import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapRequestKind;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.schema.RoundAnswers;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.auction.AuctionMachine.Emit;
import io.leadmkt.streams.auction.AuctionMachine.LeadChange;
import io.leadmkt.streams.auction.AuctionMachine.Store;
import io.leadmkt.streams.auction.AuctionMachine.Transition;
import io.leadmkt.streams.outcome.Outcomes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The auction's timing rules as plain (state, event, now) → transition calls: no driver, no stores,
 * time passed in. The topology tests check the same rules through Kafka Streams.
 */
class AuctionMachineTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final int BUDGET_MS = 500;
    private static final long BACKSTOP_MS = 5_000;
    private static final AuctionMachine MACHINE = new AuctionMachine(
            new AuctionMachine.Settings(BACKSTOP_MS, 2_000, 3_600_000));

    /** A market with the lead in its store, nobody suppressed, and what capped buyers can still spend. */
    private static final class Market implements AuctionMachine.Market {
        private final Lead lead;
        private final Map<String, Long> spendLeftCents;
        /** How long pings are waiting for the connector, as intake measures it. */
        private long pingWaitMs;

        Market(Lead lead) {
            this(lead, Map.of());
        }

        Market(Lead lead, Map<String, Long> spendLeftCents) {
            this.lead = lead;
            this.spendLeftCents = spendLeftCents;
        }

        @Override
        public Lead lead(String leadId) {
            return lead;
        }

        @Override
        public boolean suppressed(String identityHash) {
            return false;
        }

        @Override
        public Long spendLeftCents(String buyerId, long now) {
            return spendLeftCents.get(buyerId);
        }

        @Override
        public long pingWaitMs(long now) {
            return pingWaitMs;
        }
    }

    private static Lead lead(String leadId) {
        Lead lead = MarketFixtures.lead(leadId, T0).build();
        lead.setEnrichment(new Enrichment("ph", null, "ph", T0, 0L, 80, T0));
        return lead;
    }

    private static QualifiedLead qualified(String leadId, long decideBy, List<List<String>> rounds) {
        List<String> buyers = rounds.stream().flatMap(List::stream).toList();
        return QualifiedLead.newBuilder()
                .setLead(lead(leadId))
                .setCampaignId("camp")
                .setFloorCents(1_000)
                .setPingDeadlineMs(BUDGET_MS)
                .setPostTimeoutMs(3_000)
                .setBuyers(buyers)
                .setRounds(rounds)
                .setDecideBy(decideBy)
                .build();
    }

    private static Bid answer(String leadId, String buyerId, BidStatus status, Long priceCents, String reason,
                              long at) {
        return Bid.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setStatus(status).setPriceCents(priceCents)
                .setPingToken(status == BidStatus.BID ? "tok" : null).setReason(reason).setRespondedAt(at).build();
    }

    private static <T> List<T> emitted(Transition transition, Class<T> type) {
        return transition.emits().stream().map(Emit::value).filter(type::isInstance).map(type::cast).toList();
    }

    private static Market market(QualifiedLead qualified) {
        return new Market(qualified.getLead());
    }

    /** Lead L1's auction of {@code rounds}, to be offered by {@code decideBy}, opened at T0, and its market. */
    private record Opened(Market market, AuctionState state) {
    }

    private static Opened opened(long decideBy, List<List<String>> rounds) {
        QualifiedLead q = qualified("L1", decideBy, rounds);
        Market market = market(q);
        return new Opened(market, MACHINE.open(null, q, market, T0).state());
    }

    @Test
    void shouldPingWithTheBudgetAndSetTheTimerAtTheBackstopWhenTheAuctionOpens() {
        QualifiedLead q = qualified("L1", T0 + 10_000, List.of(List.of("a", "b")));

        Transition opened = MACHINE.open(null, q, market(q), T0 + 100);

        Ping ping = emitted(opened, Ping.class).get(0);
        assertThat(ping.getPingedAt()).isEqualTo(T0 + 100);
        assertThat(ping.getDeadlineAt()).as("the buyers' budget").isEqualTo(T0 + 100 + BUDGET_MS);
        assertThat(ping.getOfferBy()).as("the last moment a buyer may be called").isEqualTo(T0 + 10_000);
        assertThat(opened.timerAt()).as("only a backstop").isEqualTo(T0 + 100 + BUDGET_MS + BACKSTOP_MS);
        assertThat(opened.store()).isEqualTo(Store.SAVE);
        assertThat(opened.lead()).isEqualTo(LeadChange.KEEP);
    }

    @Test
    void shouldCountAnAnswerGivenLongAfterTheBudgetWhenTheBuyerWasCalledLate() {
        QualifiedLead q = qualified("L1", T0 + 10_000, List.of(List.of("a")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        // Our lag: the connector called the buyer 3 s after the ping was written; it answered in 5 ms.
        Transition bid = MACHINE.bid(state, answer("L1", "a", BidStatus.BID, 2_000L, null, T0 + 3_005), T0 + 3_006,
                market, T0 + 3_010);

        assertThat(emitted(bid, Post.class)).singleElement().satisfies(post -> {
            assertThat(post.getBuyerId()).isEqualTo("a");
            assertThat(post.getPriceCents()).isEqualTo(2_000);
        });
        assertThat(bid.state().getPhase()).isEqualTo(AuctionPhase.POSTING);
    }

    @Test
    void shouldIgnoreAnAnswerGivenAfterTheBackstopWhenItComesAtAll() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();
        long backstop = T0 + BUDGET_MS + BACKSTOP_MS;

        Transition late = MACHINE.bid(state, answer("L1", "a", BidStatus.BID, 2_000L, null, backstop - 1), backstop + 1,
                market, backstop + 2);

        assertThat(late.store()).isEqualTo(Store.UNCHANGED);
        assertThat(late.emits()).singleElement().satisfies(e ->
                assertThat(((io.leadmkt.schema.AuditEvent) e.value()).getDetail()).containsEntry("reason", "AFTER_DEADLINE"));
    }

    @Test
    void shouldEndStaleNotNoBidsWhenTheBackstopFiresWithBuyersUnanswered() {
        // Time is left, but the connector is gone: b is not pinged again.
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();
        state = MACHINE.bid(state, answer("L1", "a", BidStatus.PASS, null, null, T0 + 5), T0 + 5, market, T0 + 6)
                .state();

        Transition fired = MACHINE.timer(state, market, MACHINE.timerAt(state));

        assertThat(emitted(fired, Ping.class)).isEmpty();
        Outcome outcome = emitted(fired, Outcome.class).get(0);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.STALE);
        assertThat(fired.lead()).isEqualTo(LeadChange.DROP);
    }

    /** Opens an auction of buyers a and b at T0 and feeds it both answers; the transition of the last one. */
    private static Transition afterBothAnswer(Bid first, Bid second) {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();
        state = MACHINE.bid(state, first, first.getRespondedAt(), market, first.getRespondedAt() + 1).state();
        return MACHINE.bid(state, second, second.getRespondedAt(), market, second.getRespondedAt() + 2);
    }

    private static String outcomeReason(Transition transition) {
        return emitted(transition, Outcome.class).get(0).getReason();
    }

    @Test
    void shouldEndNoBidsWhenEveryBuyerAnsweredWithoutAPrice() {
        Transition last = afterBothAnswer(answer("L1", "a", BidStatus.PASS, null, null, T0 + 5),
                answer("L1", "b", BidStatus.TIMEOUT, null, "TIMEOUT", T0 + 505));

        assertThat(outcomeReason(last)).isEqualTo(Outcomes.NO_BIDS);
    }

    @Test
    void shouldEndStaleWhenTheConnectorFoundTheLeadTooOldToCallItsBuyers() {
        Transition last = afterBothAnswer(answer("L1", "a", BidStatus.TIMEOUT, null, BidReasons.STALE, T0 + 9),
                answer("L1", "b", BidStatus.TIMEOUT, null, BidReasons.STALE, T0 + 9));

        assertThat(outcomeReason(last)).isEqualTo(Outcomes.STALE);
    }

    @Test
    void shouldPingTheUnheardBuyersOnceMoreAndSellWhenTheConnectorHeardNobodyAndTimeIsLeft() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b", "c")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        // A stall: a and b timed out while the connector heard nobody; c's pass is a real answer.
        Transition retried = MACHINE.bid(state, RoundAnswers.together(List.of(
                answer("L1", "a", BidStatus.TIMEOUT, null, BidReasons.NOT_HEARD, T0 + 500),
                answer("L1", "b", BidStatus.TIMEOUT, null, BidReasons.NOT_HEARD, T0 + 500),
                answer("L1", "c", BidStatus.PASS, null, null, T0 + 5))), T0 + 501, market, T0 + 502);

        assertThat(emitted(retried, Outcome.class)).isEmpty();
        assertThat(emitted(retried, Ping.class)).singleElement().satisfies(ping -> {
            assertThat(ping.getBuyers()).as("c's pass stands").containsExactly("a", "b");
            assertThat(ping.getDeadlineAt()).isEqualTo(T0 + 502 + BUDGET_MS);
        });
        assertThat(emitted(retried, AuditEvent.class)).filteredOn(e -> e.getType() == AuditType.PINGED)
                .singleElement().satisfies(e -> assertThat(e.getDetail()).containsEntry("retry", "1"));
        assertThat(retried.state().getPhase()).isEqualTo(AuctionPhase.COLLECTING);
        assertThat(retried.timerAt()).isEqualTo(T0 + 502 + BUDGET_MS + BACKSTOP_MS);

        Transition sold = answeredTogether(retried.state(), market, T0 + 512,
                answer("L1", "a", BidStatus.BID, 2_000L, null, T0 + 510),
                answer("L1", "b", BidStatus.PASS, null, null, T0 + 511));

        assertThat(postedTo(sold)).isEqualTo("a");
    }

    @Test
    void shouldNotTakeAnAnswerToTheFirstPingReadAgainAsTheAnswerToItsRetry() {
        Opened auction = opened(T0 + 60_000, List.of(List.of("a", "b")));
        Market market = auction.market();
        Transition retried = answeredTogether(auction.state(), market, T0 + 501,
                answer("L1", "a", BidStatus.TIMEOUT, null, null, T0 + 300),
                answer("L1", "b", BidStatus.TIMEOUT, null, null, T0 + 300));
        assertPingedOnceMore(retried, "a", "b");

        // b's first timeout comes round again (a redelivery); then the retry's real answers.
        Transition again = MACHINE.bid(AuctionState.newBuilder(retried.state()).build(),
                answer("L1", "b", BidStatus.TIMEOUT, null, null, T0 + 300), T0 + 520, market, T0 + 521);
        assertThat(again.store()).isEqualTo(AuctionMachine.Store.UNCHANGED);
        assertThat(emitted(again, AuditEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(AuditType.LATE_EVENT);
            assertThat(e.getDetail()).containsEntry("reason", "DUPLICATE_BID");
        });
        Transition last = answeredTogether(retried.state(), market, T0 + 1_010,
                answer("L1", "a", BidStatus.PASS, null, null, T0 + 900),
                answer("L1", "b", BidStatus.TIMEOUT, null, BidReasons.NOT_HEARD, T0 + 1_009));

        assertThat(outcomeReason(last)).as("b was never heard on the retry").isEqualTo(Outcomes.STALE);
    }

    @Test
    void shouldEndStaleNotNoBidsWhenTheBuyersPingedAgainAreStillNotHeard() {
        Transition last = afterTimingOutTwice(BidReasons.NOT_HEARD);

        assertThat(emitted(last, Ping.class)).as("pinged again once only").isEmpty();
        assertThat(outcomeReason(last)).isEqualTo(Outcomes.STALE);
    }

    /**
     * Opens an auction of buyers a and b at T0; both time out together (with {@code reason}), are pinged
     * once more, and time out together again: the transition of the second round's answers.
     */
    private static Transition afterTimingOutTwice(String reason) {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();
        Transition retried = answeredTogether(state, market, T0 + 501,
                answer("L1", "a", BidStatus.TIMEOUT, null, reason, T0 + 500),
                answer("L1", "b", BidStatus.TIMEOUT, null, reason, T0 + 500));
        assertPingedOnceMore(retried, "a", "b");
        return answeredTogether(retried.state(), market, T0 + 1_003,
                answer("L1", "a", BidStatus.TIMEOUT, null, reason, T0 + 1_002),
                answer("L1", "b", BidStatus.TIMEOUT, null, reason, T0 + 1_002));
    }

    /** The round's answers on one record, read at {@code readAt} and handled a millisecond later. */
    private static Transition answeredTogether(AuctionState state, Market market, long readAt, Bid... answers) {
        return MACHINE.bid(state, RoundAnswers.together(List.of(answers)), readAt, market, readAt + 1);
    }

    /** The one buyer the transition posted the lead to. */
    private static String postedTo(Transition transition) {
        return emitted(transition, Post.class).stream().map(Post::getBuyerId).reduce((a, b) -> {
            throw new AssertionError("posted twice: " + a + ", " + b);
        }).orElseThrow(() -> new AssertionError("not posted"));
    }

    /** The round was offered again, to {@code buyers}, instead of ending. */
    private static void assertPingedOnceMore(Transition retried, String... buyers) {
        assertThat(emitted(retried, Outcome.class)).isEmpty();
        assertThat(emitted(retried, Ping.class)).singleElement()
                .satisfies(ping -> assertThat(ping.getBuyers()).containsExactly(buyers));
        assertThat(emitted(retried, AuditEvent.class)).filteredOn(e -> e.getType() == AuditType.PINGED)
                .singleElement().satisfies(e -> assertThat(e.getDetail()).containsEntry("retry", "1"));
    }

    @Test
    void shouldPingEveryBuyerOnceMoreAndSellWhenAllTimedOutTogetherThoughOthersWereHeard() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b", "c")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        // Plain timeouts (the connector heard other buyers meanwhile), but every buyer of the round at once.
        Transition retried = answeredTogether(state, market, T0 + 501,
                answer("L1", "a", BidStatus.TIMEOUT, null, null, T0 + 500),
                answer("L1", "b", BidStatus.TIMEOUT, null, null, T0 + 500),
                answer("L1", "c", BidStatus.TIMEOUT, null, null, T0 + 500));

        assertPingedOnceMore(retried, "a", "b", "c");

        Transition sold = answeredTogether(retried.state(), market, T0 + 1_003,
                answer("L1", "a", BidStatus.PASS, null, null, T0 + 505),
                answer("L1", "b", BidStatus.BID, 2_000L, null, T0 + 506),
                answer("L1", "c", BidStatus.TIMEOUT, null, null, T0 + 1_002));

        assertThat(postedTo(sold)).isEqualTo("b");
    }

    @Test
    void shouldEndNoBidsWhenEveryBuyerTimesOutTogetherAgainAfterTheRetry() {
        Transition last = afterTimingOutTwice(null);

        assertThat(emitted(last, Ping.class)).as("pinged again once only").isEmpty();
        assertThat(outcomeReason(last)).isEqualTo(Outcomes.NO_BIDS);
    }

    @Test
    void shouldNotPingAgainWhenSomeBuyersOfTheRoundAnsweredAndTheRestTimedOut() {
        Opened auction = opened(T0 + 60_000, List.of(List.of("a", "b")));

        Transition last = answeredTogether(auction.state(), auction.market(), T0 + 501,
                answer("L1", "a", BidStatus.PASS, null, null, T0 + 5),
                answer("L1", "b", BidStatus.TIMEOUT, null, null, T0 + 500));

        assertThat(emitted(last, Ping.class)).isEmpty();
        assertThat(outcomeReason(last)).isEqualTo(Outcomes.NO_BIDS);
    }

    @Test
    void shouldMoveOnWithoutPingingAgainWhenALoneBuyerOfAWaterfallStepTimesOut() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a"), List.of("b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        Transition next = MACHINE.bid(state, answer("L1", "a", BidStatus.TIMEOUT, null, null, T0 + 500), T0 + 501,
                market, T0 + 502);

        assertThat(emitted(next, Ping.class)).singleElement()
                .satisfies(ping -> assertThat(ping.getBuyers()).as("the next step, not a again").containsExactly("b"));
    }

    @Test
    void shouldEndStaleWithoutPingingTheNextWaterfallStepWhenItsPingWouldReachTheBuyerTooLate() {
        assertThat(emitted(afterTheFirstStepPasses(1_500), Ping.class)).as("read 100 ms past offerBy").isEmpty();
        assertThat(outcomeReason(afterTheFirstStepPasses(1_500))).isEqualTo(Outcomes.STALE);

        assertThat(emitted(afterTheFirstStepPasses(1_000), Ping.class)).as("read in time").singleElement()
                .satisfies(ping -> assertThat(ping.getBuyers()).containsExactly("b"));
    }

    /**
     * A waterfall of a then b whose lead must be offered by T0 + 2 s: a passes at T0 + 600 ms, when pings
     * are waiting {@code pingWaitMs} for the connector.
     */
    private static Transition afterTheFirstStepPasses(long pingWaitMs) {
        Opened auction = opened(T0 + 2_000, List.of(List.of("a"), List.of("b")));
        auction.market().pingWaitMs = pingWaitMs;
        return MACHINE.bid(auction.state(), answer("L1", "a", BidStatus.PASS, null, null, T0 + 600), T0 + 601,
                auction.market(), T0 + 602);
    }

    @Test
    void shouldNotPingAgainWhenTheRetryWouldReachTheBuyersTooLate() {
        Opened auction = opened(T0 + 2_000, List.of(List.of("a", "b")));
        auction.market().pingWaitMs = 1_600;

        Transition last = answeredTogether(auction.state(), auction.market(), T0 + 501,
                answer("L1", "a", BidStatus.TIMEOUT, null, BidReasons.NOT_HEARD, T0 + 500),
                answer("L1", "b", BidStatus.TIMEOUT, null, BidReasons.NOT_HEARD, T0 + 500));

        assertThat(emitted(last, Ping.class)).isEmpty();
        assertThat(outcomeReason(last)).isEqualTo(Outcomes.STALE);
    }

    /**
     * The connector let b go {@code OVERDUE} because a's bid was in hand; a rejects the post. b was never
     * heard, so it is offered the lead again, and its bid sells it (seen on a real broker: a capped buyer's
     * bid in hand, the uncapped buyer let go, the lead ended CAPPED).
     */
    @Test
    void shouldPingTheBuyerLetGoOverdueAgainAndSellWhenTheBidInHandIsRejected() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        Transition posted = withBLetGoOverdue(q, market);
        assertThat(postedTo(posted)).isEqualTo("a");

        Transition retried = MACHINE.postResult(posted.state(), postResult("a", PostStatus.REJECTED, T0 + 320),
                market, T0 + 321);

        assertPingedOnceMore(retried, "b");
        assertThat(retried.state().getPhase()).isEqualTo(AuctionPhase.COLLECTING);
        assertThat(retried.timerAt()).isEqualTo(T0 + 321 + BUDGET_MS + BACKSTOP_MS);

        Transition sold = MACHINE.bid(retried.state(), answer("L1", "b", BidStatus.BID, 2_000L, null, T0 + 400),
                T0 + 401, market, T0 + 402);

        assertThat(postedTo(sold)).as("a rejected it: not posted again").isEqualTo("b");
    }

    /** The same when the bid in hand is a capped buyer's above what it can still spend: refused without a post. */
    @Test
    void shouldPingTheBuyerLetGoOverdueAgainWhenTheBidInHandIsOverItsBuyersSpendLeft() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        q.setBuyerTerms(Map.of("a", PricingFixtures.buyerTerms().setCapped(true).build()));
        Market spent = new Market(q.getLead(), Map.of("a", 1_000L));

        Transition retried = withBLetGoOverdue(q, spent);

        assertThat(emitted(retried, AuditEvent.class)).extracting(AuditEvent::getType)
                .contains(AuditType.CAP_REFUSED);
        assertPingedOnceMore(retried, "b");
    }

    @Test
    void shouldEndAllRejectedWhenTheBuyerLetGoOverdueWasAlreadyPingedAgain() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        AuctionState posted = withBLetGoOverdue(q, market).state();
        posted.setPingRetries(1);

        Transition last = MACHINE.postResult(posted, postResult("a", PostStatus.REJECTED, T0 + 320), market, T0 + 321);

        assertThat(emitted(last, Ping.class)).as("pinged again once only").isEmpty();
        assertThat(outcomeReason(last)).isEqualTo(Outcomes.ALL_REJECTED);
    }

    /** Opens the auction of buyers a and b at T0: a bids $30.00, and the connector lets b go OVERDUE for it. */
    private static Transition withBLetGoOverdue(QualifiedLead q, Market market) {
        AuctionState state = MACHINE.open(null, q, market, T0).state();
        return answeredTogether(state, market, T0 + 301,
                answer("L1", "a", BidStatus.BID, 3_000L, null, T0 + 5),
                answer("L1", "b", BidStatus.TIMEOUT, null, BidReasons.OVERDUE, T0 + 300));
    }

    /** Opens L1's auction of buyers a and b at T0: a bids $30.00, b $20.00, read together; the post to a. */
    private static Transition bothBid(QualifiedLead q, Market market) {
        return answeredTogether(MACHINE.open(null, q, market, T0).state(), market, T0 + 10,
                answer("L1", "a", BidStatus.BID, 3_000L, null, T0 + 5),
                answer("L1", "b", BidStatus.BID, 2_000L, null, T0 + 6));
    }

    /** As {@link #bothBid}, then a's post ends {@code status} ({@code reason}), read 1 ms after {@code at}. */
    private static Transition aFirstPostEnded(QualifiedLead q, Market market, PostStatus status, String reason,
                                              long at) {
        return MACHINE.postResult(bothBid(q, market).state(), postResult("a", 1, status, reason, at), market, at + 1);
    }

    /** Opens L1's auction at T0 with a alone in its first round, bidding $20.00: the state posting to a. */
    private static AuctionState aBids(QualifiedLead q, Market market) {
        AuctionState state = MACHINE.open(null, q, market, T0).state();
        return MACHINE.bid(state, answer("L1", "a", BidStatus.BID, 2_000L, null, T0 + 5), T0 + 5, market, T0 + 6)
                .state();
    }

    /** The result of lead L1's first post, to {@code buyerId}. */
    private static PostResult postResult(String buyerId, PostStatus status, long at) {
        return postResult(buyerId, 1, status, null, at);
    }

    /** The result of lead L1's post {@code attempt}, to {@code buyerId}. */
    private static PostResult postResult(String buyerId, int attempt, PostStatus status, String reason, long at) {
        return PostResult.newBuilder().setLeadId("L1").setBuyerId(buyerId).setAttempt(attempt).setStatus(status)
                .setReason(reason).setRespondedAt(at).build();
    }

    @Test
    void shouldShedWithoutPingingWhenTheLeadCanNoLongerBeOfferedAtOpening() {
        QualifiedLead q = qualified("L1", T0 + 10_000, List.of(List.of("a")));

        // 10.001 s after arrival: past the lead's decide-by, nobody may be called any more.
        Transition opened = MACHINE.open(null, q, market(q), T0 + 10_001);

        assertThat(emitted(opened, Ping.class)).isEmpty();
        assertThat(emitted(opened, Outcome.class)).singleElement()
                .satisfies(o -> assertThat(o.getReason()).isEqualTo(Outcomes.STALE));
        assertThat(opened.lead()).isEqualTo(LeadChange.DROP);
    }

    @Test
    void shouldShedTheNextWaterfallStepWhenItCouldNoLongerBeAnsweredInTime() {
        QualifiedLead q = qualified("L1", T0 + 10_000, List.of(List.of("a"), List.of("b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        // a's answer was read 10.2 s in (a takeover's backlog): too late to call b.
        Transition t = MACHINE.bid(state, answer("L1", "a", BidStatus.PASS, null, null, T0 + 400), T0 + 400, market,
                T0 + 10_200);

        assertThat(emitted(t, Ping.class)).isEmpty();
        assertThat(emitted(t, Outcome.class)).singleElement()
                .satisfies(o -> assertThat(o.getReason()).isEqualTo(Outcomes.STALE));
    }

    @Test
    void shouldNeverShedWhenTheStateHasNoDecideBy() {
        QualifiedLead q = qualified("L1", 0, List.of(List.of("a")));

        Transition opened = MACHINE.open(null, q, market(q), T0 + 3_600_000);

        assertThat(emitted(opened, Ping.class)).singleElement()
                .satisfies(p -> assertThat(p.getOfferBy()).isZero());
    }

    @Test
    void shouldWriteATimeoutMarkerNotSettleWhenThePostTimerFires() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a")));
        Market market = market(q);
        AuctionState state = aBids(q, market);

        Transition fired = MACHINE.timer(state, market, MACHINE.timerAt(state));

        assertThat(fired.store()).isEqualTo(Store.UNCHANGED);
        assertThat(emitted(fired, PostResult.class)).singleElement().satisfies(marker -> {
            assertThat(marker.getStatus()).isEqualTo(PostStatus.TIMEOUT);
            assertThat(marker.getReason()).isEqualTo(AuctionMachine.NO_POST_RESULT);
        });
    }

    /**
     * A post the connector never sent (read past its sendBy), when the lead can no longer be offered within
     * its time to decision, is no refusal of the buyer's: the next-best bid is posted, and when that buyer
     * rejects too the lead is the platform's loss, STALE, not ALL_REJECTED.
     */
    @Test
    void shouldEndStaleNotAllRejectedWhenAPostNeverReachedItsBuyer() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        Transition posted = bothBid(q, market);

        Transition next = MACHINE.postResult(posted.state(), postResult("a", 1, PostStatus.TIMEOUT,
                PostReasons.DEADLINE_PASSED, T0 + 70_000), market, T0 + 70_001);
        assertThat(postedTo(next)).as("still on to the next-best").isEqualTo("b");
        Transition last = MACHINE.postResult(next.state(), postResult("b", 2, PostStatus.REJECTED, null, T0 + 70_050),
                market, T0 + 70_051);

        assertThat(outcomeReason(last)).isEqualTo(Outcomes.STALE);
    }

    /**
     * The winner never saw the lead (the connector's queue held the post for the buyer's whole timeout):
     * passing it to the next-best would sell below the best bid because of us, so the winner gets it again,
     * at the same price, as a new attempt.
     */
    @Test
    void shouldPostAgainToTheWinnerAtTheSamePriceWhenOurSideNeverSentItsPost() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        Transition posted = bothBid(q, market);
        Post first = emitted(posted, Post.class).get(0);

        Transition again = MACHINE.postResult(posted.state(), postResult("a", 1, PostStatus.ERROR,
                PostReasons.NOT_SENT, T0 + 3_020), market, T0 + 3_021);

        Post second = onlyPost(again, "a", 2);
        assertThat(second.getPriceCents()).isEqualTo(first.getPriceCents());
        assertThat(second.getSendBy()).isEqualTo(T0 + 3_021 + BACKSTOP_MS);
        assertThat(again.state().getPhase()).isEqualTo(AuctionPhase.POSTING);
        assertThat(emitted(again, Outcome.class)).isEmpty();

        Transition sold = MACHINE.postResult(again.state(), postResult("a", 2, PostStatus.ACCEPTED, null, T0 + 3_100),
                market, T0 + 3_101);

        assertThat(emitted(sold, Outcome.class)).singleElement().satisfies(outcome -> {
            assertThat(outcome.getBuyerId()).isEqualTo("a");
            assertThat(outcome.getPriceCents()).isEqualTo(first.getPriceCents());
        });
    }

    /** Once only: a connector behind for longer than that is over capacity, and the next-best bid is the answer. */
    @Test
    void shouldPostToTheNextBestWhenTheWinnersSecondPostWasNeverSentEither() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        Transition again = aFirstPostEnded(q, market, PostStatus.TIMEOUT, PostReasons.DEADLINE_PASSED, T0 + 5_020);
        assertThat(postedTo(again)).isEqualTo("a");

        Transition next = MACHINE.postResult(again.state(), postResult("a", 2, PostStatus.TIMEOUT,
                PostReasons.DEADLINE_PASSED, T0 + 10_030), market, T0 + 10_031);

        onlyPost(next, "b", 3);
    }

    /** A post whose answer never came may be a Kafka-native buyer's own silence: no second post to it. */
    @Test
    void shouldPostToTheNextBestWhenThePostsResultNeverCame() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);

        Transition next = aFirstPostEnded(q, market, PostStatus.TIMEOUT, AuctionMachine.NO_POST_RESULT, T0 + 10_020);

        assertThat(postedTo(next)).isEqualTo("b");
    }

    /** A capped winner's hold went back with the undelivered post's result: a new hold comes first. */
    @Test
    void shouldAskForANewHoldBeforePostingACappedWinnerAgainWhenItsPostWasNeverSent() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        q.setBuyerTerms(Map.of("a", PricingFixtures.buyerTerms().setCapped(true).build()));
        Market market = market(q);
        Transition reserving = bothBid(q, market);
        CapRequest hold = emitted(reserving, CapRequest.class).get(0);
        Transition posted = MACHINE.capDecision(reserving.state(), CapDecision.newBuilder().setLeadId("L1")
                .setBuyerId("a").setAttempt(1).setGranted(true).setDecidedAt(T0 + 20).build(), market, T0 + 21);
        assertThat(postedTo(posted)).isEqualTo("a");

        Transition again = MACHINE.postResult(posted.state(), postResult("a", 1, PostStatus.ERROR,
                PostReasons.NOT_SENT, T0 + 3_030), market, T0 + 3_031);

        assertThat(emitted(again, CapRequest.class)).extracting(CapRequest::getBuyerId, CapRequest::getAttempt,
                CapRequest::getKind, CapRequest::getPriceCents).containsExactly(
                tuple("a", 1, CapRequestKind.RELEASE, hold.getPriceCents()),
                tuple("a", 2, CapRequestKind.RESERVE, hold.getPriceCents()));
        assertThat(emitted(again, Post.class)).isEmpty();
        assertThat(again.state().getPhase()).isEqualTo(AuctionPhase.RESERVING);

        Transition reposted = MACHINE.capDecision(again.state(), CapDecision.newBuilder().setLeadId("L1")
                .setBuyerId("a").setAttempt(2).setGranted(true).setDecidedAt(T0 + 3_040).build(), market, T0 + 3_041);

        onlyPost(reposted, "a", 2);
    }

    /**
     * The spend left the market last heard of still counts the hold that went back with the unsent post:
     * the winner that can afford the lead with it is asked for a new hold, not refused without one.
     */
    @Test
    void shouldAskForANewHoldWhenTheSpendLeftStillCountsTheHoldJustReleased() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        q.setBuyerTerms(Map.of("a", PricingFixtures.buyerTerms().setCapped(true).build()));
        Map<String, Long> spendLeft = new HashMap<>();
        Market market = new Market(q.getLead(), spendLeft);
        Transition reserving = bothBid(q, market);
        long price = emitted(reserving, CapRequest.class).get(0).getPriceCents();
        Transition posted = MACHINE.capDecision(reserving.state(), CapDecision.newBuilder().setLeadId("L1")
                .setBuyerId("a").setAttempt(1).setGranted(true).setDecidedAt(T0 + 20).build(), market, T0 + 21);
        // Its cap keeper, refusing another lead meanwhile, said a has nothing left beyond this lead's hold.
        spendLeft.put("a", 0L);

        Transition again = MACHINE.postResult(posted.state(), postResult("a", 1, PostStatus.ERROR,
                PostReasons.NOT_SENT, T0 + 3_030), market, T0 + 3_031);

        assertThat(emitted(again, CapRequest.class))
                .extracting(CapRequest::getKind, CapRequest::getAttempt, CapRequest::getPriceCents)
                .containsExactly(tuple(CapRequestKind.RELEASE, 1, price), tuple(CapRequestKind.RESERVE, 2, price));
        assertThat(again.state().getPhase()).isEqualTo(AuctionPhase.RESERVING);
    }

    /**
     * A round's answers say how long the connector took to call its buyers: the earliest call (throttled
     * buyers are answered at once) less the ping's writing. A Kafka-native buyer's times are its own.
     */
    @Test
    void shouldMeasureThePingsWaitForTheConnectorFromTheEarliestCallOfTheRound() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b", "k")));
        AuctionState collecting = MACHINE.open(null, q, market(q), T0 + 100).state();
        Bid a = answer("L1", "a", BidStatus.BID, 3_000L, null, T0 + 400);
        a.setLatencyMs(40); // called at +360
        Bid b = answer("L1", "b", BidStatus.ERROR, null, "THROTTLED", T0 + 350); // not called: answered at its read
        Bid k = answer("L1", "k", BidStatus.BID, 9_000L, null, T0 + 120);

        assertThat(MACHINE.pingWaitMs(collecting, RoundAnswers.together(List.of(a, b)), "k"::equals))
                .hasValue(250);
        assertThat(MACHINE.pingWaitMs(collecting, k, "k"::equals)).as("a Kafka-native buyer's own clock").isEmpty();
        assertThat(MACHINE.pingWaitMs(null, a, "k"::equals)).isEmpty();
    }

    /** The transition's one post, checked to be {@code buyerId}'s {@code attempt}-th of the lead. */
    private static Post onlyPost(Transition transition, String buyerId, int attempt) {
        List<Post> posts = emitted(transition, Post.class);
        assertThat(posts).extracting(Post::getBuyerId, Post::getAttempt).containsExactly(tuple(buyerId, attempt));
        return posts.get(0);
    }

    @Test
    void shouldEndAllRejectedWhenEveryBidderTurnedThePostDown() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        Transition posted = bothBid(q, market);

        Transition next = MACHINE.postResult(posted.state(), postResult("a", 1, PostStatus.TIMEOUT, "TIMEOUT",
                T0 + 3_020), market, T0 + 3_021);
        Transition last = MACHINE.postResult(next.state(), postResult("b", 2, PostStatus.REJECTED, null, T0 + 3_050),
                market, T0 + 3_051);

        assertThat(outcomeReason(last)).as("the buyer's own timeout is its answer").isEqualTo(Outcomes.ALL_REJECTED);
    }

    @Test
    void shouldEndStaleWhenTheAuctionsOwnMarkerSettledTheOnlyPost() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a")));
        Market market = market(q);
        AuctionState state = aBids(q, market);
        PostResult marker = emitted(MACHINE.timer(state, market, MACHINE.timerAt(state)), PostResult.class).get(0);

        Transition settled = MACHINE.postResult(state, marker, market, MACHINE.timerAt(state) + 20);

        assertThat(outcomeReason(settled)).isEqualTo(Outcomes.STALE);
    }

    /** A waterfall whose first buyer's post was never sent and whose second buyer passes: not NO_BIDS. */
    @Test
    void shouldEndStaleWhenALaterRoundHasNoBidsAfterAnUndeliveredPost() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a"), List.of("b")));
        Market market = market(q);
        AuctionState state = aBids(q, market);
        Transition again = MACHINE.postResult(state, postResult("a", 1, PostStatus.ERROR, PostReasons.NOT_SENT,
                T0 + 3_010), market, T0 + 3_011);
        assertThat(postedTo(again)).as("given to its winner once more first").isEqualTo("a");
        Transition secondRound = MACHINE.postResult(again.state(), postResult("a", 2, PostStatus.ERROR,
                PostReasons.NOT_SENT, T0 + 6_020), market, T0 + 6_021);
        assertThat(emitted(secondRound, Ping.class)).singleElement()
                .satisfies(ping -> assertThat(ping.getBuyers()).containsExactly("b"));
        assertThat(emitted(secondRound, AuditEvent.class)).filteredOn(e -> e.getType() == AuditType.ROUND_EXHAUSTED)
                .singleElement().satisfies(e -> assertThat(e.getDetail()).containsEntry("reason", Outcomes.STALE));

        Transition last = MACHINE.bid(secondRound.state(), answer("L1", "b", BidStatus.PASS, null, null, T0 + 3_020),
                T0 + 3_020, market, T0 + 3_021);

        assertThat(outcomeReason(last)).isEqualTo(Outcomes.STALE);
    }

    /**
     * A waterfall whose first buyer was never heard (the connector gone past the backstop) and whose second
     * buyer passes: the first might have bought the lead, so it is shed, not unsold for want of bids.
     */
    @Test
    void shouldEndStaleNotNoBidsWhenALaterRoundPassesAfterAnEarlierRoundsBuyerWasNeverHeard() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a"), List.of("b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();
        long backstop = MACHINE.timerAt(state);
        Transition secondRound = MACHINE.timer(state, market, backstop);
        assertThat(emitted(secondRound, Ping.class)).singleElement()
                .satisfies(ping -> assertThat(ping.getBuyers()).containsExactly("b"));
        long at = backstop + 20;

        Transition last = MACHINE.bid(secondRound.state(), answer("L1", "b", BidStatus.PASS, null, null, at), at,
                market, at + 1);

        assertThat(outcomeReason(last)).isEqualTo(Outcomes.STALE);
    }

    /**
     * A post may be sent until the backstop after it was written, and the buyer then has its whole budget:
     * the auction waits that long before it writes its marker, so a connector restart does not pass a
     * winning bid on to the next-best.
     */
    @Test
    void shouldWaitForThePostsResultUntilItsSendByPlusItsBudgetWhenTheConnectorIsBehind() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);

        Transition posted = bothBid(q, market);

        assertThat(emitted(posted, Post.class)).singleElement().satisfies(post -> {
            assertThat(post.getDeadlineAt() - post.getPostedAt()).as("the budget").isEqualTo(3_000);
            assertThat(post.getSendBy()).isEqualTo(T0 + 11 + BACKSTOP_MS);
        });
        assertThat(posted.timerAt()).isEqualTo(T0 + 11 + BACKSTOP_MS + 3_000 + 2_000);

        // The connector came back after 7 s, past the old deadline plus grace, and the buyer accepted.
        Transition sold = MACHINE.postResult(posted.state(), postResult("a", PostStatus.ACCEPTED, T0 + 7_300), market,
                T0 + 7_301);

        assertThat(emitted(sold, Outcome.class)).singleElement().satisfies(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SOLD);
            assertThat(outcome.getBuyerId()).isEqualTo("a");
        });
    }

    /**
     * The cap keeper is ours: a hold it has not answered (restoring after a takeover, a backlog) is waited
     * for until the backstop, then refused by the auction's own marker, and the next-best bid is posted.
     */
    @Test
    void shouldWaitForTheCapKeeperUntilTheBackstopThenPostTheNextBestWhenItNeverAnswers() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        q.setBuyerTerms(Map.of("a", PricingFixtures.buyerTerms().setCapped(true).build()));
        Market market = market(q);

        Transition reserving = bothBid(q, market);

        assertThat(reserving.state().getPhase()).isEqualTo(AuctionPhase.RESERVING);
        assertThat(emitted(reserving, CapRequest.class)).singleElement()
                .satisfies(request -> assertThat(request.getKind()).isEqualTo(CapRequestKind.RESERVE));
        assertThat(reserving.timerAt()).isEqualTo(T0 + 11 + BACKSTOP_MS + 2_000);

        Transition fired = MACHINE.timer(reserving.state(), market, reserving.timerAt());
        CapDecision marker = emitted(fired, CapDecision.class).get(0);
        assertThat(marker.getGranted()).isFalse();
        assertThat(marker.getReason()).isEqualTo(AuctionMachine.NO_CAP_DECISION);

        Transition next = MACHINE.capDecision(reserving.state(), marker, market, reserving.timerAt() + 5);

        assertThat(postedTo(next)).isEqualTo("b");
    }

    @Test
    void shouldMoveTheTimerOnlyWhenThePhaseChanges() {
        QualifiedLead q = qualified("L1", T0 + 60_000, List.of(List.of("a", "b")));
        Market market = market(q);
        Transition opened = MACHINE.open(null, q, market, T0);

        Transition first = MACHINE.bid(opened.state(), answer("L1", "a", BidStatus.BID, 2_000L, null, T0 + 5), T0 + 5,
                market, T0 + 6);

        assertThat(first.timerBefore()).isEqualTo(opened.timerAt());
        assertThat(first.timerAt()).as("still collecting: the same backstop").isEqualTo(opened.timerAt());
        assertThat(first.state().getPhase()).isEqualTo(AuctionPhase.COLLECTING);
    }

    @Test
    void shouldAuditTheRoundsAnswersInOneRecordWhenTheRoundCloses() {
        QualifiedLead q = qualified("L1", T0 + 10_000, List.of(List.of("a", "b", "c")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        Transition first = MACHINE.bid(state, answer("L1", "a", BidStatus.BID, 2_000L, null, T0 + 5), T0 + 5,
                market, T0 + 6);
        Bid garbage = answer("L1", "b", BidStatus.ERROR, null, "BAD_JSON", T0 + 7);
        garbage.setRawResponse("<html>oops</html>");
        Transition second = MACHINE.bid(first.state(), garbage, T0 + 7, market, T0 + 8);
        assertThat(emitted(first, AuditEvent.class)).as("a bid alone is not a record of its own").isEmpty();
        assertThat(emitted(second, AuditEvent.class)).isEmpty();

        // c never answers: the backstop closes the round.
        Transition closed = MACHINE.timer(second.state(), market, T0 + BUDGET_MS + BACKSTOP_MS);

        AuditEvent audit = emitted(closed, AuditEvent.class).stream()
                .filter(e -> e.getType() == AuditType.AUCTION_CLOSED).findFirst().orElseThrow();
        assertThat(audit.getAnswers()).extracting(AuditAnswer::getBuyerId, AuditAnswer::getStatus,
                        AuditAnswer::getPriceCents, AuditAnswer::getResponse)
                .containsExactly(tuple("a", "BID", 2_000L, null), tuple("b", "ERROR", null, "<html>oops</html>"));
        assertThat(audit.getDetail()).containsEntry("unanswered", "c").containsEntry("winnable", "1");
        assertThat(closed.state().getBids()).as("the raw body went to the audit trail, not the stored state")
                .allSatisfy(b -> assertThat(b.getRawResponse()).isNull());
    }

    @Test
    void shouldCloseTheRoundInOneStepWhenItsAnswersComeOnOneRecord() {
        QualifiedLead q = qualified("L1", T0 + 10_000, List.of(List.of("a", "b", "c")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        Bid round = RoundAnswers.together(List.of(
                answer("L1", "a", BidStatus.BID, 2_000L, null, T0 + 5),
                answer("L1", "b", BidStatus.BID, 3_000L, null, T0 + 6),
                answer("L1", "c", BidStatus.PASS, null, null, T0 + 7)));
        Transition closed = MACHINE.bid(state, round, T0 + 8, market, T0 + 9);

        assertThat(emitted(closed, Post.class)).singleElement()
                .satisfies(post -> assertThat(post.getBuyerId()).as("the best of the round").isEqualTo("b"));
        assertThat(closed.state().getPhase()).isEqualTo(AuctionPhase.POSTING);
        assertThat(closed.state().getBids()).extracting(Bid::getBuyerId).containsExactly("a", "b", "c");
        assertThat(closed.state().getBids()).as("each answer stored once, none carrying the others")
                .allSatisfy(b -> assertThat(b.getRoundAnswers()).isEmpty());
        AuditEvent audit = emitted(closed, AuditEvent.class).stream()
                .filter(e -> e.getType() == AuditType.AUCTION_CLOSED).findFirst().orElseThrow();
        assertThat(audit.getAnswers()).extracting(AuditAnswer::getBuyerId).containsExactly("a", "b", "c");
    }

    @Test
    void shouldJudgeEachAnswerOnARoundRecordAsIfItCameAloneWhenSomeDoNotCount() {
        QualifiedLead q = qualified("L1", T0 + 10_000, List.of(List.of("a", "b")));
        Market market = market(q);
        AuctionState state = MACHINE.open(null, q, market, T0).state();

        // "x" was never pinged and "a" answers twice: both are late events; "b" still has to answer.
        Bid round = RoundAnswers.together(List.of(
                answer("L1", "a", BidStatus.BID, 2_000L, null, T0 + 5),
                answer("L1", "x", BidStatus.BID, 9_000L, null, T0 + 5),
                answer("L1", "a", BidStatus.BID, 4_000L, null, T0 + 6)));
        Transition step = MACHINE.bid(state, round, T0 + 7, market, T0 + 8);

        assertThat(step.state().getPhase()).isEqualTo(AuctionPhase.COLLECTING);
        assertThat(step.state().getBids()).extracting(Bid::getBuyerId, Bid::getPriceCents)
                .containsExactly(tuple("a", 2_000L));
        assertThat(emitted(step, AuditEvent.class)).extracting(e -> e.getDetail().get("reason"))
                .containsExactly("NOT_PINGED", "DUPLICATE_BID");
    }
}
