package io.leadmkt.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadmkt.schema.BuyerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector's buyer table following {@code config.buyers}, against Kafka's MockConsumer: a ping
 * read before the feed has the buyer (just after start-up, or a buyer created a moment ago) must find
 * it, not answer {@code UNKNOWN_BUYER} for a buyer that bids.
 */
class BuyerDirectoryTest {
    private static final String TOPIC = "leadmkt-config.buyers";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            return List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0]));
        }
    };
    private final BuyerDirectory directory = new BuyerDirectory();
    private CompactedTopicFeed<BuyerConfig> feed;

    @BeforeEach
    void startFeed() {
        // One record is on the topic; the feed has not fetched it yet (MockConsumer hands it over on addRecord).
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 1L));
        feed = new CompactedTopicFeed<>(consumer, TOPIC,
                (topic, bytes) -> bytes == null ? null
                        : Fixtures.buyer(new String(bytes, StandardCharsets.UTF_8), "http://127.0.0.1:1/"),
                directory::apply, () -> { });
        directory.followedBy(feed);
        new Thread(feed, "buyer-directory-test-feed").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.assignment().contains(TP));
    }

    @AfterEach
    void stopFeed() throws InterruptedException {
        feed.stop(Duration.ofSeconds(5));
    }

    @Test
    void shouldFindABuyerWhenItIsAskedForBeforeTheFeedHasReadIt() throws InterruptedException {
        AtomicReference<Optional<BuyerConfig>> found = new AtomicReference<>();
        Thread ping = new Thread(() -> found.set(directory.find("good")), "a-ping-just-after-start");
        ping.start();
        // Asked while the table is still empty: the lookup waits for the feed (or, wrongly, has already answered).
        await().atMost(Duration.ofSeconds(10))
                .until(() -> found.get() != null || ping.getState() == Thread.State.TIMED_WAITING);

        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0L, "good", "good".getBytes(StandardCharsets.UTF_8)));
        ping.join(Duration.ofSeconds(10).toMillis());

        assertThat(found.get()).as("the buyer the feed read after the lookup began")
                .hasValueSatisfying(buyer -> assertThat(buyer.getBuyerId()).isEqualTo("good"));
    }

    @Test
    void shouldFindNoBuyerWhenTheFeedHasReadTheTopicWithoutIt() {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0L, "good", "good".getBytes(StandardCharsets.UTF_8)));

        assertThat(directory.find("ghost")).isEmpty();
        assertThat(directory.find("good")).isPresent();
    }
}
