package io.leadmkt.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveFiguresTest {

    static RecentAuction auction(String leadId, String status, long decisionMs, RecentAuction.Answer... answers) {
        return new RecentAuction(leadId, status, status.equals("SOLD") ? null : "NO_BIDS",
                status.equals("SOLD") ? "alpha" : null, status.equals("SOLD") ? 1_500L : null, "camp-auto",
                "src-1", "TX", 1_000, 1_000 + decisionMs, answers.length,
                (int) List.of(answers).stream().filter(RecentAuction.Answer::isBid).count(), 1, List.of(answers));
    }

    static RecentAuction.Answer bid(String buyerId, long cents, int latencyMs) {
        return new RecentAuction.Answer(buyerId, "BID", cents, latencyMs);
    }

    @Test
    void shouldRankPercentilesByNearestRankWhenValuesAreFew() {
        LiveFigures.Percentiles p = LiveFigures.Percentiles.of(new long[] {50, 10, 40, 20, 30});

        assertThat(p.count()).isEqualTo(5);
        assertThat(p.p50()).contains(30L);
        assertThat(p.p90()).contains(50L);
        assertThat(p.p99()).contains(50L);
    }

    @Test
    void shouldLeavePercentilesEmptyWhenThereIsNothingToRank() {
        LiveFigures.Percentiles p = LiveFigures.Percentiles.of(new long[0]);

        assertThat(p.count()).isZero();
        assertThat(p.p50()).isEqualTo(Optional.empty());
    }

    @Test
    void shouldCutBidsIntoRoundBandsWithoutGapsWhenPricesSpreadWide() {
        // $3.00 .. $47.99: $5 bands make 10 of them, $2 bands would make 23.
        List<LiveFigures.Band> bands = LiveFigures.bands(new long[] {300, 1_250, 1_499, 4_799});

        assertThat(bands).hasSize(10);
        assertThat(bands.get(0)).isEqualTo(new LiveFigures.Band(0, 500, 1));
        assertThat(bands.get(2)).isEqualTo(new LiveFigures.Band(1_000, 1_500, 2));
        assertThat(bands.get(9)).isEqualTo(new LiveFigures.Band(4_500, 5_000, 1));
        assertThat(bands.stream().mapToInt(LiveFigures.Band::count).sum()).isEqualTo(4);
    }

    @Test
    void shouldUseOneDollarBandsWhenPricesAreClose() {
        assertThat(LiveFigures.bands(new long[] {1_001, 1_099, 1_100}))
                .containsExactly(new LiveFigures.Band(1_000, 1_100, 2), new LiveFigures.Band(1_100, 1_200, 1));
    }

    @Test
    void shouldScaleBandsUpWhenPricesSpanThousandsOfDollars() {
        List<LiveFigures.Band> bands = LiveFigures.bands(new long[] {0, 100_000_00L});

        assertThat(bands).hasSizeLessThanOrEqualTo(LiveFigures.MAX_BANDS);
        assertThat(bands.get(0).fromCents()).isZero();
        assertThat(bands.get(bands.size() - 1).toCents()).isGreaterThan(100_000_00L);
    }

    @Test
    void shouldCountBidsSalesAndEachBuyersLatencyWhenAuctionsEnded() {
        LiveFigures figures = LiveFigures.of(List.of(
                auction("L1", "SOLD", 120, bid("alpha", 1_500, 40), bid("beta", 900, 80),
                        new RecentAuction.Answer("gamma", "PASS", null, 10)),
                auction("L2", "UNSOLD", 500, RecentAuction.Answer.unanswered("beta"),
                        new RecentAuction.Answer("alpha", "PASS", null, 20))));

        assertThat(figures.auctions()).isEqualTo(2);
        assertThat(figures.sold()).isEqualTo(1);
        assertThat(figures.bids().cents().count()).isEqualTo(2);
        assertThat(figures.bids().cents().p50()).contains(900L);
        assertThat(figures.decisionMs().p99()).contains(500L);
        assertThat(figures.buyers().keySet()).containsExactly("alpha", "beta", "gamma");
        assertThat(figures.buyers().get("beta").answers()).isEqualTo(2);
        assertThat(figures.buyers().get("beta").bids()).isEqualTo(1);
        assertThat(figures.buyers().get("beta").latencyMs().count()).as("no latency for a buyer that never answered")
                .isEqualTo(1);
        assertThat(figures.buyers().get("alpha").latencyMs().p90()).contains(40L);
    }
}
