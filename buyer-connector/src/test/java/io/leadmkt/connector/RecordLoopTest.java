package io.leadmkt.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll loop's bookkeeping, against Kafka's MockConsumer (no broker). */
class RecordLoopTest {

    private static final String TOPIC = "pings";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    /** Offsets as committed, whatever the assignment (MockConsumer answers 0 for unassigned partitions). */
    private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             OffsetCommitCallback callback) {
            offsets.forEach((tp, om) -> commits.put(tp, om.offset()));
            super.commitAsync(offsets, callback);
        }
    };
    private final Map<String, CompletableFuture<Void>> handled = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger skipped = new AtomicInteger();
    private RecordLoop<String> loop;
    private Thread thread;

    private void start(int maxInFlight) {
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        loop = new RecordLoop<>("test", consumer, TOPIC, RecordLoopTest::decode, value -> {
            calls.add(value);
            return handled.computeIfAbsent(value, v -> new CompletableFuture<>());
        }, maxInFlight, Duration.ofMillis(200), skipped::incrementAndGet);
        thread = new Thread(loop, "record-loop-test");
        thread.start();
        onLoopThread(() -> consumer.rebalance(List.of(TP)));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    private static String decode(byte[] bytes) {
        String value = new String(bytes, StandardCharsets.UTF_8);
        if (value.startsWith("bad")) {
            throw new SerializationException("unreadable");
        }
        return value;
    }

    /** Runs inside the loop's next poll, on its thread, as the consumer's callbacks do. */
    private void onLoopThread(Runnable task) {
        consumer.schedulePollTask(task);
    }

    private void add(String... values) {
        onLoopThread(() -> {
            for (String value : values) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offsetOf(value), value,
                        value.getBytes(StandardCharsets.UTF_8)));
            }
        });
    }

    private static long offsetOf(String value) {
        return Long.parseLong(value.replaceAll("\\D", ""));
    }

    private Long committed() {
        return commits.get(TP);
    }

    /** The committed offset as seen two polls from now: after the loop has handled everything done so far. */
    private Long committedAfterNextIteration() throws Exception {
        CompletableFuture<Long> seen = new CompletableFuture<>();
        onLoopThread(() -> onLoopThread(() -> seen.complete(committed())));
        return seen.get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldCommitOnlyBelowTheOldestUnfinishedRecordWhenRecordsFinishOutOfOrder() throws Exception {
        start(100);
        add("a0", "bad1", "b2", "c3");
        await().until(() -> handled.keySet().containsAll(List.of("a0", "b2", "c3")));

        handled.get("c3").complete(null);
        handled.get("b2").complete(null);
        assertThat(committedAfterNextIteration()).isIn(null, 0L);

        handled.get("a0").complete(null);
        await().until(() -> Long.valueOf(4).equals(committed()));
        assertThat(skipped).hasValue(1);
        assertThat(calls).containsExactly("a0", "b2", "c3");
    }

    @Test
    void shouldPauseWhenTooManyRecordsAreInFlightAndResumeWhenTheyDrain() {
        start(2);
        add("a0", "b1", "c2");
        await().until(() -> consumer.paused().contains(TP));

        handled.values().forEach(f -> f.complete(null));
        await().until(() -> consumer.paused().isEmpty());
        await().until(() -> Long.valueOf(3).equals(committed()));
    }

    @Test
    void shouldCommitFinishedWorkAndForgetTheRestWhenPartitionIsRevoked() throws Exception {
        start(100);
        add("a0", "b1");
        await().until(() -> handled.size() == 2);
        handled.get("a0").complete(null);

        onLoopThread(() -> consumer.rebalance(List.of()));
        assertThat(committedAfterNextIteration()).isEqualTo(1L);

        handled.get("b1").complete(null);
        assertThat(committedAfterNextIteration()).isEqualTo(1L);
    }

    @Test
    void shouldRewindToOldestUnfinishedRecordWhenEventsCouldNotBeProduced() throws Exception {
        start(100);
        add("a0", "b1");
        await().until(() -> handled.size() == 2);

        handled.get("b1").completeExceptionally(new IllegalStateException("broker gone"));

        CompletableFuture<Long> position = new CompletableFuture<>();
        onLoopThread(() -> onLoopThread(() -> position.complete(consumer.position(TP))));
        assertThat(position.get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void shouldCommitFinishedRecordsWhenStopped() throws Exception {
        start(100);
        add("a0");
        await().until(() -> handled.containsKey("a0"));
        handled.get("a0").complete(null);

        loop.stop(Duration.ofSeconds(5));

        assertThat(consumer.closed()).isTrue();
        assertThat(committed()).isEqualTo(1L);
        assertThat(loop.failure()).isNull();
    }
}
