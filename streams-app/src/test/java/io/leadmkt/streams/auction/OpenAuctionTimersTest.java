package io.leadmkt.streams.auction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAuctionTimersTest {
    private final OpenAuctionTimers timers = new OpenAuctionTimers();

    @Test
    void shouldHandOutDueAuctionsEarliestFirstWhenTimeComes() {
        timers.move("L2", Long.MIN_VALUE, 200);
        timers.move("L1", Long.MIN_VALUE, 100);
        timers.move("L3", Long.MIN_VALUE, 300);

        assertThat(timers.takeDue(99)).isEmpty();
        assertThat(timers.takeDue(200)).containsExactly("L1", "L2");
        assertThat(timers.takeDue(200)).as("taken once").isEmpty();
        assertThat(timers.size()).isEqualTo(1);
    }

    @Test
    void shouldFireOnlyTheNewTimeWhenATimerMoves() {
        timers.move("L1", Long.MIN_VALUE, 100);
        timers.move("L1", 100, 500);

        assertThat(timers.takeDue(400)).isEmpty();
        assertThat(timers.takeDue(500)).containsExactly("L1");
    }

    @Test
    void shouldForgetTheTimerWhenTheAuctionHasNoneAnyMore() {
        timers.move("L1", Long.MIN_VALUE, 100);
        timers.move("L1", 100, Long.MIN_VALUE);

        assertThat(timers.takeDue(1_000)).isEmpty();
        assertThat(timers.size()).isZero();
    }
}
