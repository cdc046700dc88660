package io.leadmkt.streams.api;

import io.leadmkt.schema.Lead;
import java.util.concurrent.CompletableFuture;

/**
 * Where the HTTP intake hands a lead that passed its checks: in production a producer to
 * {@code leads.inbound}. The future completes once the lead is durably accepted (acked), and
 * fails if it could not be.
 */
@FunctionalInterface
public interface LeadIntake {
    CompletableFuture<Void> submit(Lead lead);
}
