package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.outcome.Outcomes;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The auction's timers live in memory, derived from the auction store: an instance that takes over
 * a crashed one's auctions rebuilds them from the restored store, so an auction that was open at
 * the crash still ends at its backstop (DESIGN invariant 1: every lead ends) — here with nobody to
 * answer, since the connector is down, so it ends STALE rather than waiting forever.
 */
class OpenAuctionTakeoverTest {
    private static final int DEADLINE_MS = 500;
    private static final long BACKSTOP_MS = 2_000;
    private static final CampaignConfig CAMPAIGN = RealMarket.campaign("camp-open", "seller-open", 1_000, DEADLINE_MS);
    private static final int LEADS = 10;

    private static RealMarket market;
    private static LeadMarketApp first;
    private static LeadMarketApp second;

    @BeforeAll
    static void startMarketplace() throws Exception {
        market = RealMarket.start(List.of(BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000))), List.of(CAMPAIGN));
        first = LeadMarketApp.start(market.appConfig("first").withAuctionBackstopMs(BACKSTOP_MS));
    }

    @AfterAll
    static void stopMarketplace() {
        closeAll(second, first, market);
    }

    @Test
    void shouldEndAuctionsOpenAtACrashWhenAnotherInstanceTakesThemOver() throws Exception {
        market.stopConnector(); // nobody answers: the auctions stay open until their backstop
        LeadGenerator generator = new LeadGenerator(market.producer(), RealMarket.TOPICS,
                new LeadGenerator.Options(1, 0, 91, List.of(CAMPAIGN)));
        List<String> ids = IntStream.range(0, LEADS).mapToObj(i -> generator.send(LeadGenerator.Kind.VALID).leadId())
                .toList();
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> pinged(ids).size() == LEADS);

        market.crash(first);
        second = LeadMarketApp.start(market.appConfig("second").withAuctionBackstopMs(BACKSTOP_MS));
        market.awaitEveryLeadEnded(ids);

        List<Outcome> outcomes = market.committedOutcomes().stream().filter(o -> ids.contains(o.getLeadId())).toList();
        assertThat(outcomes).hasSize(LEADS).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).as("%s", outcome).isEqualTo(OutcomeStatus.UNSOLD);
            assertThat(outcome.getReason()).as("never offered: our failure, not a buyer's pass")
                    .isEqualTo(Outcomes.STALE);
        });
    }

    private static Set<String> pinged(List<String> ids) {
        return market.committed(RealMarket.TOPICS.pings()).stream().map(Ping::getLeadId).filter(ids::contains)
                .collect(Collectors.toSet());
    }
}
