package io.leadmkt.streams.auction;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.PricingMode;
import io.leadmkt.streams.MarketHarness;
import io.leadmkt.streams.outcome.Outcomes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Margins, seller floors, second price and preferred buyers through the whole topology. */
class PricingAuctionTest {
    private static final int DEADLINE_MS = 500;
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        for (String id : List.of("alpha", "bravo", "charlie")) {
            market.buyer(buyer(id).build());
        }
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private void open(CampaignConfig campaign, String leadId) {
        market.campaign(campaign);
        market.submit(lead(leadId, market.now()).build());
        market.onlyPing();
    }

    @Test
    void shouldEndBelowFloorWhenMarginTakesPayoutUnderFloor() {
        // Floor $10.00 for the seller, 15 % margin: $11.00 pays the seller $9.35, $11.77 pays $10.01.
        open(campaign(1_000, DEADLINE_MS).setMarginPercentBasisPoints(1_500).build(), "L1");
        market.bid("L1", "alpha", 1_100);
        market.bid("L1", "bravo", 1_150);
        market.answer("L1", "charlie", io.leadmkt.schema.BidStatus.PASS, null);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.BELOW_FLOOR);
        assertThat(outcome.getSellerPayoutCents()).isNull();
        assertThat(market.posts.isEmpty()).isTrue();
    }

    @Test
    void shouldSplitPriceIntoPayoutAndFeeWhenSoldWithMargin() {
        open(campaign(1_000, DEADLINE_MS).setMarginPercentBasisPoints(1_500).setMarginFixedCents(25).build(), "L1");
        market.bid("L1", "alpha", 1_100); // payout 1100 - 165 - 25 = 910: below the floor
        market.bid("L1", "bravo", 1_333); // payout 1333 - 199 - 25 = 1109
        market.answer("L1", "charlie", io.leadmkt.schema.BidStatus.PASS, null);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("bravo");
        assertThat(post.getPriceCents()).isEqualTo(1_333);
        market.postResult(post, PostStatus.ACCEPTED);
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(outcome.getPriceCents()).isEqualTo(1_333);
        assertThat(outcome.getPlatformFeeCents()).isEqualTo(224);
        assertThat(outcome.getSellerPayoutCents()).isEqualTo(1_109);
        assertThat(outcome.getSellerPayoutCents() + outcome.getPlatformFeeCents()).isEqualTo(outcome.getPriceCents());
    }

    @Test
    void shouldRankByNetBidAndSplitUnderTheWinnersOwnMarginWhenABuyerHasOne() {
        // alpha pays the platform 30 %: its $10.00 nets the seller $7.00; bravo's $8.00 at the campaign's
        // 10 % nets $7.20 and wins, though lower.
        market.buyer(buyer("alpha").setMarginPercentBasisPoints(3_000).build());
        open(campaign(500, DEADLINE_MS).setMarginPercentBasisPoints(1_000).build(), "L1");
        market.bid("L1", "alpha", 1_000);
        market.bid("L1", "bravo", 800);
        market.answer("L1", "charlie", io.leadmkt.schema.BidStatus.PASS, null);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("bravo");
        market.postResult(post, PostStatus.REJECTED);
        Post second = market.posts.readValue();
        assertThat(second.getBuyerId()).isEqualTo("alpha");
        market.postResult(second, PostStatus.ACCEPTED);
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getPriceCents()).isEqualTo(1_000);
        assertThat(outcome.getPlatformFeeCents()).as("alpha's own 30 %").isEqualTo(300);
        assertThat(outcome.getSellerPayoutCents()).isEqualTo(700);
    }

    @Test
    void shouldChargeNextBidPlusIncrementWhenSecondPrice() {
        open(campaign(1_000, DEADLINE_MS).setPricing(PricingMode.SECOND_PRICE).setSecondPriceIncrementCents(5).build(),
                "L1");
        market.bid("L1", "alpha", 3_000);
        market.bid("L1", "bravo", 2_000);
        market.bid("L1", "charlie", 1_200);

        Post first = market.posts.readValue();
        assertThat(first.getBuyerId()).isEqualTo("alpha");
        assertThat(first.getPriceCents()).as("next bid plus increment").isEqualTo(2_005);

        // alpha rejects: bravo is posted, and pays charlie's bid plus the increment.
        market.postResult(first, PostStatus.REJECTED);
        Post second = market.posts.readValue();
        assertThat(second.getBuyerId()).isEqualTo("bravo");
        assertThat(second.getPriceCents()).isEqualTo(1_205);
        market.postResult(second, PostStatus.ACCEPTED);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getBuyerId()).isEqualTo("bravo");
        assertThat(outcome.getPriceCents()).isEqualTo(1_205);
        assertThat(outcome.getSellerPayoutCents()).isEqualTo(1_205);
        assertThat(outcome.getPlatformFeeCents()).isZero();
    }

    @Test
    void shouldChargeFloorPriceWhenSecondPriceHasNoNextBid() {
        // 10 % margin, floor $10.00 for the seller: the lowest price paying $10.00 is $11.11 ($11.10 pays $9.99).
        open(campaign(1_000, DEADLINE_MS).setPricing(PricingMode.SECOND_PRICE).setMarginPercentBasisPoints(1_000)
                .build(), "L1");
        market.bid("L1", "alpha", 5_000);
        market.bid("L1", "bravo", 1_050); // payout 945: below the floor, does not set the price
        market.answer("L1", "charlie", io.leadmkt.schema.BidStatus.PASS, null);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("alpha");
        assertThat(post.getPriceCents()).isEqualTo(1_111);
        market.postResult(post, PostStatus.ACCEPTED);
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getSellerPayoutCents()).isEqualTo(1_000);
        assertThat(outcome.getPlatformFeeCents()).isEqualTo(111);
    }

    @Test
    void shouldGivePriceTieToPreferredBuyer() {
        open(campaign(1_000, DEADLINE_MS).setPreferredBuyers(List.of("charlie")).build(), "L1");
        market.bid("L1", "alpha", 2_000);
        market.bid("L1", "bravo", 2_000);
        market.bid("L1", "charlie", 2_000); // answered last, wins on preference

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("charlie");
        assertThat(post.getPriceCents()).isEqualTo(2_000);
    }

    @Test
    void shouldStillGiveHigherBidToUnpreferredBuyer() {
        open(campaign(1_000, DEADLINE_MS).setPreferredBuyers(List.of("charlie")).build(), "L1");
        market.bid("L1", "alpha", 2_001);
        market.bid("L1", "bravo", 1_500);
        market.bid("L1", "charlie", 2_000);

        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");
    }
}
