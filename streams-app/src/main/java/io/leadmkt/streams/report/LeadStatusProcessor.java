package io.leadmkt.streams.report;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Keeps, per lead, how it ended (the status store) and its audit timeline (one entry per event in
 * the timeline store, so an event costs one small write however long the timeline grows). Built
 * from the audit, outcomes and rejected topics, so it holds no PII. Served by
 * {@code GET /v1/leads/{id}} through interactive queries, via {@link #read}.
 *
 * <p>The status is written when the lead is first seen and when it ends, not at every stage in
 * between: where an unfinished lead is follows from its timeline's events, so {@link #read} works
 * it out then (two writes per lead instead of about five; each is a changelog record).
 */
public final class LeadStatusProcessor implements Processor<String, SpecificRecord, Void, Void> {
    public static final String STORE = "lead-status-store";
    public static final String TIMELINE_STORE = "lead-timeline-store";
    /** How many statuses a task keeps decoded: the leads in flight on its partitions, with room to spare. */
    static final int DECODED_STATUSES = 4_096;

    private final long retentionMs;
    /** Statuses past their retention, found a slice at a time (a week of leads is millions of them). */
    private final StoreSweep<String, LeadStatus> sweep;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, LeadStatus> statuses;
    private KeyValueStore<String, AuditEvent> timelines;
    /**
     * The statuses of the leads this task saw last, decoded: every audit event of a lead looks its
     * status up (about six per lead), and it is written only when the lead starts and ends.
     */
    private final Map<String, LeadStatus> decoded = StateStores.decodedValues(DECODED_STATUSES);

    public LeadStatusProcessor(long retentionMs) {
        this.retentionMs = retentionMs;
        this.sweep = StoreSweep.quarterOf(Duration.ofMillis(retentionMs));
    }

    public static ProcessorSupplier<String, SpecificRecord, Void, Void> supplier(
            long retentionMs, AvroSerde<LeadStatus> statusSerde, AvroSerde<AuditEvent> eventSerde, boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, Void, Void> get() {
                return new LeadStatusProcessor(retentionMs);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        StateStores.writeThrough(STORE, Serdes.String(), statusSerde, inMemory),
                        StateStores.writeThrough(TIMELINE_STORE, Serdes.String(), eventSerde, inMemory));
            }
        };
    }

    /** A lead's status with its timeline, oldest event first; works on live and test stores alike. */
    public static Optional<LeadStatus> read(ReadOnlyKeyValueStore<String, LeadStatus> statuses,
                                            ReadOnlyKeyValueStore<String, AuditEvent> timelines, String leadId) {
        LeadStatus status = statuses.get(leadId);
        if (status == null) {
            return Optional.empty();
        }
        List<AuditEvent> timeline = timeline(timelines, leadId);
        String stage = status.getStage();
        for (AuditEvent event : timeline) {
            stage = stageAfter(stage, event.getType());
        }
        return Optional.of(LeadStatus.newBuilder(status).setStage(stage).setTimeline(timeline).build());
    }

    /** A lead's audit events as the timeline store holds them, oldest first (empty once forgotten). */
    public static List<AuditEvent> timeline(ReadOnlyKeyValueStore<String, AuditEvent> timelines, String leadId) {
        List<AuditEvent> timeline = new ArrayList<>();
        try (KeyValueIterator<String, AuditEvent> it = timelines.prefixScan(leadId + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> timeline.add(kv.value));
        }
        timeline.sort((a, b) -> Long.compare(a.getAt(), b.getAt()));
        return timeline;
    }

    /** Where a lead is after {@code event}: a final stage stays; events that say nothing leave it. */
    static String stageAfter(String stage, AuditType event) {
        String next = stageAfter(event);
        return next == null || isFinal(stage) ? stage : next;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.statuses = context.getStateStore(STORE);
        this.timelines = context.getStateStore(TIMELINE_STORE);
        decoded.clear();
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String leadId = record.key();
        if (leadId == null || record.value() == null) {
            return; // unreadable input with no key: it is on the rejected and dead-letter topics
        }
        long now = context.currentSystemTimeMs();
        SpecificRecord value = record.value();
        LeadStatus status = decoded.get(leadId);
        if (status == null) {
            status = statuses.get(leadId);
            if (status != null) {
                decoded.put(leadId, status);
            }
        }
        if (status == null && value instanceof AuditEvent event && afterSale(event.getType())) {
            return; // a return or conversion of a lead whose status was already forgotten: no lead to add it to
        }
        boolean changed = status == null;
        if (status == null) {
            status = LeadStatus.newBuilder().setLeadId(leadId).setStage("received").setUpdatedAt(now)
                    .setTimeline(List.of()).build();
        }
        if (value instanceof AuditEvent event) {
            timelines.put(timelineKey(leadId, record), event);
        } else if (value instanceof Outcome outcome) {
            status.setOutcome(outcome);
            status.setStage(outcome.getStatus().name().toLowerCase());
            changed = true;
        } else if (value instanceof Rejection rejection) {
            status.setRejection(rejection);
            status.setStage("rejected");
            changed = true;
        }
        if (changed) {
            status.setUpdatedAt(now);
            statuses.put(leadId, status);
            decoded.put(leadId, status);
        }
    }

    /** Unique per event: the audit record's offset (a lead's events share one partition). */
    private String timelineKey(String leadId, Record<String, SpecificRecord> record) {
        long position = context.recordMetadata().map(m -> m.offset()).orElse(record.timestamp());
        String digits = Long.toString(position);
        return leadId + "|" + "0".repeat(Math.max(0, 19 - digits.length())) + digits;
    }

    static String stageAfter(AuditType type) {
        return switch (type) {
            case RECEIVED -> "received";
            case QUALIFIED -> "qualified";
            case PINGED, BID -> "bidding";
            case AUCTION_CLOSED, POSTED, POST_RESULT, CAP_GRANTED, CAP_REFUSED -> "posting";
            case ROUND_EXHAUSTED -> "bidding";
            case SOLD -> "sold";
            case UNSOLD -> "unsold";
            case REJECTED -> "rejected";
            case LATE_EVENT, RETURN_REQUESTED, RETURN_DECIDED, CONVERSION_REPORTED -> null;
        };
    }

    /** The returns desk's steps, which follow a sale: they join a lead's timeline, never start one. */
    static boolean afterSale(AuditType type) {
        return type == AuditType.RETURN_REQUESTED || type == AuditType.RETURN_DECIDED
                || type == AuditType.CONVERSION_REPORTED;
    }

    private static boolean isFinal(String stage) {
        return "sold".equals(stage) || "unsold".equals(stage) || "rejected".equals(stage);
    }

    private void forgetOld(long now) {
        for (KeyValue<String, LeadStatus> old : sweep.next(statuses, status -> now - status.getUpdatedAt() > retentionMs)) {
            String leadId = old.key;
            statuses.delete(leadId);
            decoded.remove(leadId);
            List<String> events = new ArrayList<>();
            try (KeyValueIterator<String, AuditEvent> it = timelines.prefixScan(leadId + "|", new StringSerializer())) {
                it.forEachRemaining(kv -> events.add(kv.key));
            }
            events.forEach(timelines::delete);
        }
    }
}
