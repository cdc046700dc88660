package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.leadIdsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.SimulatedBuyer;
import io.leadmkt.streams.LeadMarketApp;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The platform's own lag is never charged to a buyer, for posts too (DESIGN invariant 6), on a real
 * broker: the connector goes away (a restart, a deploy) after the buyers bid and before the auctions
 * post, and stays away longer than the post's budget plus the auction's grace. The winning bid waits for it:
 * when it comes back it posts the lead to the best bidder, which is not passed over for the next-best
 * nor the lead ended unsold.
 */
class LateConnectorPostsTest {
    /** Ping budget and post timeout. */
    private static final int BUDGET_MS = 3_000;
    /** The buyers answer in about a second: the auctions stop reading while they think. */
    private static final int ANSWER_MS = 1_000;
    private static final CampaignConfig CAMPAIGN = RealMarket.campaign("camp-late-posts", "seller-late-posts", 1_000,
            BUDGET_MS);
    private static final int LEADS = 10;

    @Test
    void shouldPostToTheBestBidderWhenTheConnectorIsGoneLongerThanThePostsBudgetAfterTheBids() throws Exception {
        try (RealMarket market = RealMarket.start(List.of(
                BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000).withLatency(ANSWER_MS, ANSWER_MS + 100))
                        .withTimeouts(BUDGET_MS, BUDGET_MS),
                BuyerSpec.of("cheap", BuyerBehaviour.alwaysBids(1_200).withLatency(ANSWER_MS, ANSWER_MS + 100))
                        .withTimeouts(BUDGET_MS, BUDGET_MS)),
                List.of(CAMPAIGN));
             LeadMarketApp app = LeadMarketApp.start(market.appConfig("late-posts"))) {
            LeadGenerator generator = new LeadGenerator(market.producer(), RealMarket.TOPICS,
                    new LeadGenerator.Options(1, 0, 78, List.of(CAMPAIGN)));
            List<String> ids = IntStream.range(0, LEADS)
                    .mapToObj(i -> generator.send(LeadGenerator.Kind.VALID).leadId()).toList();
            market.producer().flush();
            Set<String> idSet = Set.copyOf(ids);
            SimulatedBuyer good = market.farm().byId().get("good");
            SimulatedBuyer cheap = market.farm().byId().get("cheap");
            Awaitility.await().atMost(RealMarket.SETTLE).until(() -> leadIdsOf(good.pings(), idSet).size() == LEADS
                    && leadIdsOf(cheap.pings(), idSet).size() == LEADS);

            // While the buyers think, the auctions stop reading; their bids wait on the topic. Then the
            // connector goes away, and the auctions, reading on, post with nobody there to send the posts.
            app.streams().pause();
            Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(500))
                    .until(() -> answered(market, idSet).size() == LEADS);
            market.stopConnector();
            app.streams().resume();
            Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(500))
                    .until(() -> posted(market, idSet).size() == LEADS);
            // Gone past the post's budget and the auction's grace (3 s + 2 s) after the last post was written.
            Awaitility.await().pollDelay(Duration.ofMillis(BUDGET_MS + 3_000)).atMost(Duration.ofSeconds(10))
                    .until(() -> true);
            assertThat(leadIdsOf(good.posts(), idSet)).as("posts while the connector was gone").isEmpty();
            market.startConnector();
            market.awaitEveryLeadEnded(ids);

            List<Outcome> outcomes = market.committedOutcomes().stream().filter(o -> idSet.contains(o.getLeadId()))
                    .toList();
            assertThat(outcomes).hasSize(LEADS).allSatisfy(outcome -> {
                assertThat(outcome.getStatus()).as(() -> outcome + ", its timeline "
                        + market.timeline(outcome.getLeadId())).isEqualTo(OutcomeStatus.SOLD);
                assertThat(outcome.getBuyerId()).isEqualTo("good");
                assertThat(outcome.getPostAttempts()).as("the best bid was not passed over").isEqualTo(1);
            });
            assertThat(leadIdsOf(good.posts(), idSet)).as("one post per lead").hasSize(LEADS).doesNotHaveDuplicates();
            assertThat(leadIdsOf(cheap.posts(), idSet)).isEmpty();
        }
    }

    /** The leads whose buyers' answers the connector has written (committed). */
    private static Set<String> answered(RealMarket market, Set<String> ids) {
        return market.committed(RealMarket.TOPICS.bids()).stream().map(Bid::getLeadId).filter(ids::contains)
                .collect(Collectors.toSet());
    }

    /** The leads whose first post the auction has written (committed). */
    private static Set<String> posted(RealMarket market, Set<String> ids) {
        return market.committed(RealMarket.TOPICS.audit()).stream()
                .filter(e -> e.getType() == AuditType.POSTED && ids.contains(e.getLeadId()))
                .map(AuditEvent::getLeadId).collect(Collectors.toSet());
    }
}
