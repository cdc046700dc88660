package io.leadmkt.streams.report;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps, per lead, where it is and how it ended: the audit timeline plus the final outcome or
 * rejection. Built from the audit, outcomes and rejected topics, so it holds no PII. Served by
 * {@code GET /v1/leads/{id}} through interactive queries.
 */
public final class LeadStatusProcessor implements Processor<String, SpecificRecord, Void, Void> {
    public static final String STORE = "lead-status-store";
    /** A lead that retries many posts still has a readable timeline; beyond this, the audit topic has it all. */
    static final int MAX_TIMELINE = 100;
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

    private final long retentionMs;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, LeadStatus> statuses;

    public LeadStatusProcessor(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    public static ProcessorSupplier<String, SpecificRecord, Void, Void> supplier(long retentionMs,
                                                                                  AvroSerde<LeadStatus> serde,
                                                                                  boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, Void, Void> get() {
                return new LeadStatusProcessor(retentionMs);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(inMemory ? Stores.inMemoryKeyValueStore(STORE)
                        : Stores.persistentKeyValueStore(STORE), Serdes.String(), serde));
            }
        };
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.statuses = context.getStateStore(STORE);
        context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String leadId = record.key();
        if (leadId == null || record.value() == null) {
            return; // unreadable input with no key: it is on the rejected and dead-letter topics
        }
        long now = context.currentSystemTimeMs();
        LeadStatus status = statuses.get(leadId);
        if (status == null) {
            status = LeadStatus.newBuilder().setLeadId(leadId).setStage("received").setUpdatedAt(now).build();
        }
        status.setUpdatedAt(now);
        SpecificRecord value = record.value();
        if (value instanceof AuditEvent event) {
            List<AuditEvent> timeline = new ArrayList<>(status.getTimeline());
            if (timeline.size() < MAX_TIMELINE) {
                timeline.add(event);
                timeline.sort((a, b) -> Long.compare(a.getAt(), b.getAt()));
                status.setTimeline(timeline);
            }
            if (!isFinal(status.getStage())) {
                String stage = stageAfter(event.getType());
                if (stage != null) {
                    status.setStage(stage);
                }
            }
        } else if (value instanceof Outcome outcome) {
            status.setOutcome(outcome);
            status.setStage(outcome.getStatus().name().toLowerCase());
        } else if (value instanceof Rejection rejection) {
            status.setRejection(rejection);
            status.setStage("rejected");
        }
        statuses.put(leadId, status);
    }

    static String stageAfter(AuditType type) {
        return switch (type) {
            case RECEIVED -> "received";
            case QUALIFIED -> "qualified";
            case PINGED, BID -> "bidding";
            case AUCTION_CLOSED, POSTED, POST_RESULT -> "posting";
            case SOLD -> "sold";
            case UNSOLD -> "unsold";
            case REJECTED -> "rejected";
            case LATE_EVENT -> null;
        };
    }

    private static boolean isFinal(String stage) {
        return "sold".equals(stage) || "unsold".equals(stage) || "rejected".equals(stage);
    }

    private void forgetOld(long now) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, LeadStatus> it = statuses.all()) {
            while (it.hasNext()) {
                KeyValue<String, LeadStatus> entry = it.next();
                if (now - entry.value.getUpdatedAt() > retentionMs) {
                    old.add(entry.key);
                }
            }
        }
        old.forEach(statuses::delete);
    }
}
