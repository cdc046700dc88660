package io.leadmkt.streams.whatif;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.PricingMode;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.schema.WhatIfAuction;
import io.leadmkt.schema.WhatIfOffer;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.auction.AuctionMachine;
import io.leadmkt.streams.eligibility.BuyerEligibility;
import io.leadmkt.streams.eligibility.PingRounds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The what-if's record of one decided lead, made from what the lead-status report already keeps
 * (its outcome and audit timeline) and the config tables, so the auction does no extra work. A
 * pure function; {@link WhatIfRecorder} calls it when a lead has ended.
 *
 * <p>From the timeline: each round's answers as the auction judged them ({@code AUCTION_CLOSED},
 * the n-th being round n), each post's result ({@code POST_RESULT}, {@code CAP_REFUSED}) and the
 * floor the pings carried. From the config, as it is when the lead ends: the campaign's margin,
 * pricing and preferred buyers, each buyer's own margin and priority for the campaign; from the
 * buyer stats, the acceptance rates ranking used. A lead whose pings carried no floor (only
 * fixed-price buyers, or none) is given its campaign's floor for the lead's state.
 */
public final class WhatIfRecords {
    private static final char SEPARATOR = '|';
    private static final int DEFAULT_PRIORITY = 100;

    private WhatIfRecords() {
    }

    /** The store key: the decision time (ms, 19 digits, so keys sort by time) and the lead. */
    public static String key(long decidedAt, String leadId) {
        return timeKey(decidedAt) + SEPARATOR + leadId;
    }

    /** Below every key of a lead decided at or after {@code at} (and above every key of one decided before). */
    public static String lowest(Instant at) {
        return timeKey(Math.max(0, at.toEpochMilli()));
    }

    private static String timeKey(long epochMs) {
        String digits = Long.toString(epochMs);
        return "0".repeat(Math.max(0, 19 - digits.length())) + digits;
    }

    /**
     * The record of a lead that ended with {@code outcome}, its audit {@code timeline} oldest first.
     *
     * @param campaign     the lead's campaign, when there is one
     * @param buyers       a buyer's document, when it still has one
     * @param acceptance   a buyer's recent acceptance rate in basis points, null while too little is known
     */
    public static WhatIfAuction of(Outcome outcome, List<AuditEvent> timeline, Optional<CampaignConfig> campaign,
                                   Function<String, Optional<BuyerConfig>> buyers,
                                   Function<String, Integer> acceptance) {
        Long pingedFloor = null;
        Map<String, WhatIfOffer.Builder> offers = new LinkedHashMap<>();
        Map<String, String> posts = new HashMap<>();
        int round = 0;
        for (AuditEvent event : timeline) {
            switch (event.getType()) {
                case PINGED -> {
                    if (pingedFloor == null && event.getDetail().get("floor") != null) {
                        pingedFloor = Money.parseCents(event.getDetail().get("floor")).orElse(null);
                    }
                }
                case AUCTION_CLOSED -> {
                    for (AuditAnswer answer : event.getAnswers()) {
                        offers.putIfAbsent(answer.getBuyerId(), WhatIfOffer.newBuilder()
                                .setBuyerId(answer.getBuyerId()).setRound(round).setStatus(answer.getStatus())
                                .setPriceCents(answer.getPriceCents()).setRespondedAt(answer.getRespondedAt())
                                .setFixedPrice(AuctionMachine.FIXED_PRICE.equals(answer.getReason())));
                    }
                    String unanswered = event.getDetail().get("unanswered");
                    if (unanswered != null && !unanswered.isEmpty()) {
                        for (String buyerId : unanswered.split(",")) {
                            offers.putIfAbsent(buyerId, WhatIfOffer.newBuilder().setBuyerId(buyerId).setRound(round)
                                    .setStatus(FloorWhatIf.UNANSWERED));
                        }
                    }
                    round++;
                }
                case POST_RESULT -> {
                    // A post our side never delivered says nothing of the buyer: replayed, it is a post not
                    // tried, taken at the buyer's rate, and it is not counted among its observed posts.
                    if (!PostReasons.platformWasBehind(PostStatus.valueOf(event.getStatus()),
                            event.getDetail().get("reason"), ConfigTables.answersOnKafka(buyers.apply(event.getBuyerId())))) {
                        posts.put(event.getBuyerId(), event.getStatus());
                    }
                }
                case CAP_REFUSED -> posts.put(event.getBuyerId(), FloorWhatIf.CAP_REFUSED);
                default -> {
                    // the other steps say nothing about answers or posts
                }
            }
        }
        List<WhatIfOffer> recorded = new ArrayList<>(offers.size());
        for (WhatIfOffer.Builder offer : offers.values()) {
            String buyerId = offer.getBuyerId();
            Optional<BuyerConfig> buyer = buyers.apply(buyerId);
            recorded.add(offer
                    .setPost(posts.getOrDefault(buyerId, FloorWhatIf.NOT_TRIED))
                    .setPriority(buyer.map(b -> campaign.map(c -> PingRounds.effectivePriority(c, b))
                            .orElse(b.getPriority())).orElse(DEFAULT_PRIORITY))
                    .setMarginPercentBasisPoints(buyer.map(BuyerConfig::getMarginPercentBasisPoints).orElse(null))
                    .setMarginFixedCents(buyer.map(BuyerConfig::getMarginFixedCents).orElse(null))
                    .setAcceptanceRateBasisPoints(acceptance.apply(buyerId))
                    .build());
        }
        long floor = pingedFloor != null ? pingedFloor
                : campaign.map(c -> BuyerEligibility.floorCents(c, outcome.getState())).orElse(0L);
        return WhatIfAuction.newBuilder()
                .setOutcome(outcome)
                .setFloorCents(floor)
                .setMarginPercentBasisPoints(campaign.map(CampaignConfig::getMarginPercentBasisPoints).orElse(0))
                .setMarginFixedCents(campaign.map(CampaignConfig::getMarginFixedCents).orElse(0L))
                .setPricing(campaign.map(CampaignConfig::getPricing).orElse(PricingMode.FIRST_PRICE))
                .setSecondPriceIncrementCents(campaign.map(CampaignConfig::getSecondPriceIncrementCents).orElse(1L))
                .setPreferredBuyers(campaign.map(CampaignConfig::getPreferredBuyers).orElse(List.of()))
                .setAcceptanceDiscount(campaign.map(CampaignConfig::getAcceptanceDiscount).orElse(false))
                .setRouting(campaign.map(CampaignConfig::getRouting).orElse(RoutingMode.PARALLEL))
                .setOffers(recorded)
                .build();
    }

    /** Whether the lead has ended in the timeline: the auction's SOLD or UNSOLD step. */
    public static boolean ended(List<AuditEvent> timeline) {
        return timeline.stream().anyMatch(e -> e.getType() == AuditType.SOLD || e.getType() == AuditType.UNSOLD);
    }
}
