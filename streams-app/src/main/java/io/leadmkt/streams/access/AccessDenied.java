package io.leadmkt.streams.access;

/**
 * A request refused before or while it is served: 401 (no usable key), 403 (not this caller's to
 * ask) or 503 (keys still loading). The answer is {@code {"error": code}} and nothing else: a refusal
 * never carries data.
 */
public final class AccessDenied extends RuntimeException {
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String KEYS_LOADING = "keys_loading";

    private final int status;
    private final String error;

    public AccessDenied(int status, String error) {
        super(status + " " + error, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static AccessDenied unauthorized() {
        return new AccessDenied(401, UNAUTHORIZED);
    }

    public static AccessDenied forbidden() {
        return new AccessDenied(403, FORBIDDEN);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
