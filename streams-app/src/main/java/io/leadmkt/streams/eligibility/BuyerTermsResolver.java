package io.leadmkt.streams.eligibility;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.streams.caps.CapRules;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.BuyerTerms;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.SourceAdjustment;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One buyer's own terms for one lead, resolved once by eligibility so the auction needs no config
 * lookup. A pure function of the buyer document, the lead and the buyer's stats record.
 *
 * <ul>
 *   <li>fixed price: the buyer's price for the lead's state when it has one, else its
 *       {@code fixedPriceCents} (null: a bidding buyer);</li>
 *   <li>vendor scoring: the most specific {@code sourceAdjustments} entry for the lead's source —
 *       one naming the lead's sub-id wins over the source-wide one (sub-id null); none: x1.00, no
 *       penalty;</li>
 *   <li>margin overrides copied as they are (null: the campaign's);</li>
 *   <li>acceptance rate: from {@code buyers.stats}, null while fewer than {@link #MIN_RESULTS}
 *       post results are known (too few to judge a buyer by);</li>
 *   <li>capped: the buyer has a cap or a prepaid balance, so a post needs a reservation first.</li>
 * </ul>
 */
public final class BuyerTermsResolver {
    /** The fewest recent post results an acceptance rate is trusted on. */
    public static final int MIN_RESULTS = 20;
    public static final int NO_MULTIPLIER = 10_000;

    private BuyerTermsResolver() {
    }

    public static BuyerTerms resolve(BuyerConfig buyer, Lead lead, BuyerStats stats) {
        String state = lead.getProfile() == null ? null : lead.getProfile().getState();
        SourceAdjustment adjustment = adjustment(buyer.getSourceAdjustments(), lead.getSourceId(), lead.getSubId());
        return BuyerTerms.newBuilder()
                .setFixedPriceCents(fixedPriceCents(buyer, state))
                .setMultiplierBasisPoints(adjustment == null ? NO_MULTIPLIER : adjustment.getMultiplierBasisPoints())
                .setPenaltyCents(adjustment == null ? 0 : adjustment.getPenaltyCents())
                .setMarginPercentBasisPoints(buyer.getMarginPercentBasisPoints())
                .setMarginFixedCents(buyer.getMarginFixedCents())
                .setAcceptanceRateBasisPoints(acceptanceRateBasisPoints(stats))
                .setCapped(CapRules.capped(buyer))
                .build();
    }

    /** The buyer's fixed price for a lead in {@code state}: the state's price, else the general one, else null. */
    public static Long fixedPriceCents(BuyerConfig buyer, String state) {
        Map<String, Long> byState = buyer.getFixedPriceByStateCents();
        if (state != null && byState != null && !byState.isEmpty()) {
            Long price = byState.get(state.toUpperCase(Locale.ROOT));
            if (price == null) {
                price = byState.get(state);
            }
            if (price != null) {
                return price;
            }
        }
        return buyer.getFixedPriceCents();
    }

    /**
     * The entry for the lead's source and sub-id, else the source-wide entry, else null. Among
     * equally specific entries the first listed wins. A lead without a source matches nothing.
     */
    static SourceAdjustment adjustment(List<SourceAdjustment> adjustments, String sourceId, String subId) {
        if (adjustments == null || sourceId == null) {
            return null;
        }
        SourceAdjustment sourceWide = null;
        for (SourceAdjustment a : adjustments) {
            if (!sourceId.equals(a.getSourceId())) {
                continue;
            }
            if (a.getSubId() == null) {
                if (sourceWide == null) {
                    sourceWide = a;
                }
            } else if (a.getSubId().equals(subId)) {
                return a;
            }
        }
        return sourceWide;
    }

    /** The stats' rate when at least {@link #MIN_RESULTS} results back it, else null. */
    public static Integer acceptanceRateBasisPoints(BuyerStats stats) {
        if (stats == null || stats.getRecent() == null || stats.getRecent().length() < MIN_RESULTS) {
            return null;
        }
        return stats.getAcceptanceRateBasisPoints();
    }
}
