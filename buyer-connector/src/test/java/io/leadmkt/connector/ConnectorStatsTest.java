package io.leadmkt.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.adapter.Answers;
import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorStatsTest {
    private final ConnectorCounters counters = new ConnectorCounters(new SimpleMeterRegistry());

    @Test
    void shouldNamePausedBuyersAndCountRefusedBidsWhenPrintingProgress() {
        counters.bid(failed("b1", BuyerGate.THROTTLED));
        counters.bid(failed("b1", BuyerGate.PAUSED));
        counters.bid(failed("b2", BuyerGate.PAUSED));
        counters.bid(Answers.bid("lead", "b3", BidStatus.BID, 1_000L, "t", null, 0, 4));

        ConnectorStats stats = counters.snapshot(3, 0, List.of("b1", "b2"));

        assertThat(stats.bidsError()).isEqualTo(3);
        assertThat(stats.progressLine()).contains("throttled=1 paused-bids=2 paused=2 [b1,b2]");
    }

    @Test
    void shouldNameOnlyTheFirstPausedBuyersWhenManyArePaused() {
        ConnectorStats stats = counters.snapshot(9, 0, List.of("b1", "b2", "b3", "b4", "b5", "b6", "b7"));

        assertThat(stats.progressLine()).endsWith("paused=7 [b1,b2,b3,b4,b5,…]");
    }

    private static Bid failed(String buyerId, String reason) {
        return Answers.failedBid("lead", buyerId, BidStatus.ERROR, reason, 0, 0);
    }
}
