package io.leadmkt.streams.eligibility;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.WaterfallOrder;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.eligibility.PingRounds.Candidate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PingRoundsTest {

    private static final List<Candidate> BUYERS = List.of(
            new Candidate("delta", 20, null),
            new Candidate("alpha", 10, null),
            new Candidate("charlie", 10, 1_500L),
            new Candidate("bravo", 30, 2_500L),
            new Candidate("echo", 20, 1_500L));

    @Test
    void shouldPutEveryBuyerInOneRoundWhenRoutingIsParallel() {
        assertThat(PingRounds.rounds(RoutingMode.PARALLEL, WaterfallOrder.PRIORITY, BUYERS))
                .containsExactly(List.of("alpha", "bravo", "charlie", "delta", "echo"));
    }

    @Test
    void shouldOfferOneBuyerPerRoundLowestPriorityFirstWhenWaterfallByPriority() {
        assertThat(PingRounds.rounds(RoutingMode.WATERFALL, WaterfallOrder.PRIORITY, BUYERS)).containsExactly(
                List.of("alpha"), List.of("charlie"), List.of("delta"), List.of("echo"), List.of("bravo"));
    }

    @Test
    void shouldOfferFixedPriceBuyersByPriceThenTheRestByPriorityWhenWaterfallByPrice() {
        // bravo 25.00; charlie and echo 15.00 (charlie's priority 10 first); then alpha (10), delta (20).
        assertThat(PingRounds.rounds(RoutingMode.WATERFALL, WaterfallOrder.PRICE, BUYERS)).containsExactly(
                List.of("bravo"), List.of("charlie"), List.of("echo"), List.of("alpha"), List.of("delta"));
    }

    @Test
    void shouldGroupBuyersByPriorityLowestFirstWhenRoutingIsTiers() {
        assertThat(PingRounds.rounds(RoutingMode.TIERS, WaterfallOrder.PRIORITY, BUYERS)).containsExactly(
                List.of("alpha", "charlie"), List.of("delta", "echo"), List.of("bravo"));
    }

    @Test
    void shouldBuildNoRoundsWhenNoBuyerIsEligible() {
        for (RoutingMode mode : RoutingMode.values()) {
            assertThat(PingRounds.rounds(mode, WaterfallOrder.PRICE, List.of())).isEmpty();
        }
    }

    @Test
    void shouldUseTheCampaignsPriorityWhenItOverridesTheBuyers() {
        BuyerConfig a = buyer("a").setPriority(5).build();
        BuyerConfig b = buyer("b").setPriority(50).build();
        BuyerConfig c = buyer("c").build(); // default 100
        CampaignConfig waterfall = campaign(0, 500).setRouting(RoutingMode.WATERFALL)
                .setWaterfallOrder(WaterfallOrder.PRIORITY).setBuyerPriorities(Map.of("c", 1, "a", 60)).build();

        assertThat(PingRounds.effectivePriority(waterfall, a)).isEqualTo(60);
        assertThat(PingRounds.effectivePriority(waterfall, b)).isEqualTo(50);
        assertThat(PingRounds.rounds(waterfall, List.of(a, b, c), Map.of()))
                .containsExactly(List.of("c"), List.of("b"), List.of("a"));
    }

    @Test
    void shouldReadFixedPricesFromTheResolvedTermsWhenWaterfallByPrice() {
        BuyerConfig stateOnly = buyer("state-only").setFixedPriceByStateCents(Map.of("TX", 3_000L)).build();
        BuyerConfig general = buyer("general").setFixedPriceCents(2_000L).setFixedPriceByStateCents(Map.of("CA", 9_000L))
                .build();
        BuyerConfig bidder = buyer("bidder").setPriority(1).build();
        List<BuyerConfig> eligible = List.of(bidder, general, stateOnly);
        Map<String, BuyerTerms> terms = new HashMap<>();
        eligible.forEach(b -> terms.put(b.getBuyerId(),
                BuyerTermsResolver.resolve(b, MarketFixtures.lead("L1", 0).build(), null)));
        CampaignConfig byPrice = campaign(0, 500).setRouting(RoutingMode.WATERFALL)
                .setWaterfallOrder(WaterfallOrder.PRICE).build();

        // A TX lead: the state price 30.00, the general 20.00 (CA's 90.00 does not apply), then the bidder.
        assertThat(PingRounds.rounds(byPrice, eligible, terms))
                .containsExactly(List.of("state-only"), List.of("general"), List.of("bidder"));
    }

    @Test
    void shouldOrderTiersByTheCampaignsPrioritiesWhenRoutingIsTiers() {
        BuyerConfig a = buyer("a").setPriority(1).build();
        BuyerConfig b = buyer("b").setPriority(2).build();
        BuyerConfig c = buyer("c").setPriority(2).build();
        CampaignConfig tiers = campaign(0, 500).setRouting(RoutingMode.TIERS).setBuyerPriorities(Map.of("a", 2, "c", 3))
                .build();

        assertThat(PingRounds.rounds(tiers, List.of(a, b, c), Map.of()))
                .containsExactly(List.of("a", "b"), List.of("c"));
    }
}
