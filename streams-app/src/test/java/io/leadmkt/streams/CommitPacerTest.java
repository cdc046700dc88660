package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.AuditEvent;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class CommitPacerTest {

    private static long granted(CommitPacer pacer, long atMs, int requests) {
        return IntStream.range(0, requests).filter(i -> pacer.tryAcquire(atMs)).count();
    }

    @Test
    void shouldGrantAWholeBurstWhenTrafficIsLight() {
        CommitPacer pacer = new CommitPacer(50, 8);

        assertThat(granted(pacer, 1_000, 8)).isEqualTo(8);
        assertThat(pacer.tryAcquire(1_000)).isFalse();
    }

    @Test
    void shouldGrantNoMoreThanItsRateWhenOutputKeepsComing() {
        CommitPacer pacer = new CommitPacer(50, 8);
        long grantedInTenSeconds = 0;
        for (long ms = 0; ms < 10_000; ms++) {
            grantedInTenSeconds += granted(pacer, ms, 5);
        }

        assertThat(grantedInTenSeconds).isBetween(500L, 508L);
    }

    @Test
    void shouldRefillAfterAQuietSpellButNeverAboveTheBurst() {
        CommitPacer pacer = new CommitPacer(50, 8);
        granted(pacer, 0, 8);

        assertThat(pacer.tryAcquire(10)).isFalse();
        assertThat(pacer.tryAcquire(20)).isTrue();
        assertThat(granted(pacer, 60_000, 20)).isEqualTo(8);
    }

    @Test
    void shouldNotRefillWhenTheClockGoesBack() {
        CommitPacer pacer = new CommitPacer(50, 1);
        assertThat(pacer.tryAcquire(5_000)).isTrue();

        assertThat(pacer.tryAcquire(1_000)).isFalse();
        assertThat(pacer.tryAcquire(5_000)).isFalse();
        assertThat(pacer.tryAcquire(5_020)).isTrue();
    }

    @Test
    void shouldNeverGrantWhenTheRateIsZero() {
        assertThat(granted(new CommitPacer(0, 8), 1_000, 3)).isZero();
    }

    @Test
    void shouldRefuseANegativeRate() {
        assertThatThrownBy(() -> new CommitPacer(-1, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAskForACommitWhenItPassesOnOutputAStageWaitsFor() {
        // On a fresh thread: the pacer is per stream thread.
        Runnable check = () -> {
            MockProcessorContext<String, Object> context = new MockProcessorContext<>();
            Processor<String, Object, String, Object> soon = CommitSoon.<Object>supplier(50, 8).get();
            context.setCurrentSystemTimeMs(1_000);
            soon.init(context);

            soon.process(new Record<>("lead-1", AuditEvent.newBuilder().setLeadId("lead-1").setType(io.leadmkt.schema.AuditType.PINGED)
                    .setAt(1_000).build(), 0));
            assertThat(context.committed()).as("audit events wait for the next commit").isFalse();
            assertThat(context.forwarded()).hasSize(1);

            soon.process(new Record<>("lead-1", "a ping, a post or an outcome", 0));
            assertThat(context.committed()).isTrue();
            assertThat(context.forwarded()).hasSize(2);
        };
        Thread thread = new Thread(check);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        thread.start();
        assertThat(joined(thread)).isTrue();
        assertThat(failure.get()).isNull();
    }

    private static boolean joined(Thread thread) {
        try {
            thread.join(10_000);
            return !thread.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
