package io.leadmkt.launcher;

import io.leadmkt.schema.Money;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The result of a run: how many leads went in and where they ended, the revenue (what buyers paid)
 * and the sellers' payout, how many buyers were offered each ended lead on average (the cost of a
 * waterfall is fewer offers per lead but more time), and the latency from sending a lead to its
 * final answer being visible to a read-committed consumer.
 */
public record Summary(long leads, long rejected, long sold, long unsold, Map<String, Long> unsoldReasons,
                      Map<String, Long> soldByBuyer, long revenueCents, long payoutCents, double buyersPerLead,
                      double p50Ms, double p99Ms) {

    public Summary {
        unsoldReasons = Map.copyOf(unsoldReasons);
        soldByBuyer = Map.copyOf(soldByBuyer);
    }

    public long accounted() {
        return rejected + sold + unsold;
    }

    /** One line of JSON: the demo's last line on stdout. */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"leads\":%d,\"rejected\":%d,\"sold\":%d,\"unsold\":%d,\"unsold_reasons\":{%s},\"sold_by_buyer\":{%s},\"revenue\":\"%s\","
                        + "\"payout\":\"%s\",\"buyers_per_lead\":%.2f,\"latency_ms\":{\"p50\":%.1f,\"p99\":%.1f}}",
                leads, rejected, sold, unsold, counts(unsoldReasons), counts(soldByBuyer), Money.format(revenueCents),
                Money.format(payoutCents),
                buyersPerLead, p50Ms, p99Ms);
    }

    private static String counts(Map<String, Long> counts) {
        return new TreeMap<>(counts).entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** A human progress line. */
    public String toProgressLine(long elapsedSeconds) {
        return String.format(Locale.ROOT,
                "[%4ds] leads %d | sold %d | unsold %d | rejected %d | revenue $%s | payout $%s | buyers/lead %.2f"
                        + " | latency p50 %.1f ms p99 %.1f ms",
                elapsedSeconds, leads, sold, unsold, rejected, Money.format(revenueCents), Money.format(payoutCents),
                buyersPerLead, p50Ms, p99Ms);
    }
}
