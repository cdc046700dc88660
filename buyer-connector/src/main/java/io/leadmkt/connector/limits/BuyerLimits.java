package io.leadmkt.connector.limits;

/**
 * How hard the connector may call one buyer, as resolved from its integration document's
 * {@code limits} (defaults where absent; the published schema documents each field).
 *
 * @param maxConcurrent     requests in flight to the buyer at once; a ping beyond it is THROTTLED
 * @param pingsPerSecond    sustained ping rate; {@code 0} or less means no limit
 * @param pauseAfterErrors  consecutive ERROR/TIMEOUT answers that pause the buyer; {@code 0} never pauses
 * @param pauseForMs        how long a pause lasts before one probe ping is let through
 */
public record BuyerLimits(int maxConcurrent, double pingsPerSecond, int pauseAfterErrors, long pauseForMs) {

    /**
     * No rate limit and no auto-pause unless a buyer's document asks for them (e.g. {@code
     * pauseAfterErrors: 5}); the concurrency default only stops one buyer from taking the whole shared
     * HTTP pool. Pausing by default (5 failures) was tried and measured: on a starved 2-core machine
     * healthy buyers' answers came late while others were heard, and the top bidder of the fast
     * market was paused for half the run — our own lag charged to a buyer, so it is opt-in.
     */
    public static final BuyerLimits DEFAULTS = new BuyerLimits(256, 0, 0, 30_000);

    public BuyerLimits {
        maxConcurrent = Math.max(1, maxConcurrent);
        pauseAfterErrors = Math.max(0, pauseAfterErrors);
        pauseForMs = Math.max(1, pauseForMs);
    }

    public boolean rateLimited() {
        return pingsPerSecond > 0;
    }

    public boolean pausesOnErrors() {
        return pauseAfterErrors > 0;
    }
}
