package io.leadmkt.streams.auction;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.streams.MarketHarness;
import io.leadmkt.streams.outcome.Outcomes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka-native buyers: pinged like webhook buyers, their self-written answers validated by the auction. */
class KafkaBuyerAuctionTest {
    private static final int DEADLINE_MS = 500;
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(1_000, DEADLINE_MS).build());
        market.buyer(buyer("alpha").build());
        // No URLs: a Kafka-native buyer needs none.
        market.buyer(buyer("kbuyer").setDelivery(Delivery.KAFKA).setPingUrl(null).setPostUrl(null).build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private Ping submit(String leadId) {
        return market.submitAndPing(leadId);
    }

    @Test
    void shouldPingActiveKafkaBuyerWithoutUrls() {
        assertThat(submit("L1").getBuyers()).containsExactly("alpha", "kbuyer");
    }

    @Test
    void shouldApplyTheSameFiltersToKafkaBuyers() {
        market.buyer(buyer("kinactive").setDelivery(Delivery.KAFKA).setPingUrl(null).setPostUrl(null)
                .setActive(false).build());
        market.buyer(buyer("kother").setDelivery(Delivery.KAFKA).setPingUrl(null).setPostUrl(null)
                .setVerticals(List.of("mortgage")).build());

        assertThat(submit("L1").getBuyers()).containsExactly("alpha", "kbuyer");
    }

    @Test
    void shouldPostToKafkaBuyerWhenItsInTimeBidWins() {
        submit("L1");
        market.bid("L1", "alpha", 1_200);
        market.bid("L1", "kbuyer", 2_500);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("kbuyer");
        assertThat(post.getPriceCents()).isEqualTo(2_500);
        assertThat(post.getPingToken()).isEqualTo("tok-kbuyer");

        market.postResult(post, PostStatus.ACCEPTED);
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(outcome.getBuyerId()).isEqualTo("kbuyer");
        assertThat(outcome.getPriceCents()).isEqualTo(2_500);
    }

    @Test
    void shouldNeverLetANegativePriceWin() {
        submit("L1");
        market.bid("L1", "alpha", 1_200);
        market.bid("L1", "kbuyer", -5_000);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("alpha");
        assertThat(badPriceAnswers()).singleElement().satisfies(a -> {
            assertThat(a.getBuyerId()).isEqualTo("kbuyer");
            assertThat(a.getStatus()).isEqualTo("ERROR");
        });
    }

    @Test
    void shouldNeverLetAnAbsurdPriceWin() {
        submit("L1");
        market.bid("L1", "alpha", 1_200);
        market.bid("L1", "kbuyer", io.leadmkt.schema.Money.MAX_BID_CENTS + 1);

        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");
        assertThat(answers()).filteredOn(a -> "kbuyer".equals(a.getBuyerId()))
                .singleElement().satisfies(a -> assertThat(a.getReason()).isEqualTo("PRICE_TOO_HIGH"));
    }

    @Test
    void shouldTreatAPricelessBidAsAnErrorAndEndUnsoldWhenItIsTheOnlyAnswer() {
        submit("L1");
        market.answer("L1", "alpha", BidStatus.PASS, null);
        market.answer("L1", "kbuyer", BidStatus.BID, null);

        assertThat(market.posts.isEmpty()).isTrue();
        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.NO_BIDS);
        assertThat(badPriceAnswers()).hasSize(1);
    }

    @Test
    void shouldIgnoreAnAnswerForALeadTheBuyerWasNotPingedOn() {
        market.buyer(buyer("kbuyer").setDelivery(Delivery.KAFKA).setPingUrl(null).setPostUrl(null)
                .setStates(List.of("CA")).build());
        Ping ping = submit("L1");
        assertThat(ping.getBuyers()).containsExactly("alpha");

        market.bid("L1", "kbuyer", 9_000);
        assertThat(market.audit.readValuesToList())
                .filteredOn(e -> e.getType() == AuditType.LATE_EVENT)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getBuyerId()).isEqualTo("kbuyer");
                    assertThat(e.getDetail()).containsEntry("reason", "NOT_PINGED");
                });

        market.bid("L1", "alpha", 1_200);
        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("alpha");
    }

    @Test
    void shouldCountAKafkaBuyersAnswerWhenItsPingBecameReadableLate() {
        submit("L1");
        // The connector copied the ping to buyer.kbuyer.pings 2 s late; the buyer answered at once.
        market.advance(Duration.ofSeconds(2));
        market.bid("L1", "kbuyer", 9_000);
        market.answer("L1", "alpha", io.leadmkt.schema.BidStatus.PASS, null);

        assertThat(market.posts.readValue().getBuyerId()).isEqualTo("kbuyer");
    }

    @Test
    void shouldIgnoreAnAnswerForAnUnknownLeadAndALateOne() {
        market.bid("nope", "kbuyer", 9_000);
        submit("L1");
        market.advance(Duration.ofMillis(DEADLINE_MS + io.leadmkt.streams.MarketHarness.BACKSTOP_MS + 20));
        market.bid("L1", "kbuyer", 9_000);

        assertThat(market.posts.isEmpty()).isTrue();
        assertThat(market.audit.readValuesToList())
                .filteredOn(e -> e.getType() == AuditType.LATE_EVENT)
                .extracting(e -> e.getDetail().get("reason"))
                .containsExactly("UNKNOWN_AUCTION", "AUCTION_CLOSED");
    }

    @Test
    void shouldCountABroadcastAnswerForItsOwnAuctionAndIgnoreOthersSilentlyWhenTheRelayForgotThePartition() {
        submit("L1");
        // The relay restarted: the same answers reach every partition, marked; only L1's auction knows L1.
        market.broadcastBid("elsewhere", "kbuyer", 9_000);
        market.broadcastBid("L1", "kbuyer", 9_000);
        market.answer("L1", "alpha", BidStatus.PASS, null);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("kbuyer");
        assertThat(market.audit.readValuesToList()).noneMatch(e -> e.getType() == AuditType.LATE_EVENT);
    }

    @Test
    void shouldNameItsOwnPartitionOnEveryRequestWhenItPingsAndPosts() {
        Ping ping = submit("L1");
        market.bid("L1", "kbuyer", 9_000);
        market.answer("L1", "alpha", BidStatus.PASS, null);
        Post post = market.posts.readValue();

        // The test driver runs every task on partition 0: the answers come back there.
        assertThat(ping.getAuctionPartition()).isZero();
        assertThat(post.getAuctionPartition()).isZero();
    }

    /** The answers the round's AUCTION_CLOSED audit record lists. */
    private List<AuditAnswer> answers() {
        return market.audit.readValuesToList().stream()
                .filter(e -> e.getType() == AuditType.AUCTION_CLOSED)
                .flatMap(e -> e.getAnswers().stream())
                .toList();
    }

    private List<AuditAnswer> badPriceAnswers() {
        return answers().stream().filter(a -> AuctionMachine.BAD_PRICE.equals(a.getReason())).toList();
    }
}
