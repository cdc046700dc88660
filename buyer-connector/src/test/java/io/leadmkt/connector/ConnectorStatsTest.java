package io.leadmkt.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.schema.BidStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorStatsTest {

    @Test
    void shouldNamePausedBuyersAndCountRefusedBidsWhenPrintingProgress() {
        ConnectorCounters counters = new ConnectorCounters();
        counters.bid(BidStatus.ERROR, BuyerGate.THROTTLED);
        counters.bid(BidStatus.ERROR, BuyerGate.PAUSED);
        counters.bid(BidStatus.ERROR, BuyerGate.PAUSED);
        counters.bid(BidStatus.BID, null);

        ConnectorStats stats = counters.snapshot(3, 0, List.of("b1", "b2"));

        assertThat(stats.bidsError()).isEqualTo(3);
        assertThat(stats.progressLine()).contains("throttled=1 paused-bids=2 paused=2 [b1,b2]");
    }

    @Test
    void shouldNameOnlyTheFirstPausedBuyersWhenManyArePaused() {
        ConnectorStats stats = new ConnectorCounters().snapshot(9, 0,
                List.of("b1", "b2", "b3", "b4", "b5", "b6", "b7"));

        assertThat(stats.progressLine()).endsWith("paused=7 [b1,b2,b3,b4,b5,…]");
    }
}
