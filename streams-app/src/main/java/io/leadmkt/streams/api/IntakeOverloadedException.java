package io.leadmkt.streams.api;

/**
 * A {@link LeadIntake} refused a lead because the pipeline is behind: the lead was not written, and
 * the same lead (same {@code leadId}) may be retried after {@code retryAfterSeconds}. The HTTP API
 * answers it with 503 and {@code Retry-After}.
 */
public final class IntakeOverloadedException extends RuntimeException {
    private final long lagMs;
    private final long retryAfterSeconds;

    public IntakeOverloadedException(long lagMs, long retryAfterSeconds) {
        super("intake is " + lagMs + " ms behind", null, false, false);
        this.lagMs = lagMs;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long lagMs() {
        return lagMs;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
