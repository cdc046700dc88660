package io.leadmkt.streams.api;

/** A report cannot be complete right now (a store restoring, partitions moving): the API answers 503 with Retry-After. */
public class ReportsUnavailable extends RuntimeException {
    public ReportsUnavailable(String message) {
        super(message);
    }

    public ReportsUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
