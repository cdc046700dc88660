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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform's own lag is never charged to a buyer (DESIGN invariant 6), on a real broker: pings
 * written while the connector is down wait on their topic, the connector calls the buyers when it
 * comes back — seconds after the round's 1 s budget — and every in-time answer counts.
 */
class LateConnectorTest {
    private static final int DEADLINE_MS = 1_000;
    private static final CampaignConfig CAMPAIGN = RealMarket.campaign("camp-late", "seller-late", 1_000, DEADLINE_MS);
    private static final int LEADS = 20;

    private static RealMarket market;
    private static LeadMarketApp app;

    @BeforeAll
    static void startMarketplace() throws Exception {
        market = RealMarket.start(List.of(
                BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000)),
                BuyerSpec.of("cheap", BuyerBehaviour.alwaysBids(1_200))), List.of(CAMPAIGN));
        app = LeadMarketApp.start(market.appConfig("late"));
    }

    @AfterAll
    static void stopMarketplace() {
        closeAll(app, market);
    }

    @Test
    void shouldSellEveryLeadWhenTheConnectorCallsTheBuyersSecondsAfterThePingsWereWritten() {
        market.stopConnector();
        LeadGenerator generator = new LeadGenerator(market.producer(), RealMarket.TOPICS,
                new LeadGenerator.Options(1, 0, 77, List.of(CAMPAIGN)));
        List<String> ids = IntStream.range(0, LEADS).mapToObj(i -> generator.send(LeadGenerator.Kind.VALID).leadId())
                .toList();
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> pinged(ids).size() == LEADS);

        // 2.5 s after the last ping was written (two and a half budgets), the connector comes back.
        Awaitility.await().pollDelay(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(3)).until(() -> true);
        market.startConnector();
        market.awaitEveryLeadEnded(ids);

        List<Outcome> outcomes = market.committedOutcomes().stream().filter(o -> ids.contains(o.getLeadId())).toList();
        assertThat(outcomes).hasSize(LEADS).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).as("%s", outcome).isEqualTo(OutcomeStatus.SOLD);
            assertThat(outcome.getBuyerId()).isEqualTo("good");
            assertThat(outcome.getBidsReceived()).as("both buyers' answers counted").isEqualTo(2);
        });
    }

    private static Set<String> pinged(List<String> ids) {
        return market.committed(RealMarket.TOPICS.pings()).stream().map(Ping::getLeadId).filter(ids::contains)
                .collect(Collectors.toSet());
    }
}
