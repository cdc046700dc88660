package io.leadmkt.streams.dashboard;

import io.leadmkt.streams.access.Caller;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one caller sees of the recent auctions, decided on its key alone: the live routes, their
 * figures and the server-sent events all show auctions only as this makes them, so nothing it leaves
 * out reaches the caller through a percentile either.
 * <ul>
 *   <li>An analyst or an admin: every auction, whole.</li>
 *   <li>A seller: the auctions of its own sources' leads: the outcome and price, the buyer the lead
 *       was sold to (the lead's status says so too, and the consumer's consent had to name it), how
 *       many buyers were pinged and bid, and every answer's status, price and latency <em>without</em>
 *       whose it was. The prices its lead drew are the seller's business (they are what its floor is
 *       set against); who offered what is each buyer's.</li>
 *   <li>A buyer: the auctions it was pinged in, as far as its ping told it (campaign, source, state),
 *       with its own answers only, whether it won (the buyer named is itself, else none) and the
 *       clearing price; never another buyer's name or answer, nor how many others there were.</li>
 *   <li>Any other role: nothing.</li>
 * </ul>
 *
 * @param viewer who asks
 */
public record AuctionView(Caller viewer) {

    public AuctionView {
        Objects.requireNonNull(viewer, "viewer");
    }

    /** The auction as the viewer sees it; empty when it is not the viewer's to see. */
    public Optional<RecentAuction> of(RecentAuction auction) {
        return switch (viewer.role()) {
            case ADMIN, ANALYST -> Optional.of(auction);
            case SELLER -> viewer.sourceIds().contains(auction.sourceId()) ? Optional.of(asSeller(auction))
                    : Optional.empty();
            case BUYER -> pinged(auction, viewer.buyerId()) ? Optional.of(asBuyer(auction, viewer.buyerId()))
                    : Optional.empty();
            case PRIVACY -> Optional.empty();
        };
    }

    /** Each of {@code auctions} the viewer may see, as it sees it, in the same order. */
    public List<RecentAuction> of(List<RecentAuction> auctions) {
        return auctions.stream().map(this::of).flatMap(Optional::stream).toList();
    }

    /** Whether the buyer was offered the lead: it answered, was waited for, or won it. */
    private static boolean pinged(RecentAuction auction, String buyerId) {
        return buyerId != null && (buyerId.equals(auction.buyerId())
                || auction.answers().stream().anyMatch(answer -> buyerId.equals(answer.buyerId())));
    }

    private static RecentAuction asSeller(RecentAuction auction) {
        return new RecentAuction(auction.leadId(), auction.status(), auction.reason(), auction.buyerId(),
                auction.priceCents(), auction.campaignId(), auction.sourceId(), auction.state(), auction.receivedAt(),
                auction.decidedAt(), auction.buyersPinged(), auction.bidsReceived(), auction.postAttempts(),
                auction.answers().stream()
                        .map(answer -> new RecentAuction.Answer(null, answer.status(), answer.priceCents(),
                                answer.latencyMs()))
                        .toList());
    }

    private static RecentAuction asBuyer(RecentAuction auction, String buyerId) {
        return new RecentAuction(auction.leadId(), auction.status(), auction.reason(),
                buyerId.equals(auction.buyerId()) ? buyerId : null, auction.priceCents(), auction.campaignId(),
                auction.sourceId(), auction.state(), auction.receivedAt(), auction.decidedAt(), null, null, null,
                auction.answers().stream().filter(answer -> buyerId.equals(answer.buyerId())).toList());
    }
}
