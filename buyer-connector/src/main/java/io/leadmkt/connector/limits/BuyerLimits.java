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
     * No rate limit unless a buyer's document asks for one; the concurrency default only stops one
     * buyer from taking the whole shared HTTP pool. A buyer that fails five pings in a row (no
     * answer within its own timeout, or nonsense) is paused for 30 s, then probed with one ping:
     * such a buyer is not merely slow, and waiting its whole timeout on every lead would make every
     * auction it is in close at the deadline. Five, not one: a single stall or a restart of the
     * buyer's server costs it nothing. A buyer whose contract says otherwise sets {@code
     * pauseAfterErrors: 0}.
     */
    public static final BuyerLimits DEFAULTS = new BuyerLimits(256, 0, 5, 30_000);

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
