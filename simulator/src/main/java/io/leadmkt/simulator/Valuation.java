package io.leadmkt.simulator;

import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/**
 * What one simulated buyer thinks a lead is worth, priced the way real buyers price: its own base
 * value for the lead's vertical (its appetite), times how much it wants the lead's state (where it
 * has agents, licences, installers), how it rates the lead's source, the lead's score and its
 * answers to the qualifying questions ({@link #appeal}), times a little noise per lead. So the best
 * bid comes from different buyers for different leads, and first and second bids are apart by what
 * the buyers' tastes make them, not by a fixed price ladder.
 *
 * <p>A lead worth less than the buyer's reserve is passed on; above it, the better the lead fits
 * (its value against the buyer's base), the likelier a bid, up to the buyer's capacity to bid at all.
 *
 * <p>A pure function of the buyer's seed and the ping: the same lead gets the same quote from the
 * same buyer whatever the routing mode and whatever order pings arrive in, so modes compare on
 * identical bids.
 *
 * @param baseCents       what a typical lead of each vertical is worth to the buyer; unlisted verticals it passes on
 * @param stateSpread     each state's factor is 1 ± up to this, drawn per buyer and state
 * @param sourceSpread    each source's factor is 1 ± up to this, drawn per buyer and source
 * @param attributeWeight exponent on the lead's {@link #appeal}: 0 ignores the answers, above 1 is choosy
 * @param scoreWeight     exponent on score / 100
 * @param noise           standard deviation of the per-lead log-normal noise
 * @param reserve         fraction of the base below which the buyer passes
 * @param seed            the buyer's tastes (state and source factors) and per-lead noise derive from it
 */
public record Valuation(Map<String, Long> baseCents, double stateSpread, double sourceSpread, double attributeWeight,
                        double scoreWeight, double noise, double reserve, long seed) {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public Valuation {
        baseCents = Map.copyOf(baseCents);
        if (stateSpread < 0 || stateSpread >= 1 || sourceSpread < 0 || sourceSpread >= 1) {
            throw new IllegalArgumentException("spreads must be within [0, 1)");
        }
        if (attributeWeight < 0 || scoreWeight < 0 || noise < 0 || reserve < 0) {
            throw new IllegalArgumentException("weights, noise and reserve must not be negative");
        }
    }

    /**
     * The buyer's price for the pinged lead in cents, or empty for a pass. {@code bidProbability} is
     * the buyer's capacity: the chance it bids on a lead that fits it fully.
     */
    public OptionalLong quote(Map<String, Object> ping, double bidProbability) {
        Long base = baseCents.get(text(ping.get("vertical")));
        if (base == null || base <= 0) {
            return OptionalLong.empty();
        }
        Random lead = new Random(seed ^ (text(ping.get("leadId")).hashCode() * GOLDEN));
        double value = base
                * taste("state:" + text(ping.get("state")), stateSpread)
                * taste("source:" + text(ping.get("sourceId")), sourceSpread)
                * Math.pow(Math.max(1, number(ping.get("score"), 100)) / 100.0, scoreWeight)
                * Math.pow(appeal(text(ping.get("vertical")), attributes(ping)), attributeWeight)
                * Math.exp(noise * lead.nextGaussian());
        if (value < reserve * base) {
            return OptionalLong.empty();
        }
        double fit = Math.min(1, value / base);
        if (lead.nextDouble() >= bidProbability * fit) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round(value));
    }

    /** This buyer's lasting factor for {@code key}, 1 ± up to {@code spread}: the same every time it is asked. */
    double taste(String key, double spread) {
        double unit = new Random(seed ^ (key.hashCode() * GOLDEN) ^ GOLDEN).nextDouble();
        return 1 + spread * (2 * unit - 1);
    }

    /**
     * How the lead's answers move its worth for a typical buyer of the vertical (1: average answers).
     * Insured drivers with newer cars and several drivers are worth more to an insurer; a big
     * electric bill and a sunny roof to a solar installer, and a renter almost nothing; a homeowner
     * who needs a roof now to a contractor, more than a renter researching plumbing. Unknown
     * verticals and missing answers leave the worth as it is.
     */
    static double appeal(String vertical, Map<String, String> answers) {
        return switch (vertical) {
            case SampleData.AUTO_INSURANCE -> pick(answers.get("currently_insured"), Map.of("true", 1.25, "false", 0.7))
                    * clamp(0.85 + 0.3 * (number(answers.get("vehicle_year"), 2016) - 2008) / 17.0, 0.85, 1.15)
                    * clamp(0.9 + 0.1 * number(answers.get("drivers"), 1), 1.0, 1.2);
            case SampleData.SOLAR -> pick(answers.get("homeowner"), Map.of("true", 1.0, "false", 0.2))
                    * clamp(0.5 + number(answers.get("monthly_electric_bill"), 150) / 300.0, 0.6, 1.8)
                    * pick(answers.get("roof_shade"), Map.of("none", 1.15, "partial", 0.9, "heavy", 0.45));
            case SampleData.HOME_SERVICES -> pick(answers.get("homeowner"), Map.of("true", 1.0, "false", 0.4))
                    * pick(answers.get("timeframe"), Map.of("immediately", 1.3, "1-3 months", 1.0, "researching", 0.6))
                    * pick(answers.get("service"),
                            Map.of("roofing", 1.4, "hvac", 1.2, "windows", 1.0, "plumbing", 0.8));
            default -> 1.0;
        };
    }

    private static double pick(String answer, Map<String, Double> factors) {
        return answer == null ? 1.0 : factors.getOrDefault(answer, 1.0);
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static double number(Object value, double otherwise) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return value == null ? otherwise : Double.parseDouble(value.toString());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static Map<String, String> attributes(Map<String, Object> ping) {
        if (!(ping.get("attributes") instanceof Map<?, ?> raw)) {
            return Map.of();
        }
        Map<String, String> out = new java.util.HashMap<>();
        raw.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k.toString(), v.toString());
            }
        });
        return out;
    }
}
