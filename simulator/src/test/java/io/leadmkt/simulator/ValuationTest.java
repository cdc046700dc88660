package io.leadmkt.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValuationTest {

    /** Values every lead at exactly its base: no tastes, no weight on answers or score, no noise. */
    private static Valuation flat(long autoCents, double reserve) {
        return new Valuation(Map.of(SampleData.AUTO_INSURANCE, autoCents), 0, 0, 0, 0, 0, reserve, 1);
    }

    private static Map<String, Object> ping(String leadId, String vertical, String state, Map<String, String> answers) {
        Map<String, Object> ping = new HashMap<>();
        ping.put("leadId", leadId);
        ping.put("vertical", vertical);
        ping.put("state", state);
        ping.put("sourceId", "aff-101");
        ping.put("score", 96);
        ping.put("attributes", answers);
        return ping;
    }

    private static Map<String, Object> autoPing(String leadId) {
        return ping(leadId, SampleData.AUTO_INSURANCE, "TX", Map.of("currently_insured", "true"));
    }

    @Test
    void shouldBidItsBaseWhenNothingMovesTheValue() {
        assertThat(flat(2_000, 0.5).quote(autoPing("L-1"), 1.0)).hasValue(2_000);
    }

    @Test
    void shouldPassWhenItDoesNotBuyTheVertical() {
        assertThat(flat(2_000, 0.5).quote(ping("L-1", SampleData.SOLAR, "TX", Map.of()), 1.0)).isEmpty();
    }

    @Test
    void shouldPassWhenTheLeadIsWorthLessThanItsReserve() {
        Valuation choosy = new Valuation(Map.of(SampleData.SOLAR, 5_000L), 0, 0, 1, 0, 0, 0.5, 1);
        Map<String, String> renterInTheShade = Map.of("homeowner", "false", "monthly_electric_bill", "300",
                "roof_shade", "heavy");
        Map<String, String> sunnyOwner = Map.of("homeowner", "true", "monthly_electric_bill", "300",
                "roof_shade", "none");

        assertThat(choosy.quote(ping("L-1", SampleData.SOLAR, "CA", renterInTheShade), 1.0)).isEmpty();
        // 5000 × (1.0 × (0.5 + 300 / 300) × 1.15) = 8625
        assertThat(choosy.quote(ping("L-1", SampleData.SOLAR, "CA", sunnyOwner), 1.0)).hasValue(8_625);
    }

    @Test
    void shouldQuoteTheSameWhenTheSameLeadIsPingedAgain() {
        Valuation valuation = BuyerFarm.marketSpecs(8, 42).get(0).behaviour().valuation();

        for (int i = 0; i < 50; i++) {
            OptionalLong first = valuation.quote(autoPing("L-" + i), 0.9);
            assertThat(valuation.quote(autoPing("L-" + i), 0.9)).isEqualTo(first);
        }
    }

    @Test
    void shouldKeepEachTasteWithinItsSpreadAndTheSameWhenAskedAgain() {
        Valuation valuation = new Valuation(Map.of(), 0.3, 0, 0, 0, 0, 0, 7);

        for (String state : SampleData.STATES) {
            double taste = valuation.taste("state:" + state, 0.3);
            assertThat(taste).isBetween(0.7, 1.3).isEqualTo(valuation.taste("state:" + state, 0.3));
        }
        Valuation otherBuyer = new Valuation(Map.of(), 0.3, 0, 0, 0, 0, 0, 8);
        assertThat(valuation.taste("state:TX", 0.3)).isNotEqualTo(otherBuyer.taste("state:TX", 0.3));
    }

    @Test
    void shouldValueBetterAnswersHigherWhenTheVerticalIsTheSame() {
        assertThat(Valuation.appeal(SampleData.AUTO_INSURANCE,
                Map.of("currently_insured", "true", "vehicle_year", "2024", "drivers", "3")))
                .isGreaterThan(Valuation.appeal(SampleData.AUTO_INSURANCE,
                        Map.of("currently_insured", "false", "vehicle_year", "2009", "drivers", "1")));
        assertThat(Valuation.appeal(SampleData.HOME_SERVICES,
                Map.of("homeowner", "true", "timeframe", "immediately", "service", "roofing")))
                .isGreaterThan(Valuation.appeal(SampleData.HOME_SERVICES,
                        Map.of("homeowner", "false", "timeframe", "researching", "service", "plumbing")));
        assertThat(Valuation.appeal("pet_insurance", Map.of("breed", "corgi"))).isEqualTo(1.0);
        assertThat(Valuation.appeal(SampleData.SOLAR, Map.of())).isEqualTo(1.0);
    }

    @Test
    void shouldBidLessOftenWhenLeadsFitWorse() {
        // Every lead is worth 60 % of the base (answers weighed fully): above the reserve, but a poorer fit.
        Valuation valuation = new Valuation(Map.of(SampleData.HOME_SERVICES, 3_000L), 0, 0, 1, 0, 0, 0.5, 3);
        Map<String, String> answers = Map.of("homeowner", "true", "timeframe", "researching", "service", "windows");

        int bids = 0;
        for (int i = 0; i < 1_000; i++) {
            if (valuation.quote(ping("L-" + i, SampleData.HOME_SERVICES, "OH", answers), 1.0).isPresent()) {
                bids++;
            }
        }

        assertThat(bids).isBetween(540, 660);
    }

    @Test
    void shouldLetDifferentBuyersMakeTheBestBidWhenLeadsDiffer() {
        List<BuyerSpec> market = BuyerFarm.marketSpecs(8, 42);
        Random random = new Random(42);
        Set<String> winners = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String vertical = SampleData.pick(random, SampleData.VERTICALS);
            Map<String, Object> ping = ping("L-" + i, vertical, SampleData.pick(random, SampleData.STATES),
                    SampleData.attributes(random, vertical));
            String best = null;
            long bestCents = 0;
            for (BuyerSpec spec : market) {
                boolean eligible = (spec.verticals().isEmpty() || spec.verticals().contains(vertical))
                        && (spec.states().isEmpty() || spec.states().contains((String) ping.get("state")));
                OptionalLong quote = eligible
                        ? spec.behaviour().valuation().quote(ping, spec.behaviour().bidProbability())
                        : OptionalLong.empty();
                if (quote.isPresent() && quote.getAsLong() > bestCents) {
                    best = spec.buyerId();
                    bestCents = quote.getAsLong();
                }
            }
            if (best != null) {
                winners.add(best);
            }
        }

        assertThat(winners).hasSizeGreaterThanOrEqualTo(5);
    }
}
