package io.leadmkt.streams.whatif;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.WhatIfAuction;
import io.leadmkt.schema.WhatIfOffer;
import io.leadmkt.streams.MarketHarness;
import io.leadmkt.streams.whatif.FloorWhatIf.AcceptRates;
import io.leadmkt.streams.whatif.FloorWhatIf.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the topology records for the what-if, lead by lead, and that replaying it gives back the outcomes. */
class WhatIfTopologyTest {
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(500, 1_000).setMarginPercentBasisPoints(1_000).build());
        market.buyer(buyer("alpha").setPriority(1).build());
        market.buyer(buyer("bravo").setPriority(2).setMarginPercentBasisPoints(2_000).build());
        market.buyer(buyer("charlie").setPriority(3).build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    @Test
    void shouldRecordEveryAnswerAndPostResultOnceWhenALeadEnds() {
        // alpha bids highest and rejects; bravo takes it; charlie bids least and is never posted
        soldToBravoAfterAlpha(PostStatus.REJECTED, null, BidStatus.BID, 800L);
        // nobody bids on the second lead
        market.submit(lead("L2", market.now()).build());
        market.onlyPing();
        market.answer("L2", "alpha", BidStatus.PASS, null);
        market.answer("L2", "bravo", BidStatus.TIMEOUT, null);
        market.answer("L2", "charlie", BidStatus.PASS, null);

        List<WhatIfAuction> recorded = recorded();

        assertThat(recorded).extracting(a -> a.getOutcome().getLeadId()).containsExactly("L1", "L2");
        WhatIfAuction first = recorded.get(0);
        assertThat(first.getOutcome().getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(first.getFloorCents()).isEqualTo(500);
        assertThat(first.getMarginPercentBasisPoints()).isEqualTo(1_000);
        assertThat(first.getOffers()).extracting(WhatIfOffer::getBuyerId, WhatIfOffer::getStatus,
                        WhatIfOffer::getPriceCents, WhatIfOffer::getPost, WhatIfOffer::getPriority)
                .containsExactlyInAnyOrder(
                        tuple("alpha", "BID", 3_000L, "REJECTED", 1),
                        tuple("bravo", "BID", 2_000L, "ACCEPTED", 2),
                        tuple("charlie", "BID", 800L, "NOT_TRIED", 3));
        assertThat(first.getOffers()).filteredOn(o -> o.getBuyerId().equals("bravo"))
                .extracting(WhatIfOffer::getMarginPercentBasisPoints).containsExactly(2_000);

        // bounded: about 150 bytes plus 40 per buyer offered (the README's and the retention setting's figure)
        byte[] stored = market.topics().serde(WhatIfAuction.class).serializer().serialize("whatif", first);
        assertThat(stored.length).as("bytes of a 3-buyer record").isLessThanOrEqualTo(150 + 40 * 3);

        // replayed as recorded, the records give back exactly what the outcomes say
        FloorWhatIf.Result replayed = FloorWhatIf.replay(recorded, Policy.auction(null), AcceptRates.observed(recorded));
        FloorWhatIf.Result outcomes = FloorWhatIf.recorded(recorded);
        assertThat(replayed.revenue()).isEqualTo(outcomes.revenue()).isEqualTo(2_000);
        assertThat(replayed.payout()).isEqualTo(outcomes.payout()).isEqualTo(1_600); // bravo's own 20 % margin
        assertThat(replayed.sold()).isEqualByComparingTo(outcomes.sold());
    }

    @Test
    void shouldRecordAPostOurSideNeverDeliveredAsNotTriedWhenTheNextBestBought() {
        soldToBravoAfterAlpha(PostStatus.TIMEOUT, PostReasons.DEADLINE_PASSED, BidStatus.PASS, null);

        List<WhatIfAuction> recorded = recorded();

        assertThat(recorded.get(0).getOffers()).extracting(WhatIfOffer::getBuyerId, WhatIfOffer::getPost)
                .containsExactlyInAnyOrder(tuple("alpha", "NOT_TRIED"), tuple("bravo", "ACCEPTED"),
                        tuple("charlie", "NOT_TRIED"));
        assertThat(AcceptRates.observed(recorded).posts()).as("only the post a buyer answered").isEqualTo(1);
    }

    @Test
    void shouldForgetALeadsRecordWhenItIsOlderThanTheRetention() {
        market.submit(lead("L1", market.now()).build());
        market.onlyPing();
        market.answer("L1", "alpha", BidStatus.PASS, null);
        market.answer("L1", "bravo", BidStatus.PASS, null);
        market.answer("L1", "charlie", BidStatus.PASS, null);
        assertThat(recorded()).hasSize(1);

        market.advance(Duration.ofDays(7).plusMinutes(11));

        assertThat(recorded()).isEmpty();
    }

    /**
     * L1 offered to all three: alpha bids $30.00 and its post ends {@code alphasPost} ({@code reason}), and
     * so does the second post our side gives it when it never sent the first; bravo bids $20.00 and takes
     * it, charlie answers as given.
     */
    private void soldToBravoAfterAlpha(PostStatus alphasPost, String reason, BidStatus charlie, Long charlieCents) {
        market.submit(lead("L1", market.now()).build());
        market.onlyPing();
        market.answer("L1", "alpha", BidStatus.BID, 3_000L);
        market.answer("L1", "bravo", BidStatus.BID, 2_000L);
        market.answer("L1", "charlie", charlie, charlieCents);
        market.postResult(market.posts.readValue(), alphasPost, reason);
        if (PostReasons.neverSent(alphasPost, reason)) {
            Post again = market.posts.readValue();
            assertThat(again.getBuyerId()).isEqualTo("alpha");
            market.postResult(again, alphasPost, reason);
        }
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
    }

    private List<WhatIfAuction> recorded() {
        List<WhatIfAuction> recorded = new ArrayList<>();
        KeyValueStore<String, WhatIfAuction> store = market.store(WhatIfRecorder.STORE);
        try (KeyValueIterator<String, WhatIfAuction> all = store.all()) {
            all.forEachRemaining(kv -> recorded.add(kv.value));
        }
        return recorded;
    }
}
