package io.leadmkt.connector.http;

/**
 * A buyer call that produced no HTTP answer.
 *
 * @param kind       why
 * @param detail     the underlying message, for logs (never sent on)
 * @param latencyMs  time from sending the request (its call starting) until the failure; 0 if never sent
 * @param failedAt   wall-clock epoch millis of the failure
 */
public record HttpFailure(Kind kind, String detail, long latencyMs, long failedAt) implements HttpResult {

    public enum Kind {
        /** No complete answer within the call's deadline (includes connect and read stalls). */
        TIMEOUT,
        /** Nothing listens on the buyer's host and port. */
        CONNECTION_REFUSED,
        /** The TLS handshake failed: no TLS on the other end, a bad certificate, no common protocol. */
        TLS_ERROR,
        /** Any other network failure: reset, closed without an answer, unknown host, truncated stream. */
        IO_ERROR,
        /** The request could not be built (e.g. a malformed URL in the buyer's config). */
        INVALID_REQUEST,
        /**
         * Never sent: the call waited behind the connector's own concurrency cap for its whole deadline.
         * Our queue, not the buyer: it says nothing about how the buyer answers.
         */
        NOT_SENT
    }

    /** Whether the buyer simply did not answer in time (a TIMEOUT event) rather than failed (an ERROR). */
    public boolean timedOut() {
        return kind == Kind.TIMEOUT;
    }

    /** The reason code carried on the bid or post result. */
    public String reasonCode() {
        return kind == Kind.INVALID_REQUEST ? "BAD_URL" : kind.name();
    }
}
