package io.leadmkt.connector.ping;

import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.adapter.Answers;
import io.leadmkt.connector.adapter.BuyerAdapter;
import io.leadmkt.connector.adapter.TemplateBuyerAdapter;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.adapter.RequestRefusedException;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.connector.http.HttpFailure;
import io.leadmkt.connector.http.HttpResult;
import io.leadmkt.connector.http.RetryAfter;
import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.connector.limits.BuyerGate.Admission;
import io.leadmkt.connector.limits.BuyerGate.Permit;
import io.leadmkt.connector.limits.BuyerGate.Refusal;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Ping;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings every buyer a {@link Ping} names, in parallel, and turns each answer (or its absence)
 * into exactly one {@link Bid}. The futures never complete exceptionally.
 *
 * <p>The connector is the buyers' clock: each buyer gets {@code min(its ping timeout, the ping's
 * budget)} counted from the moment it is actually called, however late the ping reached us. The
 * platform's own lag (a commit, a busy core, a takeover) is never charged to a buyer: the auction
 * counts every answer this dispatcher produces, and waits for the last one. Only a ping read after
 * its lead's {@code offerBy} (the lead can no longer be offered within its time to decision) is not sent: its buyers'
 * bids are TIMEOUT with reason {@value #STALE} at once, and the gate does not count them against the
 * buyer.
 *
 * <p>A buyer is owed that whole timeout, but a lead does not always wait it out: once the lead has a
 * bid at or above its floor in hand, a buyer that has not answered within its usual time
 * ({@link AnswerTimes}: its recent p99 with headroom) is let go with a TIMEOUT {@value #OVERDUE}, so
 * one stalling buyer no longer holds every auction to the full budget. The call itself runs on to
 * the full timeout: its answer still measures the buyer, and it is what the gate judges, so a buyer
 * cut short but answering within its promise is healthy, not failing.
 *
 * <p>Buyers delivered over Kafka answer on the bids topic themselves and get no event from here.
 *
 * <p>Every call goes through the {@link BuyerGate}: a buyer over its concurrency or rate limit, or
 * paused after consecutive errors (or by a 429's Retry-After), is not called and its bid is an
 * ERROR with reason {@code THROTTLED} or {@code PAUSED} at once. Each answer is reported back to
 * the gate: BID and PASS count as good answers, ERROR as failures, and TIMEOUT as a failure only
 * when other buyers were heard from meanwhile ({@link AnswerPulse}).
 */
public final class PingDispatcher {

    private static final Logger log = LoggerFactory.getLogger(PingDispatcher.class);
    /** Reason of the TIMEOUT for a buyer that was not called because the lead was already too old to offer. */
    public static final String STALE = io.leadmkt.schema.BidReasons.STALE;
    /** Reason of the TIMEOUT for a buyer let go past its usual answer time while the lead had a bid in hand. */
    public static final String OVERDUE = io.leadmkt.schema.BidReasons.OVERDUE;

    private final BuyerDirectory directory;
    private final BuyerAdapters adapters;
    private final BuyerHttpExecutor http;
    private final long maxPriceCents;
    private final Clock clock;
    private final BuyerGate gate;
    private final AnswerTimes answerTimes;
    private final AnswerPulse pulse = new AnswerPulse();

    /** A dispatcher with its own {@link BuyerGate} on {@code clock}. */
    public PingDispatcher(BuyerDirectory directory, BuyerAdapters adapters, BuyerHttpExecutor http,
                          long maxPriceCents, Clock clock) {
        this(directory, adapters, http, maxPriceCents, clock, new BuyerGate(clock));
    }

    public PingDispatcher(BuyerDirectory directory, BuyerAdapters adapters, BuyerHttpExecutor http,
                          long maxPriceCents, Clock clock, BuyerGate gate) {
        this(directory, adapters, http, maxPriceCents, clock, gate, new AnswerTimes());
    }

    public PingDispatcher(BuyerDirectory directory, BuyerAdapters adapters, BuyerHttpExecutor http,
                          long maxPriceCents, Clock clock, BuyerGate gate, AnswerTimes answerTimes) {
        this.gate = gate;
        this.answerTimes = answerTimes;
        this.directory = directory;
        this.adapters = adapters;
        this.http = http;
        this.maxPriceCents = maxPriceCents;
        this.clock = clock;
    }

    /** One future per buyer to answer for, in the ping's order, each completing with its bid. */
    public List<CompletableFuture<Bid>> dispatchEach(Ping ping) {
        // Looked up first: a buyer the directory has not read yet is waited for, and that wait is not the buyer's.
        Map<String, Optional<BuyerConfig>> buyers = new LinkedHashMap<>();
        ping.getBuyers().forEach(buyerId -> buyers.computeIfAbsent(buyerId, directory::find));
        long now = clock.millis();
        PingRound round = new PingRound();
        List<CompletableFuture<Bid>> bids = new ArrayList<>();
        for (Map.Entry<String, Optional<BuyerConfig>> entry : buyers.entrySet()) {
            String buyerId = entry.getKey();
            Optional<BuyerConfig> buyer = entry.getValue();
            if (buyer.isPresent() && BuyerDirectory.answersOnKafka(buyer.get())) {
                continue;
            }
            CompletableFuture<Bid> bid = pingOne(ping, buyerId, buyer, now, round);
            bid.thenAccept(b -> {
                if (sellable(b, ping)) {
                    round.bidInHand();
                }
            });
            bids.add(bid);
        }
        return bids;
    }

    /** All bids of one ping, once every buyer has answered or timed out. */
    public CompletableFuture<List<Bid>> dispatch(Ping ping) {
        List<CompletableFuture<Bid>> each = dispatchEach(ping);
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<Bid> pingOne(Ping ping, String buyerId, Optional<BuyerConfig> found, long now,
                                           PingRound round) {
        String leadId = ping.getLeadId();
        if (found.isEmpty() || !found.get().getActive() || isBlank(found.get().getPingUrl())) {
            return CompletableFuture.completedFuture(
                    Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "UNKNOWN_BUYER", now, 0));
        }
        BuyerConfig buyer = found.get();
        if (tooLateToOffer(ping, now)) {
            return CompletableFuture.completedFuture(Answers.failedBid(leadId, buyerId, BidStatus.TIMEOUT, STALE, now, 0));
        }
        long timeoutMs = Math.min(buyer.getPingTimeoutMs(), budgetMs(ping));
        BuyerAdapter adapter = adapters.forBuyer(buyer);
        BuyerRequest request;
        try {
            request = adapter.pingRequest(ping, buyer, timeoutMs);
        } catch (RequestRefusedException e) {
            // Already logged once by whoever refused (e.g. an invalid integration): not per lead.
            return CompletableFuture.completedFuture(
                    Answers.failedBid(leadId, buyerId, BidStatus.ERROR, e.reason(), now, 0));
        } catch (RuntimeException e) {
            log.warn("cannot build ping of lead {} for buyer {}", leadId, buyerId, e);
            return CompletableFuture.completedFuture(
                    Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "BAD_REQUEST", now, 0));
        }
        Admission admission = gate.admitPing(buyerId, adapters.limits(buyer));
        if (admission instanceof Refusal refusal) {
            return CompletableFuture.completedFuture(
                    Answers.failedBid(leadId, buyerId, BidStatus.ERROR, refusal.reason(), now, 0));
        }
        Permit permit = (Permit) admission;
        long waitMs = answerTimes.waitMs(buyerId, timeoutMs);
        CompletableFuture<HttpResult> result;
        try {
            result = http.execute(request, timeoutMs);
        } catch (RuntimeException e) {
            permit.cancelled();
            throw e;
        }
        CompletableFuture<Bid> answered = result.thenApply(answer -> {
            if (answer instanceof HttpAnswer reply) {
                answerTimes.answered(buyerId, reply.latencyMs());
                pulse.answered(now);
            }
            // toBid never throws: whatever the buyer sent, the gate hears how it went.
            Bid bid = toBid(adapter, ping, buyer, answer);
            report(permit, answer, bid, now);
            if (bid.getStatus() == BidStatus.TIMEOUT && !pulse.heardSince(now)) {
                // Nobody called since was heard either: our own lag, most likely. Said so, so the auction
                // does not count the lead as one nobody bid on.
                bid.setReason(io.leadmkt.schema.BidReasons.NOT_HEARD);
            }
            return bid;
        });
        return waitMs >= timeoutMs ? answered : lettingGoWhenOverdue(answered, round, leadId, buyerId, waitMs);
    }

    /**
     * The buyer's bid: its answer, or a TIMEOUT {@value #OVERDUE} if none came within {@code waitMs}
     * and the lead has (or gets, before the answer) a bid in hand.
     */
    private CompletableFuture<Bid> lettingGoWhenOverdue(CompletableFuture<Bid> answered, PingRound round,
                                                        String leadId, String buyerId, long waitMs) {
        CompletableFuture<Bid> counted = new CompletableFuture<>();
        answered.thenAccept(counted::complete);
        // Runnable::run: the delay's own timer thread lets go; no thread per ping (see STACK.md).
        CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS, Runnable::run).execute(() -> {
            if (!counted.isDone()) {
                round.overdue(() -> {
                    if (!counted.isDone()) {
                        // Marked before the bid goes out, so the next ping already waits the full timeout;
                        // losing the race to the answer costs at most one full wait.
                        answerTimes.cutShort(buyerId);
                        counted.complete(Answers.failedBid(leadId, buyerId, BidStatus.TIMEOUT, OVERDUE,
                                clock.millis(), waitMs));
                    }
                });
            }
        });
        return counted;
    }

    /** A bid that could sell the lead: the auction then has something to close on without the overdue. */
    private static boolean sellable(Bid bid, Ping ping) {
        return bid.getStatus() == BidStatus.BID && bid.getPriceCents() != null
                && bid.getPriceCents() >= ping.getFloorCents();
    }

    /** How long a buyer has to answer, from the moment it is called: the round's budget. */
    public static long budgetMs(Ping ping) {
        return Math.max(1, ping.getDeadlineAt() - ping.getPingedAt());
    }

    /** Whether a buyer called now could not answer within the lead's time to decision. */
    public static boolean tooLateToOffer(Ping ping, long now) {
        return ping.getOfferBy() > 0 && now > ping.getOfferBy();
    }

    /**
     * Tells the gate how the buyer called at {@code calledAt} did: a 429 with Retry-After pauses it
     * until then; a timeout counts as a failure only if other buyers called since were heard from
     * meanwhile ({@link AnswerPulse}), and a call never sent not at all, so our own lag never pauses a buyer.
     */
    private void report(Permit permit, HttpResult result, Bid bid, long calledAt) {
        if (result instanceof HttpAnswer answer && answer.status() == 429) {
            Optional<Duration> retryAfter = RetryAfter.of(answer);
            if (retryAfter.isPresent()) {
                permit.rateLimited(retryAfter.get());
                return;
            }
        }
        if (bid.getStatus() == BidStatus.BID || bid.getStatus() == BidStatus.PASS) {
            permit.succeeded();
        } else if (result instanceof HttpFailure f && f.kind() == HttpFailure.Kind.NOT_SENT
                || bid.getStatus() == BidStatus.TIMEOUT && !pulse.heardSince(calledAt)) {
            permit.unjudged();
        } else {
            permit.failed();
        }
    }

    /** Per-buyer limits and pause state, shared with the post dispatcher. */
    public BuyerGate gate() {
        return gate;
    }

    private Bid toBid(BuyerAdapter adapter, Ping ping, BuyerConfig buyer, HttpResult result) {
        String leadId = ping.getLeadId();
        String buyerId = buyer.getBuyerId();
        if (result instanceof HttpFailure failure && failure.kind() == HttpFailure.Kind.NOT_SENT) {
            // Never sent, behind our own concurrency cap: a stall of ours, which the auction offers again.
            return Answers.failedBid(leadId, buyerId, BidStatus.TIMEOUT, io.leadmkt.schema.BidReasons.NOT_HEARD,
                    failure.failedAt(), 0);
        }
        if (result instanceof HttpFailure failure) {
            return Answers.failedBid(leadId, buyerId, failure.timedOut() ? BidStatus.TIMEOUT : BidStatus.ERROR,
                    failure.reasonCode(), failure.failedAt(), failure.latencyMs());
        }
        HttpAnswer answer = (HttpAnswer) result;
        try {
            Bid bid = withinCeiling(adapter.toBid(ping, buyer, answer), maxPriceCents);
            if (bid.getStatus() == BidStatus.ERROR) {
                // Kept for the audit trail. A ping carries no PII, so the answer has none of ours to redact.
                bid.setRawResponse(TemplateBuyerAdapter.rawBody(answer, java.util.List.of()));
            }
            return bid;
        } catch (RuntimeException e) {
            log.warn("adapter failed on the answer of buyer {} to lead {}", buyerId, leadId, e);
            return Answers.failedBid(leadId, buyerId, BidStatus.ERROR, "ADAPTER_ERROR", answer.receivedAt(),
                    answer.latencyMs());
        }
    }

    /** A price above the marketplace's ceiling is a buyer's mistake (cents for dollars), not a win. */
    static Bid withinCeiling(Bid bid, long maxPriceCents) {
        if (bid.getStatus() == BidStatus.BID && bid.getPriceCents() != null && bid.getPriceCents() > maxPriceCents) {
            return Answers.failedBid(bid.getLeadId(), bid.getBuyerId(), BidStatus.ERROR, "PRICE_TOO_HIGH",
                    bid.getRespondedAt(), bid.getLatencyMs());
        }
        return bid;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
