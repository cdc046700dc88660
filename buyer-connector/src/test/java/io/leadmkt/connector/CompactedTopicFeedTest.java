package io.leadmkt.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Following a compacted topic, against Kafka's MockConsumer (no broker). */
class CompactedTopicFeedTest {

    private static final String TOPIC = "leadmkt-privacy-keys-store-changelog";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    /** Looks for the topic, and how many times it was looked for; it exists once {@link #topicExists} is set. */
    private final AtomicInteger looks = new AtomicInteger();
    private volatile boolean topicExists;
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            looks.incrementAndGet();
            return topicExists ? List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])) : List.of();
        }
    };
    private final Map<String, String> table = new ConcurrentHashMap<>();
    private CompactedTopicFeed<String> feed;
    private Thread thread;

    private void start(Duration topicRetry) {
        feed = new CompactedTopicFeed<>(consumer, TOPIC,
                (topic, bytes) -> bytes == null ? null : new String(bytes, StandardCharsets.UTF_8),
                (key, value) -> table.put(key, value), () -> { }, topicRetry);
        thread = new Thread(feed, "compacted-topic-feed-test");
        thread.start();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (feed != null) {
            feed.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldPauseBetweenLooksWhenTheTopicDoesNotExistYet() throws InterruptedException {
        start(Duration.ofHours(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= 1);
        // Without the pause, a missing topic is looked for again at once, thousands of times a second.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> looks.get() == 1);

        feed.stop(Duration.ofSeconds(5));
        thread.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(thread.isAlive()).as("a feed waiting for its topic stops when asked").isFalse();
    }

    @Test
    void shouldLoadTheTopicWhenItIsCreatedAfterTheFeedStarted() throws InterruptedException {
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 1L));
        start(Duration.ofMillis(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= 2);

        topicExists = true;
        consumer.schedulePollTask(() -> consumer.addRecord(
                new ConsumerRecord<>(TOPIC, 0, 0L, "consumer-1", "key-1".getBytes(StandardCharsets.UTF_8))));

        assertThat(feed.awaitLoaded(10, TimeUnit.SECONDS)).isTrue();
        assertThat(table).containsEntry("consumer-1", "key-1");
    }
}
