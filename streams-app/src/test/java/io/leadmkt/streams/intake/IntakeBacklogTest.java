package io.leadmkt.streams.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntakeBacklogTest {
    private static final long T0 = 1_800_000_000_000L;
    private final IntakeBacklog backlog = new IntakeBacklog();

    @Test
    void shouldReportNoLagWhenIntakeReadsFreshLeads() {
        backlog.reading(0);
        backlog.written(0, T0);
        backlog.read(0, T0, T0 + 3);

        assertThat(backlog.lagMs(T0 + 5)).isEqualTo(3);
    }

    @Test
    void shouldReportTheAgeOfWhatIntakeReadsWhenItWorksThroughABacklog() {
        backlog.reading(1);
        backlog.read(1, T0, T0 + 4_000);
        backlog.read(1, T0 + 10, T0 + 4_005); // a younger one in the same second does not hide the older

        assertThat(backlog.lagMs(T0 + 4_010)).isEqualTo(4_000);
    }

    @Test
    void shouldForgetAnObservedAgeWhenNothingWasReadForASecond() {
        backlog.reading(1);
        backlog.read(1, T0, T0 + 4_000);

        assertThat(backlog.lagMs(T0 + 4_000 + IntakeBacklog.MEMORY_MS + 1)).isZero();
    }

    @Test
    void shouldGrowWhenThePipelineStallsWithWrittenLeadsUnread() {
        backlog.reading(2);
        backlog.written(2, T0);
        backlog.written(2, T0 + 500);

        assertThat(backlog.lagMs(T0 + 5_000)).as("the oldest unread lead's age").isEqualTo(5_000);

        backlog.read(2, T0 + 500, T0 + 5_001);
        assertThat(backlog.lagMs(T0 + 5_002)).isEqualTo(4_501);
        assertThat(backlog.lagMs(T0 + 6_600)).as("caught up, and the observation aged out").isZero();
    }

    @Test
    void shouldLeaveAPartitionReadElsewhereToItsReaderWhenLeadsAreWrittenThere() {
        backlog.reading(0);
        backlog.written(1, T0); // another instance reads partition 1

        assertThat(backlog.lagMs(T0 + 60_000)).isZero();
    }

    @Test
    void shouldDropWhatWasPendingWhenThePartitionMovesAway() {
        backlog.reading(3);
        backlog.written(3, T0);
        backlog.stoppedReading(3);

        assertThat(backlog.lagMs(T0 + 60_000)).isZero();
    }

    @Test
    void shouldCountTheQueueBehindIntakeWhenAuctionsOpenLate() {
        backlog.reading(0);
        backlog.read(0, T0, T0 + 10);
        backlog.auctionOpened(T0 + 10, T0 + 3_010); // read at +10 ms, its auction opened 3 s later

        assertThat(backlog.downstreamMs(T0 + 3_020)).isEqualTo(3_000);
        assertThat(backlog.lagMs(T0 + 3_020)).as("intake keeps up; the queue is behind it").isEqualTo(3_000);
        assertThat(backlog.downstreamMs(T0 + 3_010 + IntakeBacklog.MEMORY_MS + 1)).isZero();
    }

    @Test
    void shouldAskForAtLeastOneAndAtMostSixtySecondsWhenComputingRetryAfter() {
        assertThat(IntakeBacklog.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(IntakeBacklog.retryAfterSeconds(3_001)).isEqualTo(4);
        assertThat(IntakeBacklog.retryAfterSeconds(600_000)).isEqualTo(60);
    }
}
