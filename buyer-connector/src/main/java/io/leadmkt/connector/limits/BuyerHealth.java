package io.leadmkt.connector.limits;

import java.time.Instant;

/**
 * How the connector currently treats one buyer, as {@link BuyerGate} sees it.
 *
 * @param buyerId            the buyer
 * @param state              ACTIVE (pinged), PAUSED (not pinged until {@code pausedUntil}) or HALF_OPEN
 *                           (the next ping is a probe that resumes or re-pauses it)
 * @param pausedUntil        when a PAUSED buyer gets its probe; null otherwise
 * @param consecutiveErrors  ERROR/TIMEOUT answers since its last good answer
 * @param inFlight           pings and posts to it not yet answered
 */
public record BuyerHealth(String buyerId, State state, Instant pausedUntil, int consecutiveErrors, int inFlight) {

    public enum State { ACTIVE, PAUSED, HALF_OPEN }
}
