package io.leadmkt.streams.privacy;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerContact;
import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionEventType;
import io.leadmkt.schema.DeletionNotice;
import io.leadmkt.schema.Disclosure;
import io.leadmkt.schema.Outcome;
import io.leadmkt.streams.report.LeadStatusProcessor;
import io.leadmkt.schema.ErasureRequest;
import io.leadmkt.schema.KeyErasure;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Keeps, per lead, who was told what ({@link Disclosures}), found by the consumer's phone, email or
 * identity hash through an index; and answers a deletion request for the leads of its partitions.
 * It reads the audit trail beside the lead-status store (same input, no new topic or repartition), so
 * its stores are partitioned like the leads: a disclosure query asks every partition, and a deletion
 * request is written once to every partition of {@code privacy.deletions}.
 *
 * <p>For a deletion request it finds the consumer's leads, asks the key vault to erase each of their
 * identities' keys ({@link KeyErasure}: the lead with phone P and email E is sealed under P's key,
 * so a request naming only E still reaches it), tells every buyer that was posted one of them
 * ({@link DeletionNotice}, delivered by the connector), reports what it found ({@code LEADS_FOUND}),
 * and remembers the hashes for a day, so a lead of theirs still in flight when the request came is
 * erased as soon as it qualifies.
 */
public final class DisclosureProcessor implements Processor<String, SpecificRecord, String, Object> {
    public static final String STORE = "privacy-disclosures-store";
    public static final String INDEX_STORE = "privacy-disclosure-index-store";
    public static final String ERASED_STORE = "privacy-erased-hashes-store";
    /** Disclosures are kept 13 months: the CCPA's right to know looks back 12. */
    static final long RETENTION_MS = Duration.ofDays(400).toMillis();
    /** A request's hashes erase leads that qualify this long after it (leads in flight when it came). */
    static final long ERASED_WINDOW_MS = Duration.ofDays(1).toMillis();
    /**
     * Disclosures past their retention are found a slice at a time over a week (13 months of leads is far
     * too many to read at once): one outlives its retention by at most that.
     */
    private final StoreSweep<String, Disclosure> disclosureSweep = new StoreSweep<>(Duration.ofDays(7));
    private final StoreSweep<String, String> erasedSweep = StoreSweep.quarterOf(Duration.ofMillis(ERASED_WINDOW_MS));

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Disclosure> disclosures;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, String> erased;
    /** The lead-status processor's timeline store (same task): an open lead's pings and posts. */
    private KeyValueStore<String, AuditEvent> timelines;

    public static ProcessorSupplier<String, SpecificRecord, String, Object> supplier(AvroSerde<Disclosure> serde,
                                                                                     boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, Object> get() {
                return new DisclosureProcessor();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.writeThrough(STORE, Serdes.String(), serde, inMemory),
                        StateStores.writeThrough(INDEX_STORE, Serdes.String(), Serdes.String(), inMemory),
                        StateStores.writeThrough(ERASED_STORE, Serdes.String(), Serdes.String(), inMemory));
            }
        };
    }

    /** The index key of a lead under one of its hashes; a prefix scan on {@code hash + "|"} finds them all. */
    public static String indexKey(String hash, String leadId) {
        return hash + "|" + leadId;
    }

    /** The lead ids indexed under {@code hash}, on live and test stores alike. */
    public static List<String> leadIds(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, String> index,
                                       String hash) {
        List<String> leadIds = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.prefixScan(hash + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> leadIds.add(kv.value));
        }
        return leadIds;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.disclosures = context.getStateStore(STORE);
        this.index = context.getStateStore(INDEX_STORE);
        this.erased = context.getStateStore(ERASED_STORE);
        this.timelines = context.getStateStore(LeadStatusProcessor.TIMELINE_STORE);
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long now = context.currentSystemTimeMs();
        if (record.value() instanceof AuditEvent event && Disclosures.matters(event)) {
            disclose(event, now);
        } else if (record.value() instanceof Outcome outcome) {
            settle(outcome.getLeadId());
        } else if (record.value() instanceof ErasureRequest request) {
            erase(request, now);
        }
    }

    private void disclose(AuditEvent event, long now) {
        if (event.getType() == AuditType.QUALIFIED) {
            Optional<Disclosure> qualified = Disclosures.qualified(event);
            if (qualified.isEmpty()) {
                return;
            }
            Disclosure disclosure = qualified.get();
            for (String hash : Disclosures.hashes(disclosure)) {
                index.put(indexKey(hash, disclosure.getLeadId()), disclosure.getLeadId());
                String deletion = erased.get(hash);
                if (deletion != null && disclosure.getErasedBy() == null) {
                    // The consumer asked to be deleted while this lead was on its way: erase it too.
                    disclosure.setErasedBy(deletionId(deletion));
                    forward(disclosure.getIdentityHash(), KeyErasure.newBuilder()
                            .setIdentityHash(disclosure.getIdentityHash()).setDeletionId(deletionId(deletion))
                            .setAt(now).build(), now);
                }
            }
            disclosures.put(disclosure.getLeadId(), disclosure);
            return;
        }
        // An open lead's pings and posts are in its timeline; only an event that comes after its end
        // (the audit and outcome topics are read in no fixed order) changes a settled disclosure.
        Disclosure disclosure = disclosures.get(event.getLeadId());
        if (disclosure != null && Disclosures.settled(disclosure)) {
            disclosures.put(event.getLeadId(), Disclosures.after(disclosure, event));
        }
    }

    /** The lead ended: its disclosure is written whole, once, to be kept after its timeline is gone. */
    private void settle(String leadId) {
        Disclosure stored = disclosures.get(leadId);
        Disclosure settled = Disclosures.current(stored, timelines);
        if (settled != stored) {
            disclosures.put(leadId, settled);
        }
    }

    private void erase(ErasureRequest request, long now) {
        String deletionId = request.getDeletionId();
        Set<String> leadIds = new LinkedHashSet<>();
        for (String hash : request.getHashes()) {
            erased.put(hash, deletionId + "|" + now);
            leadIds.addAll(leadIds(index, hash));
        }
        Set<String> identities = new LinkedHashSet<>();
        Map<String, List<String>> leadsByBuyer = new TreeMap<>();
        List<String> found = new ArrayList<>();
        for (String leadId : leadIds) {
            Disclosure disclosure = disclosures.get(leadId);
            if (disclosure == null) {
                continue;
            }
            found.add(leadId);
            identities.add(disclosure.getIdentityHash());
            // A lead still open has been posted to whom its timeline says so far.
            for (BuyerContact post : Disclosures.current(disclosure, timelines).getPosted()) {
                List<String> ofBuyer = leadsByBuyer.computeIfAbsent(post.getBuyerId(), b -> new ArrayList<>());
                if (!ofBuyer.contains(leadId)) {
                    ofBuyer.add(leadId);
                }
            }
            if (disclosure.getErasedBy() == null) {
                disclosure.setErasedBy(deletionId);
                disclosures.put(leadId, disclosure);
            }
        }
        for (String identity : identities) {
            forward(identity, KeyErasure.newBuilder().setIdentityHash(identity).setDeletionId(deletionId).setAt(now)
                    .build(), now);
        }
        leadsByBuyer.forEach((buyerId, leads) -> forward(deletionId, DeletionNotice.newBuilder()
                .setDeletionId(deletionId).setBuyerId(buyerId).setLeadIds(leads).setHashes(request.getHashes())
                .setRequestedAt(request.getRequestedAt()).build(), now));
        forward(deletionId, DeletionEvent.newBuilder().setDeletionId(deletionId).setType(DeletionEventType.LEADS_FOUND)
                .setAt(now).setPartition(context.recordMetadata().map(m -> m.partition()).orElse(-1))
                .setLeadIds(found).setHashes(new ArrayList<>(identities))
                .setDetail(Map.of("buyers", String.join(",", leadsByBuyer.keySet()))).build(), now);
    }

    private void forward(String key, SpecificRecord value, long now) {
        context.forward(new Record<>(key, value, now));
    }

    private static String deletionId(String erasedValue) {
        return erasedValue.substring(0, erasedValue.lastIndexOf('|'));
    }

    private void forgetOld(long now) {
        erasedSweep.next(erased, value -> now - Long.parseLong(value.substring(value.lastIndexOf('|') + 1)) >= ERASED_WINDOW_MS)
                .forEach(old -> erased.delete(old.key));
        for (KeyValue<String, Disclosure> old : disclosureSweep.next(disclosures,
                disclosure -> now - disclosure.getQualifiedAt() >= RETENTION_MS)) {
            Disclosure disclosure = old.value;
            disclosures.delete(disclosure.getLeadId());
            Disclosures.hashes(disclosure).forEach(hash -> index.delete(indexKey(hash, disclosure.getLeadId())));
        }
    }
}
