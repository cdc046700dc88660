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
        this("the instance is not running yet (" + state + ")", null);
    }

    private IntakeNotReadyException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /**
     * The instance that reads the lead's partition refuses connections: gone (a crash), until its group
     * gives its partitions to another instance. A lead written now would wait unread until then.
     */
    public static IntakeNotReadyException readerGone(String reader) {
        return new IntakeNotReadyException("the instance that reads this lead's partition (" + reader
                + ") is not running; another takes its partitions over within seconds", null);
    }
}
