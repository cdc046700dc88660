package io.leadmkt.streams;

import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.comply.SuppressionRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read access to the config tables (buyers, campaigns, suppression list) and the two derived
 * buyer tables eligibility reads (cap status: who is full until when; buyer stats: recent
 * post-acceptance rate). They are global tables: every instance holds all of them, so any stage
 * can look up any buyer or hash without a repartition, and a change on the compacted topic is
 * effective for the next lead.
 *
 * <p>Buyers and campaigns are kept decoded between writes. Eligibility reads every buyer's document
 * for every lead, and each read of a global store decodes its Avro bytes again: with 8 buyers 1.1 % of
 * the stream thread's samples at 100 leads/s (JFR), growing with the buyers (a seventh of the thread
 * at a hundred), all of it decoding documents that had not changed. The global thread applies each
 * record of a config topic through {@link #apply}, which counts it; a decoding is rebuilt when its
 * table's count moved since it was built (the count is read before the store is, so a write during a
 * rebuild is seen at the next read), and after {@link #TRUST_MS} in any case.
 */
public final class ConfigTables {
    public static final String BUYERS_STORE = "config-buyers-store";
    public static final String CAMPAIGNS_STORE = "config-campaigns-store";
    public static final String SUPPRESSION_STORE = "config-suppression-store";
    public static final String CAP_STATUS_STORE = "caps-status-store";
    public static final String BUYER_STATS_STORE = "buyers-stats-store";

    private final TimestampedKeyValueStore<String, SuppressionEntry> suppression;
    private final TimestampedKeyValueStore<String, BuyerCapStatus> capStatus;
    private final TimestampedKeyValueStore<String, BuyerStats> buyerStats;
    private final ProcessingContext context;
    private final Decoded<BuyerConfig> decodedBuyers;
    private final Decoded<CampaignConfig> decodedCampaigns;

    private static final Logger LOG = LoggerFactory.getLogger(ConfigTables.class);
    /** Records applied to each config table in this JVM, by store name ({@link #apply}). */
    private static final Map<String, AtomicLong> WRITES = new ConcurrentHashMap<>();
    /** How long a decoded table is used without a counted write: a net under writes that are not counted. */
    static final long TRUST_MS = 10_000;

    public ConfigTables(ProcessingContext context) {
        this.context = context;
        this.suppression = context.getStateStore(SUPPRESSION_STORE);
        this.capStatus = context.getStateStore(CAP_STATUS_STORE);
        this.buyerStats = context.getStateStore(BUYER_STATS_STORE);
        this.decodedBuyers = new Decoded<>(context.getStateStore(BUYERS_STORE));
        this.decodedCampaigns = new Decoded<>(context.getStateStore(CAMPAIGNS_STORE));
    }

    /**
     * Applies one record of a config topic to its global store, as the global thread does (a null value
     * deletes), and counts it, so every decoding of that table is rebuilt before it is read again.
     */
    public static <V> void apply(TimestampedKeyValueStore<String, V> store, String key, V value, long timestamp) {
        if (value == null) {
            store.delete(key);
        } else {
            store.put(key, ValueAndTimestamp.make(value, timestamp));
        }
        writes(store.name()).incrementAndGet();
    }

    private static AtomicLong writes(String storeName) {
        return WRITES.computeIfAbsent(storeName, name -> new AtomicLong());
    }

    /** The global thread's processor for a config topic: applies each record to the store ({@link #apply}). */
    public static <V> Processor<String, V, Void, Void> writer(String storeName) {
        return new Processor<>() {
            private TimestampedKeyValueStore<String, V> store;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                store = context.getStateStore(storeName);
            }

            @Override
            public void process(Record<String, V> record) {
                if (record.key() == null) { // nowhere to go; a global table skipped it too, and said so
                    LOG.warn("{}: skipped a record without a key (timestamp {})", storeName, record.timestamp());
                    return;
                }
                apply(store, record.key(), record.value(), record.timestamp());
            }
        };
    }

    public Optional<CampaignConfig> campaign(String campaignId) {
        return campaignId == null ? Optional.empty() : Optional.ofNullable(valueOf(decodedCampaigns.byKey().get(campaignId)));
    }

    public Optional<BuyerConfig> buyer(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(valueOf(decodedBuyers.byKey().get(buyerId)));
    }

    /** Whether the buyer answers pings and posts on Kafka itself, not through the connector. */
    public boolean answersOnKafka(String buyerId) {
        return answersOnKafka(buyer(buyerId));
    }

    /** The same for a buyer's document; a buyer without one is taken as a webhook buyer, the default delivery. */
    public static boolean answersOnKafka(Optional<BuyerConfig> buyer) {
        return buyer.map(b -> b.getDelivery() == Delivery.KAFKA).orElse(false);
    }

    /** Whether the hash is on the suppression list now (wall clock): an expired entry no longer counts. */
    public boolean suppressed(String identityHash) {
        return identityHash != null
                && SuppressionRules.inForce(valueOf(suppression.get(identityHash)), context.currentSystemTimeMs());
    }

    /** When the buyer's document was last written (the config record's timestamp); 0 when unknown. */
    public long buyerChangedAt(String buyerId) {
        ValueAndTimestamp<BuyerConfig> stored = buyerId == null ? null : decodedBuyers.byKey().get(buyerId);
        return stored == null ? 0 : stored.timestamp();
    }

    /** The buyer's cap status from {@code caps.status}; empty when the cap keeper never wrote one (open). */
    public Optional<BuyerCapStatus> capStatus(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(valueOf(capStatus.get(buyerId)));
    }

    /** The buyer's recent post results from {@code buyers.stats}; empty before its first post result. */
    public Optional<BuyerStats> buyerStats(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(valueOf(buyerStats.get(buyerId)));
    }

    /** Every buyer, in key order. The list is shared until the next write: do not change it or its buyers. */
    public List<BuyerConfig> allBuyers() {
        return decodedBuyers.values();
    }

    private static <V> V valueOf(ValueAndTimestamp<V> stored) {
        return stored == null ? null : stored.value();
    }

    /** A global table decoded once, by key and in key order, until a write is counted or it is too old. */
    private final class Decoded<V> {
        private final TimestampedKeyValueStore<String, V> store;
        private final AtomicLong writes;
        private long builtAtWrites = -1;
        private long builtAt;
        private Map<String, ValueAndTimestamp<V>> byKey = Map.of();
        private List<V> values = List.of();

        Decoded(TimestampedKeyValueStore<String, V> store) {
            this.store = store;
            this.writes = writes(store.name());
        }

        Map<String, ValueAndTimestamp<V>> byKey() {
            refresh();
            return byKey;
        }

        List<V> values() {
            refresh();
            return values;
        }

        private void refresh() {
            long counted = writes.get(); // before the store is read: a write during the rebuild moves it again
            long now = context.currentSystemTimeMs();
            if (counted == builtAtWrites && now - builtAt < TRUST_MS && now >= builtAt) {
                return;
            }
            Map<String, ValueAndTimestamp<V>> all = new LinkedHashMap<>();
            List<V> decoded = new ArrayList<>();
            try (KeyValueIterator<String, ValueAndTimestamp<V>> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, ValueAndTimestamp<V>> next = it.next();
                    if (next.value != null && next.value.value() != null) {
                        all.put(next.key, next.value);
                        decoded.add(next.value.value());
                    }
                }
            }
            byKey = all;
            values = List.copyOf(decoded);
            builtAtWrites = counted;
            builtAt = now;
        }
    }
}
