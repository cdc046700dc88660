package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamThreadTimeTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldSplitTheWallTimeIntoCpuCommitsAndTheRestWhenOneThreadRan() {
        var from = new StreamThreadTime.Totals(5 * SECOND, 1e9, 1e9, 1e9, 100, 1, 0);
        // 10 s of wall: 3.5 s on CPU, flush 2 s, send offsets 0.5 s, commit 1.5 s, 250 commits
        var to = new StreamThreadTime.Totals(85 * SECOND / 10, 3e9, 1.5e9, 2.5e9, 350, 1, 10 * SECOND);

        assertThat(StreamThreadTime.line(from, to)).isEqualTo("stream thread wall time: on CPU 35 % | blocked in "
                + "commits 40 % (flush 20, send offsets 5, commit txn 15) | rest 25 % (poll waits, waiting for a core)"
                + " | 250 commits, one per 40 ms");
    }

    @Test
    void shouldShareTheWallTimeOfEveryThreadWhenThereAreTwo() {
        var from = new StreamThreadTime.Totals(0, 0, 0, 0, 0, 2, 0);
        var to = new StreamThreadTime.Totals(10 * SECOND, 0, 0, 0, 100, 2, 10 * SECOND);

        assertThat(StreamThreadTime.line(from, to)).startsWith("stream threads (2) wall time: on CPU 50 %")
                .endsWith("100 commits, one per 200 ms");
    }

    @Test
    void shouldSaySoWhenNoStreamThreadWasFound() {
        var none = new StreamThreadTime.Totals(0, 0, 0, 0, 0, 0, 0);

        assertThat(StreamThreadTime.line(none, new StreamThreadTime.Totals(0, 0, 0, 0, 0, 0, SECOND)))
                .isEqualTo("stream thread: not found");
    }

    @Test
    void shouldFindOnlyTheMarketsStreamThreadsWhenTheReportsRunBeside() {
        // This JVM runs no Kafka Streams: nothing matches, and reading JMX must not fail.
        assertThat(new StreamThreadTime("leadmkt").now().threads()).isZero();
    }
}
