package io.leadmkt.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Topics;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** Auctions run where the lead was deduplicated, and every answer finds its way back there. */
class AnswerRoutingTest {

    @Test
    void shouldAuctionInTheIntakeAndDedupeTaskWithoutARepartitionWhenTheTopologyIsBuilt() {
        StreamsAppConfig config = StreamsAppConfig.defaults("unused:9092", java.nio.file.Path.of("unused"));
        TopologyDescription description = LeadMarketTopology.build(config, Topics.embedded()).describe();
        TopologyDescription.Subtopology auction = subtopologyWith(description, "auction");

        // A lead already on its identity's partition goes from intake to its auction without a topic between.
        assertThat(auction.nodes()).extracting(TopologyDescription.Node::name)
                .contains("intake", "identity-route", "dedupe", "key-vault", "eligibility", "auction");
        assertThat(auction.nodes()).filteredOn(n -> n instanceof TopologyDescription.Source)
                .flatExtracting(n -> ((TopologyDescription.Source) n).topicSet())
                .containsExactlyInAnyOrder(Topics.LEADS_INBOUND,
                        LeadMarketTopology.leadsByIdentityTopic(config.applicationId()), Topics.PRIVACY_KEY_ERASURES,
                        Topics.BIDS, Topics.POST_RESULTS, Topics.CAP_DECISIONS);
        assertThat(description.toString()).doesNotContain("leads-qualified");
    }

    @Test
    void shouldWriteAnAnswerToItsAuctionsPartitionWhenItNamesOne() {
        PostResult marker = PostResult.newBuilder().setLeadId("L1").setBuyerId("b").setAttempt(1)
                .setStatus(PostStatus.TIMEOUT).setRespondedAt(1L).setAuctionPartition(2).build();
        CapDecision decision = CapDecision.newBuilder().setLeadId("L1").setBuyerId("b").setAttempt(1).setGranted(true)
                .setDecidedAt(1L).setAuctionPartition(1).build();

        assertThat(EventRouting.answerPartition(Topics.POST_RESULTS, "L1", marker, 3)).contains(Set.of(2));
        assertThat(EventRouting.answerPartition(Topics.CAP_DECISIONS, "L1", decision, 3)).contains(Set.of(1));
    }

    @Test
    void shouldLeaveThePartitionToTheKeyWhenARecordNamesNoAuction() {
        PostResult old = PostResult.newBuilder().setLeadId("L1").setBuyerId("b").setAttempt(1)
                .setStatus(PostStatus.ACCEPTED).setRespondedAt(1L).build();

        assertThat(old.getAuctionPartition()).isEqualTo(-1);
        assertThat(EventRouting.answerPartition(Topics.POST_RESULTS, "L1", old, 3)).isEqualTo(Optional.empty());
        assertThat(EventRouting.answerPartition(Topics.OUTCOMES, "L1", new Outcome(), 3)).isEqualTo(Optional.empty());
    }

    @Test
    void shouldRefuseToGuessWhenTheNamedPartitionDoesNotExist() {
        CapDecision decision = CapDecision.newBuilder().setLeadId("L1").setBuyerId("b").setAttempt(1).setGranted(true)
                .setDecidedAt(1L).setAuctionPartition(5).build();

        assertThatThrownBy(() -> EventRouting.answerPartition(Topics.CAP_DECISIONS, "L1", decision, 3))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("partition 5");
    }

    private static TopologyDescription.Subtopology subtopologyWith(TopologyDescription description, String node) {
        return description.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(node)))
                .findFirst().orElseThrow();
    }
}
