package io.leadmkt.streams.auction;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the bids that may win: priced BIDs whose seller payout (price net of the platform margin)
 * is at least the floor. Highest price first (the margin is the campaign's, so that is also highest
 * payout first); equal prices go to a preferred buyer, then to the earlier answer, then by buyer id,
 * so the order is total and replay gives the same winner.
 */
public final class BidRanking {
    static final Comparator<Bid> BEST_FIRST = bestFirst(Pricing.Terms.floorOnly(0));

    private BidRanking() {
    }

    public static Comparator<Bid> bestFirst(Pricing.Terms terms) {
        return Comparator
                .comparing(Bid::getPriceCents, Comparator.reverseOrder())
                .thenComparing(b -> terms.preferred(b.getBuyerId()) ? 0 : 1)
                .thenComparingLong(Bid::getRespondedAt)
                .thenComparing(Bid::getBuyerId);
    }

    /** Winnable bids under a plain floor on the price (no margin, no preference). */
    public static List<Bid> winnable(List<Bid> bids, long floorCents, Collection<String> alreadyPosted) {
        return winnable(bids, Pricing.Terms.floorOnly(floorCents), alreadyPosted);
    }

    /** Winnable bids under a campaign's terms, best first, leaving out buyers already posted. */
    public static List<Bid> winnable(List<Bid> bids, Pricing.Terms terms, Collection<String> alreadyPosted) {
        return bids.stream()
                .filter(b -> b.getStatus() == BidStatus.BID && b.getPriceCents() != null && b.getPriceCents() >= 0)
                .filter(b -> Pricing.meetsFloor(b.getPriceCents(), terms))
                .filter(b -> !alreadyPosted.contains(b.getBuyerId()))
                .sorted(bestFirst(terms))
                .toList();
    }

    /**
     * What the first of {@code ranked} pays: its bid under first price; under second price the next
     * in {@code ranked} (the next-best bid still in the running) sets it.
     */
    public static long clearingPriceCents(List<Bid> ranked, Pricing.Terms terms) {
        Long next = ranked.size() > 1 ? ranked.get(1).getPriceCents() : null;
        return Pricing.clearingPriceCents(ranked.get(0).getPriceCents(), next, terms);
    }

    public static boolean anyPriced(List<Bid> bids) {
        return bids.stream().anyMatch(b -> b.getStatus() == BidStatus.BID && b.getPriceCents() != null);
    }
}
