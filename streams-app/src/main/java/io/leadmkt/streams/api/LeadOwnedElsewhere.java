package io.leadmkt.streams.api;

/**
 * Thrown by a {@link LeadStatusLookup} when another instance of the app owns the lead's state:
 * the API answers 307 with that instance's URL, so any instance can be asked about any lead.
 */
public class LeadOwnedElsewhere extends RuntimeException {
    private final String baseUrl;

    /** @param baseUrl the owning instance's API root, e.g. {@code http://10.0.0.7:8080} */
    public LeadOwnedElsewhere(String baseUrl) {
        super("lead is served by " + baseUrl);
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }
}
