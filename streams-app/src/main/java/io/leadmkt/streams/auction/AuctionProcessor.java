package io.leadmkt.streams.auction;

import io.leadmkt.schema.AuctionPhase;
import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.CapRequestKind;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.audit.Audit;
import io.leadmkt.streams.eligibility.BuyerEligibility;
import io.leadmkt.streams.outcome.Outcomes;
import io.leadmkt.streams.ping.PingFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auction of one lead, from ping to outcome.
 *
 * <p>A qualified lead opens an auction, offered round by round: one round of every eligible buyer
 * in a parallel auction, one buyer per round in a waterfall, one tier per round (see
 * {@code eligibility.PingRounds}). A round pings its buyers at once (fixed-price buyers are not
 * pinged: their price is their bid) and collects bids until every one of them has answered or the
 * round's deadline passes, whichever is first. Deadlines are kept on wall-clock time by a
 * punctuator over an index of timers, not by stream time, so a lone lead at 3 a.m. closes on time
 * with no other traffic. The best bid whose seller payout reaches the floor is posted; on anything
 * but ACCEPTED the next-best is posted; when a round has nothing left, the next round is pinged;
 * until one accepts (SOLD) or no round is left (UNSOLD). A post whose result never comes is
 * treated as a TIMEOUT after its deadline plus a grace period, so a lost connector cannot hold a
 * lead forever.
 *
 * <p>A buyer with caps or a balance is posted only once its cap keeper has granted a hold on the
 * price (RESERVING, see {@code caps.CapKeeper}): a refusal moves on to the next-best bid, and the
 * post's result confirms or releases the hold. A consumer who opted out while the auction ran is
 * never posted.
 *
 * <p>Every transition is idempotent by lead, buyer and attempt: a redelivered or late event finds
 * the auction already past it and changes nothing (it is audited as LATE_EVENT). A closed auction
 * is remembered, without its PII, for {@code closedRetentionMs} so that late events stay harmless.
 */
public final class AuctionProcessor implements Processor<String, SpecificRecord, String, Object> {
    public static final String AUCTIONS_STORE = "auction-store";
    public static final String TIMERS_STORE = "auction-timers-store";
    /** The lead (with its PII) of each open auction, written once and deleted when the auction closes. */
    public static final String LEADS_STORE = "auction-leads-store";
    /** Reason of the TIMEOUT the auction itself writes when a post's result never came. */
    public static final String NO_POST_RESULT = "NO_POST_RESULT";
    /** Reason of the ERROR a BID becomes when its price is missing or negative. */
    public static final String BAD_PRICE = "BAD_PRICE";
    /** Reason of the refusal the auction itself writes when the cap keeper has not answered in time. */
    public static final String NO_CAP_DECISION = "NO_CAP_DECISION";
    /** Reason on a fixed-price buyer's bid: not pinged, its configured price is its bid. */
    public static final String FIXED_PRICE = "FIXED_PRICE";
    /** Reason of a hold the auction does not even ask for: the price is above what the buyer can still spend. */
    public static final String OVER_SPEND_LEFT = "OVER_SPEND_LEFT";
    private static final int NO_MULTIPLIER = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(AuctionProcessor.class);

    private final Settings settings;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AuctionState> auctions;
    private KeyValueStore<String, String> timers;
    private KeyValueStore<String, Lead> leads;
    private ConfigTables config;
    private long timersFrom;

    /**
     * @param punctuateEvery   how often deadlines are checked; bounds how late past its deadline an auction closes
     * @param postGraceMs      how long past a post's deadline to wait for the connector's result
     * @param closedRetentionMs how long a closed auction is remembered
     * @param settleMs         after this task starts (startup, rebalance, crash recovery), timers wait this
     *                         long so that answers already queued in its partitions are read before any
     *                         deadline is judged: a takeover must not turn in-time answers into late ones
     */
    public record Settings(Duration punctuateEvery, long postGraceMs, long closedRetentionMs, long settleMs) {
    }

    public AuctionProcessor(Settings settings) {
        this.settings = settings;
    }

    public static ProcessorSupplier<String, SpecificRecord, String, Object> supplier(
            Settings settings, AvroSerde<AuctionState> stateSerde, AvroSerde<Lead> leadSerde, boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, Object> get() {
                return new AuctionProcessor(settings);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        StateStores.keyValue(AUCTIONS_STORE, Serdes.String(), stateSerde, inMemory),
                        StateStores.keyValue(TIMERS_STORE, Serdes.String(), Serdes.String(), inMemory),
                        StateStores.keyValue(LEADS_STORE, Serdes.String(), leadSerde, inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.auctions = context.getStateStore(AUCTIONS_STORE);
        this.timers = context.getStateStore(TIMERS_STORE);
        this.leads = context.getStateStore(LEADS_STORE);
        this.config = new ConfigTables(context);
        this.timersFrom = context.currentSystemTimeMs() + settings.settleMs();
        context.schedule(settings.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long now = context.currentSystemTimeMs();
        SpecificRecord value = record.value();
        if (value instanceof QualifiedLead qualified) {
            open(record, qualified, now);
        } else if (value instanceof Bid bid) {
            onBid(record, bid, now);
        } else if (value instanceof PostResult result) {
            onPostResult(record, result, now);
        } else if (value instanceof CapDecision decision) {
            onCapDecision(record, decision, now);
        } else {
            LOG.warn("auction ignores unexpected {} for lead {}", value == null ? "null" : value.getClass(), record.key());
        }
    }

    // ---- opening -------------------------------------------------------------------------------

    private void open(Record<String, SpecificRecord> record, QualifiedLead qualified, long now) {
        String leadId = qualified.getLead().getLeadId();
        if (auctions.get(leadId) != null) {
            late(record, leadId, null, "AUCTION_ALREADY_OPEN", now);
            return;
        }
        Lead lead = qualified.getLead();
        List<List<String>> rounds = qualified.getRounds().isEmpty()
                ? List.of(qualified.getBuyers()) : qualified.getRounds();
        AuctionState state = AuctionState.newBuilder()
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
                .setDeadlineAt(now + qualified.getPingDeadlineMs())
                .setMarginPercentBasisPoints(qualified.getMarginPercentBasisPoints())
                .setMarginFixedCents(qualified.getMarginFixedCents())
                .setPricing(qualified.getPricing())
                .setSecondPriceIncrementCents(qualified.getSecondPriceIncrementCents())
                .setPreferredBuyers(qualified.getPreferredBuyers())
                .setRounds(rounds)
                .setBuyerTerms(qualified.getBuyerTerms())
                .setAcceptanceDiscount(qualified.getAcceptanceDiscount())
                .build();
        if (qualified.getBuyers().isEmpty()) {
            close(record, state, Outcomes.unsold(state, Outcomes.NO_ELIGIBLE_BUYERS, now), now);
            return;
        }
        leads.put(leadId, lead);
        openRound(record, state, 0, now);
    }

    /**
     * Offers the lead to one round of buyers: all of them in a parallel auction, one in a waterfall,
     * one tier in tiers. Fixed-price buyers are not pinged; their price is their bid, at once.
     */
    private void openRound(Record<String, ?> record, AuctionState state, int round, long now) {
        List<String> roundBuyers = state.getRounds().get(round);
        long deadlineAt = now + state.getPingDeadlineMs();
        unschedule(state);
        state.setPhase(AuctionPhase.COLLECTING);
        state.setRound(round);
        state.setDeadlineAt(deadlineAt);
        List<String> offered = new ArrayList<>(state.getBuyers());
        offered.addAll(roundBuyers);
        state.setBuyers(offered);
        List<String> pinged = new ArrayList<>();
        List<Bid> bids = new ArrayList<>(state.getBids());
        for (String buyerId : roundBuyers) {
            BuyerTerms terms = state.getBuyerTerms().get(buyerId);
            if (terms != null && terms.getFixedPriceCents() != null) {
                Bid fixed = fixedPriceBid(state.getLeadId(), buyerId, terms.getFixedPriceCents(), now);
                bids.add(fixed);
                emit(record, state.getLeadId(), Audit.buyerEvent(state.getLeadId(), AuditType.BID, now, buyerId, null,
                        fixed.getStatus().name(), fixed.getPriceCents(), Map.of("reason", FIXED_PRICE)));
            } else {
                pinged.add(buyerId);
            }
        }
        state.setBids(bids);
        if (!pinged.isEmpty()) {
            emit(record, state.getLeadId(), PingFactory.ping(leads.get(state.getLeadId()), state.getCampaignId(),
                    state.getFloorCents(), pinged, now, deadlineAt));
            Map<String, String> detail = new java.util.HashMap<>(Map.of(
                    "buyers", String.join(",", pinged),
                    "floor", Money.format(state.getFloorCents()),
                    "deadlineAt", Long.toString(deadlineAt)));
            if (state.getRounds().size() > 1) {
                detail.put("round", (round + 1) + "/" + state.getRounds().size());
            }
            emit(record, state.getLeadId(), Audit.event(state.getLeadId(), AuditType.PINGED, now, detail));
        }
        if (roundAnswered(state)) {
            closeBidding(record, state, now);
        } else {
            save(state);
        }
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

    /** Whether every buyer of the current round has answered. */
    private static boolean roundAnswered(AuctionState state) {
        List<String> round = state.getRounds().get(state.getRound());
        return round.stream().allMatch(buyerId -> answered(state, buyerId));
    }

    private static boolean answered(AuctionState state, String buyerId) {
        return state.getBids().stream().anyMatch(b -> b.getBuyerId().equals(buyerId));
    }

    private static boolean lastRound(AuctionState state) {
        return state.getRound() >= state.getRounds().size() - 1;
    }

    // ---- collecting bids -----------------------------------------------------------------------

    /** The auction an answer belongs to, or null (audited as late) when there is none. */
    private AuctionState auctionFor(Record<String, ?> record, String leadId, String buyerId, long now) {
        AuctionState state = auctions.get(leadId);
        if (state == null) {
            late(record, leadId, buyerId, "UNKNOWN_AUCTION", now);
        }
        return state;
    }

    private void onBid(Record<String, SpecificRecord> record, Bid bid, long now) {
        String leadId = bid.getLeadId();
        AuctionState state = auctionFor(record, leadId, bid.getBuyerId(), now);
        if (state == null) {
            return;
        }
        if (state.getPhase() != AuctionPhase.COLLECTING) {
            late(record, leadId, bid.getBuyerId(), "AUCTION_CLOSED", now);
            return;
        }
        if (!state.getBuyers().contains(bid.getBuyerId())) {
            late(record, leadId, bid.getBuyerId(), "NOT_PINGED", now);
            return;
        }
        if (answered(state, bid.getBuyerId())) {
            late(record, leadId, bid.getBuyerId(), "DUPLICATE_BID", now);
            return;
        }
        // A buyer's own clock (respondedAt) is not trusted to be early: the record's timestamp, which
        // the broker sets on the answer topics (LogAppendTime), bounds it from below.
        long answeredAt = Math.max(bid.getRespondedAt(), record.timestamp());
        if (answeredAt > state.getDeadlineAt()) {
            // Judged by when the buyer answered, not when we got to it: after a rebalance or a slow
            // stretch, answers given in time still count while the auction is collecting.
            // Closing is left to the deadline timer, which waits out a takeover's backlog.
            late(record, leadId, bid.getBuyerId(), "AFTER_DEADLINE", now);
            return;
        }
        if (!state.getRounds().get(state.getRound()).contains(bid.getBuyerId())) {
            late(record, leadId, bid.getBuyerId(), "ROUND_CLOSED", now); // a silent buyer of an earlier round
            return;
        }
        Bid answer = validated(bid);
        Map<String, String> detail = detail(answer.getReason(), answer.getRawResponse());
        BuyerTerms terms = state.getBuyerTerms().get(answer.getBuyerId());
        if (answer.getStatus() == BidStatus.BID && terms != null
                && (terms.getMultiplierBasisPoints() != NO_MULTIPLIER || terms.getPenaltyCents() != 0)) {
            // Vendor scoring: the buyer values leads from this source differently. Ranked and paid
            // adjusted; the raw bid stays in the audit trail.
            detail.put("rawBidCents", Long.toString(answer.getPriceCents()));
            answer.setPriceCents(BidAdjustment.adjustedCents(answer.getPriceCents(), terms));
        }
        emit(record, leadId, Audit.buyerEvent(leadId, AuditType.BID, now, answer.getBuyerId(), null,
                answer.getStatus().name(), answer.getPriceCents(), detail));
        answer.setRawResponse(null); // the audit trail keeps it; the auction state stays small
        List<Bid> bids = new ArrayList<>(state.getBids());
        bids.add(answer);
        state.setBids(bids);
        if (roundAnswered(state)) {
            closeBidding(record, state, now);
        } else {
            auctions.put(leadId, state);
        }
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

    /** Every pinged buyer answered, or the deadline passed: rank and post to the best, or end unsold. */
    private void closeBidding(Record<String, ?> record, AuctionState state, long now) {
        // Buyers posted in an earlier round (they rejected, or their cap refused) are out of the running.
        List<Bid> ranked = BidRanking.winnable(state.getBids(), Pricing.Terms.of(state), state.getPostedBuyers());
        emit(record, state.getLeadId(), Audit.event(state.getLeadId(), AuditType.AUCTION_CLOSED, now, Map.of(
                "answers", Integer.toString(state.getBids().size()),
                "winnable", Integer.toString(ranked.size()))));
        if (ranked.isEmpty()) {
            nextRoundOrUnsold(record, state, BidRanking.anyPriced(state.getBids())
                    ? Outcomes.BELOW_FLOOR : Outcomes.NO_BIDS, now);
            return;
        }
        postTo(record, state, ranked, now);
    }

    /** Nothing left to post in this round: offer the lead to the next round, or end it unsold. */
    private void nextRoundOrUnsold(Record<String, ?> record, AuctionState state, String reason, long now) {
        if (lastRound(state)) {
            close(record, state, Outcomes.unsold(state, reason, now), now);
            return;
        }
        emit(record, state.getLeadId(), Audit.event(state.getLeadId(), AuditType.ROUND_EXHAUSTED, now, Map.of(
                "round", (state.getRound() + 1) + "/" + state.getRounds().size(), "reason", reason)));
        openRound(record, state, state.getRound() + 1, now);
    }

    // ---- posting -------------------------------------------------------------------------------

    /**
     * Posts to the first of {@code ranked} (the winnable bids not yet posted) at its clearing price;
     * a buyer with caps or a balance first gets a hold on its cap keeper, and is posted once granted.
     */
    private void postTo(Record<String, ?> record, AuctionState state, List<Bid> ranked, long now) {
        Bid bid = ranked.get(0);
        long priceCents = BidRanking.clearingPriceCents(ranked, Pricing.Terms.of(state));
        int attempt = state.getAttempt() + 1;
        List<String> posted = new ArrayList<>(state.getPostedBuyers());
        posted.add(bid.getBuyerId());
        unschedule(state);
        state.setAttempt(attempt);
        state.setPostedBuyers(posted);
        state.setPostDeadlineAt(now + state.getPostTimeoutMs());
        BuyerTerms terms = state.getBuyerTerms().get(bid.getBuyerId());
        if (terms != null && terms.getCapped()) {
            Long left = BuyerEligibility.spendLeftCents(config.capStatus(bid.getBuyerId()).orElse(null),
                    config.buyerChangedAt(bid.getBuyerId()), now);
            if (left != null && priceCents > left) {
                // Its cap keeper already said it cannot spend this much: a hold would only be refused,
                // and the lead would wait a round trip for nothing.
                refused(record, state, bid.getBuyerId(), priceCents, Map.of("reason", OVER_SPEND_LEFT,
                        "spendLeftCents", Long.toString(left)), now);
                return;
            }
            state.setPhase(AuctionPhase.RESERVING);
            save(state);
            emitTo(record, bid.getBuyerId(), capRequest(state, bid.getBuyerId(), attempt, CapRequestKind.RESERVE,
                    priceCents, now));
            return;
        }
        post(record, state, bid, priceCents, now);
    }

    /** The one place a lead goes to a buyer: never to a consumer who opted out meanwhile. */
    private void post(Record<String, ?> record, AuctionState state, Bid bid, long priceCents, long now) {
        if (optedOut(state)) {
            if (state.getReservedAttempt() == state.getAttempt()) {
                emitTo(record, bid.getBuyerId(), capRequest(state, bid.getBuyerId(), state.getAttempt(),
                        CapRequestKind.RELEASE, priceCents, now));
            }
            close(record, state, Outcomes.unsold(state, Outcomes.SUPPRESSED, now), now);
            return;
        }
        int attempt = state.getAttempt();
        long deadlineAt = now + state.getPostTimeoutMs();
        unschedule(state);
        state.setPhase(AuctionPhase.POSTING);
        state.setPostDeadlineAt(deadlineAt);
        save(state);
        Post post = Post.newBuilder()
                .setLeadId(state.getLeadId())
                .setBuyerId(bid.getBuyerId())
                .setAttempt(attempt)
                .setPriceCents(priceCents)
                .setPingToken(bid.getPingToken())
                .setPostedAt(now)
                .setDeadlineAt(deadlineAt)
                .setLead(leads.get(state.getLeadId()))
                .build();
        emit(record, state.getLeadId(), post);
        emit(record, state.getLeadId(), Audit.buyerEvent(state.getLeadId(), AuditType.POSTED, now, bid.getBuyerId(),
                attempt, null, priceCents, Map.of("bidCents", Long.toString(bid.getPriceCents()))));
    }

    private void onPostResult(Record<String, SpecificRecord> record, PostResult result, long now) {
        String leadId = result.getLeadId();
        AuctionState state = auctionFor(record, leadId, result.getBuyerId(), now);
        if (state == null) {
            return;
        }
        if (state.getPhase() != AuctionPhase.POSTING || result.getAttempt() != state.getAttempt()
                || !result.getBuyerId().equals(currentBuyer(state))) {
            late(record, leadId, result.getBuyerId(), "STALE_POST_RESULT", now);
            return;
        }
        emit(record, leadId, Audit.buyerEvent(leadId, AuditType.POST_RESULT, now, result.getBuyerId(),
                result.getAttempt(), result.getStatus().name(), null,
                detail(result.getReason(), result.getRawResponse())));
        settlePost(record, state, result.getStatus(), now);
    }

    private void settlePost(Record<String, ?> record, AuctionState state, PostStatus status, long now) {
        String buyerId = currentBuyer(state);
        long priceCents = postedPriceCents(state);
        if (state.getReservedAttempt() == state.getAttempt()) {
            // The hold becomes spend, or goes back to the buyer's caps.
            emitTo(record, buyerId, capRequest(state, buyerId, state.getAttempt(),
                    status == PostStatus.ACCEPTED ? CapRequestKind.CONFIRM : CapRequestKind.RELEASE, priceCents, now));
        }
        if (status == PostStatus.ACCEPTED) {
            close(record, state, Outcomes.sold(state, buyerId, priceCents, now), now);
            return;
        }
        tryNext(record, state, Outcomes.ALL_REJECTED, now);
    }

    /** The current buyer will not take the lead: post to the next-best, or go on to the next round. */
    private void tryNext(Record<String, ?> record, AuctionState state, String reasonIfNone, long now) {
        List<Bid> next = BidRanking.winnable(state.getBids(), Pricing.Terms.of(state), state.getPostedBuyers());
        if (next.isEmpty()) {
            nextRoundOrUnsold(record, state, reasonIfNone, now);
        } else {
            postTo(record, state, next, now);
        }
    }

    /**
     * Whether the consumer opted out (or asked to be erased) after the lead passed compliance: a
     * suppression that arrives while the auction runs still stops the full lead reaching a buyer.
     */
    private boolean optedOut(AuctionState state) {
        Lead lead = leads.get(state.getLeadId());
        return lead != null && (config.suppressed(lead.getEnrichment().getPhoneHash())
                || config.suppressed(lead.getEnrichment().getEmailHash()));
    }

    // ---- caps ----------------------------------------------------------------------------------

    private void onCapDecision(Record<String, SpecificRecord> record, CapDecision decision, long now) {
        String leadId = decision.getLeadId();
        AuctionState state = auctions.get(leadId);
        boolean awaited = state != null && state.getPhase() == AuctionPhase.RESERVING
                && decision.getAttempt() == state.getAttempt() && decision.getBuyerId().equals(currentBuyer(state));
        if (!awaited) {
            late(record, leadId, decision.getBuyerId(), "STALE_CAP_DECISION", now);
            boolean alreadyUsed = state != null && state.getReservedAttempt() == decision.getAttempt();
            if (decision.getGranted() && !alreadyUsed) {
                // Granted after the auction stopped waiting (it took the refusal marker): give it back.
                emitTo(record, decision.getBuyerId(), CapRequest.newBuilder()
                        .setLeadId(leadId).setBuyerId(decision.getBuyerId()).setAttempt(decision.getAttempt())
                        .setKind(CapRequestKind.RELEASE).setPriceCents(0).setRequestedAt(now).build());
            }
            return;
        }
        String buyerId = decision.getBuyerId();
        long priceCents = postedPriceCents(state);
        if (decision.getGranted()) {
            emit(record, leadId, Audit.buyerEvent(leadId, AuditType.CAP_GRANTED, now, buyerId, state.getAttempt(),
                    null, priceCents, Map.of()));
            state.setReservedAttempt(state.getAttempt());
            Bid bid = state.getBids().stream().filter(b -> b.getBuyerId().equals(buyerId)).findFirst().orElseThrow();
            post(record, state, bid, priceCents, now);
            return;
        }
        refused(record, state, buyerId, priceCents,
                decision.getReason() == null ? Map.of() : Map.of("reason", decision.getReason()), now);
    }

    /** The current buyer may not take the lead under its caps: audited, and on to the next-best. */
    private void refused(Record<String, ?> record, AuctionState state, String buyerId, long priceCents,
                         Map<String, String> detail, long now) {
        emit(record, state.getLeadId(), Audit.buyerEvent(state.getLeadId(), AuditType.CAP_REFUSED, now, buyerId,
                state.getAttempt(), null, priceCents, detail));
        tryNext(record, state, Outcomes.CAPPED, now);
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
     * The price the current post was made at, recomputed from the state exactly as {@link #postTo}
     * computed it: the ranking then left out the buyers posted before the current one.
     */
    private static long postedPriceCents(AuctionState state) {
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

    // ---- closing and timers --------------------------------------------------------------------

    private void close(Record<String, ?> record, AuctionState state, Outcome outcome, long now) {
        unschedule(state);
        state.setPhase(AuctionPhase.CLOSED);
        state.setOutcome(outcome);
        // The lead's PII is needed only to post it; a closed auction forgets it.
        leads.delete(state.getLeadId());
        save(state);
        emit(record, state.getLeadId(), outcome);
        emit(record, state.getLeadId(), Audit.buyerEvent(state.getLeadId(),
                outcome.getStatus() == io.leadmkt.schema.OutcomeStatus.SOLD ? AuditType.SOLD : AuditType.UNSOLD, now,
                outcome.getBuyerId(), outcome.getPostAttempts(), outcome.getStatus().name(), outcome.getPriceCents(),
                outcome.getReason() == null ? Map.of() : Map.of("reason", outcome.getReason())));
    }

    private void fireDueTimers(long now) {
        if (now < timersFrom) {
            return;
        }
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = timers.range(null, timerKey(now, "\uffff"))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> timer : due) {
            timers.delete(timer.key);
            AuctionState state = auctions.get(timer.value);
            if (state == null || timerAt(state) > now) {
                continue; // superseded by a later transition
            }
            Record<String, Object> record = new Record<>(state.getLeadId(), null, now);
            switch (state.getPhase()) {
                case COLLECTING -> closeBidding(record, state, now);
                case POSTING -> {
                    // Not settled here: a TIMEOUT result is appended to the post-results partition and
                    // settles the post when it is read back. A real result queued before it (say, behind
                    // a takeover's backlog) is read first and wins; the marker then finds it stale.
                    emit(record, state.getLeadId(), PostResult.newBuilder()
                            .setLeadId(state.getLeadId())
                            .setBuyerId(currentBuyer(state))
                            .setAttempt(state.getAttempt())
                            .setStatus(PostStatus.TIMEOUT)
                            .setReason(NO_POST_RESULT)
                            .setRespondedAt(now)
                            .build());
                }
                case RESERVING ->
                    // The cap keeper has not answered in time (it lags or is restoring). A refusal is
                    // appended to the decisions partition; a real answer queued before it wins, and a
                    // grant read after it is released.
                    emit(record, state.getLeadId(), CapDecision.newBuilder()
                            .setLeadId(state.getLeadId())
                            .setBuyerId(currentBuyer(state))
                            .setAttempt(state.getAttempt())
                            .setGranted(false)
                            .setReason(NO_CAP_DECISION)
                            .setDecidedAt(now)
                            .build());
                case CLOSED -> auctions.delete(state.getLeadId());
                default -> throw new IllegalStateException("unknown phase " + state.getPhase());
            }
        }
    }

    private long timerAt(AuctionState state) {
        return switch (state.getPhase()) {
            case COLLECTING -> state.getDeadlineAt();
            case RESERVING, POSTING -> state.getPostDeadlineAt() + settings.postGraceMs();
            case CLOSED -> state.getOutcome().getDecidedAt() + settings.closedRetentionMs();
        };
    }

    private void save(AuctionState state) {
        auctions.put(state.getLeadId(), state);
        timers.put(timerKey(timerAt(state), state.getLeadId()), state.getLeadId());
    }

    private void unschedule(AuctionState state) {
        timers.delete(timerKey(timerAt(state), state.getLeadId()));
    }

    /** An answer's reason and, for errors, the buyer's raw response (capped and redacted by the connector). */
    private static Map<String, String> detail(String reason, String rawResponse) {
        Map<String, String> detail = new java.util.HashMap<>();
        if (reason != null) {
            detail.put("reason", reason);
        }
        if (rawResponse != null) {
            detail.put("response", rawResponse);
        }
        return detail;
    }

    /** Zero-padded so that the store's byte order is time order. */
    static String timerKey(long at, String leadId) {
        String digits = Long.toString(at);
        return "0".repeat(Math.max(0, 15 - digits.length())) + digits + "|" + leadId;
    }

    private static String currentBuyer(AuctionState state) {
        List<String> posted = state.getPostedBuyers();
        return posted.isEmpty() ? null : posted.get(posted.size() - 1);
    }

    private void late(Record<String, ?> record, String leadId, String buyerId, String why, long now) {
        LOG.debug("ignoring event for lead {} from buyer {}: {}", leadId, buyerId, why);
        if (leadId != null) {
            emit(record, leadId, Audit.buyerEvent(leadId, AuditType.LATE_EVENT, now, buyerId, null, null, null,
                    Map.of("reason", why)));
        }
    }

    private void emit(Record<String, ?> record, String leadId, Object value) {
        emitTo(record, leadId, value);
    }

    /** Forwards under another key: cap requests are keyed by buyer, so one buyer's meet on one partition. */
    private void emitTo(Record<String, ?> record, String key, Object value) {
        context.forward(new Record<>(key, value, record.timestamp(), record.headers()));
    }
}
