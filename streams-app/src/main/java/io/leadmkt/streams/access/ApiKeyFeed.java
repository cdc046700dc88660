package io.leadmkt.streams.access;

import io.leadmkt.schema.ApiKey;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link ApiKeyTable} equal to the compacted {@code config.apikeys} topic: reads it whole at
 * start, then follows it, so a key created or revoked on any instance or by the {@code keys} command
 * is known here within a poll (well under a second). Its own consumer without a group rather than a
 * global table of the topology: keys are the HTTP API's business, and every instance needs all of them.
 */
public final class ApiKeyFeed implements AutoCloseable {
    /** How long a poll waits for news; bounds how late a new or revoked key takes effect here. */
    static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(ApiKeyFeed.class);

    private final KafkaClients kafka;
    private final Topics.Topic<String, ApiKey> topic;
    private final String clientId;
    private final ApiKeyTable table = new ApiKeyTable();
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean closed;

    public ApiKeyFeed(KafkaClients kafka, Topics topics, String clientId) {
        this.kafka = kafka;
        this.topic = topics.apiKeys();
        this.clientId = clientId;
        this.thread = new Thread(this::run, "api-key-feed");
        this.thread.setDaemon(true);
    }

    public ApiKeyFeed start() {
        thread.start();
        return this;
    }

    public ApiKeyTable table() {
        return table;
    }

    /** Follows the topic until closed; after a failure (the cluster gone for longer than a client waits) reads it again. */
    private void run() {
        while (!closed) {
            try {
                follow();
            } catch (WakeupException e) {
                return; // closing
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("following API keys failed, reading them again in {}: {}", RETRY, e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void follow() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // fetch.max.wait.ms stays at its default (500): the broker answers a waiting fetch as soon as a key
        // is written, so a shorter wait adds no speed, only empty fetches (10 a second at 100 ms: 0.6 % of
        // a core in the idle streams process, and the broker's share of answering them).
        try (KafkaConsumer<String, byte[]> reader =
                     new KafkaConsumer<>(kafka.consumer(p), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = reader;
            if (closed) {
                return;
            }
            List<TopicPartition> partitions = reader.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                    table.put(record.key(), decode(record));
                }
                if (!table.loaded() && partitions.stream().allMatch(tp -> reader.position(tp) >= end.get(tp))) {
                    table.markLoaded();
                    log.info("API keys loaded: {} in force", table.all().size());
                }
            }
        }
    }

    /** The key, or null: a record this release cannot read counts as no key, so it admits nobody. */
    private ApiKey decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("unreadable API key record {} ignored: {}", record.key(), e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, byte[]> reader = consumer;
        if (reader != null) {
            reader.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
