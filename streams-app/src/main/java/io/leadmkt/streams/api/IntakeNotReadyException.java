package io.leadmkt.streams.api;

/**
 * A {@link LeadIntake} refused a lead because its instance cannot sell leads yet: Kafka Streams has not
 * been running since the process started (state restoring, the first rebalance). A lead taken then would
 * wait unread until it runs, long enough on a cold start to be shed {@code STALE} after the seller was
 * told it was accepted. Nothing was written; the HTTP API answers 503 {@code not_ready} with {@code
 * Retry-After}, and the same lead may be sent again then.
 */
public final class IntakeNotReadyException extends RuntimeException {
    /** Starting takes seconds (restoring stores, joining the group): the seller asks again soon. */
    public static final long RETRY_AFTER_SECONDS = 2;

    public IntakeNotReadyException(String state) {
        super("the instance is not running yet (" + state + ")", null, false, false);
    }
}
