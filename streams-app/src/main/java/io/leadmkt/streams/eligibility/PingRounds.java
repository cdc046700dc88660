package io.leadmkt.streams.eligibility;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.WaterfallOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order in which a lead's eligible buyers are offered it, as rounds: every buyer of a round is
 * pinged at once, and the next round is only tried when the previous one did not sell the lead.
 * A pure function of the campaign's routing and the eligible buyers.
 *
 * <ul>
 *   <li>PARALLEL: one round with every buyer (sorted by id);</li>
 *   <li>WATERFALL by PRIORITY: one buyer per round, lowest effective priority first, ties by id;</li>
 *   <li>WATERFALL by PRICE: one buyer per round, buyers with a fixed price for the lead's state
 *       first by that price (highest first; ties by priority, then id), then the others by
 *       priority, then id;</li>
 *   <li>TIERS: one round per distinct effective priority, lowest first, ids sorted inside.</li>
 * </ul>
 * The effective priority is the campaign's {@code buyerPriorities} entry for the buyer, else the
 * buyer's own {@code priority}. No buyers: no rounds.
 */
public final class PingRounds {

    /** What ordering needs to know about one eligible buyer. */
    public record Candidate(String buyerId, int priority, Long fixedPriceCents) {
    }

    private static final Comparator<Candidate> BY_PRIORITY =
            Comparator.comparingInt(Candidate::priority).thenComparing(Candidate::buyerId);

    private PingRounds() {
    }

    /** The buyer's priority for this campaign: the campaign's override, else its own. */
    public static int effectivePriority(CampaignConfig campaign, BuyerConfig buyer) {
        Map<String, Integer> overrides = campaign.getBuyerPriorities();
        Integer override = overrides == null ? null : overrides.get(buyer.getBuyerId());
        return override != null ? override : buyer.getPriority();
    }

    /** Rounds for the campaign's routing; fixed prices are read from the buyers' resolved terms. */
    public static List<List<String>> rounds(CampaignConfig campaign, List<BuyerConfig> eligible,
                                            Map<String, BuyerTerms> terms) {
        List<Candidate> candidates = new ArrayList<>(eligible.size());
        for (BuyerConfig buyer : eligible) {
            BuyerTerms t = terms.get(buyer.getBuyerId());
            candidates.add(new Candidate(buyer.getBuyerId(), effectivePriority(campaign, buyer),
                    t == null ? null : t.getFixedPriceCents()));
        }
        return rounds(campaign.getRouting(), campaign.getWaterfallOrder(), candidates);
    }

    public static List<List<String>> rounds(RoutingMode routing, WaterfallOrder order, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        RoutingMode mode = routing == null ? RoutingMode.PARALLEL : routing;
        return switch (mode) {
            case PARALLEL -> List.of(candidates.stream().map(Candidate::buyerId).sorted().toList());
            case WATERFALL -> waterfall(order == null ? WaterfallOrder.PRIORITY : order, candidates);
            case TIERS -> tiers(candidates);
        };
    }

    private static List<List<String>> waterfall(WaterfallOrder order, List<Candidate> candidates) {
        Comparator<Candidate> comparator = switch (order) {
            case PRIORITY -> BY_PRIORITY;
            case PRICE -> Comparator.<Candidate>comparingInt(c -> c.fixedPriceCents() == null ? 1 : 0)
                    .thenComparing(c -> c.fixedPriceCents() == null ? 0L : c.fixedPriceCents(), Comparator.reverseOrder())
                    .thenComparing(BY_PRIORITY);
        };
        return candidates.stream().sorted(comparator).map(c -> List.of(c.buyerId())).toList();
    }

    private static List<List<String>> tiers(List<Candidate> candidates) {
        TreeMap<Integer, List<String>> byPriority = new TreeMap<>();
        for (Candidate c : candidates) {
            byPriority.computeIfAbsent(c.priority(), p -> new ArrayList<>()).add(c.buyerId());
        }
        List<List<String>> rounds = new ArrayList<>(byPriority.size());
        for (List<String> tier : byPriority.values()) {
            rounds.add(tier.stream().sorted().toList());
        }
        return List.copyOf(rounds);
    }
}
