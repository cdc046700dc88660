package io.leadmkt.streams;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.admin.Suppressions;
import io.leadmkt.streams.outcome.Rejections;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A config record nobody can read must not stop the instance (a failing global table stops it
 * whole) and must fail closed: the buyer or campaign is dropped, a suppressed consumer stays so.
 */
class UndecodableConfigTopologyTest {
    private static final byte[] GARBAGE = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(100, 500).build());
        market.buyer(buyer("alpha").build());
        market.buyer(buyer("bravo").build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    @Test
    void shouldDropABuyerWhoseRecordCannotBeReadAndKeepAuctioning() {
        market.rawInput(Topics.CONFIG_BUYERS).pipeInput("alpha", GARBAGE);

        assertThat(market.submitAndPing("L1").getBuyers()).containsExactly("bravo");
        market.buyer(buyer("alpha").build()); // a good record restores it
        assertThat(market.submitAndPing("L2").getBuyers()).containsExactlyInAnyOrder("alpha", "bravo");
    }

    @Test
    void shouldRejectLeadsOfACampaignWhoseRecordCannotBeRead() {
        market.rawInput(Topics.CONFIG_CAMPAIGNS).pipeInput(MarketFixtures.CAMPAIGN, GARBAGE);

        market.submit(lead("L1", market.now()).build());
        assertThat(market.rejected.readValue().getReasonCode()).isEqualTo(Rejections.UNKNOWN_CAMPAIGN);
        assertThat(market.pings.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepAConsumerSuppressedWhenTheirEntryCannotBeRead() {
        Lead lead = lead("L1", market.now()).build();
        String hash = Suppressions.request(lead.getContact().getPhone(), null, null, market.now())
                .entries().get(0).getHash();
        market.rawInput(Topics.CONFIG_SUPPRESSION).pipeInput(hash, GARBAGE);

        market.submit(lead);
        assertThat(market.rejected.readValue().getReasonCode()).isEqualTo(Rejections.SUPPRESSED);
        assertThat(market.submitAndPing("L2").getBuyers()).as("other consumers still flow").hasSize(2);
    }
}
