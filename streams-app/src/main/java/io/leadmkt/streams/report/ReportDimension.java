package io.leadmkt.streams.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a report is broken down by. Buyer rows come from the auction's judged answers and the
 * buyer's sales; seller, source, campaign and state rows from each lead's outcome or rejection.
 */
public enum ReportDimension {
    BUYER, SELLER, SOURCE, CAMPAIGN, STATE;

    /** The value a row shows when an event does not carry the dimension (e.g. a lead without a state). */
    public static final String UNKNOWN = "unknown";

    /** Its name in the API path and as the rows' column: {@code buyer}, {@code seller}, ... */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportDimension> ofPath(String path) {
        return Arrays.stream(values()).filter(d -> d.path().equals(path)).findFirst();
    }
}
