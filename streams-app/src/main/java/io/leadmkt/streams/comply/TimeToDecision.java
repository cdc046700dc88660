package io.leadmkt.streams.comply;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;

/**
 * A lead is worth most in its first seconds, and a seller's campaign says how long it may take to
 * be offered to buyers ({@code maxLeadAgeMs}, counted from the lead's arrival on
 * {@code leads.inbound}; the buyers then have their answer budget from the moment they are called). When
 * the platform is behind, a lead that can no longer be offered in time is shed with its own reason
 * ({@code STALE}) rather than sent to buyers late or counted as a lead nobody bid on.
 */
public final class TimeToDecision {
    private TimeToDecision() {
    }

    /** When the lead entered the marketplace: its arrival on leads.inbound, else when intake read it. */
    public static long arrivedAt(Lead lead) {
        Enrichment enrichment = lead.getEnrichment();
        return enrichment.getArrivedAt() > 0 ? enrichment.getArrivedAt() : enrichment.getReceivedAt();
    }

    /** The moment by which the lead must be offered to buyers (called): its arrival plus the campaign's maxLeadAgeMs. */
    public static long decideBy(Lead lead, CampaignConfig campaign) {
        return arrivedAt(lead) + campaign.getMaxLeadAgeMs();
    }

    /**
     * Whether the lead may still be offered (its buyers called) {@code now}; a {@code decideBy} of 0
     * (unknown, e.g. state written before this rule) never sheds.
     */
    public static boolean canOffer(long decideBy, long now) {
        return decideBy <= 0 || now <= decideBy;
    }
}
