package io.leadmkt.streams.auction;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the bids that may win: priced BIDs at or above the floor, highest first; equal prices
 * go to the earlier answer, then by buyer id so the order is total and replay gives the same
 * winner.
 */
public final class BidRanking {
    static final Comparator<Bid> BEST_FIRST = Comparator
            .comparing(Bid::getPriceCents, Comparator.reverseOrder())
            .thenComparingLong(Bid::getRespondedAt)
            .thenComparing(Bid::getBuyerId);

    private BidRanking() {
    }

    public static List<Bid> winnable(List<Bid> bids, long floorCents, Collection<String> alreadyPosted) {
        return bids.stream()
                .filter(b -> b.getStatus() == BidStatus.BID && b.getPriceCents() != null)
                .filter(b -> b.getPriceCents() >= floorCents)
                .filter(b -> !alreadyPosted.contains(b.getBuyerId()))
                .sorted(BEST_FIRST)
                .toList();
    }

    public static boolean anyPriced(List<Bid> bids) {
        return bids.stream().anyMatch(b -> b.getStatus() == BidStatus.BID && b.getPriceCents() != null);
    }
}
