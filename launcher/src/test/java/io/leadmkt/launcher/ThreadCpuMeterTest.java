package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.ThreadComponents.Component;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCpuMeterTest {

    private static final int MEGABYTE = 1 << 20;

    /** Keeps what the worker allocates reachable until it has been counted, so nothing is optimised away. */
    private static volatile byte[] kept;

    @Test
    void shouldCountTheHeapAThreadAllocatesInTheWindowUnderItsComponent() throws Exception {
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch counted = new CountDownLatch(1);
        ThreadCpuMeter.Usage usage;
        try (ThreadCpuMeter meter = new ThreadCpuMeter(new ThreadComponents("leadmkt", "leadmkt-connector"),
                Duration.ofSeconds(1))) {
            meter.start();
            // Named as the bench's generator thread; alive until stop() has sampled it (a thread that ends
            // between samples keeps only what it had at its last one).
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 64; i++) {
                    kept = new byte[MEGABYTE];
                }
                allocated.countDown();
                awaitQuietly(counted);
            }, "lead-generator");
            worker.start();
            allocated.await();
            usage = meter.stop();
            counted.countDown();
            worker.join();
        }

        assertThat(usage.allocatedBytes().get(Component.GENERATOR)).isGreaterThanOrEqualTo(64L * MEGABYTE);
        assertThat(usage.allocatedBytes().get(Component.BUYERS)).isZero();
    }

    @Test
    void shouldReportNothingWhenTheMeterWasNeverStarted() {
        try (ThreadCpuMeter meter = new ThreadCpuMeter(new ThreadComponents("leadmkt", "leadmkt-connector"),
                Duration.ofSeconds(1))) {
            ThreadCpuMeter.Usage usage = meter.stop();

            assertThat(usage.allocatedBytes().values()).containsOnly(0L);
            assertThat(usage.threadNanos().values()).containsOnly(0L);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
