package io.leadmkt.streams.auction;

import io.leadmkt.schema.AuctionPhase;
import io.leadmkt.schema.AuctionState;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.PricingMode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bids, buyer terms and auction states for the pricing and ranking tests. */
final class PricingFixtures {
    private PricingFixtures() {
    }

    static Bid bid(String buyerId, long priceCents, long respondedAt) {
        return Bid.newBuilder().setLeadId("L").setBuyerId(buyerId).setStatus(BidStatus.BID)
                .setPriceCents(priceCents).setRespondedAt(respondedAt).build();
    }

    /** A buyer's terms as eligibility resolves them with nothing set: x1.00, no penalty, the campaign's margin. */
    static BuyerTerms.Builder buyerTerms() {
        return BuyerTerms.newBuilder();
    }

    /** An open auction with a floor and the campaign's margin; the rest default. */
    static AuctionState.Builder auction(long floorCents, int marginBasisPoints, long marginFixedCents) {
        return AuctionState.newBuilder().setLeadId("L").setPhase(AuctionPhase.COLLECTING).setCampaignId("C")
                .setCreatedAt(0).setReceivedAt(0).setFloorCents(floorCents).setPostTimeoutMs(1_000)
                .setBuyers(List.of("a", "b", "c")).setOpenedAt(0).setDeadlineAt(500)
                .setMarginPercentBasisPoints(marginBasisPoints).setMarginFixedCents(marginFixedCents);
    }

    /** Campaign terms with buyer margins, acceptance rates and the discount switch. */
    static Pricing.Terms terms(long floorCents, int marginBasisPoints, PricingMode pricing, Set<String> preferred,
                               Map<String, Pricing.Margin> buyerMargins, Map<String, Integer> rates,
                               boolean discount) {
        return new Pricing.Terms(floorCents, marginBasisPoints, 0, pricing, 1, preferred, buyerMargins, rates,
                discount);
    }
}
