package io.leadmkt.streams.auction;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.SourceAdjustment;
import io.leadmkt.schema.WaterfallOrder;
import io.leadmkt.streams.MarketHarness;
import io.leadmkt.streams.outcome.Outcomes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing modes, fixed-price buyers and vendor scoring through the whole topology. Buyers alpha,
 * bravo and charlie have priorities 1, 2 and 3 (bravo and charlie share tier 2 in the tier tests).
 */
class RoutingTopologyTest {
    private static final int DEADLINE_MS = 500;
    private static final long FLOOR = 400;
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.buyer(buyer("alpha").setPriority(1).build());
        market.buyer(buyer("bravo").setPriority(2).build());
        market.buyer(buyer("charlie").setPriority(3).build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private void routing(RoutingMode mode, WaterfallOrder order) {
        market.campaign(campaign(FLOOR, DEADLINE_MS).setRouting(mode).setWaterfallOrder(order).build());
    }

    private List<AuditEvent> audits(AuditType type) {
        return market.audit.readValuesToList().stream().filter(a -> a.getType() == type).toList();
    }

    @Test
    void shouldPingOneBuyerAtATimeAndPostTheFirstBidAboveTheFloorWhenWaterfall() {
        routing(RoutingMode.WATERFALL, WaterfallOrder.PRIORITY);
        assertThat(market.submitAndPing("L1").getBuyers()).containsExactly("alpha");
        market.answer("L1", "alpha", BidStatus.PASS, null);
        assertThat(market.onlyPing().getBuyers()).containsExactly("bravo");
        market.bid("L1", "bravo", 500);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("bravo");
        market.postResult(post, PostStatus.ACCEPTED);
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(outcome.getBuyersPinged()).as("charlie never saw the lead").isEqualTo(2);
        assertThat(market.pings.isEmpty()).isTrue();
    }

    @Test
    void shouldMoveDownTheWaterfallWhenABuyerIsSilentAndIgnoreItsLateAnswer() {
        // A seller that accepts slow decisions: the next step may still be offered after the first one's backstop.
        market.campaign(campaign(FLOOR, DEADLINE_MS).setRouting(RoutingMode.WATERFALL)
                .setWaterfallOrder(WaterfallOrder.PRIORITY).setMaxLeadAgeMs(600_000).build());
        market.submitAndPing("L1");
        // Silent: not even a TIMEOUT from the connector, so the round waits for its backstop.
        market.advance(Duration.ofMillis(DEADLINE_MS + io.leadmkt.streams.MarketHarness.BACKSTOP_MS + 20));
        Ping next = market.onlyPing();
        assertThat(next.getBuyers()).containsExactly("bravo");
        assertThat(next.getDeadlineAt()).isGreaterThan(market.now());

        market.bid("L1", "alpha", 900); // alpha's round is over
        market.bid("L1", "bravo", 450);
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("bravo");
        assertThat(audits(AuditType.LATE_EVENT)).anySatisfy(a -> {
            assertThat(a.getBuyerId()).isEqualTo("alpha");
            assertThat(a.getDetail()).containsEntry("reason", "ROUND_CLOSED");
        });
    }

    @Test
    void shouldPingTheNextBuyerWhenTheWaterfallWinnerRejectsThePost() {
        routing(RoutingMode.WATERFALL, WaterfallOrder.PRIORITY);
        market.submitAndPing("L1");
        market.bid("L1", "alpha", 900);
        market.postResult(market.posts.readValue(), PostStatus.REJECTED);
        assertThat(market.onlyPing().getBuyers()).containsExactly("bravo");
        market.answer("L1", "bravo", BidStatus.PASS, null);
        assertThat(market.onlyPing().getBuyers()).containsExactly("charlie");
        market.answer("L1", "charlie", BidStatus.PASS, null);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getPostAttempts()).isEqualTo(1);
        assertThat(audits(AuditType.ROUND_EXHAUSTED)).hasSize(2);
    }

    @Test
    void shouldRunAParallelAuctionInsideATierAndGoToTheNextTierWhenNothingClears() {
        market.buyer(buyer("charlie").setPriority(2).build());
        routing(RoutingMode.TIERS, WaterfallOrder.PRIORITY);
        assertThat(market.submitAndPing("L1").getBuyers()).containsExactly("alpha");
        market.bid("L1", "alpha", 300); // below the floor
        assertThat(market.onlyPing().getBuyers()).containsExactlyInAnyOrder("bravo", "charlie");
        market.bid("L1", "bravo", 450);
        market.bid("L1", "charlie", 700);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("charlie");
        market.postResult(post, PostStatus.REJECTED);
        Post second = market.posts.readValue();
        assertThat(second.getBuyerId()).as("next-best inside the tier").isEqualTo("bravo");
        market.postResult(second, PostStatus.ACCEPTED);
        assertThat(market.outcomes.readValue().getPriceCents()).isEqualTo(450);
    }

    @Test
    void shouldEndUnsoldBelowFloorAfterTheLastRoundWhenNoBidClears() {
        routing(RoutingMode.WATERFALL, WaterfallOrder.PRIORITY);
        market.submitAndPing("L1");
        market.bid("L1", "alpha", 100);
        market.bid("L1", "bravo", 200);
        market.bid("L1", "charlie", 300);
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getReason()).isEqualTo(Outcomes.BELOW_FLOOR);
        assertThat(outcome.getBuyersPinged()).isEqualTo(3);
    }

    @Test
    void shouldPostAFixedPriceBuyerWithoutPingingItWhenItLeadsAPriceWaterfall() {
        market.buyer(buyer("dave").setPriority(9).setFixedPriceCents(2_000L).setPingUrl(null) // never pinged
                .setFixedPriceByStateCents(Map.of("TX", 3_000L)).build());
        routing(RoutingMode.WATERFALL, WaterfallOrder.PRICE);
        market.submit(lead("L1", market.now()).build()); // a Texas lead

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("dave");
        assertThat(post.getPriceCents()).as("dave's Texas price").isEqualTo(3_000);
        assertThat(market.pings.isEmpty()).as("a fixed-price buyer is not pinged").isTrue();

        market.postResult(post, PostStatus.REJECTED);
        assertThat(market.onlyPing().getBuyers()).containsExactly("alpha");
    }

    @Test
    void shouldLetAFixedPriceBuyerCompeteWithBiddersInAParallelAuction() {
        market.buyer(buyer("dave").setFixedPriceCents(650L).build());
        routing(RoutingMode.PARALLEL, WaterfallOrder.PRIORITY);
        assertThat(market.submitAndPing("L1").getBuyers()).containsExactlyInAnyOrder("alpha", "bravo", "charlie");
        market.bid("L1", "alpha", 600);
        market.bid("L1", "bravo", 700);
        market.answer("L1", "charlie", BidStatus.PASS, null);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("bravo");
        market.postResult(post, PostStatus.REJECTED);
        Post second = market.posts.readValue();
        assertThat(second.getBuyerId()).isEqualTo("dave");
        assertThat(second.getPriceCents()).isEqualTo(650);
    }

    @Test
    void shouldRankAndChargeTheAdjustedBidWhenTheBuyerScoresTheLeadsSource() {
        // alpha values seller-1's sub-id sub-7 at 50 % less $1.00: its $10.00 bid is worth $4.00.
        market.buyer(buyer("alpha").setSourceAdjustments(List.of(SourceAdjustment.newBuilder()
                .setSourceId("seller-1").setSubId("sub-7").setMultiplierBasisPoints(5_000).setPenaltyCents(100)
                .build())).build());
        routing(RoutingMode.PARALLEL, WaterfallOrder.PRIORITY);
        market.submitAndPing("L1");
        market.bid("L1", "alpha", 1_000);
        market.bid("L1", "bravo", 450);
        market.answer("L1", "charlie", BidStatus.PASS, null);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("bravo");
        assertThat(audits(AuditType.AUCTION_CLOSED)).singleElement().satisfies(closed ->
                assertThat(closed.getAnswers()).filteredOn(a -> a.getBuyerId().equals("alpha")).singleElement()
                        .satisfies(a -> {
                            assertThat(a.getPriceCents()).isEqualTo(400);
                            assertThat(a.getRawPriceCents()).isEqualTo(1_000);
                        }));
        assertThat(market.<io.leadmkt.schema.AuctionState>store(AuctionProcessor.AUCTIONS_STORE).get("L1")
                .getRawBidCents()).as("kept only until the round's audit record").isEmpty();
    }
}
