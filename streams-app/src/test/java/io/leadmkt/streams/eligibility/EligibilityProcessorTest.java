package io.leadmkt.streams.eligibility;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerCap;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.QualifiedLead;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.SourceAdjustment;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.WaterfallOrder;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.MockStores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The eligibility processor alone over in-memory config tables, its wall clock set by the test:
 * what it puts on the qualified lead (terms, routing, rounds) and whom caps.status keeps out.
 */
class EligibilityProcessorTest {
    private static final long NOW = Instant.parse("2026-11-25T15:00:00Z").toEpochMilli();

    private MockProcessorContext<String, Object> context;
    private TimestampedKeyValueStore<String, BuyerConfig> buyers;
    private TimestampedKeyValueStore<String, CampaignConfig> campaigns;
    private TimestampedKeyValueStore<String, BuyerCapStatus> caps;
    private TimestampedKeyValueStore<String, BuyerStats> stats;
    private EligibilityProcessor processor;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        buyers = MockStores.timestamped(context, ConfigTables.BUYERS_STORE, BuyerConfig.class);
        campaigns = MockStores.timestamped(context, ConfigTables.CAMPAIGNS_STORE, CampaignConfig.class);
        MockStores.timestamped(context, ConfigTables.SUPPRESSION_STORE, SuppressionEntry.class);
        caps = MockStores.timestamped(context, ConfigTables.CAP_STATUS_STORE, BuyerCapStatus.class);
        stats = MockStores.timestamped(context, ConfigTables.BUYER_STATS_STORE, BuyerStats.class);
        processor = new EligibilityProcessor();
        processor.init(context);
        context.setCurrentSystemTimeMs(NOW);
    }

    private void putCampaign(CampaignConfig campaign) {
        ConfigTables.apply(campaigns, campaign.getCampaignId(), campaign, 0); // as the global thread does
    }

    private void putBuyer(BuyerConfig buyer) {
        ConfigTables.apply(buyers, buyer.getBuyerId(), buyer, 0);
    }

    private void full(String buyerId, long until) {
        caps.put(buyerId, ValueAndTimestamp.make(BuyerCapStatus.newBuilder().setBuyerId(buyerId).setFullUntil(until)
                .setReason("DAY maxLeads").setUpdatedAt(0).build(), 0));
    }

    private static Lead lead(String id) {
        return MarketFixtures.lead(id, NOW).setEnrichment(Enrichment.newBuilder().setIdentityHash("h-" + id)
                .setReceivedAt(NOW).setLeadAgeMs(0).setScore(50).build()).build();
    }

    private QualifiedLead qualify(String leadId) {
        context.resetForwards();
        processor.process(new Record<>("h-" + leadId, lead(leadId), NOW));
        return context.forwarded().stream().map(f -> f.record().value())
                .filter(QualifiedLead.class::isInstance).map(QualifiedLead.class::cast).findFirst().orElseThrow();
    }

    private AuditEvent qualifiedAudit() {
        return context.forwarded().stream().map(f -> f.record().value())
                .filter(AuditEvent.class::isInstance).map(AuditEvent.class::cast)
                .filter(e -> e.getType() == AuditType.QUALIFIED).findFirst().orElseThrow();
    }

    @Test
    void shouldFillEveryEligibleBuyersTermsWhenTheLeadQualifies() {
        putCampaign(campaign(1_000, 500).build());
        putBuyer(buyer("fixed").setFixedPriceCents(2_000L).setFixedPriceByStateCents(Map.of("TX", 2_750L))
                .setCaps(List.of(BuyerCap.newBuilder().setPeriod(CapPeriod.DAY).setMaxLeads(5).build())).build());
        putBuyer(buyer("scored").setMarginPercentBasisPoints(500).setMarginFixedCents(25L).setSourceAdjustments(List.of(
                SourceAdjustment.newBuilder().setSourceId("seller-1").setMultiplierBasisPoints(9_000).setPenaltyCents(10)
                        .build(),
                SourceAdjustment.newBuilder().setSourceId("seller-1").setSubId("sub-7").setMultiplierBasisPoints(8_000)
                        .setPenaltyCents(40).build())).build());
        putBuyer(buyer("other-vertical").setVerticals(List.of("solar")).build());
        stats.put("scored", ValueAndTimestamp.make(BuyerStats.newBuilder().setBuyerId("scored")
                .setRecent("A".repeat(15) + "R".repeat(5)).setAcceptanceRateBasisPoints(7_500).setUpdatedAt(0).build(), 0));
        stats.put("fixed", ValueAndTimestamp.make(BuyerStats.newBuilder().setBuyerId("fixed")
                .setRecent("AAAR").setAcceptanceRateBasisPoints(7_500).setUpdatedAt(0).build(), 0));

        QualifiedLead qualified = qualify("L1");

        assertThat(qualified.getBuyers()).containsExactly("fixed", "scored");
        assertThat(qualified.getBuyerTerms()).containsOnlyKeys("fixed", "scored");
        BuyerTerms fixed = qualified.getBuyerTerms().get("fixed");
        assertThat(fixed.getFixedPriceCents()).isEqualTo(2_750L);
        assertThat(fixed.getCapped()).isTrue();
        assertThat(fixed.getAcceptanceRateBasisPoints()).isNull(); // 4 results: too few
        BuyerTerms scored = qualified.getBuyerTerms().get("scored");
        assertThat(scored.getFixedPriceCents()).isNull();
        assertThat(scored.getMultiplierBasisPoints()).isEqualTo(8_000);
        assertThat(scored.getPenaltyCents()).isEqualTo(40);
        assertThat(scored.getMarginPercentBasisPoints()).isEqualTo(500);
        assertThat(scored.getMarginFixedCents()).isEqualTo(25L);
        assertThat(scored.getAcceptanceRateBasisPoints()).isEqualTo(7_500);
        assertThat(scored.getCapped()).isFalse();
        assertThat(qualified.getRouting()).isEqualTo(RoutingMode.PARALLEL);
        assertThat(qualified.getRounds()).containsExactly(List.of("fixed", "scored"));
        assertThat(qualified.getAcceptanceDiscount()).isFalse();
    }

    @Test
    void shouldCopyRoutingAndBuildWaterfallRoundsWhenTheCampaignWaterfalls() {
        putCampaign(campaign(1_000, 500).setRouting(RoutingMode.WATERFALL).setWaterfallOrder(WaterfallOrder.PRICE)
                .setBuyerPriorities(Map.of("c", 1)).setAcceptanceDiscount(true).build());
        putBuyer(buyer("a").setPriority(10).build());
        putBuyer(buyer("b").setFixedPriceByStateCents(Map.of("TX", 1_200L)).build());
        putBuyer(buyer("c").setPriority(50).build());

        QualifiedLead qualified = qualify("L1");

        assertThat(qualified.getRouting()).isEqualTo(RoutingMode.WATERFALL);
        assertThat(qualified.getAcceptanceDiscount()).isTrue();
        assertThat(qualified.getBuyers()).containsExactly("a", "b", "c");
        assertThat(qualified.getRounds()).containsExactly(List.of("b"), List.of("c"), List.of("a"));
        assertThat(qualifiedAudit().getDetail()).containsEntry("routing", "WATERFALL").containsEntry("rounds", "3");
    }

    @Test
    void shouldBuildTierRoundsWhenTheCampaignRoutesByTiers() {
        putCampaign(campaign(1_000, 500).setRouting(RoutingMode.TIERS).build());
        putBuyer(buyer("a").setPriority(2).build());
        putBuyer(buyer("b").setPriority(1).build());
        putBuyer(buyer("c").setPriority(2).build());

        assertThat(qualify("L1").getRounds()).containsExactly(List.of("b"), List.of("a", "c"));
    }

    @Test
    void shouldLeaveOutAndAuditACappedBuyerWhenItIsFullUntilAfterNow() {
        putCampaign(campaign(1_000, 500).setRouting(RoutingMode.TIERS).build());
        putBuyer(buyer("open").build());
        putBuyer(buyer("full").setPriority(1).build());
        putBuyer(buyer("topped-up").build());
        full("full", NOW + 60_000);
        full("topped-up", 0);

        QualifiedLead qualified = qualify("L1");

        assertThat(qualified.getBuyers()).containsExactly("open", "topped-up");
        assertThat(qualified.getBuyerTerms()).doesNotContainKey("full");
        assertThat(qualified.getRounds()).containsExactly(List.of("open", "topped-up"));
        assertThat(qualifiedAudit().getDetail()).containsEntry("capped", "full").containsEntry("eligibleBuyers", "2");
    }

    @Test
    void shouldIncludeTheBuyerAgainWhenTheWallClockReachesFullUntil() {
        putCampaign(campaign(1_000, 500).build());
        putBuyer(buyer("a").build());
        full("a", NOW + 60_000);

        context.setCurrentSystemTimeMs(NOW + 59_999);
        assertThat(qualify("L1").getBuyers()).isEmpty();
        assertThat(qualifiedAudit().getDetail()).containsEntry("capped", "a");

        context.setCurrentSystemTimeMs(NOW + 60_000);
        assertThat(qualify("L2").getBuyers()).containsExactly("a");
        assertThat(qualifiedAudit().getDetail()).doesNotContainKey("capped");
    }

    @Test
    void shouldKeepTheBuyerOutWhenItIsFullUntilToppedUp() {
        putCampaign(campaign(1_000, 500).build());
        putBuyer(buyer("a").setPrepaidCents(10_000L).build());
        full("a", Long.MAX_VALUE);

        context.setCurrentSystemTimeMs(NOW + 365L * 24 * 3_600_000);
        QualifiedLead qualified = qualify("L1");

        assertThat(qualified.getBuyers()).isEmpty();
        assertThat(qualified.getRounds()).isEmpty();
    }
}
