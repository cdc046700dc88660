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
        try (RealMarket market = RealMarket.start(buyers(), List.of(CAMPAIGN));
             LeadMarketApp app = LeadMarketApp.start(market.appConfig("late-posts"))) {
            List<String> ids = postWhileTheConnectorIsAway(market, app, CAMPAIGN, Duration.ofMillis(BUDGET_MS + 3_000));
            Set<String> idSet = Set.copyOf(ids);
            SimulatedBuyer good = market.farm().byId().get("good");
            SimulatedBuyer cheap = market.farm().byId().get("cheap");
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

    /**
     * The connector is away past the posts' {@code sendBy} (the auction's backstop after they were written):
     * when it comes back it does not send them, and says so. Their buyers won and never saw the leads, so
     * each goes to the best bidder once more, not to the next-best.
     */
    @Test
    void shouldPostToTheBestBidderAgainWhenTheConnectorCameBackPastThePostsSendBy() throws Exception {
        CampaignConfig campaign = RealMarket.campaign("camp-late-posts-again", "seller-late-posts", 1_000, BUDGET_MS);
        // Long enough for its result, so that the connector's word, not the auction's own marker, ends the first post.
        campaign.setPostTimeoutMs(POST_TIMEOUT_AFTER_SEND_BY_MS);
        try (RealMarket market = RealMarket.start(buyers(), List.of(campaign));
             LeadMarketApp app = LeadMarketApp.start(market.appConfig("late-posts-again")
                     .withAuctionBackstopMs(SHORT_BACKSTOP_MS))) {
            List<String> ids = postWhileTheConnectorIsAway(market, app, campaign,
                    Duration.ofMillis(SHORT_BACKSTOP_MS + 1_500));
            market.awaitEveryLeadEnded(ids);

            Set<String> idSet = Set.copyOf(ids);
            assertThat(market.committedOutcomes().stream().filter(o -> idSet.contains(o.getLeadId())).toList())
                    .hasSize(LEADS).allSatisfy(outcome -> {
                        assertThat(outcome.getStatus()).as(() -> outcome + ", its timeline "
                                + market.timeline(outcome.getLeadId())).isEqualTo(OutcomeStatus.SOLD);
                        assertThat(outcome.getBuyerId()).isEqualTo("good");
                        assertThat(outcome.getPriceCents()).isEqualTo(2_000L);
                        assertThat(outcome.getPostAttempts()).as("the unsent post, then the one sent").isEqualTo(2);
                    });
            assertThat(leadIdsOf(market.farm().byId().get("good").posts(), idSet)).as("one post reached it per lead")
                    .hasSize(LEADS).doesNotHaveDuplicates();
            assertThat(leadIdsOf(market.farm().byId().get("cheap").posts(), idSet)).isEmpty();
        }
    }

    private static final long SHORT_BACKSTOP_MS = 2_000;
    private static final int POST_TIMEOUT_AFTER_SEND_BY_MS = 20_000;

    /** Good bids $20.00, cheap $12.00, both answering in about a second. */
    private static List<BuyerSpec> buyers() {
        return List.of(
                BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000).withLatency(ANSWER_MS, ANSWER_MS + 100))
                        .withTimeouts(BUDGET_MS, BUDGET_MS),
                BuyerSpec.of("cheap", BuyerBehaviour.alwaysBids(1_200).withLatency(ANSWER_MS, ANSWER_MS + 100))
                        .withTimeouts(BUDGET_MS, BUDGET_MS));
    }

    /**
     * Sends the leads and lets both buyers bid; while they think the auctions stop reading, and their bids
     * wait on the topic. Then the connector goes away, the auctions read on and post with nobody there to
     * send the posts, and the connector stays away {@code away} after the last post was written, then
     * comes back. Returns the leads' ids.
     */
    private static List<String> postWhileTheConnectorIsAway(RealMarket market, LeadMarketApp app,
                                                            CampaignConfig campaign, Duration away) throws Exception {
        LeadGenerator generator = new LeadGenerator(market.producer(), RealMarket.TOPICS,
                new LeadGenerator.Options(1, 0, 78, List.of(campaign)));
        List<String> ids = IntStream.range(0, LEADS)
                .mapToObj(i -> generator.send(LeadGenerator.Kind.VALID).leadId()).toList();
        market.producer().flush();
        Set<String> idSet = Set.copyOf(ids);
        SimulatedBuyer good = market.farm().byId().get("good");
        SimulatedBuyer cheap = market.farm().byId().get("cheap");
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> leadIdsOf(good.pings(), idSet).size() == LEADS
                && leadIdsOf(cheap.pings(), idSet).size() == LEADS);
        app.streams().pause();
        Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> answered(market, idSet).size() == LEADS);
        market.stopConnector();
        app.streams().resume();
        Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> posted(market, idSet).size() == LEADS);
        Awaitility.await().pollDelay(away).atMost(away.plusSeconds(5)).until(() -> true);
        assertThat(leadIdsOf(good.posts(), idSet)).as("posts while the connector was gone").isEmpty();
        market.startConnector();
        return ids;
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
