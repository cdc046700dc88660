package io.leadmkt.streams.auction;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.MarketHarness;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Prefer buyers who accept": alpha bids $10.00 on every lead and rejects every post, bravo bids
 * $8.00 and accepts. The post results flow through the buyer-stats processor into buyers.stats,
 * and from there into the next leads' ranking — all inside the topology.
 */
class AcceptanceRankingTopologyTest {
    private MarketHarness market;
    private TestOutputTopic<String, BuyerStats> stats;
    private int leads;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.buyer(buyer("alpha").build());
        market.buyer(buyer("bravo").build());
        stats = market.outputTopic(Topics.BUYER_STATS, market.topics().buyerStats());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    /** One lead: both bid, every post is answered as the buyer does; returns whom it was posted to first. */
    private String sellOne() {
        String leadId = "L" + (++leads);
        market.submitAndPing(leadId);
        market.bid(leadId, "alpha", 1_000);
        market.bid(leadId, "bravo", 800);
        Post first = market.posts.readValue();
        if (first.getBuyerId().equals("alpha")) {
            market.postResult(first, PostStatus.REJECTED);
            market.postResult(market.posts.readValue(), PostStatus.ACCEPTED); // bravo takes it
        } else {
            market.postResult(first, PostStatus.ACCEPTED);
        }
        return first.getBuyerId();
    }

    @Test
    void shouldPostABetterAccepterFirstOnceTheRejectingBidderHasAHistoryWhenTheCampaignDiscounts() {
        market.campaign(campaign(100, 500).setAcceptanceDiscount(true).build());
        for (int i = 0; i < 20; i++) {
            assertThat(sellOne()).as("lead %d: too little history to judge alpha", i + 1).isEqualTo("alpha");
        }
        BuyerStats alpha = stats.readValuesToList().stream().filter(s -> s.getBuyerId().equals("alpha"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(alpha.getRecent()).isEqualTo("R".repeat(20));
        assertThat(alpha.getAcceptanceRateBasisPoints()).isZero();

        assertThat(sellOne()).as("alpha's $10.00 at 0 %% acceptance ranks under bravo's $8.00").isEqualTo("bravo");
    }

    @Test
    void shouldKeepRankingByBidWhenTheCampaignDoesNotDiscount() {
        market.campaign(campaign(100, 500).build());
        for (int i = 0; i < 21; i++) {
            assertThat(sellOne()).isEqualTo("alpha");
        }
    }
}
