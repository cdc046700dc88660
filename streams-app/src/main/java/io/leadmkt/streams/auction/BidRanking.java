package io.leadmkt.streams.auction;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the bids that may win: priced BIDs whose seller payout under the bidder's own margin (its
 * net bid) is at least the floor. Highest net bid first; equal net bids go to a preferred buyer,
 * then to the higher post-acceptance rate (a buyer without enough history counts as 100 %, so a
 * new buyer is not punished), then to the earlier answer, then by buyer id, so the order is total
 * and replay gives the same winner whatever order the bids came in.
 *
 * <p>When the campaign asks for an acceptance discount, the ranking key is the net bid discounted
 * by the buyer's rate, {@code floor(net × rate / 10000)} (no rate: no discount), so a high bidder
 * that rejects most posts is tried after a slightly lower one that accepts them. Among equal keys
 * a buyer with a rate of 0 goes last: the floor may round a small positive expectation to 0, and
 * it must not tie with a buyer that accepts nothing. The discount changes only the order, never
 * what anyone pays.
 */
public final class BidRanking {
    static final Comparator<Bid> BEST_FIRST = bestFirst(Pricing.Terms.floorOnly(0));

    private BidRanking() {
    }

    public static Comparator<Bid> bestFirst(Pricing.Terms terms) {
        return Comparator
                .comparingLong((Bid b) -> rankCents(b, terms)).reversed()
                .thenComparingInt(b -> terms.acceptanceDiscount() && acceptanceRate(b, terms) == 0 ? 1 : 0)
                .thenComparingInt(b -> terms.preferred(b.getBuyerId()) ? 0 : 1)
                .thenComparing(Comparator.comparingInt((Bid b) -> acceptanceRate(b, terms)).reversed())
                .thenComparingLong(Bid::getRespondedAt)
                .thenComparing(Bid::getBuyerId);
    }

    /**
     * What the seller would receive of the bid under its buyer's margin (the net bid), or -1 for a
     * bid without a valid price.
     */
    public static long netCents(Bid bid, Pricing.Terms terms) {
        Long price = bid.getPriceCents();
        if (price == null || price < 0) {
            return -1;
        }
        return Pricing.payoutCents(price, terms, bid.getBuyerId());
    }

    /**
     * The key bids are ranked by: the net bid, discounted by the buyer's acceptance rate when the
     * terms ask for it (-1 for a bid without a valid price).
     */
    public static long rankCents(Bid bid, Pricing.Terms terms) {
        long net = netCents(bid, terms);
        if (net <= 0 || !terms.acceptanceDiscount()) {
            return net;
        }
        return Pricing.basisPointsOf(net, acceptanceRate(bid, terms));
    }

    /** The buyer's acceptance rate in basis points; without enough history, 10000 (not punished). */
    private static int acceptanceRate(Bid bid, Pricing.Terms terms) {
        Integer rate = terms.acceptanceRate(bid.getBuyerId());
        return rate == null ? Pricing.MAX_BASIS_POINTS : rate;
    }

    /** Winnable bids under a plain floor on the price (no margin, no preference). */
    public static List<Bid> winnable(List<Bid> bids, long floorCents, Collection<String> alreadyPosted) {
        return winnable(bids, Pricing.Terms.floorOnly(floorCents), alreadyPosted);
    }

    /** Winnable bids under an auction's terms, best first, leaving out buyers already posted. */
    public static List<Bid> winnable(List<Bid> bids, Pricing.Terms terms, Collection<String> alreadyPosted) {
        return bids.stream()
                .filter(b -> b.getStatus() == BidStatus.BID && b.getPriceCents() != null && b.getPriceCents() >= 0)
                .filter(b -> Pricing.meetsFloor(b.getPriceCents(), terms, b.getBuyerId()))
                .filter(b -> !alreadyPosted.contains(b.getBuyerId()))
                .sorted(bestFirst(terms))
                .toList();
    }

    /**
     * What the first of {@code ranked} pays: its bid under first price; under second price the next
     * in {@code ranked} (the next-best bid still in the running) sets it, at its price, and the floor
     * is applied under the winner's margin.
     */
    public static long clearingPriceCents(List<Bid> ranked, Pricing.Terms terms) {
        Bid winner = ranked.get(0);
        Long next = ranked.size() > 1 ? ranked.get(1).getPriceCents() : null;
        return Pricing.clearingPriceCents(winner.getPriceCents(), next, terms, winner.getBuyerId());
    }

    public static boolean anyPriced(List<Bid> bids) {
        return bids.stream().anyMatch(b -> b.getStatus() == BidStatus.BID && b.getPriceCents() != null);
    }
}
