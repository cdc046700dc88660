package io.leadmkt.streams.api;

import io.leadmkt.streams.intake.IntakeBacklog;

/**
 * A {@link LeadIntake} refused a lead because the pipeline is behind: the lead was not written, and
 * the same lead (same {@code leadId}) may be retried after {@code retryAfterSeconds}. The HTTP API
 * answers it with 503 and {@code Retry-After}.
 */
public final class IntakeOverloadedException extends RuntimeException {
    private final long lagMs;
    private final long retryAfterSeconds;
    private final long leadsInFlight;
    private final long maxLeadsInFlight;

    public IntakeOverloadedException(long lagMs, long retryAfterSeconds, long leadsInFlight, long maxLeadsInFlight) {
        super("intake is " + lagMs + " ms behind with " + leadsInFlight + " of " + maxLeadsInFlight
                + " leads in flight", null, false, false);
        this.lagMs = lagMs;
        this.retryAfterSeconds = retryAfterSeconds;
        this.leadsInFlight = leadsInFlight;
        this.maxLeadsInFlight = maxLeadsInFlight;
    }

    /** The door's refusal ({@link IntakeBacklog.Admission} not taken). */
    public IntakeOverloadedException(IntakeBacklog.Admission refused) {
        this(refused.lagMs(), refused.retryAfterSeconds(), refused.leadsInFlight(), refused.maxInFlight());
    }

    public long leadsInFlight() {
        return leadsInFlight;
    }

    public long maxLeadsInFlight() {
        return maxLeadsInFlight;
    }

    public long lagMs() {
        return lagMs;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
