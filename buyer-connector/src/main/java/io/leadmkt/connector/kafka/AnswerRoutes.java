package io.leadmkt.connector.kafka;

import io.leadmkt.schema.AnswerRoute;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The auction partition of each lead recently pinged or posted to a Kafka-native buyer, so its
 * answer, keyed by lead id only, is relayed to the partition its auction reads ({@link AnswerRoute}).
 * Kept in memory and bounded: an auction decides within its campaign's time to decision (a minute by
 * default), far less than the {@value #CAPACITY} newest leads take to arrive at any rate this serves.
 * An answer whose lead is not here any more (the connector restarted in between) is broadcast.
 */
final class AnswerRoutes {
    static final int CAPACITY = 100_000;

    private final Map<String, Integer> byLead = new LinkedHashMap<>(1_024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Remembers where the answers to a request for this lead go; requests from before routing name none. */
    synchronized void remember(String leadId, int auctionPartition) {
        if (auctionPartition >= 0) {
            byLead.put(leadId, auctionPartition);
        }
    }

    /** The partition of the lead's auction, if known. */
    synchronized Optional<Integer> partitionOf(String leadId) {
        return Optional.ofNullable(byLead.get(leadId));
    }
}
