package io.leadmkt.streams.dashboard;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which auctions a viewer wants: one campaign, one source, or both; a null or empty value does not
 * filter. The same choice as the reports' {@code ?campaign=} and {@code ?source=}.
 */
public record AuctionFilter(String campaignId, String sourceId) implements Predicate<RecentAuction> {
    public static final AuctionFilter ALL = new AuctionFilter(null, null);

    public AuctionFilter {
        campaignId = campaignId == null || campaignId.isEmpty() ? null : campaignId;
        sourceId = sourceId == null || sourceId.isEmpty() ? null : sourceId;
    }

    @Override
    public boolean test(RecentAuction auction) {
        return (campaignId == null || Objects.equals(campaignId, auction.campaignId()))
                && (sourceId == null || Objects.equals(sourceId, auction.sourceId()));
    }
}
