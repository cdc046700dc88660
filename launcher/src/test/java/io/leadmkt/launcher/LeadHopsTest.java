package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.LeadHops.Hop;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadHopsTest {

    /** Created at 1,000; pinged at 1,030; buyers called 1,045 and answered by 1,052; and so on. */
    private static LeadHops soldLead() {
        LeadHops hops = new LeadHops();
        hops.ping(1_030);
        hops.bids(1_060, 1_045, 1_052);
        hops.post(1_070);
        hops.postResult(1_100, 1_090, 1_093);
        return hops;
    }

    @Test
    void shouldSplitALeadsTimeIntoHopsWhenEveryRecordWasSeen() {
        Map<Hop, Long> ms = soldLead().ended(1_000, 1_110, 1_130);

        assertThat(ms).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry(Hop.INTAKE, 30L), Map.entry(Hop.PING_TO_CALL, 15L), Map.entry(Hop.BUYERS_BID, 7L),
                Map.entry(Hop.BIDS_WRITTEN, 8L), Map.entry(Hop.AUCTION, 10L), Map.entry(Hop.POST_TO_CALL, 20L),
                Map.entry(Hop.BUYER_POST, 3L), Map.entry(Hop.RESULT_WRITTEN, 7L), Map.entry(Hop.DECISION, 10L),
                Map.entry(Hop.OUTCOME_COMMIT, 20L), Map.entry(Hop.OVERHEAD, 120L)));
    }

    @Test
    void shouldMakeTheOverheadTheSumOfThePlatformsHopsWhenTheBuyersAreLeftOut() {
        Map<Hop, Long> ms = soldLead().ended(1_000, 1_110, 1_130);

        long platform = ms.entrySet().stream()
                .filter(e -> e.getKey() != Hop.OVERHEAD && e.getKey() != Hop.BUYERS_BID && e.getKey() != Hop.BUYER_POST)
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(platform).isEqualTo(ms.get(Hop.OVERHEAD));
        assertThat(ms.get(Hop.OVERHEAD) + ms.get(Hop.BUYERS_BID) + ms.get(Hop.BUYER_POST)).isEqualTo(130L);
    }

    @Test
    void shouldTimeOnlyTheHopsItsRecordsSpanWhenTheLeadWasShedBeforeItsPing() {
        Map<Hop, Long> ms = new LeadHops().ended(1_000, 1_400, 1_420);

        assertThat(ms).containsOnlyKeys(Hop.OUTCOME_COMMIT);
        assertThat(ms.get(Hop.OUTCOME_COMMIT)).isEqualTo(20L);
    }

    @Test
    void shouldKeepTheFirstRoundAndPostWhenALeadHasSeveral() {
        LeadHops hops = soldLead();
        hops.ping(1_500);
        hops.bids(1_530, 1_510, 1_520);
        hops.post(1_600);
        hops.postResult(1_710, 1_700, 1_705);

        Map<Hop, Long> ms = hops.ended(1_000, 1_800, 1_810);

        assertThat(ms.get(Hop.PING_TO_CALL)).isEqualTo(15L);
        assertThat(ms.get(Hop.POST_TO_CALL)).isEqualTo(20L);
        assertThat(ms.get(Hop.DECISION)).isEqualTo(700L);
    }

    @Test
    void shouldCountZeroWhenTwoClocksPutARecordBeforeTheOneBeforeIt() {
        LeadHops hops = new LeadHops();
        hops.ping(1_030);
        hops.bids(1_060, 1_029, 1_040);

        assertThat(hops.ended(1_000, 1_070, 1_080).get(Hop.PING_TO_CALL)).isZero();
    }
}
