package io.leadmkt.streams.outcome;

import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;

/**
 * Which final answers are <em>shed</em> leads: ones the app could not offer in time ({@code STALE}).
 * Shedding says the platform was over capacity; a rejection or an unsold lead says something about
 * the lead or the buyers, and neither a benchmark nor an alert may mistake one for the other. The
 * demo's summary and the metrics both count with these.
 */
public final class Shed {
    /** Shed at intake: already too old when read ({@code leads.rejected} with {@link Rejections#STALE}). */
    public static final String AT_INTAKE = "STALE_AT_INTAKE";
    /**
     * Shed at the auction: too old to offer when its turn came, its buyers never reached, or a post of ours
     * never delivered before the rest turned it down (UNSOLD {@link Outcomes#STALE}).
     */
    public static final String AT_AUCTION = "STALE_AT_AUCTION";

    private Shed() {
    }

    public static boolean isShed(Rejection rejection) {
        return Rejections.STALE.equals(rejection.getReasonCode());
    }

    public static boolean isShed(Outcome outcome) {
        return outcome.getStatus() == OutcomeStatus.UNSOLD && Outcomes.STALE.equals(outcome.getReason());
    }
}
