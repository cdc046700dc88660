package io.leadmkt.streams.api;

import io.leadmkt.schema.LeadStatus;
import java.util.Optional;

/**
 * Finds where a lead is, in production by an interactive query on the lead-status store. Empty
 * when the lead is unknown; throws when the answer cannot be had right now (store not ready,
 * rebalancing), which the API reports as retryable.
 */
@FunctionalInterface
public interface LeadStatusLookup {
    Optional<LeadStatus> find(String leadId);
}
