package io.leadmkt.streams.intake;

import static io.leadmkt.streams.MarketFixtures.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.MockStores;
import io.leadmkt.streams.outcome.Rejections;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The waiting room alone, its wall clock and the pipeline's lag set by the test: leads pass straight
 * through while the queues keep up, wait while they are behind, come out newest first, and are shed
 * STALE when their campaign's time to decision passes in the room.
 */
class WaitingRoomTest {
    private static final long T0 = Instant.parse("2026-12-01T23:00:00Z").toEpochMilli();
    private static final long LAG_MS = 500;
    private static final long IN_FLIGHT_MS = 500;
    private static final int MAX_AGE_MS = 5_000;

    private MockProcessorContext<String, Object> context;
    private KeyValueStore<String, Lead> store;
    private IntakeBacklog backlog;
    private WaitingRoom room;
    private java.util.concurrent.atomic.AtomicInteger openAuctions;
    private long now;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        MockStores.timestamped(context, ConfigTables.BUYERS_STORE, BuyerConfig.class);
        TimestampedKeyValueStore<String, CampaignConfig> campaigns =
                MockStores.timestamped(context, ConfigTables.CAMPAIGNS_STORE, CampaignConfig.class);
        MockStores.timestamped(context, ConfigTables.SUPPRESSION_STORE, SuppressionEntry.class);
        MockStores.timestamped(context, ConfigTables.CAP_STATUS_STORE, BuyerCapStatus.class);
        MockStores.timestamped(context, ConfigTables.BUYER_STATS_STORE, BuyerStats.class);
        CampaignConfig campaign = campaign(1_000, 500).setMaxLeadAgeMs(MAX_AGE_MS).build();
        ConfigTables.apply(campaigns, campaign.getCampaignId(), campaign, 0);
        store = MockStores.keyValue(context, WaitingRoom.STORE, Lead.class);
        backlog = new IntakeBacklog();
        openAuctions = backlog.openAuctionsCounter();
        now = T0;
        context.setCurrentSystemTimeMs(now);
        room = start(LAG_MS);
    }

    private WaitingRoom start(long lagMs) {
        WaitingRoom started = new WaitingRoom(lagMs, IN_FLIGHT_MS, backlog);
        started.init(context);
        return started;
    }

    private static Lead lead(String id, long arrivedAt) {
        return MarketFixtures.lead(id, arrivedAt).setEnrichment(Enrichment.newBuilder().setIdentityHash("h-" + id)
                .setArrivedAt(arrivedAt).setReceivedAt(arrivedAt).setLeadAgeMs(0).setScore(50).build()).build();
    }

    private void read(Lead lead) {
        room.process(new Record<>(lead.getEnrichment().getIdentityHash(), lead, lead.getEnrichment().getArrivedAt()));
    }

    /** As many auctions open as the bound allows, and their answers wait a second to be read: the queues are behind. */
    private void behind() {
        full();
        backlog.answerRead(now - 1_000, now);
    }

    /** As many auctions open as the bound allows (nothing decided lately: the floor of 50). */
    private void full() {
        openAuctions.set((int) IntakeBacklog.MIN_IN_FLIGHT);
    }

    /** Auctions closed: room in flight again. */
    private void roomInFlight() {
        openAuctions.set(0);
    }

    private void advance(long ms) {
        now += ms;
        context.setCurrentSystemTimeMs(now);
    }

    /** Runs the room's timer every tick for {@code ms}, as the stream thread would. */
    private void tickFor(long ms) {
        for (long t = 0; t < ms; t += WaitingRoom.TICK.toMillis()) {
            advance(WaitingRoom.TICK.toMillis());
            for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
                if (!punctuator.cancelled()) {
                    punctuator.getPunctuator().punctuate(now);
                }
            }
        }
    }

    private List<Object> forwardedValues() {
        List<Object> values = new ArrayList<>();
        context.forwarded().forEach(f -> values.add(f.record().value()));
        return values;
    }

    private List<String> forwardedLeadIds() {
        return forwardedValues().stream().filter(Lead.class::isInstance).map(v -> ((Lead) v).getLeadId()).toList();
    }

    private long stored() {
        return store.approximateNumEntries();
    }

    private boolean ticking() {
        return context.scheduledPunctuators().stream().anyMatch(p -> !p.cancelled());
    }

    @Test
    void shouldPassALeadStraightThroughWhenThereIsRoomInFlightEvenIfTheQueuesAreBehind() {
        backlog.answerRead(now - 1_000, now);

        read(lead("L1", now));

        assertThat(forwardedLeadIds()).containsExactly("L1");
        assertThat(context.forwarded().get(0).record().headers().lastHeader(WaitingRoom.ADMITTED_AT_HEADER)).isNull();
        assertThat(stored()).isZero();
        assertThat(ticking()).as("an empty room keeps no timer").isFalse();
    }

    @Test
    void shouldOfferTheNewestWaitingLeadFirstWhenAuctionsClose() {
        behind();
        read(lead("L1", now - 300));
        read(lead("L2", now - 200));
        read(lead("L3", now - 100));

        assertThat(forwardedValues()).as("behind: every lead waits").isEmpty();
        assertThat(stored()).isEqualTo(3);
        assertThat(backlog.waiting()).isEqualTo(3);
        assertThat(backlog.admit(now, Long.MAX_VALUE, IN_FLIGHT_MS).leadsInFlight())
                .as("the HTTP door counts them ahead of a new lead").isEqualTo(IntakeBacklog.MIN_IN_FLIGHT + 3);

        tickFor(500);
        assertThat(forwardedValues()).as("still behind").isEmpty();

        roomInFlight();
        tickFor(10);
        assertThat(forwardedLeadIds()).containsExactly("L3", "L2", "L1");
        long admittedAt = WaitingRoom.admittedAt(context.forwarded().get(0).record().headers()).orElseThrow();
        assertThat(admittedAt).isEqualTo(now);
        assertThat(context.forwarded().get(0).record().key()).as("keyed by identity, as it came").isEqualTo("h-L3");
        assertThat(stored()).isZero();
        assertThat(backlog.waiting()).isZero();
        assertThat(ticking()).as("the timer stops once the room is empty").isFalse();
    }

    @Test
    void shouldPassALeadThroughWhenAuctionsAreManyButTheQueuesKeepUp() {
        full(); // slow buyers keep many auctions open: no sign of overload on its own

        read(lead("L1", now));

        assertThat(forwardedLeadIds()).containsExactly("L1");
        assertThat(stored()).isZero();
    }

    @Test
    void shouldLetWaitingLeadsInAtTheirPaceAndANewLeadFirstWhenTheQueuesCatchUpButAuctionsStayMany() {
        behind();
        for (int i = 5; i >= 1; i--) {
            read(lead("old-" + i, now - 100L * i));
        }
        tickFor(1_010); // the queues caught up at the last tick; auctions are still as many as the bound
        assertThat(forwardedLeadIds()).as("a burst of one at the floor of 10 a second").containsExactly("old-1");

        read(lead("new", now));
        assertThat(forwardedLeadIds()).as("others wait: a new lead waits too, for its turn").containsExactly("old-1");
        tickFor(1_000);

        assertThat(forwardedLeadIds()).containsExactly("old-1", "new", "old-2", "old-3", "old-4", "old-5");
    }

    @Test
    void shouldShedAWaitingLeadAsStaleWhenItsTimeToDecisionPasses() {
        long arrived = now;
        behind();
        read(lead("L1", arrived));
        for (int i = 0; i < 6; i++) {
            tickFor(1_000);
            behind();
        }

        List<Rejection> rejections = forwardedValues().stream().filter(Rejection.class::isInstance)
                .map(Rejection.class::cast).toList();
        assertThat(forwardedLeadIds()).isEmpty();
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0).getLeadId()).isEqualTo("L1");
        assertThat(rejections.get(0).getReasonCode()).isEqualTo(Rejections.STALE);
        assertThat(rejections.get(0).getErrors().get(0).getMessage()).contains("within " + MAX_AGE_MS + " ms");
        assertThat(stored()).isZero();
        assertThat(backlog.waiting()).isZero();
    }

    @Test
    void shouldLetInWhatWaitedWhenTheTaskStartsAgain() {
        behind();
        read(lead("L1", now - 100));
        room.close();
        assertThat(backlog.waiting()).as("the closed task's room is no longer this instance's").isZero();

        context.resetForwards();
        context.scheduledPunctuators().clear();
        room = start(LAG_MS);
        assertThat(backlog.waiting()).isEqualTo(1);
        roomInFlight();
        tickFor(10);

        assertThat(forwardedLeadIds()).containsExactly("L1");
    }

    @Test
    void shouldPassEveryLeadThroughWhenTheRoomIsOff() {
        room = start(0);
        behind();
        read(lead("L1", now));

        assertThat(forwardedLeadIds()).containsExactly("L1");
        assertThat(stored()).isZero();
    }

    @Test
    void shouldLetLeadsInAboutAsFastAsTheyAreDecidedWhenPaced() {
        WaitingRoom.Pace pace = new WaitingRoom.Pace();
        pace.refill(T0, 200); // 250 a second with headroom: a burst of 50 ms is 12
        int first = 0;
        while (pace.take()) {
            first++;
        }
        assertThat(first).isEqualTo(12);

        int inASecond = 0;
        for (long t = 10; t <= 1_000; t += 10) {
            pace.refill(T0 + t, 200);
            while (pace.take()) {
                inASecond++;
            }
        }
        assertThat(inASecond).isBetween(249, 250);

        pace.refill(T0 + 60_000, 0);
        int afterAStall = 0;
        while (pace.take()) {
            afterAStall++;
        }
        assertThat(afterAStall).as("nothing decided: the floor of 10 a second, a burst of one").isEqualTo(1);
    }
}
