package io.leadmkt.streams.auction;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuctionPhase;
import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapRequestKind;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.PricingMode;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.auction.AuctionMachine.Emit;
import io.leadmkt.streams.auction.AuctionMachine.Transition;
import io.leadmkt.streams.comply.TimeToDecision;
import io.leadmkt.streams.outcome.Outcomes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The auction's rules as properties (jqwik): one lead's auction driven through a simulated world —
 * buyers that bid, pass, err, time out, answer late or never, posts accepted, rejected, never sent or
 * never answered, cap keepers that grant, refuse or say nothing, a consumer who may opt out midway —
 * with its events delivered in any order, some twice, and the clock jumping ahead as a stalled machine's
 * does. The state is kept as {@link AuctionProcessor} keeps it: a copy read from the store before each
 * event, written back only when the transition says so, and the timer as the processor's index holds it.
 * Whatever happens, the invariants below hold; {@link AuctionMachineTest} pins each rule's own case.
 */
class AuctionMachinePropertiesTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long FLOOR_CENTS = 1_000;
    private static final int BUDGET_MS = 500;
    private static final int POST_TIMEOUT_MS = 3_000;
    private static final long BACKSTOP_MS = 5_000;
    private static final AuctionMachine MACHINE = new AuctionMachine(
            new AuctionMachine.Settings(BACKSTOP_MS, 2_000, 60_000));
    /** More events than any auction of three rounds with its retries needs: an auction still open after them never ends. */
    private static final int MAX_STEPS = 500;

    /** How a buyer answers a ping. */
    enum Answer {
        BID_OVER_FLOOR, BID_UNDER_FLOOR, PASS, ERROR, TIMEOUT, NOT_HEARD, OVERDUE, STALE, CALLED_LATE, SILENT;

        boolean priced() {
            return this == BID_OVER_FLOOR || this == BID_UNDER_FLOOR;
        }
    }

    /** How a buyer (or our connector on its behalf) answers a post. */
    enum PostAnswer { ACCEPTED, REJECTED, NOT_SENT, DEADLINE_PASSED, SILENT }

    /** How a capped buyer's cap keeper answers a hold. */
    enum CapAnswer { GRANT, REFUSE, SILENT }

    /**
     * One buyer: pinged or at a fixed price, capped or not, and its answers to its first and second ping,
     * post and hold, in order (the last repeats).
     */
    record Script(boolean fixedPrice, boolean capped, long priceCents, Long spendLeftCents, List<Answer> answers,
                  List<PostAnswer> posts, List<CapAnswer> holds, Scoring scoring) {
        <T> T nth(List<T> list, int n) {
            return list.get(Math.min(n, list.size() - 1));
        }

        /** Its bid's price: over the floor or under it, as its answer says. */
        long price(Answer answer) {
            return answer == Answer.BID_UNDER_FLOOR ? priceCents % FLOOR_CENTS : FLOOR_CENTS + priceCents;
        }
    }

    /**
     * @param decideBy  the lead's time to decision, from T0 (0: none)
     * @param optOutAt  the step from which the consumer is on the suppression list (past the end: never)
     * @param schedule  the seed of the order events are delivered in, and of the clock's jumps
     * @param pingWaitMs how long pings are waiting for the connector, as intake measures it
     */
    record World(List<List<String>> rounds, Map<String, Script> buyers, long decideBy, int optOutAt, long schedule,
                 CampaignPricing pricing, long pingWaitMs) {
        /** The lead's {@code decideBy} as the auction gets it (0: none). */
        long decideByAt() {
            return decideBy == 0 ? 0 : T0 + decideBy;
        }
    }

    /** The campaign's pricing: first or second price, its margin, and whether acceptance rates discount bids. */
    record CampaignPricing(PricingMode pricing, int marginBasisPoints, boolean acceptanceDiscount) {
    }

    /** How the campaign scores one buyer: vendor scoring's multiplier, and its recent post-acceptance rate. */
    record Scoring(int multiplierBasisPoints, Integer acceptanceRateBasisPoints) {
    }

    /** A buyer's attempt, as posts and holds name it. */
    private static String attempt(String buyerId, int attempt) {
        return buyerId + "#" + attempt;
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<Script> script = Combinators.combine(
                Arbitraries.of(false, false, false, true),
                Arbitraries.of(false, false, true),
                Arbitraries.longs().between(0, 9_000),
                Arbitraries.longs().between(0, 12_000).injectNull(0.7),
                Arbitraries.of(Answer.class).list().ofSize(2),
                Arbitraries.of(PostAnswer.class).list().ofSize(2),
                Arbitraries.of(CapAnswer.class).list().ofSize(3),
                Combinators.combine(Arbitraries.of(10_000, 10_000, 8_000, 12_500),
                        Arbitraries.integers().between(0, 10_000).injectNull(0.5)).as(Scoring::new))
                .as(Script::new);
        Arbitrary<CampaignPricing> pricing = Combinators.combine(Arbitraries.of(PricingMode.class),
                Arbitraries.of(0, 0, 1_500), Arbitraries.of(false, true)).as(CampaignPricing::new);
        Arbitrary<List<Integer>> roundSizes = Arbitraries.integers().between(1, 3).list().ofMinSize(1).ofMaxSize(3);
        return roundSizes.flatMap(sizes -> {
            int total = sizes.stream().mapToInt(Integer::intValue).sum();
            List<List<String>> rounds = new ArrayList<>();
            int next = 0;
            for (int size : sizes) {
                int from = next;
                rounds.add(IntStream.range(from, from + size).mapToObj(i -> "b" + i).toList());
                next += size;
            }
            return Combinators.combine(
                    script.list().ofSize(total),
                    Arbitraries.of(0L, 2_000L, 8_000L, 60_000L),
                    Arbitraries.oneOf(Arbitraries.just(MAX_STEPS), Arbitraries.integers().between(0, 12)),
                    Arbitraries.longs(),
                    pricing,
                    Arbitraries.of(0L, 0L, 0L, 300L, 3_000L))
                    .as((scripts, decideBy, optOutAt, schedule, campaign, pingWaitMs) -> new World(rounds,
                            IntStream.range(0, total).boxed().collect(Collectors.toMap(
                                    i -> "b" + i, scripts::get)), decideBy, optOutAt, schedule, campaign, pingWaitMs));
        });
    }

    @Property(tries = 1_500)
    void shouldEndEveryAuctionExactlyOnceWhateverTheWorldDoes(@ForAll("worlds") World world) {
        Run run = new Run(world).play();

        assertThat(run.outcomes).as("outcomes").hasSize(1);
        assertThat(run.emittedAfterClose).as("pings, posts or holds after the outcome").isEmpty();
    }

    @Property(tries = 1_500)
    void shouldNeverEndNoBidsWhenABuyerPricedTheLeadOrWasNeverHeard(@ForAll("worlds") World world) {
        Run run = new Run(world).play();

        Outcome outcome = run.outcome();
        if (Outcomes.NO_BIDS.equals(outcome.getReason())) {
            assertThat(world.buyers().values()).as("fixed-price buyers").noneMatch(Script::fixedPrice);
            assertThat(run.pricedAnswers).as("priced answers given").isZero();
            assertThat(run.lastAnswerOwn).as("every buyer's last answer its own, in time")
                    .containsOnlyKeys(world.buyers().keySet()).doesNotContainValue(false);
        }
    }

    @Property(tries = 1_500)
    void shouldGiveTheLeadToABuyerAtMostOnceAndOnlyAtAPriceItBidOverTheFloor(@ForAll("worlds") World world) {
        Run run = new Run(world).play();

        Map<String, Integer> received = new HashMap<>();
        for (Post post : run.posts) {
            Script script = world.buyers().get(post.getBuyerId());
            long bid = script.fixedPrice() ? FLOOR_CENTS + script.priceCents()
                    : BidAdjustment.adjustedCents(script.price(Answer.BID_OVER_FLOOR), run.terms(post.getBuyerId()));
            assertThat(post.getPriceCents()).as("price of %s", post.getBuyerId()).isBetween(FLOOR_CENTS, bid);
            assertThat(post.getSendBy()).isEqualTo(post.getPostedAt() + BACKSTOP_MS);
            PostAnswer answer = run.postAnswers.get(attempt(post.getBuyerId(), post.getAttempt()));
            if (answer != PostAnswer.NOT_SENT && answer != PostAnswer.DEADLINE_PASSED) {
                received.merge(post.getBuyerId(), 1, Integer::sum);
            }
        }
        assertThat(received.values()).as("posts a buyer may have received").allMatch(n -> n == 1);
        long givenAgain = IntStream.range(1, run.posts.size())
                .filter(i -> run.posts.get(i).getBuyerId().equals(run.posts.get(i - 1).getBuyerId())).count();
        assertThat(givenAgain).as("posts given to their buyer once more").isLessThanOrEqualTo(AuctionMachine.POST_RETRIES);
        assertThat(run.postsWhileOptedOut).as("posts after the consumer opted out").isZero();
    }

    @Property(tries = 1_500)
    void shouldSellOnlyToTheBuyerThatAcceptedItsPostAtThatPostsPrice(@ForAll("worlds") World world) {
        Run run = new Run(world).play();

        Outcome outcome = run.outcome();
        if (outcome.getStatus() == OutcomeStatus.SOLD) {
            assertThat(outcome.getSellerPayoutCents()).as("the seller's payout").isGreaterThanOrEqualTo(FLOOR_CENTS);
            Post last = run.posts.get(run.posts.size() - 1);
            assertThat(outcome.getBuyerId()).isEqualTo(last.getBuyerId());
            assertThat(outcome.getPriceCents()).isEqualTo(last.getPriceCents());
            assertThat(run.postAnswers.get(attempt(last.getBuyerId(), last.getAttempt()))).isEqualTo(PostAnswer.ACCEPTED);
        } else {
            assertThat(run.postAnswers.values()).as("an accepted post ends the auction sold")
                    .doesNotContain(PostAnswer.ACCEPTED);
        }
    }

    @Property(tries = 1_500)
    void shouldPostACappedBuyerOnlyOnAHoldAndSettleEveryHoldGrantedOnce(@ForAll("worlds") World world) {
        Run run = new Run(world).play();

        for (Post post : run.posts) {
            if (world.buyers().get(post.getBuyerId()).capped()) {
                assertThat(run.granted).as("hold before the post").contains(attempt(post.getBuyerId(), post.getAttempt()));
            }
        }
        for (String hold : run.granted) {
            List<CapRequestKind> settled = run.settled.getOrDefault(hold, List.of());
            assertThat(settled).as("settled %s", hold).isNotEmpty();
            assertThat(settled.contains(CapRequestKind.CONFIRM) && settled.contains(CapRequestKind.RELEASE))
                    .as("both confirmed and released: %s", hold).isFalse();
        }
        long confirmed = run.settled.values().stream().filter(kinds -> kinds.contains(CapRequestKind.CONFIRM)).count();
        Outcome outcome = run.outcome();
        boolean soldCapped = outcome.getStatus() == OutcomeStatus.SOLD && world.buyers().get(outcome.getBuyerId()).capped();
        assertThat(confirmed).isEqualTo(soldCapped ? 1 : 0);
    }

    @Property(tries = 1_500)
    void shouldPingOnlyWhileTheLeadCanBeDecidedInTimeAndEachBuyerAtMostTwice(@ForAll("worlds") World world) {
        Run run = new Run(world).play();

        for (Ping ping : run.pings) {
            assertThat(TimeToDecision.canOffer(world.decideByAt(), ping.getPingedAt() + world.pingWaitMs()))
                    .as("pinged at %d, read %d ms later", ping.getPingedAt(), world.pingWaitMs()).isTrue();
        }
        Map<String, Long> pings = run.pings.stream().flatMap(p -> p.getBuyers().stream())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(pings.values()).allMatch(n -> n <= 1 + AuctionMachine.PING_RETRIES);
        pings.keySet().forEach(buyerId -> assertThat(world.buyers().get(buyerId).fixedPrice()).isFalse());
    }

    /** One auction played to its end (and its forgetting), recording what the world saw. */
    private static final class Run {
        private final World world;
        private final Random random;
        private final Lead lead = lead();
        private final List<Pending> pending = new ArrayList<>();
        private AuctionState stored;
        private Lead storedLead;
        private long timerAt = Long.MIN_VALUE;
        private long clock = T0;
        private int step;

        final List<Outcome> outcomes = new ArrayList<>();
        final List<Object> emittedAfterClose = new ArrayList<>();
        final List<Ping> pings = new ArrayList<>();
        final List<Post> posts = new ArrayList<>();
        final Map<String, PostAnswer> postAnswers = new HashMap<>();
        final List<String> granted = new ArrayList<>();
        final Map<String, List<CapRequestKind>> settled = new HashMap<>();
        final Map<String, Integer> timesPinged = new HashMap<>();
        final Map<String, Integer> timesPosted = new HashMap<>();
        final Map<String, Integer> timesHeld = new HashMap<>();
        int pricedAnswers;
        /** Per buyer, whether its last answer was its own and in time (not silent, late, or our side's). */
        final Map<String, Boolean> lastAnswerOwn = new HashMap<>();
        int postsWhileOptedOut;

        /** An event on its way to the auction, readable from {@code at}. */
        private record Pending(Object event, long at) {
        }

        Run(World world) {
            this.world = world;
            this.random = new Random(world.schedule());
        }

        Outcome outcome() {
            return outcomes.get(0);
        }

        Run play() {
            apply(MACHINE.open(null, qualified(), market, clock));
            while (step++ < MAX_STEPS) {
                if (stored == null) {
                    return this; // never opened (no buyers), or forgotten
                }
                AuctionState state = AuctionState.newBuilder(stored).build(); // as read from the store
                int pick = pick();
                if (pick == FORGET) {
                    // the sweep: a closed auction past its retention, after every event of the run was read
                    clock = Math.max(clock, MACHINE.timerAt(state));
                    apply(MACHINE.timer(state, market, clock));
                    continue;
                }
                if (pick == TIMER) {
                    // a stalled machine fires it late; the processor takes it out of its index first
                    clock = Math.max(clock, timerAt) + delay();
                    timerAt = Long.MIN_VALUE;
                    apply(MACHINE.timer(state, market, clock));
                    continue;
                }
                Pending next = pending.remove(pick);
                clock = Math.max(clock, next.at()) + delay();
                if (random.nextInt(20) == 0) {
                    pending.add(next); // read twice (a redelivery, or a marker racing a real answer)
                }
                Object event = next.event();
                if (event instanceof Bid bid) {
                    apply(MACHINE.bid(state, bid, next.at(), market, clock));
                } else if (event instanceof PostResult result) {
                    apply(MACHINE.postResult(state, result, market, clock));
                } else {
                    apply(MACHINE.capDecision(state, (CapDecision) event, market, clock));
                }
            }
            throw new AssertionError("auction still open after " + MAX_STEPS + " events: " + stored);
        }

        private static final int TIMER = -1;
        private static final int FORGET = -2;

        /**
         * Which event comes next: mostly the one written first, often the next of another partition; the
         * timer when it is due before them, and sometimes while they wait (a stalled machine reads its
         * answers late). A closed auction is forgotten once nothing is left to read.
         */
        private int pick() {
            boolean closed = stored.getPhase() == AuctionPhase.CLOSED;
            if (pending.isEmpty()) {
                if (closed) {
                    return FORGET;
                }
                if (timerAt == Long.MIN_VALUE) {
                    throw new AssertionError("an open auction waits for nothing: no event on its way, no timer: "
                            + stored);
                }
                return TIMER;
            }
            // Each topic partition is read in the order it was written: a result the buyer gave before the
            // auction's timeout marker is read before the marker. Which partition comes next is anyone's guess.
            List<Integer> heads = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Pending candidate = pending.get(i);
                boolean first = true;
                for (int j = 0; j < pending.size() && first; j++) {
                    Pending other = pending.get(j);
                    first = other.event().getClass() != candidate.event().getClass() || other.at() > candidate.at()
                            || (other.at() == candidate.at() && j >= i);
                }
                if (first) {
                    heads.add(i);
                }
            }
            int earliest = heads.stream().min(Comparator.comparingLong(i -> pending.get(i).at())).orElseThrow();
            if (timerAt != Long.MIN_VALUE && (timerAt <= pending.get(earliest).at() || random.nextInt(8) == 0)) {
                return TIMER;
            }
            return random.nextInt(3) == 0 ? heads.get(random.nextInt(heads.size())) : earliest;
        }

        /** How late past its time an event is read: usually a few ms, sometimes seconds (a stall of ours). */
        private long delay() {
            return random.nextInt(10) == 0 ? random.nextInt(7_000) : random.nextInt(30);
        }

        private boolean optedOut() {
            return step >= world.optOutAt();
        }

        /** What the processor does with a transition: store, timer index, lead store, then the records. */
        private void apply(Transition transition) {
            switch (transition.store()) {
                case SAVE -> {
                    stored = AuctionState.newBuilder(transition.state()).build();
                    // the processor's index holds open auctions only; closed ones are left to the sweep
                    timerAt = stored.getPhase() == AuctionPhase.CLOSED ? Long.MIN_VALUE : transition.timerAt();
                }
                case FORGET -> {
                    stored = null;
                    timerAt = Long.MIN_VALUE;
                }
                case UNCHANGED -> {
                }
            }
            switch (transition.lead()) {
                case KEEP -> storedLead = transition.openedLead();
                case DROP -> storedLead = null;
                case NONE -> {
                }
            }
            for (Emit emit : transition.emits()) {
                if (!outcomes.isEmpty() && (emit.value() instanceof Ping || emit.value() instanceof Post
                        || emit.value() instanceof CapRequest request && request.getKind() == CapRequestKind.RESERVE)) {
                    emittedAfterClose.add(emit.value());
                }
                Object value = emit.value();
                if (value instanceof Ping ping) {
                    answer(ping);
                } else if (value instanceof Post post) {
                    answer(post);
                } else if (value instanceof CapRequest request) {
                    answer(request);
                } else if (value instanceof PostResult || value instanceof CapDecision) {
                    pending.add(new Pending(value, clock)); // the auction's own markers, read back
                } else if (value instanceof Outcome outcome) {
                    outcomes.add(outcome);
                }
            }
        }

        private void answer(Ping ping) {
            pings.add(ping);
            Map<String, Answer> answers = new HashMap<>();
            for (String buyerId : ping.getBuyers()) {
                Script script = world.buyers().get(buyerId);
                answers.put(buyerId, script.nth(script.answers(), timesPinged.merge(buyerId, 1, Integer::sum) - 1));
            }
            for (String buyerId : ping.getBuyers()) {
                Script script = world.buyers().get(buyerId);
                Answer answer = answers.get(buyerId);
                if (answer == Answer.OVERDUE && !answers.containsValue(Answer.BID_OVER_FLOOR)) {
                    answer = Answer.TIMEOUT; // the connector lets a buyer go early only for a bid in hand
                }
                if (answer == Answer.SILENT) {
                    lastAnswerOwn.put(buyerId, false);
                    continue;
                }
                // the connector calls the buyer when it gets to the ping, which may be seconds later
                long calledAt = clock + (random.nextInt(6) == 0 ? random.nextInt(8_000) : random.nextInt(40));
                long latency = answer == Answer.CALLED_LATE ? BACKSTOP_MS + BUDGET_MS : random.nextInt(BUDGET_MS);
                long respondedAt = Math.max(calledAt, ping.getPingedAt()) + latency;
                // answered after the backstop, or our side's answer for it: the buyer was never really offered the lead
                lastAnswerOwn.put(buyerId, respondedAt <= ping.getDeadlineAt() + BACKSTOP_MS
                        && answer != Answer.CALLED_LATE && answer != Answer.NOT_HEARD && answer != Answer.OVERDUE
                        && answer != Answer.STALE);
                Bid.Builder bid = Bid.newBuilder().setLeadId(ping.getLeadId()).setBuyerId(buyerId)
                        .setRespondedAt(respondedAt).setLatencyMs((int) latency);
                switch (answer) {
                    case BID_OVER_FLOOR, BID_UNDER_FLOOR, CALLED_LATE -> bid.setStatus(BidStatus.BID)
                            .setPriceCents(script.price(answer == Answer.CALLED_LATE ? Answer.BID_OVER_FLOOR : answer))
                            .setPingToken("tok-" + buyerId);
                    case PASS -> bid.setStatus(BidStatus.PASS);
                    case ERROR -> bid.setStatus(BidStatus.ERROR).setReason("HTTP_500");
                    case TIMEOUT -> bid.setStatus(BidStatus.TIMEOUT);
                    case NOT_HEARD -> bid.setStatus(BidStatus.TIMEOUT).setReason(BidReasons.NOT_HEARD);
                    case OVERDUE -> bid.setStatus(BidStatus.TIMEOUT).setReason(BidReasons.OVERDUE);
                    case STALE -> bid.setStatus(BidStatus.TIMEOUT).setReason(BidReasons.STALE);
                    case SILENT -> throw new IllegalStateException();
                }
                if (answer.priced() || answer == Answer.CALLED_LATE) {
                    pricedAnswers++;
                }
                pending.add(new Pending(bid.build(), respondedAt));
            }
        }

        private void answer(Post post) {
            posts.add(post);
            if (optedOut()) {
                postsWhileOptedOut++;
            }
            String buyerId = post.getBuyerId();
            Script script = world.buyers().get(buyerId);
            PostAnswer answer = script.nth(script.posts(), timesPosted.merge(buyerId, 1, Integer::sum) - 1);
            postAnswers.put(attempt(buyerId, post.getAttempt()), answer);
            long respondedAt = clock + random.nextInt(POST_TIMEOUT_MS);
            PostResult.Builder result = PostResult.newBuilder().setLeadId(post.getLeadId()).setBuyerId(buyerId)
                    .setAttempt(post.getAttempt()).setRespondedAt(respondedAt);
            switch (answer) {
                case ACCEPTED -> result.setStatus(PostStatus.ACCEPTED);
                case REJECTED -> result.setStatus(PostStatus.REJECTED).setReason("DUPLICATE");
                case NOT_SENT -> result.setStatus(PostStatus.ERROR).setReason(PostReasons.NOT_SENT);
                case DEADLINE_PASSED -> result.setStatus(PostStatus.TIMEOUT).setReason(PostReasons.DEADLINE_PASSED);
                case SILENT -> {
                    return;
                }
            }
            pending.add(new Pending(result.build(), respondedAt));
        }

        private void answer(CapRequest request) {
            String hold = attempt(request.getBuyerId(), request.getAttempt());
            if (request.getKind() != CapRequestKind.RESERVE) {
                settled.computeIfAbsent(hold, h -> new ArrayList<>()).add(request.getKind());
                return;
            }
            Script script = world.buyers().get(request.getBuyerId());
            CapAnswer answer = script.nth(script.holds(), timesHeld.merge(request.getBuyerId(), 1, Integer::sum) - 1);
            if (answer == CapAnswer.SILENT) {
                return;
            }
            if (answer == CapAnswer.GRANT) {
                granted.add(hold);
            }
            pending.add(new Pending(CapDecision.newBuilder().setLeadId(request.getLeadId())
                    .setBuyerId(request.getBuyerId()).setAttempt(request.getAttempt())
                    .setGranted(answer == CapAnswer.GRANT).setDecidedAt(clock).build(),
                    clock + (random.nextInt(6) == 0 ? random.nextInt(10_000) : random.nextInt(50)))); // a lagging keeper
        }

        /** The buyer's terms for this lead, as eligibility resolves them. */
        BuyerTerms terms(String buyerId) {
            Script script = world.buyers().get(buyerId);
            BuyerTerms.Builder terms = PricingFixtures.buyerTerms().setCapped(script.capped())
                    .setMultiplierBasisPoints(script.scoring().multiplierBasisPoints())
                    .setAcceptanceRateBasisPoints(script.scoring().acceptanceRateBasisPoints());
            if (script.fixedPrice()) {
                terms.setFixedPriceCents(FLOOR_CENTS + script.priceCents());
            }
            return terms.build();
        }

        private QualifiedLead qualified() {
            Map<String, BuyerTerms> terms = new HashMap<>();
            world.buyers().keySet().forEach(buyerId -> terms.put(buyerId, terms(buyerId)));
            return QualifiedLead.newBuilder()
                    .setLead(lead)
                    .setCampaignId("camp")
                    .setFloorCents(FLOOR_CENTS)
                    .setPingDeadlineMs(BUDGET_MS)
                    .setPostTimeoutMs(POST_TIMEOUT_MS)
                    .setBuyers(world.rounds().stream().flatMap(List::stream).toList())
                    .setRounds(world.rounds())
                    .setBuyerTerms(terms)
                    .setPricing(world.pricing().pricing())
                    .setMarginPercentBasisPoints(world.pricing().marginBasisPoints())
                    .setAcceptanceDiscount(world.pricing().acceptanceDiscount())
                    .setDecideBy(world.decideByAt())
                    .build();
        }

        /** The market as the auction sees it: the stored lead, the opt-out once it happened, each buyer's spend left. */
        private final AuctionMachine.Market market = new AuctionMachine.Market() {
            @Override
            public Lead lead(String leadId) {
                return storedLead;
            }

            @Override
            public boolean suppressed(String identityHash) {
                return optedOut();
            }

            @Override
            public Long spendLeftCents(String buyerId, long now) {
                return world.buyers().get(buyerId).spendLeftCents();
            }

            @Override
            public long pingWaitMs(long now) {
                return world.pingWaitMs();
            }
        };

        private static Lead lead() {
            Lead lead = MarketFixtures.lead("L1", T0).build();
            lead.setEnrichment(new Enrichment("ph", null, "ph", T0, 0L, 80, T0));
            return lead;
        }
    }
}
