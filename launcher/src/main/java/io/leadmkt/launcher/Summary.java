package io.leadmkt.launcher;

import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.outcome.Shed;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The result of a run: how many leads went in and where they ended, the revenue (what buyers paid)
 * and the sellers' payout, how many buyers were offered each lead that went to market on average (the
 * cost of a waterfall is fewer offers per lead but more time), and the latency from sending a lead to
 * its final answer being visible to a read-committed consumer.
 *
 * <p>A lead the app could not offer in time ({@code STALE}) is <em>shed</em>, not rejected or unsold:
 * shedding says the platform was over capacity, a rejection or an unsold lead says something about the
 * lead or the buyers, and a benchmark must not mistake one for the other.
 */
public record Summary(long leads, long rejected, long sold, long unsold, long shed, Map<String, Long> shedReasons,
                      Map<String, Long> unsoldReasons, Map<String, Long> soldByBuyer, long revenueCents,
                      long payoutCents, double buyersPerLead, double p50Ms, double p99Ms) {

    /** Shed at intake, see {@link Shed#AT_INTAKE}. */
    public static final String STALE_AT_INTAKE = Shed.AT_INTAKE;
    /** Shed at the auction, see {@link Shed#AT_AUCTION}. */
    public static final String STALE_AT_AUCTION = Shed.AT_AUCTION;
    /**
     * Shed before it was taken: the HTTP intake answered 503 overloaded until its seller gave up (the
     * demo's sellers over HTTP; a rejection the tracker makes, with this reason code).
     */
    public static final String OVERLOADED_AT_DOOR = "OVERLOADED_AT_DOOR";

    public Summary {
        shedReasons = Map.copyOf(shedReasons);
        unsoldReasons = Map.copyOf(unsoldReasons);
        soldByBuyer = Map.copyOf(soldByBuyer);
    }

    /**
     * Counts where the given leads ended. A lead's outcome wins over a rejection of it, as the app
     * decides a lead once; leads with neither are left out of every count (see {@link #accounted()}).
     */
    public static Summary of(Collection<String> leadIds, Map<String, Outcome> outcomes,
                             Map<String, Rejection> rejections, double p50Ms, double p99Ms) {
        long sold = 0;
        long unsold = 0;
        long rejected = 0;
        long revenue = 0;
        long payout = 0;
        long offered = 0;
        Map<String, Long> shedReasons = new HashMap<>();
        Map<String, Long> unsoldReasons = new HashMap<>();
        Map<String, Long> byBuyer = new HashMap<>();
        for (String id : leadIds) {
            Outcome outcome = outcomes.get(id);
            if (outcome == null) {
                Rejection rejection = rejections.get(id);
                if (rejection == null) {
                    continue;
                }
                if (Shed.isShed(rejection)) {
                    shedReasons.merge(STALE_AT_INTAKE, 1L, Long::sum);
                } else if (OVERLOADED_AT_DOOR.equals(rejection.getReasonCode())) {
                    shedReasons.merge(OVERLOADED_AT_DOOR, 1L, Long::sum);
                } else {
                    rejected++;
                }
            } else if (outcome.getStatus() == OutcomeStatus.SOLD) {
                sold++;
                offered += outcome.getBuyersPinged();
                revenue += outcome.getPriceCents() == null ? 0 : outcome.getPriceCents();
                payout += outcome.getSellerPayoutCents() == null ? 0 : outcome.getSellerPayoutCents();
                byBuyer.merge(String.valueOf(outcome.getBuyerId()), 1L, Long::sum);
            } else if (Shed.isShed(outcome)) {
                shedReasons.merge(STALE_AT_AUCTION, 1L, Long::sum);
            } else {
                unsold++;
                offered += outcome.getBuyersPinged();
                unsoldReasons.merge(String.valueOf(outcome.getReason()), 1L, Long::sum);
            }
        }
        long shed = shedReasons.values().stream().mapToLong(Long::longValue).sum();
        double buyersPerLead = sold + unsold == 0 ? 0 : (double) offered / (sold + unsold);
        return new Summary(leadIds.size(), rejected, sold, unsold, shed, shedReasons, unsoldReasons, byBuyer, revenue,
                payout, buyersPerLead, p50Ms, p99Ms);
    }

    /** Leads with a final answer; equals {@link #leads()} when nothing is lost. */
    public long accounted() {
        return rejected + sold + unsold + shed;
    }

    /** Leads the app took in (not rejected): the ones it owes a sale or a reason. */
    public long valid() {
        return leads - rejected;
    }

    /** One line of JSON: the demo's last line on stdout. */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"leads\":%d,\"rejected\":%d,\"sold\":%d,\"unsold\":%d,\"shed\":%d,\"shed_reasons\":%s,"
                        + "\"unsold_reasons\":%s,\"sold_by_buyer\":%s,\"revenue\":\"%s\",\"payout\":\"%s\","
                        + "\"buyers_per_lead\":%.2f,\"latency_ms\":{\"p50\":%.1f,\"p99\":%.1f}}",
                leads, rejected, sold, unsold, shed, jsonCounts(shedReasons), jsonCounts(unsoldReasons), jsonCounts(soldByBuyer),
                Money.format(revenueCents), Money.format(payoutCents), buyersPerLead, p50Ms, p99Ms);
    }

    /** {@link #toJson()} saying how the run's clients reached Kafka: {@code "security":"SASL_SSL"} or {@code "PLAINTEXT"}. */
    public String toJson(String security) {
        String json = toJson();
        return json.substring(0, json.length() - 1) + ",\"security\":\"" + security + "\"}";
    }

    /** Counts as a JSON object, keys sorted: {@code {"a":1,"b":2}}. */
    static String jsonCounts(Map<String, Long> counts) {
        return new TreeMap<>(counts).entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** A human progress line. */
    public String toProgressLine(long elapsedSeconds) {
        return String.format(Locale.ROOT,
                "[%4ds] leads %d | sold %d | unsold %d | shed %d | rejected %d | revenue $%s | payout $%s"
                        + " | buyers/lead %.2f | latency p50 %.1f ms p99 %.1f ms",
                elapsedSeconds, leads, sold, unsold, shed, rejected, Money.format(revenueCents),
                Money.format(payoutCents), buyersPerLead, p50Ms, p99Ms);
    }
}
