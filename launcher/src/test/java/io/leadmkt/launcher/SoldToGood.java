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
import java.util.TreeMap;
import java.util.stream.Collectors;

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
        Map<String, Outcome> outcomes = assertEveryLeadEndedOnce(market, leadIds, Set.of());
        Set<String> ids = outcomes.keySet();
        Map<String, SimulatedBuyer> buyers = market.farm().byId();
        assertThat(leadIdsOf(buyers.get("picky").posts(), ids)).as("posts to picky").hasSize(ids.size());
        assertThat(buyers.get("good").acceptedLeadIds()).containsAll(ids);
    }

    /**
     * As {@link #assertEveryLeadEndedOnceSoldToGood}, except that a lead may also end UNSOLD with one of
     * {@code shedReasons}: the platform's own, defined outcome when it fell too far behind to offer the
     * lead in time (a 2-core machine shared with other builds can starve a cluster of three brokers).
     * A shed lead is never posted to "good". Returns how many leads ended each way ("SOLD", "UNSOLD STALE").
     */
    static Map<String, Long> assertEveryLeadEndedOnceSoldToGoodOrShed(RealMarket market, List<String> leadIds,
                                                                      Set<String> shedReasons) {
        return assertEveryLeadEndedOnce(market, leadIds, shedReasons).values().stream().collect(
                Collectors.groupingBy(o -> o.getReason() == null ? o.getStatus().name() : o.getStatus() + " " + o.getReason(),
                        TreeMap::new, Collectors.counting()));
    }

    /**
     * Exactly one committed outcome per lead, SOLD to "good" at $20.00 or UNSOLD with one of
     * {@code shedReasons}; no lead rejected; no buyer pinged or posted the same lead twice; "good" posted
     * exactly the leads sold, "cheap" none. Returns each lead's outcome.
     */
    private static Map<String, Outcome> assertEveryLeadEndedOnce(RealMarket market, List<String> leadIds,
                                                                 Set<String> shedReasons) {
        Set<String> ids = Set.copyOf(leadIds);
        assertThat(ids).as("lead ids are unique").hasSameSizeAs(leadIds);
        assertThat(market.tracker().rejections().keySet()).as("rejected valid leads").doesNotContainAnyElementsOf(ids);
        List<Outcome> outcomes = market.committedOutcomes().stream().filter(o -> ids.contains(o.getLeadId())).toList();
        assertThat(outcomes).extracting(Outcome::getLeadId).as("outcome records per lead")
                .doesNotHaveDuplicates().hasSize(ids.size());
        assertThat(outcomes).allSatisfy(outcome -> {
            if (outcome.getStatus() == OutcomeStatus.UNSOLD && shedReasons.contains(outcome.getReason())) {
                return;
            }
            assertThat(outcome.getStatus()).as("%s", outcome).isEqualTo(OutcomeStatus.SOLD);
            assertThat(outcome.getBuyerId()).as("%s", outcome).isEqualTo("good");
            assertThat(outcome.getPriceCents()).as("%s", outcome).isEqualTo(2_000L);
        });
        List<String> sold = outcomes.stream().filter(o -> o.getStatus() == OutcomeStatus.SOLD).map(Outcome::getLeadId).toList();

        Map<String, SimulatedBuyer> buyers = market.farm().byId();
        for (SimulatedBuyer buyer : buyers.values()) {
            assertThat(leadIdsOf(buyer.posts(), ids)).as("posts to %s per lead", buyer.buyerId()).doesNotHaveDuplicates();
            assertThat(leadIdsOf(buyer.pings(), ids)).as("pings to %s per lead", buyer.buyerId()).doesNotHaveDuplicates();
        }
        assertThat(leadIdsOf(buyers.get("good").posts(), ids)).as("leads posted to good")
                .containsExactlyInAnyOrderElementsOf(sold);
        assertThat(leadIdsOf(buyers.get("cheap").posts(), ids)).as("posts to cheap").isEmpty();
        return outcomes.stream().collect(Collectors.toMap(Outcome::getLeadId, o -> o));
    }
}
