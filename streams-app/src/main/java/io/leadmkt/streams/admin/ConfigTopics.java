package io.leadmkt.streams.admin;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes the compacted config topics ({@code config.buyers}, {@code config.campaigns}):
 * the current table as a map by id, records keyed by id, tombstones. Writes use an idempotent
 * producer with {@code acks=all} and return only once the broker has them.
 */
public final class ConfigTopics implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;

    public ConfigTopics(String bootstrapServers, Topics topics, String clientId) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Creates the two config topics, compacted, when they are missing (a fresh cluster before the streams app). */
    public void ensureTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : List.of(topics.buyers().name(), topics.campaigns().name())) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, 1, (short) -1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create config topics: " + e, e);
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

    public void put(BuyerConfig buyer) {
        send(topics.buyers(), buyer.getBuyerId(), buyer);
    }

    public void put(CampaignConfig campaign) {
        send(topics.campaigns(), campaign.getCampaignId(), campaign);
    }

    /** Writes every record and waits until the broker has all of them. */
    public void putAll(List<BuyerConfig> buyers, List<CampaignConfig> campaigns) {
        List<Future<?>> sends = new ArrayList<>();
        buyers.forEach(b -> sends.add(producer.send(record(topics.buyers(), b.getBuyerId(), b))));
        campaigns.forEach(c -> sends.add(producer.send(record(topics.campaigns(), c.getCampaignId(), c))));
        producer.flush();
        sends.forEach(ConfigTopics::await);
    }

    /** A tombstone: compaction then forgets the buyer, and the streams app's global table drops it. */
    public void deleteBuyer(String buyerId) {
        await(producer.send(new ProducerRecord<>(topics.buyers().name(), buyerId, null)));
    }

    public void deleteCampaign(String campaignId) {
        await(producer.send(new ProducerRecord<>(topics.campaigns().name(), campaignId, null)));
    }

    private <V> void send(Topics.Topic<String, V> topic, String key, V value) {
        await(producer.send(record(topic, key, value)));
    }

    private static <V> ProducerRecord<String, byte[]> record(Topics.Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    private static void await(Future<?> send) {
        try {
            send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Looking must not create: an auto-created config topic would be neither compacted nor sized.
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Map<String, V> table = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return table;
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
                    if (r.value() == null) {
                        table.remove(r.key());
                    } else {
                        table.put(r.key(), topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
            return table;
        }
        return table;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
