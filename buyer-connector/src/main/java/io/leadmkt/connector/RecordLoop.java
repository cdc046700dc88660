package io.leadmkt.connector;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one topic and hands every readable value to an asynchronous handler, without ever
 * waiting for it: the poll loop keeps polling while buyers are being called.
 *
 * <p>The handler's future completes once everything the record causes is produced and
 * acknowledged. Offsets are committed only below the oldest unfinished record of each partition,
 * so a crash re-delivers unfinished records (duplicates are fine downstream) and never loses one.
 * A handler failure (an event that could not be produced) rewinds the partition to its oldest
 * unfinished record. A value that cannot be read is logged, skipped and committed.
 *
 * <p>With more than {@code maxInFlight} records unfinished, the partitions are paused until half
 * of them are done.
 */
final class RecordLoop<V> implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RecordLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** A finished record; {@code progress} tells which assignment it was started under. */
    private record Done(TopicPartition partition, PartitionProgress progress, long offset, Throwable failure) {
    }

    private final String name;
    private final Consumer<String, byte[]> consumer;
    /** Subscribes the consumer (to one topic, or to a pattern) with the loop's rebalance listener. */
    private final java.util.function.Consumer<ConsumerRebalanceListener> subscribe;
    private final Function<ConsumerRecord<String, byte[]>, V> decode;
    private final Function<V, CompletableFuture<?>> handler;
    private final int maxInFlight;
    private final Duration drainTimeout;
    private final Runnable onSkipped;

    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final CountDownLatch joined = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private boolean paused;

    RecordLoop(String name, Consumer<String, byte[]> consumer, String topic, Function<byte[], V> decode,
               Function<V, CompletableFuture<?>> handler, int maxInFlight, Duration drainTimeout, Runnable onSkipped) {
        this(name, consumer, listener -> consumer.subscribe(List.of(topic), listener),
                record -> decode.apply(record.value()), handler, maxInFlight, drainTimeout, onSkipped);
    }

    /** Consumes every topic matching {@code topics}, decoding whole records (their topic tells whose they are). */
    RecordLoop(String name, Consumer<String, byte[]> consumer, Pattern topics,
               Function<ConsumerRecord<String, byte[]>, V> decode, Function<V, CompletableFuture<?>> handler,
               int maxInFlight, Duration drainTimeout, Runnable onSkipped) {
        this(name, consumer, listener -> consumer.subscribe(topics, listener), decode, handler, maxInFlight,
                drainTimeout, onSkipped);
    }

    private RecordLoop(String name, Consumer<String, byte[]> consumer,
                       java.util.function.Consumer<ConsumerRebalanceListener> subscribe,
                       Function<ConsumerRecord<String, byte[]>, V> decode, Function<V, CompletableFuture<?>> handler,
                       int maxInFlight, Duration drainTimeout, Runnable onSkipped) {
        this.name = name;
        this.consumer = consumer;
        this.subscribe = subscribe;
        this.decode = decode;
        this.handler = handler;
        this.maxInFlight = Math.max(1, maxInFlight);
        this.drainTimeout = drainTimeout;
        this.onSkipped = onSkipped;
    }

    @Override
    public void run() {
        try {
            subscribe.accept(new Rebalance());
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    start(record);
                }
                drainDone();
                applyBackpressure();
                commitAsync();
            }
            finishInFlight();
            commitSync(progress.keySet());
        } catch (Throwable e) {
            failure = e;
            log.error("{}: consumer loop failed; unfinished records will be re-delivered", name, e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            } catch (RuntimeException e) {
                log.warn("{}: consumer close failed", name, e);
            }
            joined.countDown();
            stopped.countDown();
        }
    }

    /** True once the consumer has joined its group (with or without partitions). */
    boolean awaitJoined(long timeout, TimeUnit unit) throws InterruptedException {
        return joined.await(timeout, unit);
    }

    Throwable failure() {
        return failure;
    }

    /** Stops polling, waits (bounded) for in-flight records, commits and closes the consumer. */
    void stop(Duration timeout) throws InterruptedException {
        running = false;
        stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void start(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress p = progress.computeIfAbsent(partition, tp -> new PartitionProgress());
        long offset = record.offset();
        p.started(offset);
        V value;
        try {
            value = record.value() == null ? null : decode.apply(record);
        } catch (RuntimeException e) {
            log.warn("{}: skipping unreadable record at {}@{}: {}", name, partition, offset, e.getMessage());
            onSkipped.run();
            p.finished(offset);
            return;
        }
        if (value == null) {
            p.finished(offset);
            return;
        }
        CompletableFuture<?> handled;
        try {
            handled = handler.apply(value);
        } catch (RuntimeException e) {
            handled = CompletableFuture.failedFuture(e);
        }
        handled.whenComplete((ignored, error) -> done.add(new Done(partition, p, offset, error)));
    }

    private void drainDone() {
        Done d;
        while ((d = done.poll()) != null) {
            finish(d);
        }
    }

    private void finish(Done d) {
        PartitionProgress current = progress.get(d.partition());
        if (current != d.progress()) {
            return; // started under an earlier assignment of this partition: no longer ours to track
        }
        if (d.failure() == null) {
            current.finished(d.offset());
            return;
        }
        long rewindTo = current.committable();
        log.error("{}: could not produce the events of {}@{}; re-reading from offset {}", name, d.partition(),
                d.offset(), rewindTo, d.failure());
        consumer.seek(d.partition(), rewindTo);
        progress.put(d.partition(), new PartitionProgress());
    }

    private int unfinished() {
        return progress.values().stream().mapToInt(PartitionProgress::unfinished).sum();
    }

    private void applyBackpressure() {
        int unfinished = unfinished();
        if (!paused && unfinished >= maxInFlight) {
            paused = true;
            log.debug("{}: {} records in flight, pausing", name, unfinished);
        } else if (paused && unfinished <= maxInFlight / 2) {
            paused = false;
            consumer.resume(consumer.paused());
            log.debug("{}: {} records in flight, resuming", name, unfinished);
        }
        if (paused) {
            consumer.pause(consumer.assignment()); // again each time: a rebalance may have added partitions
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionProgress p = progress.get(tp);
            if (p != null && p.committable() >= 0 && p.hasUncommitted()) {
                offsets.put(tp, new OffsetAndMetadata(p.committable()));
            }
        }
        return offsets;
    }

    private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> {
            PartitionProgress p = progress.get(tp);
            if (p != null) {
                p.committed(om.offset());
            }
        });
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(progress.keySet());
        if (offsets.isEmpty()) {
            return;
        }
        // Marked at once; a failed commit is superseded by the next one (or re-delivers: harmless).
        markCommitted(offsets);
        consumer.commitAsync(offsets, (committed, e) -> {
            if (e != null) {
                log.warn("{}: commit of {} failed: {}", name, committed, e.getMessage());
            }
        });
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(2));
            markCommitted(offsets);
        } catch (RuntimeException e) {
            log.warn("{}: commit of {} failed; those records will be re-delivered: {}", name, offsets, e.getMessage());
        }
    }

    private void finishInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        drainDone();
        while (unfinished() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.info("{}: closing with {} records unfinished; they will be re-delivered", name, unfinished());
                return;
            }
            Done d = done.poll(left, TimeUnit.NANOSECONDS);
            if (d != null) {
                finish(d);
                drainDone();
            }
        }
    }

    /** Runs inside poll(), on this loop's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drainDone();
            commitSync(partitions);
            partitions.forEach(progress::remove);
            log.info("{}: partitions revoked {}", name, partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> progress.put(tp, new PartitionProgress()));
            if (paused) {
                consumer.pause(partitions);
            }
            log.info("{}: partitions assigned {}", name, partitions);
            joined.countDown();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(progress::remove);
            log.warn("{}: partitions lost {}; their unfinished records will be re-delivered", name, partitions);
        }
    }
}
