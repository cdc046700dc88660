package io.leadmkt.connector;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a compacted topic whole, from the beginning of every partition and without a consumer
 * group (every connector instance needs all of it), handing each key and value (null: a tombstone)
 * to {@code apply}, then keeps following it so changes apply without a restart. Used for the buyers
 * ({@code config.buyers} into the {@link BuyerDirectory}) and the consumers' data keys
 * ({@link io.leadmkt.connector.privacy.KeyRing}); the latter asks {@link #awaitCaughtUp} when a key
 * it needs is not there yet.
 */
public final class CompactedTopicFeed<V> implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * Between two looks for a topic that does not exist yet (the streams app creates its changelogs when
     * it first starts): {@code partitionsFor} answers an unknown topic at once, so without a pause the
     * feed would spin on metadata requests (measured: 60 % of a core and a busy broker).
     */
    static final Duration TOPIC_RETRY = Duration.ofMillis(500);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<V> values;
    private final BiConsumer<String, V> apply;
    private final Runnable onSkipped;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Duration topicRetry;
    private final Object caughtUpLock = new Object();
    /** System.nanoTime of the latest catch-up request, and of the start of the latest catch-up completed. */
    private long catchUpRequested;
    private long caughtUpSince = Long.MIN_VALUE;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public CompactedTopicFeed(Consumer<String, byte[]> consumer, String topic, Deserializer<V> values,
                              BiConsumer<String, V> apply, Runnable onSkipped) {
        this(consumer, topic, values, apply, onSkipped, TOPIC_RETRY);
    }

    CompactedTopicFeed(Consumer<String, byte[]> consumer, String topic, Deserializer<V> values,
                       BiConsumer<String, V> apply, Runnable onSkipped, Duration topicRetry) {
        this.topicRetry = topicRetry;
        this.consumer = consumer;
        this.topic = topic;
        this.values = values;
        this.apply = apply;
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
            long catchUpStart = System.nanoTime();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (end != null && caughtUp(end)) {
                    if (loaded.getCount() > 0) {
                        log.info("{} loaded", topic);
                        loaded.countDown();
                    }
                    synchronized (caughtUpLock) {
                        caughtUpSince = catchUpStart;
                        caughtUpLock.notifyAll();
                    }
                    end = null;
                }
                if (end == null && catchUpWanted()) {
                    catchUpStart = System.nanoTime();
                    end = consumer.endOffsets(partitions);
                }
            }
        } catch (Throwable e) {
            failure = e;
            log.error("feed of {} failed; it is no longer followed", topic, e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            } catch (RuntimeException e) {
                log.warn("consumer of {} failed to close", topic, e);
            }
            stopped.countDown();
        }
    }

    private boolean catchUpWanted() {
        synchronized (caughtUpLock) {
            return catchUpRequested > caughtUpSince;
        }
    }

    /**
     * Waits until the feed has read everything written to the topic before this call (so a record
     * that is not in the table by then was not there); false when that took longer than {@code timeout}.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long asked = System.nanoTime();
        long deadline = asked + timeout.toNanos();
        synchronized (caughtUpLock) {
            catchUpRequested = Math.max(catchUpRequested, asked);
            while (caughtUpSince < asked) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(caughtUpLock, left);
            }
            return true;
        }
    }

    /**
     * What {@code lookup} finds in the table this feed fills; if nothing, what it finds once the feed has
     * read everything written before this call (waiting up to {@code timeout}). A miss is then an answer
     * ("not there"), not a feed that has not caught up yet: just after start, or a record written moments ago.
     */
    public <T> T readThrough(Supplier<T> lookup, Duration timeout) {
        T found = lookup.get();
        if (found != null) {
            return found;
        }
        try {
            awaitCaughtUp(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lookup.get();
    }

    private List<TopicPartition> awaitPartitions() throws InterruptedException {
        boolean warned = false;
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(2));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (TimeoutException e) {
                // broker not reachable yet: keep trying until closed
            }
            if (!warned) {
                log.warn("waiting for topic {} to exist", topic);
                warned = true;
            }
            if (stopRequested.await(topicRetry.toMillis(), TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        V value;
        try {
            value = values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("skipping unreadable record {} at {}-{}@{}: {}", record.key(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            onSkipped.run();
            return;
        }
        apply.accept(record.key(), value);
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    public boolean awaitLoaded(long timeout, TimeUnit unit) throws InterruptedException {
        return loaded.await(timeout, unit);
    }

    public Throwable failure() {
        return failure;
    }

    public void stop(Duration timeout) throws InterruptedException {
        running = false;
        stopRequested.countDown();
        synchronized (caughtUpLock) {
            caughtUpLock.notifyAll();
        }
        stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
