package io.leadmkt.streams.comply;

import io.leadmkt.schema.SuppressionEntry;

/**
 * When a suppression-list entry counts. An entry is permanent (an opt-out, an erasure request)
 * or expires ({@code expiresAt}: a do-not-call list imported for a 31-day re-scrub cycle stops
 * suppressing when the cycle ends, unless the next import renews it). Pure: the clock is an argument.
 */
public final class SuppressionRules {

    private SuppressionRules() {
    }

    /** Whether {@code entry} suppresses at {@code now}: there, and permanent or not yet expired. */
    public static boolean inForce(SuppressionEntry entry, long now) {
        return entry != null && (entry.getExpiresAt() == null || now < entry.getExpiresAt());
    }

    /**
     * Whether {@code incoming} should be written over {@code existing} (the entry now on the list
     * for the same hash, or null) at {@code now}. A new entry never weakens one in force: an import
     * with a 31-day expiry leaves a permanent opt-out (or a later expiry) as it is. It replaces an
     * absent or expired entry, and one in force when it suppresses at least as long (then only a
     * changed reason or source is a change at all).
     */
    public static boolean replaces(SuppressionEntry existing, SuppressionEntry incoming, long now) {
        if (!inForce(existing, now)) {
            return true;
        }
        return until(incoming) >= until(existing);
    }

    private static long until(SuppressionEntry entry) {
        return entry.getExpiresAt() == null ? Long.MAX_VALUE : entry.getExpiresAt();
    }
}
