package io.leadmkt.streams.whatif;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.WhatIfAuction;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import io.leadmkt.streams.eligibility.BuyerTermsResolver;
import io.leadmkt.streams.report.LeadStatusProcessor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Keeps what the floor what-if needs of each decided lead ({@link WhatIfRecords}) in {@link #STORE},
 * keyed by decision time, for {@code retentionMs}.
 *
 * <p>It reads the report's input (audit, outcomes, rejected: keyed by lead id, no repartition) and
 * runs after the lead-status processor on every record, so when a lead's outcome or its auction's
 * SOLD/UNSOLD step arrives — whichever comes second, they are on two topics — the lead's status
 * and timeline there are complete, and it writes the lead's record once: no state of its own
 * between, one store write per decided lead. A redelivered outcome writes the same record again.
 */
public final class WhatIfRecorder implements Processor<String, SpecificRecord, Void, Void> {
    public static final String STORE = "whatif-auctions-store";

    private final long retentionMs;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, WhatIfAuction> auctions;
    private KeyValueStore<String, LeadStatus> statuses;
    private KeyValueStore<String, AuditEvent> timelines;
    private ConfigTables config;

    WhatIfRecorder(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    /** Connect it to the lead-status stores too ({@link LeadStatusProcessor#STORE}, {@link LeadStatusProcessor#TIMELINE_STORE}). */
    public static ProcessorSupplier<String, SpecificRecord, Void, Void> supplier(long retentionMs,
                                                                               AvroSerde<WhatIfAuction> serde,
                                                                               boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, Void, Void> get() {
                return new WhatIfRecorder(retentionMs);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.writeThrough(STORE, Serdes.String(), serde, inMemory));
            }
        };
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.auctions = context.getStateStore(STORE);
        this.statuses = context.getStateStore(LeadStatusProcessor.STORE);
        this.timelines = context.getStateStore(LeadStatusProcessor.TIMELINE_STORE);
        this.config = new ConfigTables(context);
        // Keys sort by decision time, so each call deletes only what ended since the last: as often as the
        // other sweeps, seconds' worth of leads rather than ten minutes' worth at once.
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        boolean ending = value instanceof Outcome || value instanceof AuditEvent event
                && (event.getType() == AuditType.SOLD || event.getType() == AuditType.UNSOLD);
        if (!ending || record.key() == null) {
            return;
        }
        LeadStatus status = statuses.get(record.key());
        if (status == null || status.getOutcome() == null) {
            return; // the outcome is still on its way: its arrival records the lead
        }
        List<AuditEvent> timeline = LeadStatusProcessor.timeline(timelines, record.key());
        if (!WhatIfRecords.ended(timeline)) {
            return; // the auction's last steps are still on their way: SOLD/UNSOLD records the lead
        }
        Outcome outcome = status.getOutcome();
        WhatIfAuction auction = WhatIfRecords.of(outcome, timeline, config.campaign(outcome.getCampaignId()),
                config::buyer, buyerId -> config.buyerStats(buyerId)
                        .map(BuyerTermsResolver::acceptanceRateBasisPoints).orElse(null));
        auctions.put(WhatIfRecords.key(outcome.getDecidedAt(), outcome.getLeadId()), auction);
    }

    /** Keys sort by decision time: everything below the retention's start goes. */
    private void forgetOld(long now) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, WhatIfAuction> it = auctions.range(null,
                WhatIfRecords.lowest(Instant.ofEpochMilli(now - retentionMs)))) {
            it.forEachRemaining(kv -> old.add(kv.key));
        }
        old.forEach(auctions::delete);
    }
}
