package io.leadmkt.streams;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Lead;
import io.leadmkt.schema.MarketplaceMode;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Profile;
import io.leadmkt.streams.outcome.Outcomes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seller's controls end to end: floors per state and a private marketplace. */
class CampaignControlsTopologyTest {
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.buyer(buyer("alpha").build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private Lead leadIn(String leadId, String state, String zip, String city) {
        Lead.Builder b = lead(leadId, market.now());
        b.setProfile(Profile.newBuilder(b.getProfile()).setState(state).setZip(zip).setCity(city).build());
        return b.build();
    }

    @Test
    void shouldRefuseABidBelowTheStateFloorWhenTheLeadComesFromAStateWithItsOwnFloor() {
        market.campaign(campaign(1_000, 500).setStateFloorsCents(Map.of("CA", 2_000L, "NY", 1_850L)).build());

        market.submit(leadIn("L-ca", "CA", "90001", "Los Angeles"));
        Ping ping = market.onlyPing();
        assertThat(ping.getFloorCents()).isEqualTo(2_000L);
        market.bid("L-ca", "alpha", 1_900);

        Outcome outcome = market.outcomes.readValue();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.UNSOLD);
        assertThat(outcome.getReason()).isEqualTo(Outcomes.BELOW_FLOOR);
        assertThat(market.posts.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepTheCampaignFloorWhenTheLeadsStateHasNoFloorOfItsOwn() {
        market.campaign(campaign(1_000, 500).setStateFloorsCents(Map.of("CA", 2_000L, "NY", 1_850L)).build());

        market.submit(leadIn("L-tx", "TX", "75001", "Addison"));
        assertThat(market.onlyPing().getFloorCents()).isEqualTo(1_000L);
        market.bid("L-tx", "alpha", 1_900);

        Post post = market.posts.readValue();
        assertThat(post.getBuyerId()).isEqualTo("alpha");
        assertThat(post.getLeadId()).isEqualTo("L-tx");
    }

    @Test
    void shouldPingOnlyAllowedBuyersWhenTheCampaignIsPrivate() {
        market.buyer(buyer("bravo").build());
        market.buyer(buyer("charlie").build());
        market.buyer(buyer("delta").build());
        market.campaign(campaign(1_000, 500).setMarketplace(MarketplaceMode.PRIVATE)
                .setAllowedBuyers(List.of("bravo", "delta", "nobody-yet")).setBlockedBuyers(List.of("delta")).build());

        market.submit(lead("L-private", market.now()).build());

        assertThat(market.onlyPing().getBuyers()).containsExactly("bravo");
    }

    @Test
    void shouldPingEveryMatchingBuyerWhenTheCampaignIsOpenDespiteAnAllowList() {
        market.buyer(buyer("bravo").build());
        market.campaign(campaign(1_000, 500).setMarketplace(MarketplaceMode.OPEN)
                .setAllowedBuyers(List.of("bravo")).build());

        market.submit(lead("L-open", market.now()).build());

        assertThat(market.onlyPing().getBuyers()).containsExactly("alpha", "bravo");
    }
}
