package io.leadmkt.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.streams.access.Caller;
import io.leadmkt.streams.access.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuctionViewTest {

    /** A seller of sources S1 and S2, and buyer B1. */
    private static final Caller SELLER = new Caller("k1", Role.SELLER, Set.of("S1", "S2"), null);
    private static final Caller BUYER = new Caller("k2", Role.BUYER, Set.of(), "B1");

    /** Sold to B2 at $15.00 from source S1: B1 bid $12.00, B2 $15.00, B3 passed, B4 never answered. */
    private static final RecentAuction SOLD_TO_OTHER = auction("L1", "S1", "B2", 1_500L,
            answer("B1", "BID", 1_200L, 40), answer("B2", "BID", 1_500L, 55), answer("B3", "PASS", null, 20),
            answer("B4", "TIMEOUT", null, null));
    /** Sold to B1 at $9.00 from source S9. */
    private static final RecentAuction SOLD_TO_B1 = auction("L2", "S9", "B1", 900L,
            answer("B2", "BID", 800L, 30), answer("B1", "BID", 900L, 35));
    /** From source S2, B1 not pinged. */
    private static final RecentAuction WITHOUT_B1 = auction("L3", "S2", null, null, answer("B3", "PASS", null, 25));

    private static RecentAuction auction(String leadId, String sourceId, String winner, Long priceCents,
                                         RecentAuction.Answer... answers) {
        return new RecentAuction(leadId, winner == null ? "UNSOLD" : "SOLD", winner == null ? "NO_BIDS" : null, winner,
                priceCents, "camp-auto", sourceId, "TX", 1_000, 1_300, answers.length,
                (int) List.of(answers).stream().filter(RecentAuction.Answer::isBid).count(), 1, List.of(answers));
    }

    private static RecentAuction.Answer answer(String buyerId, String status, Long priceCents, Integer latencyMs) {
        return new RecentAuction.Answer(buyerId, status, priceCents, latencyMs);
    }

    private static List<RecentAuction> all() {
        return List.of(SOLD_TO_OTHER, SOLD_TO_B1, WITHOUT_B1);
    }

    @Test
    void shouldShowEveryAuctionWholeWhenAnAnalystOrAnAdminLooks() {
        for (Role role : List.of(Role.ANALYST, Role.ADMIN)) {
            assertThat(new AuctionView(new Caller("k", role, Set.of(), null)).of(all())).as(role.path())
                    .containsExactlyElementsOf(all());
        }
    }

    @Test
    void shouldShowASellerOnlyItsOwnSourcesAuctionsWhenItLooks() {
        assertThat(new AuctionView(SELLER).of(all())).extracting(RecentAuction::leadId).containsExactly("L1", "L3");
    }

    @Test
    void shouldShowASellerItsLeadsPriceBuyerAndBidsButNotWhoBidWhatWhenItLooks() {
        RecentAuction seen = new AuctionView(SELLER).of(SOLD_TO_OTHER).orElseThrow();

        assertThat(seen.status()).isEqualTo("SOLD");
        assertThat(seen.priceCents()).isEqualTo(1_500L);
        assertThat(seen.buyerId()).as("the buyer it sold to").isEqualTo("B2");
        assertThat(seen.buyersPinged()).isEqualTo(4);
        assertThat(seen.bidsReceived()).isEqualTo(2);
        assertThat(seen.answers()).containsExactly(answer(null, "BID", 1_200L, 40), answer(null, "BID", 1_500L, 55),
                answer(null, "PASS", null, 20), answer(null, "TIMEOUT", null, null));
    }

    @Test
    void shouldShowABuyerOnlyTheAuctionsItWasPingedInWhenItLooks() {
        assertThat(new AuctionView(BUYER).of(all())).extracting(RecentAuction::leadId).containsExactly("L1", "L2");
        // It won without its answer being known here (the feed started after its round): still its auction.
        RecentAuction wonUnheard = auction("L4", "S1", "B1", 700L);
        assertThat(new AuctionView(BUYER).of(wonUnheard)).isPresent();
    }

    @Test
    void shouldShowABuyerItsOwnAnswerTheClearingPriceAndThatItLostButNoOtherBuyerWhenItLostTheAuction() {
        RecentAuction seen = new AuctionView(BUYER).of(SOLD_TO_OTHER).orElseThrow();

        assertThat(seen.answers()).containsExactly(answer("B1", "BID", 1_200L, 40));
        assertThat(seen.buyerId()).as("the winner is not named to a loser").isNull();
        assertThat(seen.priceCents()).as("the clearing price").isEqualTo(1_500L);
        assertThat(seen.buyersPinged()).isNull();
        assertThat(seen.bidsReceived()).isNull();
        assertThat(seen.postAttempts()).isNull();
        assertThat(seen.sourceId()).as("as its ping told it").isEqualTo("S1");
        assertThat(seen.toString()).doesNotContain("B2", "B3", "B4");
    }

    @Test
    void shouldNameTheBuyerToItselfWhenItWonTheAuction() {
        RecentAuction seen = new AuctionView(BUYER).of(SOLD_TO_B1).orElseThrow();

        assertThat(seen.buyerId()).isEqualTo("B1");
        assertThat(seen.priceCents()).isEqualTo(900L);
        assertThat(seen.answers()).containsExactly(answer("B1", "BID", 900L, 35));
        assertThat(seen.toString()).doesNotContain("B2");
    }

    @Test
    void shouldShowNothingWhenThePrivacyRoleLooks() {
        assertThat(new AuctionView(new Caller("k", Role.PRIVACY, Set.of(), null)).of(all())).isEmpty();
    }

    @Test
    void shouldFigureOnlyWhatTheViewShowsWhenABuyerOrASellerLooks() {
        LiveFigures buyer = LiveFigures.of(new AuctionView(BUYER).of(all()));
        assertThat(buyer.auctions()).isEqualTo(2);
        assertThat(buyer.bids().cents().count()).as("its own two bids").isEqualTo(2);
        assertThat(buyer.bids().cents().p99()).contains(1_200L);
        assertThat(buyer.buyers()).containsOnlyKeys("B1");

        LiveFigures seller = LiveFigures.of(new AuctionView(SELLER).of(all()));
        assertThat(seller.auctions()).isEqualTo(2);
        assertThat(seller.bids().cents().count()).as("the bids its leads drew").isEqualTo(2);
        assertThat(seller.buyers()).as("no buyer named").isEmpty();
    }
}
