package io.leadmkt.streams.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IntakeBacklogTest {
    private static final long T0 = 1_800_000_000_000L;
    private final IntakeBacklog backlog = new IntakeBacklog();

    @Test
    void shouldReportNoLagWhenIntakeReadsFreshLeads() {
        backlog.reading(0);
        backlog.written(0, 0, T0);
        backlog.read(0, 0, T0, T0 + 3);

        assertThat(backlog.lagMs(T0 + 5)).isEqualTo(3);
        assertThat(backlog.leadsInFlight()).isZero();
    }

    @Test
    void shouldReportTheAgeOfWhatIntakeReadsWhenItWorksThroughABacklog() {
        backlog.reading(1);
        backlog.read(1, 0, T0, T0 + 4_000);
        backlog.read(1, 1, T0 + 10, T0 + 4_005); // a younger one in the same second does not hide the older

        assertThat(backlog.lagMs(T0 + 4_010)).isEqualTo(4_000);
    }

    @Test
    void shouldForgetAnObservedAgeWhenNothingWasReadForASecond() {
        backlog.reading(1);
        backlog.read(1, 0, T0, T0 + 4_000);

        assertThat(backlog.lagMs(T0 + 4_000 + IntakeBacklog.MEMORY_MS + 1)).isZero();
    }

    @Test
    void shouldGrowWhenThePipelineStallsWithWrittenLeadsUnread() {
        backlog.reading(2);
        backlog.written(2, 10, T0);
        backlog.written(2, 11, T0 + 500);

        assertThat(backlog.lagMs(T0 + 5_000)).as("the oldest unread lead's age").isEqualTo(5_000);
        assertThat(backlog.leadsInFlight()).isEqualTo(2);

        backlog.read(2, 10, T0, T0 + 5_001);
        assertThat(backlog.lagMs(T0 + 5_002)).as("what it read, and the next unread one").isEqualTo(5_001);
        assertThat(backlog.leadsInFlight()).isEqualTo(1);
        backlog.read(2, 11, T0 + 500, T0 + 5_002);
        assertThat(backlog.leadsInFlight()).isZero();
        assertThat(backlog.lagMs(T0 + 6_600)).as("caught up, and the observation aged out").isZero();
    }

    @Test
    void shouldNotCountALeadWhoseWriteIsAcknowledgedAfterIntakeReadIt() {
        backlog.reading(0);
        backlog.read(0, 7, T0, T0 + 2);
        backlog.written(0, 7, T0); // the producer's callback ran after the consumer had the record

        assertThat(backlog.leadsInFlight()).isZero();
        assertThat(backlog.lagMs(T0 + IntakeBacklog.MEMORY_MS + 100)).isZero();
    }

    @Test
    void shouldLeaveAPartitionReadElsewhereToItsReaderWhenLeadsAreWrittenThere() {
        backlog.reading(0);
        backlog.written(1, 0, T0); // another instance reads partition 1

        assertThat(backlog.lagMs(T0 + 60_000)).isZero();
        assertThat(backlog.leadsInFlight()).isZero();
    }

    @Test
    void shouldDropWhatWasPendingWhenThePartitionMovesAway() {
        backlog.reading(3);
        backlog.written(3, 0, T0);
        backlog.stoppedReading(3);

        assertThat(backlog.lagMs(T0 + 60_000)).isZero();
        assertThat(backlog.leadsInFlight()).isZero();
    }

    @Test
    void shouldCountTheQueueBehindIntakeWhenAuctionsOpenLate() {
        backlog.reading(0);
        backlog.read(0, 0, T0, T0 + 10);
        backlog.auctionOpened(T0 + 10, T0 + 3_010); // read at +10 ms, its auction opened 3 s later

        assertThat(backlog.downstreamMs(T0 + 3_020)).isEqualTo(3_000);
        assertThat(backlog.lagMs(T0 + 3_020)).as("intake keeps up; the queue is behind it").isEqualTo(3_000);
        assertThat(backlog.downstreamMs(T0 + 3_010 + IntakeBacklog.MEMORY_MS + 1)).isZero();
    }

    @Test
    void shouldCountTheAuctionsAnswerQueueTwiceWhenAnswersWaitToBeRead() {
        backlog.answerRead(T0, T0 + 400); // a bid written at T0 read 400 ms later

        assertThat(backlog.lagMs(T0 + 410)).as("a lead taken now waits for its bids and its post's result")
                .isEqualTo(800);
        assertThat(backlog.lagMs(T0 + 400 + IntakeBacklog.MEMORY_MS + 1)).isZero();
    }

    @Test
    void shouldPredictTheQueuesUntilADecisionWhenAuctionsOpenLateAndAnswersWait() {
        backlog.auctionOpened(T0, T0 + 1_000);
        backlog.answerRead(T0 + 600, T0 + 1_000);

        assertThat(backlog.untilDecisionMs(T0 + 1_010)).as("the opening, then bids and post result").isEqualTo(1_800);
        assertThat(backlog.untilOfferMs(T0 + 1_010)).as("the offer waits for the opening only").isEqualTo(1_000);
    }

    @Test
    void shouldCountThePingsMeanWaitForTheConnectorUntilTheOfferWhenPingsWait() {
        backlog.pingWaited(100, T0 + 100);
        backlog.pingWaited(500, T0 + 900); // the mean, 300: the worst would shed leads likely offered in time
        backlog.auctionOpened(T0 + 1_000, T0 + 2_000);
        backlog.answerRead(T0 + 1_600, T0 + 2_000);

        assertThat(backlog.untilOfferMs(T0 + 2_010)).as("the opening, then the ping's read").isEqualTo(1_300);
        assertThat(backlog.untilDecisionMs(T0 + 2_010)).as("the opening, bids and post result")
                .isEqualTo(1_000 + 2 * 400);
        assertThat(backlog.untilOfferMs(T0 + 1_000 * (IntakeBacklog.RATE_SECONDS + 1) + 10)).as("over 5 s ago")
                .isZero();
    }

    @Test
    void shouldCountOpenAuctionsUntilTheirTaskHandsItsCounterBack() {
        backlog.reading(0);
        backlog.written(0, 0, T0);
        AtomicInteger task0 = backlog.openAuctionsCounter();
        AtomicInteger task1 = backlog.openAuctionsCounter();
        task0.set(30);
        task1.set(12);

        assertThat(backlog.leadsInFlight()).isEqualTo(43);

        backlog.release(task1); // the task moved to another instance
        assertThat(backlog.leadsInFlight()).isEqualTo(31);
    }

    @Test
    void shouldTakeLeadsUntilTheFloorOfLeadsInFlightWhenNothingWasDecidedYet() {
        backlog.reading(0);
        int taken = 0;
        for (int i = 0; i < 80; i++) {
            IntakeBacklog.Admission admission = backlog.admit(T0, 3_000, 500);
            if (admission.taken()) {
                taken++; // not yet acknowledged: writing, and in flight all the same
            } else {
                assertThat(admission.leadsInFlight()).isEqualTo((int) IntakeBacklog.MIN_IN_FLIGHT);
                assertThat(admission.maxInFlight()).isEqualTo(IntakeBacklog.MIN_IN_FLIGHT);
                assertThat(admission.retryAfterSeconds()).isEqualTo(1);
            }
        }

        assertThat(taken).isEqualTo(IntakeBacklog.MIN_IN_FLIGHT);
    }

    @Test
    void shouldTakeAgainWhenLeadsInFlightAreDecidedOrNotWritten() {
        backlog.reading(0);
        AtomicInteger auctions = backlog.openAuctionsCounter();
        for (int i = 0; i < IntakeBacklog.MIN_IN_FLIGHT; i++) {
            assertThat(backlog.admit(T0, 3_000, 500).taken()).isTrue();
        }
        for (int i = 0; i < IntakeBacklog.MIN_IN_FLIGHT - 1; i++) {
            backlog.written(0, i, T0);
        }
        backlog.read(0, IntakeBacklog.MIN_IN_FLIGHT - 2, T0, T0 + 5);
        auctions.set((int) IntakeBacklog.MIN_IN_FLIGHT - 1); // every lead read opened its auction
        assertThat(backlog.admit(T0 + 5, 3_000, 500).taken()).as("one still being written").isFalse();

        backlog.notWritten(); // its write failed: the seller got a 503 and retries
        assertThat(backlog.admit(T0 + 6, 3_000, 500).taken()).isTrue();
        assertThat(backlog.admit(T0 + 6, 3_000, 500).taken()).isFalse();

        auctions.set(0); // all decided
        assertThat(backlog.admit(T0 + 7, 3_000, 500).taken()).isTrue();
    }

    @Test
    void shouldRaiseTheBoundWithTheRateOfDecisionsWhenTheMarketIsBusy() {
        for (int second = 0; second < 5; second++) {
            for (int lead = 0; lead < 300; lead++) {
                long closedAt = T0 + second * 1_000L + lead;
                backlog.auctionClosed(closedAt, closedAt, false); // decided at once: no buyer time
            }
        }

        assertThat(backlog.decidedPerSecond(T0 + 5_000)).isEqualTo(300.0);
        assertThat(backlog.maxLeadsInFlight(T0 + 5_000, 500)).as("300 a second decide 150 in 500 ms").isEqualTo(150);
        assertThat(backlog.maxLeadsInFlight(T0 + 5_000, 100)).as("never under the floor")
                .isEqualTo(IntakeBacklog.MIN_IN_FLIGHT);
        assertThat(backlog.decidedPerSecond(T0 + 12_000)).as("nothing decided in the last five seconds").isZero();
    }

    /** Five seconds of {@code perSecond} decisions, each auction open {@code openMs}, each answering twice after {@code answerWaitMs}. */
    private void decided(int perSecond, long openMs, long answerWaitMs) {
        for (int second = 0; second < 5; second++) {
            for (int lead = 0; lead < perSecond; lead++) {
                long closedAt = T0 + second * 1_000L + lead;
                backlog.answerRead(closedAt - answerWaitMs, closedAt);
                backlog.answerRead(closedAt - answerWaitMs, closedAt);
                backlog.auctionClosed(closedAt, closedAt - openMs, false);
            }
        }
    }

    @Test
    void shouldHoldLeadsInFlightToWhatItDecidesWithoutTheFloorWhenTheQueuesAreBehind() {
        // A cold start: four leads decided a second, each auction open a second (its buyers' time included).
        decided(4, 1_000, 0);
        backlog.reading(0);
        backlog.read(0, 0, T0 + 3_000, T0 + 5_000); // intake reads leads 2 s after their arrival
        int taken = 0;
        for (int i = 0; i < 20; i++) {
            if (backlog.admit(T0 + 5_000, 3_000, 500).taken()) {
                taken++;
            }
        }

        assertThat(taken).as("4 a second decide 6 in 500 ms plus their 1 s, not the floor's 50").isEqualTo(6);
        assertThat(backlog.maxLeadsInFlight(T0 + 5_000 + IntakeBacklog.MEMORY_MS + 1, 500))
                .as("the queues keep up again: a burst is welcome").isEqualTo(IntakeBacklog.MIN_IN_FLIGHT);
    }

    @Test
    void shouldTakeLeadsWhenAuctionsAreManyOnlyBecauseTheirBuyersAreSlow() {
        // 100 leads a second whose buyers take 2 s to answer a ping and a post: 200 open auctions at any time
        decided(100, 2_000, 3);
        AtomicInteger auctions = backlog.openAuctionsCounter();
        auctions.set(200);

        assertThat(backlog.buyersMs(T0 + 5_000)).isEqualTo(2_000 - 2 * 3);
        IntakeBacklog.Admission admission = backlog.admit(T0 + 5_000, 3_000, 500);
        assertThat(admission.taken()).as("the buyers' pace is not our lag").isTrue();
        assertThat(admission.maxInFlight()).isEqualTo(250); // 100 a second decide in 2.5 s
    }

    @Test
    void shouldNotWidenTheBoundWithLeadsShedAtTheBackstopWhenTheConnectorIsGone() {
        // the connector is gone: a minute later, auctions end STALE at their backstop, 100 a second
        for (int second = 0; second < 5; second++) {
            for (int lead = 0; lead < 100; lead++) {
                long closedAt = T0 + second * 1_000L + lead;
                backlog.auctionClosed(closedAt, closedAt - 60_500, true);
            }
        }
        AtomicInteger auctions = backlog.openAuctionsCounter();
        auctions.set(6_000);

        assertThat(backlog.buyersMs(T0 + 5_000)).isZero();
        assertThat(backlog.admit(T0 + 5_000, 3_000, 500).taken()).as("nobody is selling them").isFalse();
    }

    @Test
    void shouldNotWidenTheBoundWhenAuctionsAreLongBecauseTheirAnswersWaitForTheStreamThread() {
        // auctions open 2 s, of which their two answers waited 950 ms each for the stream thread: overload
        decided(100, 2_000, 950);
        AtomicInteger auctions = backlog.openAuctionsCounter();
        auctions.set(200);

        assertThat(backlog.buyersMs(T0 + 5_000)).isEqualTo(100);
        IntakeBacklog.Admission admission = backlog.admit(T0 + 5_000, 3_000, 500);
        assertThat(admission.taken()).isFalse();
        assertThat(admission.maxInFlight()).isEqualTo(60); // 100 a second decide in 0.6 s
    }

    @Test
    void shouldRefuseWhileALeadTakenNowWouldWaitLongerThanTheMaxLag() {
        backlog.reading(0);
        backlog.read(0, 0, T0, T0 + 3_500);

        IntakeBacklog.Admission refused = backlog.admit(T0 + 3_501, 3_000, 500);

        assertThat(refused.taken()).isFalse();
        assertThat(refused.lagMs()).isEqualTo(3_500);
        assertThat(refused.retryAfterSeconds()).isEqualTo(4);
        assertThat(backlog.leadsInFlight()).as("a refused lead is not in flight").isZero();
    }

    @Test
    void shouldAskForAtLeastOneAndAtMostSixtySecondsWhenComputingRetryAfter() {
        assertThat(IntakeBacklog.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(IntakeBacklog.retryAfterSeconds(3_001)).isEqualTo(4);
        assertThat(IntakeBacklog.retryAfterSeconds(600_000)).isEqualTo(60);
    }
}
