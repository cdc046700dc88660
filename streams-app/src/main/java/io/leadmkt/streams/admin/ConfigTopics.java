package io.leadmkt.streams.admin;

import io.leadmkt.schema.ApiKey;
import io.leadmkt.schema.BuyerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.access.ApiKeys;
import io.leadmkt.streams.admin.ConfigChanges.Author;
import io.leadmkt.streams.comply.SuppressionRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the compacted config topics ({@code config.buyers}, {@code config.campaigns},
 * {@code config.suppression}, {@code config.apikeys}):
 * the current table as a map by id, records keyed by id, tombstones. It is the one writer of config,
 * for {@code leadmkt config apply | delete | suppress}, {@code leadmkt keys} and the admin API alike, and every change it writes is
 * audited: one {@link ConfigChange} per changed document on {@code config.changes} (who, when, which
 * fields from what to what; see {@link ConfigChanges}), in the same Kafka transaction as the config
 * records, so a reader sees both or neither. A document equal to the current one writes nothing.
 * Writes return only once the transaction is committed and visible to read-committed readers.
 *
 * <p>The previous value of each document is read from the topic just before writing; writers in
 * one process are serialised, two processes writing the same id at the same instant may each
 * report the difference from the same previous value.
 */
public final class ConfigTopics implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ConfigTopics.class);

    private final KafkaClients kafka;
    private final Topics topics;
    private final String clientId;
    private final LongSupplier clock;
    private KafkaProducer<String, byte[]> producer;
    private boolean ensured;

    /** On {@code kafka}, with the schema ids its settings choose ({@link Topics#of}): for the config commands. */
    public static ConfigTopics on(KafkaClients kafka, String clientId) {
        return new ConfigTopics(kafka, Topics.of(kafka), clientId);
    }

    public ConfigTopics(KafkaClients kafka, Topics topics, String clientId) {
        this(kafka, topics, clientId, System::currentTimeMillis);
    }

    /** {@code clock}: the {@code at} of the changes written, epoch milliseconds. */
    public ConfigTopics(KafkaClients kafka, Topics topics, String clientId, LongSupplier clock) {
        this.kafka = kafka;
        this.topics = topics;
        this.clientId = clientId;
        this.clock = clock;
    }

    /** Transactional (hence idempotent, acks=all); created on the first write, again after a failed one. */
    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // Unique per writer: config apply runs and app instances never fence one another.
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, clientId + "-" + UUID.randomUUID());
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
            KafkaProducer<String, byte[]> created = new KafkaProducer<>(kafka.producer(p), new StringSerializer(),
                    new ByteArraySerializer());
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw new IllegalStateException("cannot start a config transaction: " + e.getMessage(), e);
            }
            producer = created;
        }
        return producer;
    }

    /**
     * Creates the config topics (buyers, campaigns, suppression list), compacted, and the append-only
     * change log when they are missing (a fresh cluster before the streams app).
     */
    public void ensureTopics() {
        try (Admin admin = Admin.create(kafka.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin")))) {
            // Config topics have one partition whatever the cluster's lead topics have; -1: broker default.
            TopicProvisioner.ensureTopics(admin, List.of(topics.buyers(), topics.campaigns(), topics.suppression(),
                            topics.apiKeys(), topics.configChanges()),
                    1, (short) -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The buyers table as it is now, by id (a tombstone removes its id). */
    public Map<String, BuyerConfig> currentBuyers() {
        return current(topics.buyers());
    }

    /** The campaigns table as it is now, by id. */
    public Map<String, CampaignConfig> currentCampaigns() {
        return current(topics.campaigns());
    }

    /** Every change ever applied, oldest first (config.changes read from the beginning). */
    public List<ConfigChange> history() {
        List<ConfigChange> changes = new ArrayList<>();
        read(topics.configChanges(), r -> {
            if (r.value() != null) {
                changes.add(change(r.topic(), r.value()));
            }
        });
        return changes;
    }

    private ConfigChange change(String topic, byte[] value) {
        return topics.configChanges().valueSerde().deserializer().deserialize(topic, value);
    }

    /**
     * What writing these records would change, against the topics as they are now: one change per
     * document that differs (unchanged ones are left out). Nothing is written.
     */
    public List<ConfigChange> plan(List<BuyerConfig> buyers, List<CampaignConfig> campaigns, Author author) {
        return planned(buyers, campaigns, author).changes();
    }

    /** Writes the buyer if it differs from the current one, with its change; the change, or empty if unchanged. */
    public Optional<ConfigChange> put(BuyerConfig buyer, Author author) {
        return apply(List.of(buyer), List.of(), author).stream().findFirst();
    }

    /** Writes the campaign if it differs from the current one, with its change; the change, or empty if unchanged. */
    public Optional<ConfigChange> put(CampaignConfig campaign, Author author) {
        return apply(List.of(), List.of(campaign), author).stream().findFirst();
    }

    /**
     * Writes every record that differs from the current table, and one change per such record, in
     * one transaction; returns the changes once committed (empty: nothing differed, nothing written).
     */
    public synchronized List<ConfigChange> apply(List<BuyerConfig> buyers, List<CampaignConfig> campaigns,
                                                 Author author) {
        Plan plan = planned(buyers, campaigns, author);
        if (!plan.changes().isEmpty()) {
            write(plan.records(), plan.changes());
        }
        return plan.changes();
    }

    /**
     * Puts each entry on the suppression list (keyed by its hash) unless it is already there with the
     * same kind, reason, source and expiry, or an entry in force there suppresses longer
     * ({@link SuppressionRules#replaces}), with one {@code suppression} change per entry written (id:
     * the hash; document: {@code {kind, reason, source, expiresAt}}, never the phone or email), all in
     * one transaction, so a list is applied whole or not at all; returns the changes once committed
     * (empty: nothing to change, nothing written).
     */
    public synchronized List<ConfigChange> suppress(List<SuppressionEntry> entries, Author author) {
        return suppress(entries, author, List.of());
    }

    /**
     * As {@link #suppress(List, Author)}, with {@code alongside} (e.g. a deletion request's records)
     * written in the same transaction: the consumer is suppressed exactly when the request exists.
     */
    public synchronized List<ConfigChange> suppress(List<SuppressionEntry> entries, Author author,
                                                    List<ProducerRecord<String, byte[]>> alongside) {
        long at = clock.getAsLong();
        Map<String, SuppressionEntry> now = current(topics.suppression());
        // Never weaken an entry in force: a 31-day list leaves a permanent opt-out as it is.
        List<SuppressionEntry> wanted = entries.stream()
                .filter(e -> SuppressionRules.replaces(now.get(e.getHash()), e, at)).toList();
        Plan plan = new Plan(new ArrayList<>(), new ArrayList<>());
        plan(plan, topics.suppression(), now, ConfigChanges.SUPPRESSION, wanted, SuppressionEntry::getHash,
                ConfigChanges::document, author, at);
        plan.records().addAll(alongside);
        if (!plan.records().isEmpty()) {
            write(plan.records(), plan.changes());
        }
        return plan.changes();
    }

    /**
     * Writes a new API key (its hash, see {@link ApiKeys}) with its {@code apikey} change: who created
     * it, when, its role and parties, never the key. Returns the change once committed.
     */
    public synchronized ConfigChange putApiKey(ApiKey key, Author author) {
        long at = clock.getAsLong();
        Plan plan = new Plan(new ArrayList<>(), new ArrayList<>());
        plan(plan, topics.apiKeys(), new HashMap<>(), ConfigChanges.API_KEY, List.of(key), ApiKey::getKeyId,
                k -> ApiKeys.document(k, false), author, at);
        write(plan.records(), plan.changes());
        return plan.changes().get(0);
    }

    /** Revokes the key (a tombstone, with its change); empty when there is no such key. */
    public Optional<ConfigChange> revokeApiKey(String keyId, Author author) {
        return delete(topics.apiKeys(), ConfigChanges.API_KEY, keyId, k -> ApiKeys.document((ApiKey) k, false),
                author);
    }

    /** The keys in force now, by key id (hashes only). */
    public Map<String, ApiKey> currentApiKeys() {
        return current(topics.apiKeys());
    }

    /** The suppression list as it is now, by hash. */
    public Map<String, SuppressionEntry> currentSuppressions() {
        return current(topics.suppression());
    }

    /** Deletes the buyer (a tombstone, with its change); empty when there is no such buyer. */
    public Optional<ConfigChange> deleteBuyer(String buyerId, Author author) {
        return delete(topics.buyers(), ConfigChanges.BUYER, buyerId,
                b -> ConfigChanges.document((BuyerConfig) b), author);
    }

    /** Deletes the campaign (a tombstone, with its change); empty when there is no such campaign. */
    public Optional<ConfigChange> deleteCampaign(String campaignId, Author author) {
        return delete(topics.campaigns(), ConfigChanges.CAMPAIGN, campaignId,
                c -> ConfigChanges.document((CampaignConfig) c), author);
    }

    private synchronized <V> Optional<ConfigChange> delete(Topics.Topic<String, V> topic, String kind, String id,
                                                           Function<Object, JsonNode> document, Author author) {
        V current = current(topic).get(id);
        if (current == null) {
            return Optional.empty();
        }
        Optional<ConfigChange> change = ConfigChanges.change(kind, id, document.apply(current), null, author,
                clock.getAsLong());
        write(List.of(new ProducerRecord<>(topic.name(), id, null)), change.stream().toList());
        return change;
    }

    private record Plan(List<ProducerRecord<String, byte[]>> records, List<ConfigChange> changes) {
    }

    private Plan planned(List<BuyerConfig> buyers, List<CampaignConfig> campaigns, Author author) {
        long at = clock.getAsLong();
        Plan plan = new Plan(new ArrayList<>(), new ArrayList<>());
        plan(plan, topics.buyers(), ConfigChanges.BUYER, buyers, BuyerConfig::getBuyerId, ConfigChanges::document,
                author, at);
        plan(plan, topics.campaigns(), ConfigChanges.CAMPAIGN, campaigns, CampaignConfig::getCampaignId,
                ConfigChanges::document, author, at);
        return plan;
    }

    /**
     * Adds to {@code plan} each value whose document differs from the one now on {@code topic}, with
     * its change; a value given twice is compared with the first, so it is not written twice.
     */
    private <V> void plan(Plan plan, Topics.Topic<String, V> topic, String kind, List<V> values,
                          Function<V, String> id, Function<V, JsonNode> document, Author author, long at) {
        if (!values.isEmpty()) {
            plan(plan, topic, current(topic), kind, values, id, document, author, at);
        }
    }

    /** As above, against {@code now}: the topic's table as just read (updated with what is planned). */
    private <V> void plan(Plan plan, Topics.Topic<String, V> topic, Map<String, V> now, String kind, List<V> values,
                          Function<V, String> id, Function<V, JsonNode> document, Author author, long at) {
        for (V value : values) {
            String key = id.apply(value);
            V before = now.get(key);
            ConfigChanges.change(kind, key, before == null ? null : document.apply(before), document.apply(value),
                            author, at)
                    .ifPresent(change -> {
                        plan.changes().add(change);
                        plan.records().add(record(topic, key, value));
                        now.put(key, value);
                    });
        }
    }

    /** Config records and their changes, all or none: one transaction, committed before returning. */
    private synchronized void write(List<ProducerRecord<String, byte[]>> records, List<ConfigChange> changes) {
        if (!ensured) {
            // Once per writer: a change log auto-created by the broker (if it even may) would be mis-sized.
            ensureTopics();
            ensured = true;
        }
        KafkaProducer<String, byte[]> p = producer();
        Map<TopicPartition, Long> written = new java.util.HashMap<>();
        try {
            p.beginTransaction();
            List<Future<?>> sends = new ArrayList<>();
            records.forEach(r -> sends.add(p.send(r)));
            for (ConfigChange change : changes) {
                sends.add(p.send(record(topics.configChanges(), change.getKind() + "/" + change.getId(), change)));
            }
            p.commitTransaction();
            for (Future<?> send : sends) {
                RecordMetadata m = (RecordMetadata) await(send);
                written.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
            }
        } catch (RuntimeException e) {
            try {
                p.abortTransaction();
            } catch (RuntimeException abort) {
                log.debug("abort after a failed config write failed too: {}", abort.toString());
            }
            // A producer in a failed state cannot be reused; the next write starts a fresh one.
            p.close(Duration.ZERO);
            producer = null;
            Throwable cause = e instanceof IllegalStateException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("write to config topic failed: " + cause.getMessage(), e);
        }
        awaitVisible(written);
    }

    private static <V> ProducerRecord<String, byte[]> record(Topics.Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /**
     * Until a read-committed reader sees every written offset: the commit returns before the broker
     * has written its markers, and a caller reading right after (the next config apply, the sandbox,
     * a GET) must find what it wrote.
     */
    private void awaitVisible(Map<TopicPartition, Long> written) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(kafka.consumer(p), new StringDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, Long> end = consumer.endOffsets(written.keySet(), TIMEOUT);
                if (written.entrySet().stream().allMatch(w -> end.getOrDefault(w.getKey(), 0L) > w.getValue())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("config change committed but not visible within " + TIMEOUT);
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the config change to be visible", e);
        }
    }

    private static Object await(Future<?> send) {
        try {
            return send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("write to config topic failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("write to config topic not acknowledged within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing config", e);
        }
    }

    /** Reads the compacted topic from the beginning up to its end offsets: small, so read whole. */
    private <V> Map<String, V> current(Topics.Topic<String, V> topic) {
        Map<String, V> table = new TreeMap<>();
        read(topic, r -> {
            if (r.value() == null) {
                table.remove(r.key());
            } else {
                table.put(r.key(), topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
            }
        });
        return table;
    }

    /** Every committed record of the topic, from the beginning to its end offsets as of now; none if it is missing. */
    private void read(Topics.Topic<String, ?> topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Looking must not create: an auto-created config topic would be neither compacted nor sized.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(kafka.consumer(p), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(r);
                }
            }
        } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
            // not there yet: nothing applied
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
