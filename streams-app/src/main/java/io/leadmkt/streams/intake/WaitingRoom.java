package io.leadmkt.streams.intake;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.comply.TimeToDecision;
import io.leadmkt.streams.outcome.Rejections;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Above capacity, leads wait here and the newest is offered first (adaptive LIFO), so the leads the
 * marketplace sells are sold at close to normal speed and the ones it cannot sell in time are shed.
 *
 * <p>Why: a lead read from a topic queues in order. Above capacity a first-in-first-out queue grows until
 * its head is as old as the campaign's time to decision allows, and from then on every lead sold is
 * sold that late (7–10 s at twice capacity in the demo), while the topic's own order gives intake no
 * way to reach the fresh leads behind it. The HTTP intake has a door that turns leads away instead
 * ({@link IntakeBacklog#admit}); a lead written to Kafka has already been handed over, so it waits here.
 *
 * <p>The rule, the HTTP door's ({@link IntakeBacklog#admit}) for leads already handed over: a lead read
 * while the instance has fewer leads in flight than it decides in {@code inFlightMs} ({@link
 * IntakeBacklog#maxLeadsInFlight}) passes straight through (no store, no record), and so does one read
 * while the queues behind intake keep up ({@link IntakeBacklog#queuedMs} at most {@code lagMs}), for
 * auctions that are many only because their buyers are slow are no sign of overload. Otherwise, and
 * while others wait, the lead waits in the room (a changelogged store: a crash loses none). Every
 * {@link #TICK} while the room holds leads, the newest are let in while there is room in flight, and
 * beyond that, while the queues keep up, at a quarter more than the rate the instance decides leads
 * ({@link Pace}), so a market whose auctions are long is never held below what it sells. Those that
 * can no longer be offered within their campaign's time to decision are shed here ({@code STALE},
 * before any buyer is asked).
 *
 * <p>It sits after dedupe and sealing, so the first lead of a consumer still wins whatever the order
 * here, and the room holds only sealed copies of the consumer's details; before eligibility, so a
 * lead let in late is judged against the buyers and caps of that moment. The time a lead waited is
 * carried to the auction in the {@link #ADMITTED_AT_HEADER} header, so the door's estimate of the
 * queue behind intake ({@link IntakeBacklog#downstreamMs}) does not count it as lag, and to the
 * QUALIFIED audit event ({@code waitedMs}).
 */
public final class WaitingRoom implements Processor<String, Lead, String, Object> {
    public static final String STORE = "waiting-room-store";
    /** When the room let the lead in (8 bytes, epoch ms), on the record of a lead that waited. */
    public static final String ADMITTED_AT_HEADER = "leadmkt-admitted-at";
    /** How often the room lets leads in and sheds the expired while it holds any (no timer while it is empty). */
    static final Duration TICK = Duration.ofMillis(10);
    /** Waiting leads by the order they are let in: newest arrival first, then lead id. */
    private final TreeMap<String, Waiting> newestFirst = new TreeMap<>();
    /** The same leads by the moment they must be offered by, soonest first: the order they expire in. */
    private final TreeSet<Waiting> byDeadline = new TreeSet<>(
            Comparator.comparingLong(Waiting::decideBy).thenComparing(Waiting::key));
    private final long lagMs;
    private final long inFlightMs;
    private final IntakeBacklog backlog;
    private final Pace pace = new Pace();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Lead> store;
    private ConfigTables config;
    private AtomicInteger waitingCount;
    private Cancellable ticking;

    /** A lead in the room: its store key and when it must be offered by. */
    private record Waiting(String key, long decideBy) {
    }

    /**
     * @param lagMs      how far behind the queues may be while leads still pass beyond the bound; 0 turns the room off
     * @param inFlightMs the bound on leads in flight, in milliseconds of the decision rate (the HTTP door's)
     */
    public WaitingRoom(long lagMs, long inFlightMs, IntakeBacklog backlog) {
        this.lagMs = lagMs;
        this.inFlightMs = inFlightMs;
        this.backlog = backlog;
    }

    public static ProcessorSupplier<String, Lead, String, Object> supplier(long lagMs, long inFlightMs,
                                                                          IntakeBacklog backlog, Serde<Lead> leadSerde,
                                                                          boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Lead, String, Object> get() {
                return new WaitingRoom(lagMs, inFlightMs, backlog);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.keyValue(STORE, Serdes.String(), leadSerde, inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.config = new ConfigTables(context);
        this.waitingCount = backlog.waitingCounter();
        // The room is small (seconds of leads): after a restart or a takeover, index what waited.
        try (KeyValueIterator<String, Lead> it = store.all()) {
            it.forEachRemaining(entry -> index(entry.key, decideBy(entry.value)));
        }
        if (!newestFirst.isEmpty()) {
            startTicking();
        }
    }

    @Override
    public void close() {
        if (waitingCount != null) {
            backlog.release(waitingCount);
        }
    }

    @Override
    public void process(Record<String, Lead> record) {
        long now = context.currentSystemTimeMs();
        if (lagMs <= 0 || newestFirst.isEmpty() && (roomInFlight(now) || backlog.queuedMs(now) <= lagMs)) {
            context.forward(record);
            return;
        }
        Lead lead = record.value();
        String key = key(lead);
        store.put(key, lead);
        index(key, decideBy(lead));
        startTicking();
    }

    /** Sheds what can no longer be offered in time, then lets the newest in while the queues keep up. */
    private void tick(long now) {
        long offerBy = now + backlog.downstreamMs(now);
        while (!byDeadline.isEmpty() && !TimeToDecision.canOffer(byDeadline.first().decideBy(), offerBy)) {
            Waiting expired = byDeadline.first();
            Lead lead = leave(expired);
            if (lead != null) {
                long maxAge = expired.decideBy() - TimeToDecision.arrivedAt(lead);
                Rejections.forward(context, new Record<>(lead.getLeadId(), lead, now),
                        Rejections.of(lead, Rejections.STALE, List.of(TimeToDecision.tooOld(lead, maxAge, now)), now,
                                "waiting-room"), now, Map.of());
            }
        }
        pace.refill(now, backlog.decidedPerSecond(now));
        while (!newestFirst.isEmpty() && (roomInFlight(now) || backlog.queuedMs(now) <= lagMs && pace.take())) {
            Lead lead = leave(newestFirst.firstEntry().getValue());
            if (lead != null) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(ADMITTED_AT_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(now).array());
                context.forward(new Record<>(lead.getEnrichment().getIdentityHash(), lead,
                        TimeToDecision.arrivedAt(lead), headers));
            }
        }
        if (newestFirst.isEmpty() && ticking != null) {
            ticking.cancel(); // an empty room costs nothing: no timer, so no commit on its account
            ticking = null;
        }
    }

    /** Whether the instance has fewer leads in flight than it decides in {@code inFlightMs}. */
    private boolean roomInFlight(long now) {
        return backlog.leadsInFlight() < backlog.maxLeadsInFlight(now, inFlightMs);
    }

    /** When a lead that waited was let in, from its record's headers; empty for a lead that did not wait. */
    public static Optional<Long> admittedAt(org.apache.kafka.common.header.Headers headers) {
        Header header = headers.lastHeader(ADMITTED_AT_HEADER);
        return header == null || header.value() == null || header.value().length != Long.BYTES
                ? Optional.empty() : Optional.of(ByteBuffer.wrap(header.value()).getLong());
    }

    private Lead leave(Waiting waiting) {
        newestFirst.remove(waiting.key());
        byDeadline.remove(waiting);
        waitingCount.set(newestFirst.size());
        Lead lead = store.get(waiting.key());
        store.delete(waiting.key());
        return lead;
    }

    private void index(String key, long decideBy) {
        Waiting waiting = new Waiting(key, decideBy);
        Waiting before = newestFirst.put(key, waiting);
        if (before != null) {
            byDeadline.remove(before); // the same lead read again (a redelivery): it waits once
        }
        byDeadline.add(waiting);
        waitingCount.set(newestFirst.size());
    }

    private void startTicking() {
        if (ticking == null) {
            ticking = context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
        }
    }

    /** Its campaign's deadline; a lead whose campaign is gone waits no longer than any (eligibility rejects it). */
    private long decideBy(Lead lead) {
        Optional<CampaignConfig> campaign = config.campaign(lead.getCampaignId());
        return campaign.map(c -> TimeToDecision.decideBy(lead, c)).orElse(TimeToDecision.arrivedAt(lead));
    }

    /** Sorts newest arrival first: the arrival subtracted from Long.MAX_VALUE, zero-padded, then the lead id. */
    static String key(Lead lead) {
        return String.format("%019d", Long.MAX_VALUE - Math.max(0, TimeToDecision.arrivedAt(lead))) + "/" + lead.getLeadId();
    }

    /**
     * How many waiting leads may be let in: about as many a second as the instance decides (a quarter
     * more, so the rate can climb back when it was held down), at least {@link #MIN_PER_SECOND}, with
     * at most {@link #BURST_MS} of them at once, so a room that has been holding leads does not flood
     * the pipeline the moment its queues catch up. A pure token bucket, tested directly.
     */
    static final class Pace {
        /** Leads a second let in even when nothing was decided lately (start-up, a long stall). */
        static final double MIN_PER_SECOND = 10;
        /** How much faster than leads are decided the room lets them in. */
        static final double HEADROOM = 1.25;
        /** The most let in at once, in milliseconds of the rate. */
        static final long BURST_MS = 50;
        private double allowance;
        private long refilledAt = Long.MIN_VALUE;

        void refill(long now, double decidedPerSecond) {
            double perSecond = Math.max(MIN_PER_SECOND, decidedPerSecond * HEADROOM);
            double burst = Math.max(1, perSecond * BURST_MS / 1000.0);
            // A fresh bucket starts full: the room's first tick after the queues catch up lets a burst in.
            allowance = refilledAt == Long.MIN_VALUE ? burst
                    : Math.min(burst, allowance + perSecond * Math.max(0, now - refilledAt) / 1000.0);
            refilledAt = now;
        }

        boolean take() {
            if (allowance < 1) {
                return false;
            }
            allowance -= 1;
            return true;
        }
    }
}
