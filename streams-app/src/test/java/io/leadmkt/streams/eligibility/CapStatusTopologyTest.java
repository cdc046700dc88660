package io.leadmkt.streams.eligibility;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.MarketHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * caps.status on the whole topology, the wall clock driven by the test: a buyer the cap keeper
 * reports full is not pinged until its {@code fullUntil} has passed, and the QUALIFIED audit
 * event names it (by id only).
 */
class CapStatusTopologyTest {
    private MarketHarness market;
    private int leads;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(1_000, 500).build());
        market.buyer(buyer("open").build());
        market.buyer(buyer("daily-cap").build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    /** A caps.status record as the cap keeper writes it (MarketHarness has no typed input for it). */
    static void capStatus(MarketHarness market, String buyerId, long fullUntil) {
        Topics topics = market.topics();
        BuyerCapStatus status = BuyerCapStatus.newBuilder().setBuyerId(buyerId).setFullUntil(fullUntil)
                .setReason("DAY maxLeads").setUpdatedAt(market.now()).build();
        market.rawInput(Topics.CAP_STATUS).pipeInput(buyerId,
                topics.capStatus().valueSerde().serializer().serialize(Topics.CAP_STATUS, status));
    }

    /** A buyers.stats record as the stats processor writes it. */
    static void buyerStats(MarketHarness market, String buyerId, String recent, int rate) {
        Topics topics = market.topics();
        BuyerStats stats = BuyerStats.newBuilder().setBuyerId(buyerId).setRecent(recent)
                .setAcceptanceRateBasisPoints(rate).setUpdatedAt(market.now()).build();
        market.rawInput(Topics.BUYER_STATS).pipeInput(buyerId,
                topics.buyerStats().valueSerde().serializer().serialize(Topics.BUYER_STATS, stats));
    }

    /** The buyers pinged for a fresh lead submitted now, and that lead's QUALIFIED audit detail. */
    private record Qualified(List<String> pinged, Map<String, String> detail) {
    }

    private Qualified submitNow() {
        market.pings.readValuesToList();
        market.audit.readValuesToList();
        String id = "L" + (++leads);
        market.submit(lead(id, market.now()).build());
        List<Ping> pings = market.pings.readValuesToList().stream().filter(p -> p.getLeadId().equals(id)).toList();
        Map<String, String> detail = market.audit.readValuesToList().stream()
                .filter(e -> e.getLeadId().equals(id) && e.getType() == AuditType.QUALIFIED)
                .map(AuditEvent::getDetail).findFirst().orElseThrow();
        return new Qualified(pings.isEmpty() ? List.of() : pings.get(0).getBuyers(), detail);
    }

    @Test
    void shouldNotPingAFullBuyerUntilItsFullUntilPassesWhenTheClockMoves() {
        capStatus(market, "daily-cap", market.now() + Duration.ofHours(1).toMillis());

        Qualified first = submitNow();
        assertThat(first.pinged()).containsExactly("open");
        assertThat(first.detail()).containsEntry("capped", "daily-cap").containsEntry("eligibleBuyers", "1");

        market.advance(Duration.ofMinutes(59));
        assertThat(submitNow().pinged()).containsExactly("open");

        market.advance(Duration.ofMinutes(1)); // fullUntil reached: open again
        Qualified later = submitNow();
        assertThat(later.pinged()).containsExactly("daily-cap", "open");
        assertThat(later.detail()).doesNotContainKey("capped");
    }

    @Test
    void shouldPingTheBuyerAgainWhenTheCapKeeperReopensIt() {
        capStatus(market, "daily-cap", Long.MAX_VALUE);
        market.advance(Duration.ofDays(30));
        assertThat(submitNow().pinged()).containsExactly("open");

        capStatus(market, "daily-cap", 0);
        assertThat(submitNow().pinged()).containsExactly("daily-cap", "open");
    }

    @Test
    void shouldStillPingEveryBuyerWhenStatsAreKnown() {
        buyerStats(market, "open", "R".repeat(30), 0);

        assertThat(submitNow().pinged()).containsExactly("daily-cap", "open");
    }
}
