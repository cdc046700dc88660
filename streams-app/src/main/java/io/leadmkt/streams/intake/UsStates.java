package io.leadmkt.streams.intake;

import java.util.Set;

/** The USPS codes a lead's state may carry: the 50 states, DC and Puerto Rico. */
final class UsStates {

    private static final Set<String> CODES = Set.of(
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
            "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
            "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
            "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
            "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
            "DC", "PR");

    private UsStates() {
    }

    /** {@code code} must already be trimmed and upper-case. */
    static boolean isKnown(String code) {
        return code != null && CODES.contains(code);
    }
}
