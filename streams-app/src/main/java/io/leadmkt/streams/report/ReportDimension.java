package io.leadmkt.streams.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a report is broken down by. Buyer rows come from the auction's judged answers and the
 * buyer's sales; seller, source, sub-id, campaign and state rows from each lead's outcome or rejection.
 * A sub-id means something only within its source (two affiliates may both send "a7"), so a
 * {@link #SUBID} row is named by both: {@code <source>/<sub-id>} ({@link #subIdValue}).
 */
public enum ReportDimension {
    BUYER, SELLER, SOURCE, SUBID, CAMPAIGN, STATE;

    /** The value a row shows when an event does not carry the dimension (e.g. a lead without a state). */
    public static final String UNKNOWN = "unknown";

    /**
     * A {@link #SUBID} row's value: the source, {@code /}, the sub-id ({@link #UNKNOWN} when the lead
     * had none). A {@code %} or {@code /} in the source id is percent-encoded, so the source is always
     * everything before the first {@code /}; null when the lead's source is unknown.
     */
    public static String subIdValue(String sourceId, String subId) {
        if (sourceId == null || sourceId.isEmpty()) {
            return null;
        }
        return sourceId.replace("%", "%25").replace("/", "%2F") + "/"
                + (subId == null || subId.isEmpty() ? UNKNOWN : subId);
    }

    /** The source of a {@link #SUBID} row's value (null when it names none). */
    public static String sourceOfSubId(String value) {
        int slash = value.indexOf('/');
        return slash < 0 ? null : value.substring(0, slash).replace("%2F", "/").replace("%25", "%");
    }

    /** Its name in the API path and as the rows' column: {@code buyer}, {@code seller}, ... */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReportDimension> ofPath(String path) {
        return Arrays.stream(values()).filter(d -> d.path().equals(path)).findFirst();
    }
}
