package io.leadmkt.streams.intake;

/** The codes a {@link io.leadmkt.schema.FieldError} carries out of intake. */
public final class ErrorCodes {
    /** A required value is absent or blank. */
    public static final String MISSING = "MISSING";
    /** A value is present but not in an accepted shape (bad phone, zip, state, id characters). */
    public static final String FORMAT = "FORMAT";
    /** A value is well formed but outside its allowed range (too long, timestamp in the future). */
    public static final String OUT_OF_RANGE = "OUT_OF_RANGE";
    /** The HTTP body is not JSON at all; the field is {@code "$"}. */
    public static final String MALFORMED_JSON = "MALFORMED_JSON";
    /** A JSON value has the wrong type (e.g. a number or object where a string belongs). */
    public static final String WRONG_TYPE = "WRONG_TYPE";
    /** A JSON field the lead layout does not have (HTTP intake). */
    public static final String UNKNOWN_FIELD = "UNKNOWN_FIELD";

    private ErrorCodes() {
    }
}
