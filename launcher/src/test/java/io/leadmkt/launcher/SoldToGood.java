package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.leadIdsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.SimulatedBuyer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fault tests' buyers, whose fixed prices decide every auction in advance: "picky" bids $30 and
 * rejects every post, "good" bids $20 and accepts, "cheap" bids $12. So every valid lead must end
 * SOLD to "good" at $20.00 exactly once, "picky" and "good" must each receive exactly one post per
 * lead, and "cheap" none, whatever crashed on the way.
 */
final class SoldToGood {

    private SoldToGood() {
    }

    static List<BuyerSpec> buyers() {
        return List.of(
                BuyerSpec.of("picky", BuyerBehaviour.alwaysBids(3_000).withMode(BuyerBehaviour.Mode.REJECTS_POSTS)),
                BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000)),
                BuyerSpec.of("cheap", BuyerBehaviour.alwaysBids(1_200)));
    }

    /**
     * Asserts that each of {@code leadIds} has exactly one committed outcome, SOLD to "good" at $20.00,
     * none was rejected, and the buyers saw one ping per lead and the posts the prices call for. Call it
     * once every streams instance has committed and stopped, so the outcomes topic is final.
     */
    static void assertEveryLeadEndedOnceSoldToGood(RealMarket market, List<String> leadIds) {
        Set<String> ids = Set.copyOf(leadIds);
        assertThat(ids).as("lead ids are unique").hasSameSizeAs(leadIds);
        assertThat(market.tracker().rejections().keySet()).as("rejected valid leads").doesNotContainAnyElementsOf(ids);
        List<Outcome> outcomes = market.committedOutcomes().stream().filter(o -> ids.contains(o.getLeadId())).toList();
        assertThat(outcomes).extracting(Outcome::getLeadId).as("outcome records per lead")
                .doesNotHaveDuplicates().hasSize(ids.size());
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).as("%s", outcome).isEqualTo(OutcomeStatus.SOLD);
            assertThat(outcome.getBuyerId()).as("%s", outcome).isEqualTo("good");
            assertThat(outcome.getPriceCents()).as("%s", outcome).isEqualTo(2_000L);
        });

        Map<String, SimulatedBuyer> buyers = market.farm().byId();
        for (SimulatedBuyer buyer : buyers.values()) {
            assertThat(leadIdsOf(buyer.posts(), ids)).as("posts to %s per lead", buyer.buyerId()).doesNotHaveDuplicates();
            assertThat(leadIdsOf(buyer.pings(), ids)).as("pings to %s per lead", buyer.buyerId()).doesNotHaveDuplicates();
        }
        assertThat(leadIdsOf(buyers.get("picky").posts(), ids)).as("posts to picky").hasSize(ids.size());
        assertThat(leadIdsOf(buyers.get("good").posts(), ids)).as("posts to good").hasSize(ids.size());
        assertThat(leadIdsOf(buyers.get("cheap").posts(), ids)).as("posts to cheap").isEmpty();
        assertThat(buyers.get("good").acceptedLeadIds()).containsAll(ids);
    }
}
