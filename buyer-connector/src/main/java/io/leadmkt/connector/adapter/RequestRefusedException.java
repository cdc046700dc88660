package io.leadmkt.connector.adapter;

/**
 * An adapter cannot build a request for this buyer (e.g. its integration is invalid). The
 * dispatchers turn it into an ERROR event with {@link #reason()} and send nothing.
 */
public final class RequestRefusedException extends RuntimeException {

    private final String reason;

    public RequestRefusedException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** The reason code on the ERROR bid or post result, e.g. {@code BAD_INTEGRATION}. */
    public String reason() {
        return reason;
    }
}
