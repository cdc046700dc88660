package io.leadmkt.launcher;

import io.leadmkt.schema.Money;
import java.util.Locale;

/**
 * The result of a run: how many leads went in and where they ended, the revenue, and the latency
 * from sending a lead to its final answer being visible to a read-committed consumer.
 */
public record Summary(long leads, long rejected, long sold, long unsold, long revenueCents, double p50Ms,
                      double p99Ms) {

    public long accounted() {
        return rejected + sold + unsold;
    }

    /** One line of JSON: the demo's last line on stdout. */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"leads\":%d,\"rejected\":%d,\"sold\":%d,\"unsold\":%d,\"revenue\":\"%s\","
                        + "\"latency_ms\":{\"p50\":%.1f,\"p99\":%.1f}}",
                leads, rejected, sold, unsold, Money.format(revenueCents), p50Ms, p99Ms);
    }

    /** A human progress line. */
    public String toProgressLine(long elapsedSeconds) {
        return String.format(Locale.ROOT,
                "[%4ds] leads %d | sold %d | unsold %d | rejected %d | revenue $%s | latency p50 %.1f ms p99 %.1f ms",
                elapsedSeconds, leads, sold, unsold, rejected, Money.format(revenueCents), p50Ms, p99Ms);
    }
}
