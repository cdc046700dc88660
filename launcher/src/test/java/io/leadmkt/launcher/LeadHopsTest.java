package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.LeadHops.Hop;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadHopsTest {

    @Test
    void shouldSplitALeadsTimeIntoHopsWhenEveryRecordWasSeen() {
        LeadHops hops = new LeadHops();
        hops.ping(1_030, 1_045);
        hops.bids(1_060, 4);
        hops.post(1_070, 1_090);
        hops.postResult(1_100, 3);

        Map<Hop, Long> ms = hops.ended(1_000, 1_110, 1_130);

        assertThat(ms).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry(Hop.INTAKE, 30L), Map.entry(Hop.PING_COMMIT, 15L), Map.entry(Hop.CONNECTOR_PING, 11L),
                Map.entry(Hop.BUYERS_BID, 4L), Map.entry(Hop.AUCTION, 10L), Map.entry(Hop.POST_COMMIT, 20L),
                Map.entry(Hop.CONNECTOR_POST, 7L), Map.entry(Hop.BUYER_POST, 3L), Map.entry(Hop.DECISION, 10L),
                Map.entry(Hop.OUTCOME_COMMIT, 20L), Map.entry(Hop.OVERHEAD, 123L)));
    }

    @Test
    void shouldAddUpToTheWholeTimeWhenOverheadAndBuyersAreSummed() {
        LeadHops hops = new LeadHops();
        hops.ping(1_030, 1_045);
        hops.bids(1_060, 4);
        hops.post(1_070, 1_090);
        hops.postResult(1_100, 3);

        Map<Hop, Long> ms = hops.ended(1_000, 1_110, 1_130);

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
        LeadHops hops = new LeadHops();
        hops.ping(1_010, 1_020);
        hops.ping(1_500, 1_520);
        hops.bids(1_030, 2);
        hops.bids(1_530, 2);
        hops.post(1_040, 1_050);
        hops.post(1_600, 1_700);
        hops.postResult(1_060, 5);
        hops.postResult(1_710, 5);

        Map<Hop, Long> ms = hops.ended(1_000, 1_800, 1_810);

        assertThat(ms.get(Hop.PING_COMMIT)).isEqualTo(10L);
        assertThat(ms.get(Hop.POST_COMMIT)).isEqualTo(10L);
        assertThat(ms.get(Hop.DECISION)).isEqualTo(740L);
    }

    @Test
    void shouldCountZeroWhenARecordIsTimedBeforeThePreviousOneWasSeen() {
        LeadHops hops = new LeadHops();
        hops.ping(1_030, 1_045);
        hops.bids(1_044, 1);

        assertThat(hops.ended(1_000, 1_050, 1_060).get(Hop.CONNECTOR_PING)).isZero();
    }
}
