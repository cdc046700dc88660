package io.leadmkt.streams.auction;

import io.leadmkt.schema.AnswerRoute;
import io.leadmkt.schema.AuctionPhase;
import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import io.leadmkt.streams.eligibility.BuyerEligibility;
import io.leadmkt.streams.intake.IntakeBacklog;
import io.leadmkt.streams.outcome.Shed;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * The shell around {@link AuctionMachine}, which holds every rule: loads an auction's state, hands
 * it the event and the wall-clock time, and applies the {@link AuctionMachine.Transition} — the
 * state and its timer to the stores, the lead kept or dropped, the records forwarded.
 *
 * <p>Deadlines are kept on wall-clock time by a punctuator over an in-memory index of the open
 * auctions' timers ({@link OpenAuctionTimers}, rebuilt from the stores when the task starts),
 * not by stream time, so a lone lead at 3 a.m. closes on time with no other traffic. Closed auctions
 * are remembered for {@code closedRetentionMs} and then forgotten by a {@link StoreSweep} of the store
 * (a slice every 10 s). After this task starts (startup, rebalance, crash recovery) timers wait
 * {@code settleMs}, so that answers already queued in its partitions are read before any timer is
 * judged: a takeover must not turn answers into missing ones.
 */
public final class AuctionProcessor implements Processor<String, SpecificRecord, String, Object>,
        AuctionMachine.Market {
    public static final String AUCTIONS_STORE = "auction-store";
    /** The lead (with its PII) of each open auction, written once and deleted when the auction closes. */
    public static final String LEADS_STORE = "auction-leads-store";
    private static final Logger LOG = LoggerFactory.getLogger(AuctionProcessor.class);
    private final Settings settings;
    private final AuctionMachine machine;
    /** Closed auctions past their retention, found a slice at a time: a closed one outlives it by at most a quarter. */
    private final StoreSweep<String, AuctionState> sweep;
    private final IntakeBacklog backlog;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AuctionState> auctions;
    private final OpenAuctionTimers timers = new OpenAuctionTimers();
    /** This task's open auctions, for the HTTP door's count of leads in flight ({@link IntakeBacklog}). */
    private AtomicInteger openAuctions;
    private KeyValueStore<String, Lead> leads;
    private ConfigTables config;
    private long timersFrom;

    /**
     * @param punctuateEvery how often timers are checked; bounds how late past its due time a timer fires
     * @param rules          the auction's timing rules: backstop, post grace, closed retention
     * @param settleMs       after this task starts, how long timers wait so queued answers are read first
     */
    public record Settings(Duration punctuateEvery, AuctionMachine.Settings rules, long settleMs) {
    }

    /** @param backlog told how long each lead waited between intake and its auction, for shedding at intake */
    public AuctionProcessor(Settings settings, IntakeBacklog backlog) {
        this.settings = settings;
        this.machine = new AuctionMachine(settings.rules());
        this.sweep = StoreSweep.quarterOf(Duration.ofMillis(settings.rules().closedRetentionMs()));
        this.backlog = backlog;
    }

    public static ProcessorSupplier<String, SpecificRecord, String, Object> supplier(
            Settings settings, AvroSerde<AuctionState> stateSerde, AvroSerde<Lead> leadSerde, boolean inMemory,
            IntakeBacklog backlog) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, Object> get() {
                return new AuctionProcessor(settings, backlog);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        StateStores.keyValue(AUCTIONS_STORE, Serdes.String(), stateSerde, inMemory),
                        StateStores.writeThrough(LEADS_STORE, Serdes.String(), leadSerde, inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.auctions = context.getStateStore(AUCTIONS_STORE);
        this.leads = context.getStateStore(LEADS_STORE);
        this.config = new ConfigTables(context);
        this.timersFrom = context.currentSystemTimeMs() + settings.settleMs();
        indexOpenAuctions();
        openAuctions = backlog.openAuctionsCounter();
        openAuctions.set(timers.size());
        context.schedule(settings.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetClosed);
    }

    @Override
    public void close() {
        if (openAuctions != null) {
            backlog.release(openAuctions);
        }
    }

    /**
     * The timer index is the open auctions, rebuilt whenever the task (re)starts. They are found in the
     * store of their leads, which holds exactly them (a lead is kept when its auction opens and dropped
     * when it closes), not by reading the auction store: that holds every auction closed within its
     * retention too, ~9 µs each to read, so an hour's retention at 100 leads/s stopped the stream thread
     * for over 3 s at every start and takeover (at 300 leads/s, 10 s: longer than sellers' time to decision).
     */
    private void indexOpenAuctions() {
        long startedNs = System.nanoTime();
        timers.clear();
        try (KeyValueIterator<String, Lead> it = leads.all()) {
            it.forEachRemaining(entry -> {
                AuctionState state = auctions.get(entry.key);
                if (state != null && state.getPhase() != AuctionPhase.CLOSED) {
                    timers.move(entry.key, Long.MIN_VALUE, machine.timerAt(state));
                }
            });
        }
        LOG.info("auction task {} took over {} open auctions in {} ms", context.taskId(), timers.size(),
                (System.nanoTime() - startedNs) / 1_000_000);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long now = context.currentSystemTimeMs();
        SpecificRecord value = record.value();
        if (value instanceof QualifiedLead qualified) {
            String leadId = qualified.getLead().getLeadId();
            backlog.auctionOpened(qualified.getLead().getEnrichment().getReceivedAt(), now);
            apply(record, null, machine.open(auctions.get(leadId), qualified, this, now));
        } else if (value instanceof Bid bid) {
            // Answers are broker-timed: how long this one queued for the auction, for the door (IntakeBacklog).
            backlog.answerRead(record.timestamp(), now);
            AuctionState state = auctions.get(bid.getLeadId());
            // And how long its ping waited for the connector, so compliance sheds what would be offered too late.
            machine.pingWaitMs(state, bid, config::answersOnKafka).ifPresent(waited -> backlog.pingWaited(waited, now));
            if (state != null || !broadcast(record)) {
                apply(unmarked(record), state, machine.bid(state, bid, record.timestamp(), this, now));
            }
        } else if (value instanceof PostResult result) {
            backlog.answerRead(record.timestamp(), now);
            AuctionState state = auctions.get(result.getLeadId());
            if (state != null || !broadcast(record)) {
                apply(unmarked(record), state, machine.postResult(state, result, this, now));
            }
        } else if (value instanceof CapDecision decision) {
            AuctionState state = auctions.get(decision.getLeadId());
            apply(record, state, machine.capDecision(state, decision, this, now));
        } else {
            LOG.warn("auction ignores unexpected {} for lead {}", value == null ? "null" : value.getClass(), record.key());
        }
    }

    /**
     * A relayed answer written to every partition because its auction's was not known: the auction
     * that knows the lead counts it; every other one ignores it, with no LATE_EVENT of its own.
     */
    private static boolean broadcast(Record<String, SpecificRecord> record) {
        return record.headers().lastHeader(AnswerRoute.BROADCAST_HEADER) != null;
    }

    /** What the auction writes because of an answer must not look broadcast itself. */
    private static Record<String, SpecificRecord> unmarked(Record<String, SpecificRecord> record) {
        if (!broadcast(record)) {
            return record;
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(AnswerRoute.BROADCAST_HEADER);
        return record.withHeaders(headers);
    }

    private void fireDueTimers(long now) {
        if (now < timersFrom) {
            return;
        }
        for (String leadId : timers.takeDue(now)) {
            AuctionState state = auctions.get(leadId);
            if (state == null || machine.timerAt(state) > now) {
                continue; // not in the store (cannot be: the index follows it), or moved since
            }
            // The fired timer is already out of the index: apply() must not look for it again.
            apply(new Record<>(leadId, null, now), null, machine.timer(state, this, now));
        }
    }

    /** Forgets closed auctions past their retention; their timers are not kept in memory. */
    private void forgetClosed(long now) {
        for (KeyValue<String, AuctionState> expired : sweep.next(auctions,
                state -> state.getPhase() == AuctionPhase.CLOSED && machine.timerAt(state) <= now)) {
            apply(new Record<>(expired.value.getLeadId(), null, now), null, machine.timer(expired.value, this, now));
        }
    }

    /**
     * Applies a transition. {@code before} is the state as loaded, whose timer entry (if any) is
     * replaced when the transition moves it; the machine changes the state object in place, so its
     * old timer is computed from the stored copy's fields before anything is written.
     */
    private void apply(Record<String, ?> cause, AuctionState before, AuctionMachine.Transition transition) {
        long oldTimer = before == null ? Long.MIN_VALUE : transition.timerBefore();
        AuctionState state = transition.state();
        switch (transition.store()) {
            case SAVE -> {
                auctions.put(state.getLeadId(), state);
                boolean open = state.getPhase() != AuctionPhase.CLOSED;
                timers.move(state.getLeadId(), oldTimer, open ? transition.timerAt() : Long.MIN_VALUE);
                openAuctions.set(timers.size());
            }
            case FORGET -> {
                auctions.delete(state.getLeadId());
                timers.move(state.getLeadId(), oldTimer, Long.MIN_VALUE);
                openAuctions.set(timers.size());
            }
            case UNCHANGED -> {
            }
        }
        switch (transition.lead()) {
            case KEEP -> leads.put(state.getLeadId(), transition.openedLead());
            case DROP -> leads.delete(state.getLeadId());
            case NONE -> {
            }
        }
        for (AuctionMachine.Emit emit : transition.emits()) {
            if (emit.value() instanceof Outcome outcome) {
                // a lead decided: the door's rate and the time its auctions take (IntakeBacklog)
                backlog.auctionClosed(context.currentSystemTimeMs(), state.getOpenedAt(), Shed.isShed(outcome));
            }
            context.forward(new Record<>(emit.key(), addressed(emit.value()), cause.timestamp(), cause.headers()));
        }
    }

    /**
     * Names this task's partition on what the auction asks of others (and on its own timeout
     * markers), so their answers come back here ({@link AnswerRoute}). Where the auction runs is the
     * shell's business, not a rule of the machine.
     */
    private Object addressed(Object value) {
        int partition = context.taskId().partition();
        if (value instanceof Ping ping) {
            ping.setAuctionPartition(partition);
        } else if (value instanceof Post post) {
            post.setAuctionPartition(partition);
        } else if (value instanceof CapRequest request) {
            request.setAuctionPartition(partition);
        } else if (value instanceof PostResult marker) {
            marker.setAuctionPartition(partition);
        } else if (value instanceof CapDecision marker) {
            marker.setAuctionPartition(partition);
        }
        return value;
    }

    // ---- the market, as the machine sees it ----------------------------------------------------

    @Override
    public Lead lead(String leadId) {
        return leads.get(leadId);
    }

    @Override
    public boolean suppressed(String identityHash) {
        return config.suppressed(identityHash);
    }

    @Override
    public Long spendLeftCents(String buyerId, long now) {
        return BuyerEligibility.spendLeftCents(config.capStatus(buyerId).orElse(null), config.buyerChangedAt(buyerId),
                now);
    }

    @Override
    public long pingWaitMs(long now) {
        return backlog.pingWaitMs(now);
    }

}
