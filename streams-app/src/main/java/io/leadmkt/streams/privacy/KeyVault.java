package io.leadmkt.streams.privacy;

import io.leadmkt.schema.DataKey;
import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionEventType;
import io.leadmkt.schema.KeyErasure;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.PiiSeal;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.StateStores;
import io.leadmkt.streams.StoreSweep;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Seals every lead's PII under its consumer's data key ({@link PiiSeal}), and erases keys on request.
 * It runs on the stream keyed by identity hash (after {@code leads-by-identity}), so one task owns
 * each identity: a new identity gets exactly one key, written once (its store's changelog,
 * {@value #KEY_TOPIC_SUFFIX} after the application id, is the key topic the connector reads to unseal
 * posts); every later lead of that consumer reuses it, from a small cache in front of the store.
 *
 * <p>A {@link KeyErasure} deletes the key: a tombstone on the key topic, so every sealed copy of that
 * consumer's PII, on any topic or in any store, retained or not, can no longer be read. The changelog
 * is compacted eagerly (a segment a minute, any dirt cleanable) so the broker drops the old key record
 * soon after. Keys are replaced after {@link #KEY_USE_MS} and forgotten after the PII retention:
 * nothing sealed under an older key is still retained by then.
 */
public final class KeyVault implements Processor<String, Object, String, Object> {
    public static final String STORE = "privacy-keys-store";
    /** The key topic: this store's changelog, {@code <application.id>-privacy-keys-store-changelog}. */
    public static final String KEY_TOPIC_SUFFIX = "-" + STORE + "-changelog";
    /** A key seals new leads this long; then the identity gets a fresh one. */
    static final long KEY_USE_MS = TopicProvisioner.PII_RETENTION_MS - Duration.ofDays(1).toMillis();
    /** Past the PII retention nothing sealed under a key is retained any more: it is dropped. */
    static final long KEY_KEEP_MS = TopicProvisioner.PII_RETENTION_MS;
    static final int CACHE_ENTRIES = 10_000;
    /** Keys past {@link #KEY_KEEP_MS}, found a slice at a time over an hour: one outlives it by at most that. */
    private final StoreSweep<String, DataKey> sweep = new StoreSweep<>(Duration.ofHours(1));
    /** Compact the key topic eagerly: an erased key's old record should leave the broker's log soon. */
    static final Map<String, String> KEY_TOPIC_CONFIG = Map.of(
            TopicConfig.SEGMENT_MS_CONFIG, "60000",
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
            TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, "60000",
            TopicConfig.DELETE_RETENTION_MS_CONFIG, "3600000");

    private final SecureRandom random = new SecureRandom();
    /** Keys in use, most recent last: a store read and an Avro decode per lead were the cost it saves. */
    private final Map<String, DataKey> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DataKey> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, DataKey> keys;

    public static ProcessorSupplier<String, Object, String, Object> supplier(AvroSerde<DataKey> serde, boolean inMemory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Object, String, Object> get() {
                return new KeyVault();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(StateStores.writeThrough(STORE, Serdes.String(), serde, inMemory).withLoggingEnabled(KEY_TOPIC_CONFIG));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.keys = context.getStateStore(STORE);
        context.schedule(StoreSweep.EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOld);
    }

    @Override
    public void process(Record<String, Object> record) {
        long now = context.currentSystemTimeMs();
        if (record.value() instanceof Lead lead) {
            context.forward(record.withValue(PiiSeal.seal(lead, keyFor(lead.getEnrichment().getIdentityHash(), now),
                    random)));
        } else if (record.value() instanceof KeyErasure erasure) {
            erase(erasure, now);
        }
    }

    private DataKey keyFor(String identity, long now) {
        DataKey key = cache.get(identity);
        if (key == null) {
            key = keys.get(identity);
        }
        if (key == null || now - key.getCreatedAt() >= KEY_USE_MS) {
            key = PiiSeal.newKey(identity, now, random);
            keys.put(identity, key);
        }
        cache.put(identity, key);
        return key;
    }

    private void erase(KeyErasure erasure, long now) {
        String identity = erasure.getIdentityHash();
        cache.remove(identity);
        boolean had = keys.delete(identity) != null;
        context.forward(new Record<>(erasure.getDeletionId(), DeletionEvent.newBuilder()
                .setDeletionId(erasure.getDeletionId()).setType(DeletionEventType.KEY_ERASED).setAt(now)
                .setHashes(List.of(identity)).setDetail(Map.of("hadKey", Boolean.toString(had)))
                .setPartition(context.recordMetadata().map(m -> m.partition()).orElse(-1))
                .build(), now));
    }

    private void forgetOld(long now) {
        for (KeyValue<String, DataKey> old : sweep.next(keys, key -> now - key.getCreatedAt() >= KEY_KEEP_MS)) {
            keys.delete(old.key);
            cache.remove(old.key);
        }
    }
}
