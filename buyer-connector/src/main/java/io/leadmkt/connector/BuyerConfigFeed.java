package io.leadmkt.connector;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code config.buyers} topic whole, from the beginning of every partition and
 * without a consumer group (every connector instance needs every buyer), into the
 * {@link BuyerDirectory}, then keeps following it so changes apply without a restart.
 */
final class BuyerConfigFeed implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(BuyerConfigFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final Topic<String, BuyerConfig> topic;
    private final BuyerDirectory directory;
    private final Runnable onSkipped;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    BuyerConfigFeed(Consumer<String, byte[]> consumer, Topic<String, BuyerConfig> topic, BuyerDirectory directory,
                    Runnable onSkipped) {
        this.consumer = consumer;
        this.topic = topic;
        this.directory = directory;
        this.onSkipped = onSkipped;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (loaded.getCount() > 0 && caughtUp(end)) {
                    log.info("buyer config loaded: {} buyers", directory.size());
                    loaded.countDown();
                }
            }
        } catch (Throwable e) {
            failure = e;
            log.error("buyer config feed failed; the directory no longer follows {}", topic.name(), e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            } catch (RuntimeException e) {
                log.warn("buyer config consumer close failed", e);
            }
            stopped.countDown();
        }
    }

    private List<TopicPartition> awaitPartitions() {
        boolean warned = false;
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(2));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (TimeoutException e) {
                // broker not reachable yet: keep trying until closed
            }
            if (!warned) {
                log.warn("waiting for topic {} to exist", topic.name());
                warned = true;
            }
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        BuyerConfig config;
        try {
            config = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("skipping unreadable buyer config {} at {}-{}@{}: {}", record.key(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            onSkipped.run();
            return;
        }
        directory.apply(record.key(), config);
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    boolean awaitLoaded(long timeout, TimeUnit unit) throws InterruptedException {
        return loaded.await(timeout, unit);
    }

    Throwable failure() {
        return failure;
    }

    void stop(Duration timeout) throws InterruptedException {
        running = false;
        stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
