package io.leadmkt.streams.ops;

import io.leadmkt.ops.Latency;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.EventRouting;
import io.leadmkt.streams.auction.AuctionProcessor;
import io.leadmkt.streams.intake.IntakeBacklog;
import io.leadmkt.streams.outcome.Shed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * The marketplace's own meters in the streams app. Every event the app writes passes
 * {@link EventRouting}, which hands it here: one hook counts outcomes (by status and reason),
 * rejections (by reason), shed leads, sales by buyer, audit events by type and each lead's time to
 * decision, and no processor knows about metrics. Meters are registered once per tag value and kept
 * (an {@link EnumMap} or a map lookup per record, no tags built on the hot path); reasons and types
 * are the app's own codes, a bounded set, and buyers are as many as are configured.
 *
 * <p>Counted as written: a record of a transaction that is then aborted (a crash, a fenced
 * instance) is counted, and counted again when its input is processed anew, so after a crash the
 * counters may run a little ahead of the committed topics. Each instance counts what it wrote;
 * Prometheus sums the instances.
 */
public final class MarketMetrics implements Consumer<SpecificRecord> {
    /** The reason tag of a sale, which has none. */
    static final String NO_REASON = "none";

    private final MeterRegistry registry;
    private final Map<OutcomeStatus, Map<String, Counter>> outcomes = new EnumMap<>(OutcomeStatus.class);
    private final Map<OutcomeStatus, Timer> timeToDecision = new EnumMap<>(OutcomeStatus.class);
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> sold = new ConcurrentHashMap<>();
    private final Map<String, Counter> soldCents = new ConcurrentHashMap<>();
    private final Map<AuditType, Counter> audit = new EnumMap<>(AuditType.class);
    private final Counter shedAtIntake;
    private final Counter shedAtAuction;
    private final Counter refusedAtDoor;
    private final Counter forwardFailed;

    public MarketMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refusedAtDoor = Counter.builder("leadmkt.intake.refused")
                .description("leads the HTTP door answered 503 overloaded (a seller's retry counts again)")
                .register(registry);
        this.forwardFailed = Counter.builder("leadmkt.intake.forward.failed")
                .description("leads the HTTP door could not send on to the instance that reads their partition, "
                        + "and so judged itself")
                .register(registry);
        for (OutcomeStatus status : OutcomeStatus.values()) {
            outcomes.put(status, new ConcurrentHashMap<>());
            timeToDecision.put(status, Latency.timer("leadmkt.time.to.decision",
                            "from intake reading a lead to its final outcome")
                    .tag("status", status.name()).register(registry));
        }
        for (AuditType type : AuditType.values()) {
            audit.put(type, Counter.builder("leadmkt.audit.events").description("audit events written, by type")
                    .tag("type", type.name()).register(registry));
        }
        this.shedAtIntake = shed(Shed.AT_INTAKE);
        this.shedAtAuction = shed(Shed.AT_AUCTION);
    }

    /** An event the app writes (the {@link EventRouting} tap); other kinds than those counted pass. */
    @Override
    public void accept(SpecificRecord event) {
        if (event instanceof Outcome outcome) {
            outcome(outcome);
        } else if (event instanceof Rejection rejection) {
            rejection(rejection);
        } else if (event instanceof AuditEvent auditEvent) {
            audit.get(auditEvent.getType()).increment();
        }
    }

    /**
     * Gauges read at scrape time: the auctions this instance holds open (the approximate entries of
     * the open auctions' lead store, which holds a lead exactly while its auction is open; not a
     * number while the store is unavailable), and how far behind intake is ({@link IntakeBacklog}, the
     * lag the HTTP intake sheds on).
     */
    public void watch(Supplier<KafkaStreams> streams, IntakeBacklog backlog, long inFlightMs) {
        // Strong: a gauge holds its object weakly, and nothing else keeps a method reference alive.
        Gauge.builder("leadmkt.auctions.open", streams, s -> openAuctions(s.get())).strongReference(true)
                .description("auctions open on this instance (approximate)").register(registry);
        Gauge.builder("leadmkt.intake.lag", backlog, b -> b.lagMs(System.currentTimeMillis()) / 1000.0)
                .description("how long a lead taken now would wait in the queues: intake's, behind it, the auctions' answers")
                .baseUnit("seconds").register(registry);
        Gauge.builder("leadmkt.intake.until.offer", backlog, b -> b.untilOfferMs(System.currentTimeMillis()) / 1000.0)
                .description("how long a lead read now would wait until its buyers are called (its auction's opening, "
                        + "its ping's wait for the connector): intake sheds a lead older than its campaign's "
                        + "maxLeadAgeMs less this (STALE)")
                .baseUnit("seconds").register(registry);
        Gauge.builder("leadmkt.intake.leads.in.flight", backlog, IntakeBacklog::leadsInFlight)
                .description("this instance's leads in flight as the HTTP door counts them: being written, unread, in an open auction")
                .register(registry);
        Gauge.builder("leadmkt.intake.leads.in.flight.max", backlog,
                        b -> b.maxLeadsInFlight(System.currentTimeMillis(), inFlightMs))
                .description("the door's bound on them: what this instance decides in streams.intake.in.flight.ms plus its "
                        + "buyers' time, at least 50 while the queues keep up")
                .register(registry);
    }

    /** The HTTP door refused a lead as overloaded (503 with Retry-After). */
    public void refusedAtDoor() {
        refusedAtDoor.increment();
    }

    /** The HTTP door could not ask the door of the instance reading a lead's partition, and judged the lead itself. */
    public void forwardFailed() {
        forwardFailed.increment();
    }

    private void outcome(Outcome outcome) {
        OutcomeStatus status = outcome.getStatus();
        String reason = outcome.getReason() == null ? NO_REASON : outcome.getReason();
        Map<String, Counter> byReason = outcomes.get(status);
        Counter counter = byReason.get(reason);
        if (counter == null) {
            counter = byReason.computeIfAbsent(reason, r -> Counter.builder("leadmkt.outcomes")
                    .description("final outcomes of leads, by status and reason")
                    .tag("status", status.name()).tag("reason", r).register(registry));
        }
        counter.increment();
        timeToDecision.get(status).record(Math.max(0, outcome.getDecidedAt() - outcome.getReceivedAt()),
                TimeUnit.MILLISECONDS);
        if (status == OutcomeStatus.SOLD && outcome.getBuyerId() != null) {
            byBuyer(sold, "leadmkt.sold", "leads sold, by buyer", outcome.getBuyerId()).increment();
            if (outcome.getPriceCents() != null) {
                byBuyer(soldCents, "leadmkt.sold.cents", "what buyers paid for the leads they bought, in cents",
                        outcome.getBuyerId()).increment(outcome.getPriceCents());
            }
        } else if (Shed.isShed(outcome)) {
            shedAtAuction.increment();
        }
    }

    private void rejection(Rejection rejection) {
        String reason = rejection.getReasonCode();
        Counter counter = rejections.get(reason);
        if (counter == null) {
            counter = rejections.computeIfAbsent(reason, r -> Counter.builder("leadmkt.rejections")
                    .description("leads refused before any buyer saw them, by reason").tag("reason", r)
                    .register(registry));
        }
        counter.increment();
        if (Shed.isShed(rejection)) {
            shedAtIntake.increment();
        }
    }

    private Counter byBuyer(Map<String, Counter> counters, String name, String description, String buyerId) {
        Counter counter = counters.get(buyerId);
        return counter != null ? counter : counters.computeIfAbsent(buyerId, id -> Counter.builder(name)
                .description(description).tag("buyer", id).register(registry));
    }

    private Counter shed(String reason) {
        return Counter.builder("leadmkt.shed").description("leads the app could not offer in time, by where")
                .tag("reason", reason).register(registry);
    }

    static double openAuctions(KafkaStreams streams) {
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return Double.NaN;
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(AuctionProcessor.LEADS_STORE,
                    QueryableStoreTypes.keyValueStore())).approximateNumEntries();
        } catch (InvalidStateStoreException e) {
            return Double.NaN; // moving between instances right now
        }
    }
}
