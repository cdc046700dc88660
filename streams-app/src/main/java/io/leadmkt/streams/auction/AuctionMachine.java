package io.leadmkt.streams.auction;

import io.leadmkt.schema.AuctionPhase;
import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.RoundAnswers;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapRequestKind;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.streams.audit.Audit;
import io.leadmkt.streams.comply.TimeToDecision;
import io.leadmkt.streams.outcome.Outcomes;
import io.leadmkt.streams.ping.PingFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The rules of one lead's auction as a state machine: (state, event, now) → (new state, records to
 * emit, next timer). It reads no store and no clock; {@link AuctionProcessor} is the thin shell that
 * loads the state, calls it and applies the {@link Transition}.
 *
 * <p>A qualified lead opens an auction, offered round by round: one round of every eligible buyer
 * in a parallel auction, one buyer per round in a waterfall, one tier per round. A round pings its
 * buyers at once (fixed-price buyers are not pinged: their price is their bid) and collects bids
 * until every one of them has answered. The best bid whose seller payout reaches the floor is
 * posted; on anything but ACCEPTED the next-best; when a round has nothing left, the next round;
 * until one accepts (SOLD) or no round is left (UNSOLD).
 *
 * <p><b>Time.</b> A buyer's time counts from when it was actually called, never from when the
 * auction wrote the ping: the connector gives every webhook buyer its whole budget from the call
 * and answers for it exactly once, and a Kafka-native buyer's copy of the ping is stamped when it
 * becomes readable. So the round closes on its last answer, however late our own lag (commits,
 * busy cores, warm-up, takeovers) delivered the ping. The round's timer is only a backstop — the
 * budget plus {@link Settings#backstopMs} for transport and commits — for when the connector is
 * gone; buyers that never answered by then were never really offered the lead, so a round that
 * ends that way with nothing to sell ends {@code STALE}, not {@code NO_BIDS} — and so does the lead
 * when a later round then finds nothing either. Buyers that timed out
 * while the connector heard nobody at all ({@code NOT_HEARD}: a stall of ours), and a round whose
 * buyers all timed out together ({@link #timedOutTogether}), are pinged once more
 * while the lead can still be decided in time ({@link #PING_RETRIES}) before the round gives up; so are
 * buyers the connector let go {@code OVERDUE} for a bid in hand that then did not sell. A lead that can no
 * longer be offered within its campaign's time to decision ({@code decideBy}) ends {@code STALE}
 * without a ping. A post our side never delivered, or whose answer it never heard ({@link PostReasons}),
 * is no refusal of the buyer's: one the connector says it never sent goes to the same buyer once more at
 * the same price while the lead can still be decided in time ({@link #POST_RETRIES}); otherwise the lead
 * goes on to the next-best bid, and if it ends unsold it ends {@code STALE}, not {@code ALL_REJECTED}.
 *
 * <p>A buyer with caps or a balance is posted only once its cap keeper has granted a hold on the
 * price (RESERVING): a refusal moves on to the next-best bid, and the post's result confirms or
 * releases the hold. A consumer who opted out while the auction ran is never posted. Every
 * transition is idempotent by lead, buyer and attempt: a redelivered or late event finds the
 * auction past it and changes nothing but the audit trail (LATE_EVENT).
 */
public final class AuctionMachine {
    /** Reason of the TIMEOUT the auction itself writes when a post's result never came. */
    public static final String NO_POST_RESULT = io.leadmkt.schema.PostReasons.NO_POST_RESULT;
    /** Reason of the ERROR a BID becomes when its price is missing or negative. */
    public static final String BAD_PRICE = "BAD_PRICE";
    /** Reason of the refusal the auction itself writes when the cap keeper has not answered in time. */
    public static final String NO_CAP_DECISION = "NO_CAP_DECISION";
    /** Reason on a fixed-price buyer's bid: not pinged, its configured price is its bid. */
    public static final String FIXED_PRICE = "FIXED_PRICE";
    /** Reason of a hold the auction does not even ask for: the price is above what the buyer can still spend. */
    public static final String OVER_SPEND_LEFT = "OVER_SPEND_LEFT";
    private static final int NO_MULTIPLIER = 10_000;
    /**
     * How many times a round's buyers our own lag kept from answering are pinged again (see
     * {@code offerAgain}): once is enough for a cold start or a stall; a machine behind for longer is
     * over capacity, and shedding is the answer.
     */
    static final int PING_RETRIES = 1;
    /**
     * How many of an auction's undelivered posts may be given to their buyer again, when the connector says
     * it never sent them ({@link PostReasons#neverSent}): once rides out a stall or a restart of the
     * connector; a connector behind for longer is over capacity, and the next-best bid is the answer.
     */
    static final int POST_RETRIES = 1;

    /**
     * @param backstopMs        how long past a round's answer budget the auction still waits for answers
     *                          that are not there (transport and commit delay), before it takes the
     *                          connector or a Kafka-native buyer to be gone; and how long after a post is
     *                          written the connector may still send it ({@code Post.sendBy})
     * @param postGraceMs       how long past the end of a post's budget (sent at its {@code sendBy} at the
     *                          latest) to wait for the connector's result
     * @param closedRetentionMs how long a closed auction is remembered, so late events stay harmless
     */
    public record Settings(long backstopMs, long postGraceMs, long closedRetentionMs) {
    }

    /** What an auction needs to know beyond its own state, looked up when it is needed. */
    public interface Market {
        /** The open auction's lead, with its PII; null once the auction closed. */
        Lead lead(String leadId);

        /** Whether the consumer with this identity hash is on the suppression list. */
        boolean suppressed(String identityHash);

        /** What a capped buyer can still spend, as its cap keeper last published; null: unknown. */
        Long spendLeftCents(String buyerId, long now);

        /**
         * How long a ping written now will likely wait for the connector to call its buyers (the mean of
         * the last seconds, as intake sheds by it); 0 while none was measured.
         */
        default long pingWaitMs(long now) {
            return 0;
        }
    }

    /** A record to forward: keyed by lead id, or by buyer id for cap requests. */
    public record Emit(String key, Object value) {
    }

    /** What happens to the stored state. */
    public enum Store { UNCHANGED, SAVE, FORGET }

    /** What happens to the auction's stored lead (its PII). */
    public enum LeadChange { NONE, KEEP, DROP }

    /**
     * The result of one event.
     *
     * @param state   the state after the event (the same object, changed in place), or null when none is stored
     * @param store   whether to save it, forget it, or leave the store as it was
     * @param emits   records to forward, in order
     * @param lead    whether to keep the lead (the auction opened) or drop it (the auction closed)
     * @param openedLead the lead to keep, when {@code lead} is KEEP
     * @param timerBefore when the auction's timer was due before the event ({@code Long.MIN_VALUE}: none)
     * @param timerAt when this auction's timer is due after the event ({@code Long.MIN_VALUE}: none)
     */
    public record Transition(AuctionState state, Store store, List<Emit> emits, LeadChange lead, Lead openedLead,
                             long timerBefore, long timerAt) {
    }

    private final Settings settings;

    public AuctionMachine(Settings settings) {
        this.settings = settings;
    }

    /** When the auction's timer is due: its round's backstop, its post's or hold's deadline, or its forgetting. */
    public long timerAt(AuctionState state) {
        return switch (state.getPhase()) {
            case COLLECTING -> state.getDeadlineAt();
            case RESERVING, POSTING -> state.getPostDeadlineAt() + settings.postGraceMs();
            case CLOSED -> state.getOutcome().getDecidedAt() + settings.closedRetentionMs();
        };
    }

    /**
     * How long the connector took to call the current round's buyers after the auction wrote their ping, from
     * a record of the round's webhook answers: the earliest call (an answer's {@code respondedAt} less its
     * latency, both the connector's clock; one not made, e.g. throttled, is answered at once) less the
     * ping's writing (the round's backstop less the budget and the backstop, as {@code openRound} set it).
     * Empty outside a round, or when every answer is a Kafka-native buyer's ({@code answersOnKafka}),
     * whose times are its own.
     */
    public OptionalLong pingWaitMs(AuctionState state, Bid record, Predicate<String> answersOnKafka) {
        if (state == null || state.getPhase() != AuctionPhase.COLLECTING) {
            return OptionalLong.empty();
        }
        List<Bid> carried = record.getRoundAnswers() == null ? List.of() : record.getRoundAnswers();
        OptionalLong calledAt = Stream.concat(Stream.of(record), carried.stream())
                .filter(answer -> !answersOnKafka.test(answer.getBuyerId()))
                .mapToLong(answer -> answer.getRespondedAt() - answer.getLatencyMs())
                .min();
        long pingedAt = state.getDeadlineAt() - state.getPingDeadlineMs() - settings.backstopMs();
        return calledAt.isPresent() ? OptionalLong.of(Math.max(0, calledAt.getAsLong() - pingedAt)) : calledAt;
    }

    // ---- events ----------------------------------------------------------------------------------

    /** A qualified lead: opens its auction, unless one is open already (a redelivery). */
    public Transition open(AuctionState existing, QualifiedLead qualified, Market market, long now) {
        Step step = new Step(existing, market, now);
        step.open(qualified);
        return step.done();
    }

    /**
     * A buyer's answer, or a round's answers on one record ({@link RoundAnswers}): each counted as if
     * it had come alone, in the record's order, in one step (the state read and written once).
     * {@code brokerTimestamp} is the answer record's timestamp, which the broker sets on the answer
     * topics (LogAppendTime): a buyer's own clock is not trusted to be early.
     */
    public Transition bid(AuctionState state, Bid bid, long brokerTimestamp, Market market, long now) {
        Step step = new Step(state, market, now);
        for (Bid answer : RoundAnswers.each(bid)) {
            step.onBid(answer, brokerTimestamp);
        }
        return step.done();
    }

    public Transition postResult(AuctionState state, PostResult result, Market market, long now) {
        Step step = new Step(state, market, now);
        step.onPostResult(result);
        return step.done();
    }

    public Transition capDecision(AuctionState state, CapDecision decision, Market market, long now) {
        Step step = new Step(state, market, now);
        step.onCapDecision(decision);
        return step.done();
    }

    /** The auction's timer is due ({@code now >= timerAt(state)}). */
    public Transition timer(AuctionState state, Market market, long now) {
        Step step = new Step(state, market, now);
        step.onTimer();
        return step.done();
    }

    // ---- pure rules ------------------------------------------------------------------------------

    /**
     * Why a round with nothing winnable ends: {@code STALE} when some buyers the lead was offered to, in
     * this round or an earlier one, were never really offered it (no answer by the backstop, or the
     * connector found it too old to call them, or heard nobody at all while it waited: {@link BidReasons})
     * — our failure, not theirs, and one that a later round's passes do not undo: the buyer we never
     * heard might have bought it; else {@code BELOW_FLOOR} when someone priced it; else {@code NO_BIDS}.
     */
    static String nothingWinnableReason(AuctionState state) {
        boolean notOffered = state.getBuyers().stream().anyMatch(buyerId -> !answered(state, buyerId))
                || state.getBids().stream().anyMatch(BidReasons::platformWasBehind);
        if (notOffered) {
            return Outcomes.STALE;
        }
        return BidRanking.anyPriced(state.getBids()) ? Outcomes.BELOW_FLOOR : Outcomes.NO_BIDS;
    }

    /**
     * Whether every buyer of a round of two or more timed out: nobody answered at all. Buyers that answer
     * their other pings in milliseconds all missing one lead together is what our own stall looks like
     * (a burst of calls from a backlog, a starved HTTP client reading answers that had arrived), even when
     * the connector heard other buyers meanwhile ({@code NOT_HEARD} misses it): seen as a stray
     * {@code NO_BIDS} on the fast market at 180-200 leads/s, all eight buyers timing out 1.9 s after the
     * ping. Such a round is offered once more, like a {@code NOT_HEARD} one; a lone buyer's timeout is
     * its own, and buyers the connector did not call because the lead was too old ({@code STALE}) are not.
     */
    static boolean timedOutTogether(AuctionState state) {
        List<String> round = state.getRounds().get(state.getRound());
        return round.size() >= 2 && round.stream().allMatch(buyerId -> state.getBids().stream()
                .anyMatch(b -> buyerId.equals(b.getBuyerId()) && b.getStatus() == BidStatus.TIMEOUT
                        && !BidReasons.STALE.equals(b.getReason())));
    }

    /** A fixed-price buyer's bid: its price for this lead, answered the moment its round opens. */
    static Bid fixedPriceBid(String leadId, String buyerId, long priceCents, long now) {
        return Bid.newBuilder()
                .setLeadId(leadId)
                .setBuyerId(buyerId)
                .setStatus(BidStatus.BID)
                .setPriceCents(priceCents)
                .setReason(FIXED_PRICE)
                .setRespondedAt(now)
                .build();
    }

    /**
     * A BID without a price, or with a negative one, is the buyer's error, not a winnable bid. The
     * connector already validates webhook answers this way; Kafka-native buyers write their bids
     * themselves, so the auction checks every answer once more.
     */
    static Bid validated(Bid bid) {
        if (bid.getStatus() != BidStatus.BID || (bid.getPriceCents() != null && bid.getPriceCents() >= 0
                && bid.getPriceCents() <= Money.MAX_BID_CENTS)) {
            return bid;
        }
        boolean tooHigh = bid.getPriceCents() != null && bid.getPriceCents() > Money.MAX_BID_CENTS;
        return Bid.newBuilder()
                .setLeadId(bid.getLeadId())
                .setBuyerId(bid.getBuyerId())
                .setStatus(BidStatus.ERROR)
                .setPriceCents(null)
                .setPingToken(null)
                .setReason(tooHigh ? "PRICE_TOO_HIGH" : BAD_PRICE)
                .setRespondedAt(bid.getRespondedAt())
                .setLatencyMs(bid.getLatencyMs())
                .build();
    }

    private static boolean roundAnswered(AuctionState state) {
        for (String buyerId : state.getRounds().get(state.getRound())) {
            if (!answered(state, buyerId)) {
                return false;
            }
        }
        return true;
    }

    /** The same answer of the same buyer, read twice: what it said and when, as the connector stamped it. */
    private static boolean sameAnswer(Bid kept, Bid bid) {
        return kept.getBuyerId().equals(bid.getBuyerId()) && kept.getRespondedAt() == bid.getRespondedAt()
                && kept.getStatus() == bid.getStatus() && Objects.equals(kept.getReason(), bid.getReason());
    }

    private static boolean answered(AuctionState state, String buyerId) {
        return answerOf(state, buyerId) != null;
    }

    /**
     * The answer {@code buyerId} gave in this auction, or null while it has not answered. A loop, not a stream:
     * it runs for every buyer of the round on every answer, and the stream's two objects a call were 3 % of
     * the heap a lead cost at 300 leads/s (JFR allocation samples), escape analysis removing neither.
     */
    private static Bid answerOf(AuctionState state, String buyerId) {
        for (Bid bid : state.getBids()) {
            if (bid.getBuyerId().equals(buyerId)) {
                return bid;
            }
        }
        return null;
    }

    /**
     * Whether a buyer's answer was no answer of its own: our stall ({@code NOT_HEARD}), or let go
     * {@code OVERDUE} because another bid was in hand.
     */
    private static boolean neverHeard(Bid bid) {
        return bid.getStatus() == BidStatus.TIMEOUT
                && (BidReasons.NOT_HEARD.equals(bid.getReason()) || BidReasons.OVERDUE.equals(bid.getReason()));
    }

    private static boolean lastRound(AuctionState state) {
        return state.getRound() >= state.getRounds().size() - 1;
    }

    private static String currentBuyer(AuctionState state) {
        List<String> posted = state.getPostedBuyers();
        return posted.isEmpty() ? null : posted.get(posted.size() - 1);
    }

    /**
     * The price the current post was made at, recomputed from the state exactly as it was computed
     * when posting: the ranking then left out the buyers posted before the current one.
     */
    static long postedPriceCents(AuctionState state) {
        List<String> posted = state.getPostedBuyers();
        List<String> before = posted.subList(0, posted.size() - 1);
        List<Bid> ranked = BidRanking.winnable(state.getBids(), Pricing.Terms.of(state), before);
        String buyerId = currentBuyer(state);
        if (ranked.isEmpty() || !ranked.get(0).getBuyerId().equals(buyerId)) {
            throw new IllegalStateException("auction " + state.getLeadId() + " posted to " + buyerId
                    + " but its ranking no longer leads with it");
        }
        return BidRanking.clearingPriceCents(ranked, Pricing.Terms.of(state));
    }

    private static CapRequest capRequest(AuctionState state, String buyerId, int attempt, CapRequestKind kind,
                                         long priceCents, long now) {
        return CapRequest.newBuilder()
                .setLeadId(state.getLeadId())
                .setBuyerId(buyerId)
                .setAttempt(attempt)
                .setKind(kind)
                .setPriceCents(priceCents)
                .setRequestedAt(now)
                .build();
    }

    /**
     * The round's audit record: every answer of the round as the auction judged it, and who did not
     * answer. One record per round rather than one per bid: the trail is as complete, at an eighth
     * of the writes (each audit record is also a timeline entry and its changelog record).
     */
    static AuditEvent roundClosed(AuctionState state, int winnable, long now) {
        List<String> round = state.getRounds().get(state.getRound());
        List<AuditAnswer> answers = new ArrayList<>();
        for (Bid bid : state.getBids()) {
            if (round.contains(bid.getBuyerId())) {
                answers.add(AuditAnswer.newBuilder()
                        .setBuyerId(bid.getBuyerId())
                        .setStatus(bid.getStatus().name())
                        .setPriceCents(bid.getPriceCents())
                        .setRawPriceCents(state.getRawBidCents().get(bid.getBuyerId()))
                        .setReason(bid.getReason())
                        .setRespondedAt(bid.getRespondedAt())
                        .setLatencyMs(bid.getLatencyMs())
                        .setResponse(bid.getRawResponse())
                        .build());
            }
        }
        Map<String, String> detail = new HashMap<>(Map.of(
                "answers", Integer.toString(answers.size()),
                "winnable", Integer.toString(winnable)));
        List<String> unanswered = round.stream().filter(buyerId -> !answered(state, buyerId)).toList();
        if (!unanswered.isEmpty()) {
            detail.put("unanswered", String.join(",", unanswered));
        }
        AuditEvent closed = Audit.event(state.getLeadId(), AuditType.AUCTION_CLOSED, now, detail);
        closed.setAnswers(answers);
        return closed;
    }

    /** A post result's reason and, for errors, the buyer's raw response (capped and redacted by the connector). */
    private static Map<String, String> detail(String reason, String rawResponse) {
        Map<String, String> detail = new HashMap<>();
        if (reason != null) {
            detail.put("reason", reason);
        }
        if (rawResponse != null) {
            detail.put("response", rawResponse);
        }
        return detail;
    }

    /** What only the round's audit record needed: raw error bodies and raw prices; the stored state stays small. */
    private static void forgetRoundDetail(AuctionState state) {
        state.getBids().forEach(bid -> bid.setRawResponse(null));
        state.setRawBidCents(Map.of());
    }

    // ---- one transition --------------------------------------------------------------------------

    /** One event's work: collects what to emit and what to store, changing the state in place. */
    private final class Step {
        private AuctionState state;
        private final Market market;
        private final long now;
        private final List<Emit> emits = new ArrayList<>();
        private Store store = Store.UNCHANGED;
        private LeadChange leadChange = LeadChange.NONE;
        private Lead openedLead;
        private final long timerBefore;

        Step(AuctionState state, Market market, long now) {
            this.timerBefore = state == null ? Long.MIN_VALUE : timerAt(state);
            this.state = state;
            this.market = market;
            this.now = now;
        }

        Transition done() {
            long timer = state == null || store == Store.FORGET ? Long.MIN_VALUE : timerAt(state);
            return new Transition(state, store, List.copyOf(emits), leadChange, openedLead, timerBefore, timer);
        }

        private Lead lead() {
            return openedLead != null ? openedLead : market.lead(state.getLeadId());
        }

        private void emit(Object value) {
            emits.add(new Emit(state.getLeadId(), value));
        }

        private void late(String leadId, String buyerId, String why) {
            if (leadId != null) {
                emits.add(new Emit(leadId, Audit.buyerEvent(leadId, AuditType.LATE_EVENT, now, buyerId, null, null,
                        null, Map.of("reason", why))));
            }
        }

        // ---- opening ---------------------------------------------------------------------------

        void open(QualifiedLead qualified) {
            String leadId = qualified.getLead().getLeadId();
            if (state != null) {
                late(leadId, null, "AUCTION_ALREADY_OPEN");
                return;
            }
            Lead lead = qualified.getLead();
            List<List<String>> rounds = qualified.getRounds().isEmpty()
                    ? List.of(qualified.getBuyers()) : qualified.getRounds();
            state = AuctionState.newBuilder()
                    .setLeadId(leadId)
                    .setPhase(AuctionPhase.COLLECTING)
                    .setCampaignId(qualified.getCampaignId())
                    .setSourceId(lead.getSourceId())
                    .setCreatedAt(lead.getCreatedAt())
                    .setReceivedAt(lead.getEnrichment().getReceivedAt())
                    .setFloorCents(qualified.getFloorCents())
                    .setPostTimeoutMs(qualified.getPostTimeoutMs())
                    .setPingDeadlineMs(qualified.getPingDeadlineMs())
                    .setBuyers(List.of()) // the buyers offered so far: filled round by round
                    .setOpenedAt(now)
                    .setDeadlineAt(now + qualified.getPingDeadlineMs() + settings.backstopMs())
                    .setMarginPercentBasisPoints(qualified.getMarginPercentBasisPoints())
                    .setMarginFixedCents(qualified.getMarginFixedCents())
                    .setPricing(qualified.getPricing())
                    .setSecondPriceIncrementCents(qualified.getSecondPriceIncrementCents())
                    .setPreferredBuyers(qualified.getPreferredBuyers())
                    .setRounds(rounds)
                    .setBuyerTerms(qualified.getBuyerTerms())
                    .setAcceptanceDiscount(qualified.getAcceptanceDiscount())
                    .setDecideBy(qualified.getDecideBy())
                    .setState(lead.getProfile() == null ? null : lead.getProfile().getState())
                    .setSubId(lead.getSubId())
                    .build();
            if (qualified.getBuyers().isEmpty()) {
                close(Outcomes.unsold(state, Outcomes.NO_ELIGIBLE_BUYERS, now));
                return;
            }
            openedLead = lead;
            leadChange = LeadChange.KEEP;
            openRound(0);
        }

        /**
         * Offers the lead to one round of buyers: all of them in a parallel auction, one in a waterfall,
         * one tier in tiers. Fixed-price buyers are not pinged; their price is their bid, at once.
         */
        private void openRound(int round) {
            List<String> roundBuyers = state.getRounds().get(round);
            boolean pings = roundBuyers.stream().anyMatch(buyerId -> !fixedPrice(buyerId));
            if (!TimeToDecision.canOffer(state.getDecideBy(), now) || (pings && !pingInTime())) {
                // Our own lag ate the lead's time to decision: shed (the UNSOLD audit says STALE), never NO_BIDS.
                close(Outcomes.unsold(state, Outcomes.STALE, now));
                return;
            }
            long answerBy = now + state.getPingDeadlineMs();
            state.setPhase(AuctionPhase.COLLECTING);
            state.setRound(round);
            state.setDeadlineAt(answerBy + settings.backstopMs());
            List<String> offered = new ArrayList<>(state.getBuyers());
            offered.addAll(roundBuyers);
            state.setBuyers(offered);
            List<String> pinged = new ArrayList<>();
            List<Bid> bids = new ArrayList<>(state.getBids());
            for (String buyerId : roundBuyers) {
                if (fixedPrice(buyerId)) {
                    bids.add(fixedPriceBid(state.getLeadId(), buyerId,
                            state.getBuyerTerms().get(buyerId).getFixedPriceCents(), now));
                } else {
                    pinged.add(buyerId);
                }
            }
            state.setBids(bids);
            if (!pinged.isEmpty()) {
                ping(pinged, answerBy, Map.of());
            }
            if (roundAnswered(state)) {
                closeBidding();
            } else {
                store = Store.SAVE;
            }
        }

        private boolean fixedPrice(String buyerId) {
            BuyerTerms terms = state.getBuyerTerms().get(buyerId);
            return terms != null && terms.getFixedPriceCents() != null;
        }

        /**
         * Whether a ping written now would likely reach its buyers within the lead's time to decision: the
         * connector answers for a ping it reads past {@code offerBy} without calling anyone, so a later
         * round or a retry that would be read too late is not sent (intake sheds a new lead by the same wait).
         */
        private boolean pingInTime() {
            return TimeToDecision.canOffer(state.getDecideBy(), now + market.pingWaitMs(now));
        }

        /** Pings {@code buyers} of the current round, answers due by {@code answerBy}, and audits it. */
        private void ping(List<String> buyers, long answerBy, Map<String, String> extraDetail) {
            io.leadmkt.schema.Ping ping = PingFactory.ping(lead(), state.getCampaignId(), state.getFloorCents(),
                    buyers, now, answerBy);
            ping.setOfferBy(state.getDecideBy());
            emit(ping);
            Map<String, String> detail = new HashMap<>(Map.of(
                    "buyers", String.join(",", buyers),
                    "floor", Money.format(state.getFloorCents()),
                    "deadlineAt", Long.toString(answerBy)));
            if (state.getRounds().size() > 1) {
                detail.put("round", (state.getRound() + 1) + "/" + state.getRounds().size());
            }
            detail.putAll(extraDetail);
            emit(Audit.event(state.getLeadId(), AuditType.PINGED, now, detail));
        }

        /**
         * A round left with nothing to sell while some of its buyers were never really heard: they timed
         * out while the connector heard no buyer at all ({@code NOT_HEARD}: our own stall, not theirs), all
         * together ({@link #timedOutTogether}), or were let go {@code OVERDUE} because a bid was in hand
         * that then did not sell (its buyer's cap refused it, or it rejected the post). While the lead can
         * still be offered within its time to decision, those buyers are pinged once more, so a slow
         * stretch (a cold start, a busy core, a GC pause) sells the lead later instead of losing it. The
         * others' real answers (passes, errors, bids already posted) stand. A round closed by its backstop
         * is not offered again: the connector is gone, and a second ping would only queue behind the
         * first. Returns whether the round was offered again.
         */
        private boolean offerAgain() {
            if (state.getPingRetries() >= PING_RETRIES || !pingInTime()) {
                return false;
            }
            List<String> round = state.getRounds().get(state.getRound());
            if (!roundAnswered(state)) {
                return false; // the backstop: the connector is gone, and a ping now would only queue behind the first
            }
            boolean together = timedOutTogether(state);
            List<String> unheard = state.getBids().stream()
                    .filter(b -> round.contains(b.getBuyerId()) && (together || neverHeard(b)))
                    .map(Bid::getBuyerId).toList();
            if (unheard.isEmpty()) {
                return false;
            }
            // Kept aside: read again later (a redelivery), an answer must not pass for its buyer's answer
            // to this retry.
            state.setRetriedAnswers(Stream.concat(state.getRetriedAnswers().stream(),
                    state.getBids().stream().filter(b -> unheard.contains(b.getBuyerId()))).toList());
            state.setBids(new ArrayList<>(state.getBids().stream()
                    .filter(b -> !unheard.contains(b.getBuyerId())).toList()));
            state.setPhase(AuctionPhase.COLLECTING); // from posting too: the bid in hand did not sell
            state.setPingRetries(state.getPingRetries() + 1);
            long answerBy = now + state.getPingDeadlineMs();
            state.setDeadlineAt(answerBy + settings.backstopMs());
            ping(unheard, answerBy, Map.of("retry", Integer.toString(state.getPingRetries())));
            store = Store.SAVE;
            return true;
        }

        // ---- collecting bids -------------------------------------------------------------------

        void onBid(Bid bid, long brokerTimestamp) {
            String leadId = bid.getLeadId();
            if (state == null) {
                late(leadId, bid.getBuyerId(), "UNKNOWN_AUCTION");
                return;
            }
            if (state.getPhase() != AuctionPhase.COLLECTING) {
                late(leadId, bid.getBuyerId(), "AUCTION_CLOSED");
                return;
            }
            if (!state.getBuyers().contains(bid.getBuyerId())) {
                late(leadId, bid.getBuyerId(), "NOT_PINGED");
                return;
            }
            if (answered(state, bid.getBuyerId())
                    || state.getRetriedAnswers().stream().anyMatch(setAside -> sameAnswer(setAside, bid))) {
                late(leadId, bid.getBuyerId(), "DUPLICATE_BID");
                return;
            }
            long answeredAt = Math.max(bid.getRespondedAt(), brokerTimestamp);
            if (answeredAt > state.getDeadlineAt()) {
                // Judged by when the buyer answered, not when we got to it: after a rebalance or a slow
                // stretch, answers given before the backstop still count while the auction is collecting.
                late(leadId, bid.getBuyerId(), "AFTER_DEADLINE");
                return;
            }
            if (!state.getRounds().get(state.getRound()).contains(bid.getBuyerId())) {
                late(leadId, bid.getBuyerId(), "ROUND_CLOSED"); // a silent buyer of an earlier round
                return;
            }
            Bid answer = validated(bid);
            BuyerTerms terms = state.getBuyerTerms().get(answer.getBuyerId());
            if (answer.getStatus() == BidStatus.BID && terms != null
                    && (terms.getMultiplierBasisPoints() != NO_MULTIPLIER || terms.getPenaltyCents() != 0)) {
                // Vendor scoring: the buyer values leads from this source differently. Ranked and paid
                // adjusted; the raw bid goes to the audit trail when the round closes.
                Map<String, Long> raw = new HashMap<>(state.getRawBidCents());
                raw.put(answer.getBuyerId(), answer.getPriceCents());
                state.setRawBidCents(raw);
                answer.setPriceCents(BidAdjustment.adjustedCents(answer.getPriceCents(), terms));
            }
            List<Bid> bids = new ArrayList<>(state.getBids());
            bids.add(answer);
            state.setBids(bids);
            if (roundAnswered(state)) {
                closeBidding();
            } else {
                store = Store.SAVE;
            }
        }

        /** Every pinged buyer answered, or the backstop passed: rank and post to the best, or go on. */
        private void closeBidding() {
            // Buyers posted in an earlier round (they rejected, or their cap refused) are out of the running.
            List<Bid> ranked = BidRanking.winnable(state.getBids(), Pricing.Terms.of(state), state.getPostedBuyers());
            emit(roundClosed(state, ranked.size(), now));
            forgetRoundDetail(state);
            if (ranked.isEmpty()) {
                if (!offerAgain()) {
                    nextRoundOrUnsold(nothingWinnableReason(state));
                }
                return;
            }
            postTo(ranked);
        }

        /**
         * Nothing left to post in this round: offer the lead to the next round, or end it unsold — {@code
         * STALE} whatever the last round's reason when a post of ours never reached its buyer: a bidder that
         * might have bought the lead was never given it, so the platform, not the market, left it unsold.
         */
        private void nextRoundOrUnsold(String reason) {
            if (lastRound(state)) {
                close(Outcomes.unsold(state, state.getUndeliveredPosts() > 0 ? Outcomes.STALE : reason, now));
                return;
            }
            emit(Audit.event(state.getLeadId(), AuditType.ROUND_EXHAUSTED, now, Map.of(
                    "round", (state.getRound() + 1) + "/" + state.getRounds().size(), "reason", reason)));
            openRound(state.getRound() + 1);
        }

        // ---- posting ---------------------------------------------------------------------------

        /**
         * Posts to the first of {@code ranked} (the winnable bids not yet posted) at its clearing price;
         * a buyer with caps or a balance first gets a hold on its cap keeper, and is posted once granted.
         */
        private void postTo(List<Bid> ranked) {
            Bid bid = ranked.get(0);
            long priceCents = BidRanking.clearingPriceCents(ranked, Pricing.Terms.of(state));
            List<String> posted = new ArrayList<>(state.getPostedBuyers());
            posted.add(bid.getBuyerId());
            state.setPostedBuyers(posted);
            offer(bid, priceCents, 0);
        }

        /**
         * A new attempt at the current buyer (the last of the posted ones): its hold first if capped, then its
         * post. {@code releasedCents} is a hold of this lead's on the buyer that was just given back and may
         * still count against what the market says it can spend.
         */
        private void offer(Bid bid, long priceCents, long releasedCents) {
            int attempt = state.getAttempt() + 1;
            state.setAttempt(attempt);
            BuyerTerms terms = state.getBuyerTerms().get(bid.getBuyerId());
            if (terms != null && terms.getCapped()) {
                Long left = market.spendLeftCents(bid.getBuyerId(), now);
                if (left != null && priceCents > left + releasedCents) {
                    // Its cap keeper already said it cannot spend this much: a hold would only be refused,
                    // and the lead would wait a round trip for nothing.
                    refused(bid.getBuyerId(), priceCents, Map.of("reason", OVER_SPEND_LEFT,
                            "spendLeftCents", Long.toString(left)));
                    return;
                }
                // The cap keeper is ours: its lag (restoring after a takeover, a backlog) must not pass the
                // bid over, so the hold is waited for as long as an answer of the connector's.
                state.setPhase(AuctionPhase.RESERVING);
                state.setPostDeadlineAt(now + settings.backstopMs());
                store = Store.SAVE;
                emits.add(new Emit(bid.getBuyerId(), capRequest(state, bid.getBuyerId(), attempt,
                        CapRequestKind.RESERVE, priceCents, now)));
                return;
            }
            post(bid, priceCents);
        }

        /** The one place a lead goes to a buyer: never to a consumer who opted out meanwhile. */
        private void post(Bid bid, long priceCents) {
            Lead lead = lead();
            if (optedOut(lead)) {
                if (state.getReservedAttempt() == state.getAttempt()) {
                    emits.add(new Emit(bid.getBuyerId(), capRequest(state, bid.getBuyerId(), state.getAttempt(),
                            CapRequestKind.RELEASE, priceCents, now)));
                }
                close(Outcomes.unsold(state, Outcomes.SUPPRESSED, now));
                return;
            }
            int attempt = state.getAttempt();
            // As with pings, the buyer's time counts from its call: the connector may send the post until
            // sendBy (it may be behind, restarting, or gone a while), and the auction waits for the answer
            // until then plus the budget, so our own lag never passes a winning bid to the next-best.
            long deadlineAt = now + state.getPostTimeoutMs();
            long sendBy = now + settings.backstopMs();
            state.setPhase(AuctionPhase.POSTING);
            state.setPostDeadlineAt(sendBy + state.getPostTimeoutMs());
            store = Store.SAVE;
            emit(Post.newBuilder()
                    .setLeadId(state.getLeadId())
                    .setBuyerId(bid.getBuyerId())
                    .setAttempt(attempt)
                    .setPriceCents(priceCents)
                    .setPingToken(bid.getPingToken())
                    .setPostedAt(now)
                    .setDeadlineAt(deadlineAt)
                    .setSendBy(sendBy)
                    .setLead(lead)
                    .build());
            emit(Audit.buyerEvent(state.getLeadId(), AuditType.POSTED, now, bid.getBuyerId(), attempt, null,
                    priceCents, Map.of("bidCents", Long.toString(bid.getPriceCents()))));
        }

        /**
         * Whether the consumer opted out (or asked to be erased) after the lead passed compliance: a
         * suppression that arrives while the auction runs still stops the full lead reaching a buyer.
         */
        private boolean optedOut(Lead lead) {
            return lead != null && (market.suppressed(lead.getEnrichment().getPhoneHash())
                    || market.suppressed(lead.getEnrichment().getEmailHash()));
        }

        void onPostResult(PostResult result) {
            String leadId = result.getLeadId();
            if (state == null) {
                late(leadId, result.getBuyerId(), "UNKNOWN_AUCTION");
                return;
            }
            if (state.getPhase() != AuctionPhase.POSTING || result.getAttempt() != state.getAttempt()
                    || !result.getBuyerId().equals(currentBuyer(state))) {
                late(leadId, result.getBuyerId(), "STALE_POST_RESULT");
                return;
            }
            emit(Audit.buyerEvent(leadId, AuditType.POST_RESULT, now, result.getBuyerId(), result.getAttempt(),
                    result.getStatus().name(), null, detail(result.getReason(), result.getRawResponse())));
            String buyerId = currentBuyer(state);
            long priceCents = postedPriceCents(state);
            if (state.getReservedAttempt() == state.getAttempt()) {
                // The hold becomes spend, or goes back to the buyer's caps.
                emits.add(new Emit(buyerId, capRequest(state, buyerId, state.getAttempt(),
                        result.getStatus() == PostStatus.ACCEPTED ? CapRequestKind.CONFIRM : CapRequestKind.RELEASE,
                        priceCents, now)));
            }
            if (result.getStatus() == PostStatus.ACCEPTED) {
                close(Outcomes.sold(state, buyerId, priceCents, now));
                return;
            }
            // Not the buyer's refusal: our side never sent the post, or never heard back. As for pings, the
            // auction cannot tell a Kafka-native buyer's silence from the connector gone: no verdict.
            boolean neverSent = PostReasons.neverSent(result);
            boolean undelivered = neverSent || NO_POST_RESULT.equals(result.getReason());
            if (undelivered) {
                // Remembered for the lead's reason, should it end unsold.
                state.setUndeliveredPosts(state.getUndeliveredPosts() + 1);
            }
            if (neverSent && state.getUndeliveredPosts() <= POST_RETRIES
                    && TimeToDecision.canOffer(state.getDecideBy(), now)) {
                // The buyer won the lead and never saw it: our queue or lag, not its refusal. Passing it to
                // the next-best would sell below the best bid because of us, so the winner gets it again.
                postAgain(buyerId, priceCents);
                return;
            }
            tryNext(undelivered ? Outcomes.STALE : Outcomes.ALL_REJECTED);
        }

        /**
         * Posts the lead once more to the buyer of the current post, at the same price: a new attempt, and a
         * new hold first for a buyer with caps (the last one went back with the undelivered post's result).
         */
        private void postAgain(String buyerId, long priceCents) {
            Bid bid = Objects.requireNonNull(answerOf(state, buyerId), buyerId);
            // The hold just released reaches the cap keeper before the new one (same buyer, same partition,
            // in order), but the spend left we read may not show it yet: counted as ours, not as spent, so
            // a buyer near its cap is not refused the lead it already won.
            boolean held = state.getReservedAttempt() == state.getAttempt();
            offer(bid, priceCents, held ? priceCents : 0);
        }

        /** The current buyer will not take the lead: post to the next-best, or go on to the next round. */
        private void tryNext(String reasonIfNone) {
            List<Bid> next = BidRanking.winnable(state.getBids(), Pricing.Terms.of(state), state.getPostedBuyers());
            if (next.isEmpty()) {
                if (!offerAgain()) {
                    nextRoundOrUnsold(reasonIfNone);
                }
            } else {
                postTo(next);
            }
        }

        // ---- caps ------------------------------------------------------------------------------

        void onCapDecision(CapDecision decision) {
            String leadId = decision.getLeadId();
            boolean awaited = state != null && state.getPhase() == AuctionPhase.RESERVING
                    && decision.getAttempt() == state.getAttempt()
                    && decision.getBuyerId().equals(currentBuyer(state));
            if (!awaited) {
                late(leadId, decision.getBuyerId(), "STALE_CAP_DECISION");
                boolean alreadyUsed = state != null && state.getReservedAttempt() == decision.getAttempt();
                if (decision.getGranted() && !alreadyUsed) {
                    // Granted after the auction stopped waiting (it took the refusal marker): give it back.
                    emits.add(new Emit(decision.getBuyerId(), CapRequest.newBuilder()
                            .setLeadId(leadId).setBuyerId(decision.getBuyerId()).setAttempt(decision.getAttempt())
                            .setKind(CapRequestKind.RELEASE).setPriceCents(0).setRequestedAt(now).build()));
                }
                return;
            }
            String buyerId = decision.getBuyerId();
            long priceCents = postedPriceCents(state);
            if (decision.getGranted()) {
                emit(Audit.buyerEvent(leadId, AuditType.CAP_GRANTED, now, buyerId, state.getAttempt(), null,
                        priceCents, Map.of()));
                state.setReservedAttempt(state.getAttempt());
                Bid bid = Objects.requireNonNull(answerOf(state, buyerId), buyerId);
                post(bid, priceCents);
                return;
            }
            refused(buyerId, priceCents,
                    decision.getReason() == null ? Map.of() : Map.of("reason", decision.getReason()));
        }

        /** The current buyer may not take the lead under its caps: audited, and on to the next-best. */
        private void refused(String buyerId, long priceCents, Map<String, String> detail) {
            emit(Audit.buyerEvent(state.getLeadId(), AuditType.CAP_REFUSED, now, buyerId, state.getAttempt(), null,
                    priceCents, detail));
            tryNext(Outcomes.CAPPED);
        }

        // ---- closing and timers ----------------------------------------------------------------

        private void close(Outcome outcome) {
            state.setPhase(AuctionPhase.CLOSED);
            state.setOutcome(outcome);
            // The lead's PII is needed only to post it; a closed auction forgets it.
            leadChange = LeadChange.DROP;
            openedLead = null;
            store = Store.SAVE;
            emit(outcome);
            emit(Audit.buyerEvent(state.getLeadId(), outcome.getStatus() == OutcomeStatus.SOLD
                            ? AuditType.SOLD : AuditType.UNSOLD, now,
                    outcome.getBuyerId(), outcome.getPostAttempts(), outcome.getStatus().name(), outcome.getPriceCents(),
                    outcome.getReason() == null ? Map.of() : Map.of("reason", outcome.getReason())));
        }

        void onTimer() {
            switch (state.getPhase()) {
                case COLLECTING -> closeBidding();
                // Not settled here: a TIMEOUT result is appended to the post-results partition and
                // settles the post when it is read back. A real result queued before it (say, behind a
                // takeover's backlog) is read first and wins; the marker then finds it stale.
                case POSTING -> emit(PostResult.newBuilder()
                        .setLeadId(state.getLeadId())
                        .setBuyerId(currentBuyer(state))
                        .setAttempt(state.getAttempt())
                        .setStatus(PostStatus.TIMEOUT)
                        .setReason(NO_POST_RESULT)
                        .setRespondedAt(now)
                        .build());
                // The cap keeper has not answered in time (it lags or is restoring). A refusal is appended
                // to the decisions partition; a real answer queued before it wins, and a grant read after
                // it is released.
                case RESERVING -> emit(CapDecision.newBuilder()
                        .setLeadId(state.getLeadId())
                        .setBuyerId(currentBuyer(state))
                        .setAttempt(state.getAttempt())
                        .setGranted(false)
                        .setReason(NO_CAP_DECISION)
                        .setDecidedAt(now)
                        .build());
                case CLOSED -> store = Store.FORGET;
                default -> throw new IllegalStateException("unknown phase " + state.getPhase());
            }
        }
    }
}
