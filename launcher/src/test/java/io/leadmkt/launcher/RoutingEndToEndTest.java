package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.TOPICS;
import static io.leadmkt.launcher.RealMarket.closeAll;
import static io.leadmkt.launcher.RealMarket.leadIdsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadGenerator.Kind;
import io.leadmkt.streams.LeadMarketApp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routing modes end to end: the real streams app and connector on a real broker, HTTP buyers.
 * "first" (priority 10) bids $20.00 and rejects every post, "second" (priority 20) bids $15.00 and
 * accepts, "third" (priority 30) bids $30.00 and accepts. The same three buyers, three campaigns:
 * <ul>
 *   <li>waterfall: first is pinged alone and posted, rejects; then second alone, sold at $15.00;
 *       third, the best bidder, never hears of the lead;</li>
 *   <li>tiers, with second moved into first's tier for this campaign: first and second are pinged
 *       together, first wins and rejects, second is sold; third is never pinged;</li>
 *   <li>parallel: all three at once, third wins at $30.00.</li>
 * </ul>
 */
class RoutingEndToEndTest {
    private static final int LEADS_PER_CAMPAIGN = 40;
    private static final int DEADLINE_MS = 5_000;
    private static final List<CampaignConfig> CAMPAIGNS = List.of(
            campaign("camp-waterfall", RoutingMode.WATERFALL, Map.of()),
            campaign("camp-tiers", RoutingMode.TIERS, Map.of("second", 10)),
            campaign("camp-parallel", RoutingMode.PARALLEL, Map.of()));
    private static RealMarket market;
    private static LeadMarketApp app;

    @BeforeAll
    static void start() throws Exception {
        List<BuyerSpec> buyers = List.of(
                BuyerSpec.of("first", BuyerBehaviour.alwaysBids(2_000).withMode(BuyerBehaviour.Mode.REJECTS_POSTS)),
                BuyerSpec.of("second", BuyerBehaviour.alwaysBids(1_500)),
                BuyerSpec.of("third", BuyerBehaviour.alwaysBids(3_000)));
        market = RealMarket.start(buyers, CAMPAIGNS, RoutingEndToEndTest::prioritised);
        app = LeadMarketApp.start(market.appConfig("routing"));
    }

    @AfterAll
    static void stop() {
        closeAll(app, market);
    }

    private static CampaignConfig campaign(String id, RoutingMode mode, Map<String, Integer> priorities) {
        CampaignConfig campaign = RealMarket.campaign(id, "seller-" + id, 500, DEADLINE_MS);
        campaign.setRouting(mode);
        campaign.setBuyerPriorities(priorities);
        return campaign;
    }

    private static void prioritised(BuyerConfig buyer) {
        buyer.setPriority(switch (buyer.getBuyerId()) {
            case "first" -> 10;
            case "second" -> 20;
            default -> 30;
        });
    }

    /** Sends the campaign's leads, waits for every outcome and returns them by lead id. */
    private static Map<String, Outcome> run(String campaignId, long seed) {
        CampaignConfig campaign = CAMPAIGNS.stream().filter(c -> c.getCampaignId().equals(campaignId)).findFirst()
                .orElseThrow();
        LeadGenerator generator = new LeadGenerator(market.producer(), TOPICS,
                new LeadGenerator.Options(1, 0, seed, List.of(campaign)));
        List<String> ids = IntStream.range(0, LEADS_PER_CAMPAIGN).mapToObj(i -> generator.send(Kind.VALID).leadId())
                .toList();
        market.producer().flush();
        market.awaitEveryLeadEnded(ids);
        Set<String> wanted = Set.copyOf(ids);
        Map<String, Outcome> outcomes = market.committedOutcomes().stream()
                .filter(o -> wanted.contains(o.getLeadId()))
                .collect(Collectors.toMap(Outcome::getLeadId, o -> o)); // a second outcome would throw here
        assertThat(outcomes).as("one outcome per lead").hasSize(LEADS_PER_CAMPAIGN);
        return outcomes;
    }

    private static Map<String, List<AuditEvent>> pingedAudits(Set<String> ids) {
        return market.committed(TOPICS.audit()).stream()
                .filter(e -> e.getType() == AuditType.PINGED && ids.contains(e.getLeadId()))
                .collect(Collectors.groupingBy(AuditEvent::getLeadId));
    }

    private static List<String> pingedLeads(String buyerId, Set<String> ids) {
        return leadIdsOf(market.farm().byId().get(buyerId).pings(), ids);
    }

    private static List<String> postedLeads(String buyerId, Set<String> ids) {
        return leadIdsOf(market.farm().byId().get(buyerId).posts(), ids);
    }

    @Test
    void shouldOfferTheLeadToOneBuyerAtATimeAndSellToTheFirstThatAcceptsWhenWaterfall() {
        Map<String, Outcome> outcomes = run("camp-waterfall", 11);
        Set<String> ids = outcomes.keySet();

        assertThat(outcomes.values()).allSatisfy(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SOLD);
            assertThat(o.getBuyerId()).isEqualTo("second");
            assertThat(o.getPriceCents()).isEqualTo(1_500L);
            assertThat(o.getBuyersPinged()).isEqualTo(2);
        });
        assertThat(pingedAudits(ids).values()).allSatisfy(pings -> assertThat(pings)
                .extracting(p -> p.getDetail().get("buyers")).containsExactly("first", "second"));
        assertThat(pingedLeads("first", ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(postedLeads("first", ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pingedLeads("second", ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pingedLeads("third", ids)).as("below second in the waterfall").isEmpty();
    }

    @Test
    void shouldRunAnAuctionInsideTheFirstTierAndNeverReachTheNextWhenTiers() {
        Map<String, Outcome> outcomes = run("camp-tiers", 12);
        Set<String> ids = outcomes.keySet();

        assertThat(outcomes.values()).allSatisfy(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SOLD);
            assertThat(o.getBuyerId()).isEqualTo("second");
            assertThat(o.getPriceCents()).isEqualTo(1_500L);
            assertThat(o.getPostAttempts()).as("first, then second inside the tier").isEqualTo(2);
        });
        assertThat(pingedAudits(ids).values()).allSatisfy(pings -> assertThat(pings)
                .extracting(p -> p.getDetail().get("buyers")).containsExactly("first,second"));
        assertThat(postedLeads("first", ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pingedLeads("third", ids)).as("in the second tier").isEmpty();
    }

    @Test
    void shouldSellToTheBestBidWhenParallel() {
        Map<String, Outcome> outcomes = run("camp-parallel", 13);
        Set<String> ids = outcomes.keySet();

        assertThat(outcomes.values()).allSatisfy(o -> {
            assertThat(o.getBuyerId()).isEqualTo("third");
            assertThat(o.getPriceCents()).isEqualTo(3_000L);
        });
        assertThat(pingedLeads("first", ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(postedLeads("first", ids)).as("outbid by third").isEmpty();
    }
}
