package io.leadmkt.connector;

/**
 * @param bootstrapServers       Kafka bootstrap servers
 * @param groupId                consumer group of the connector's ping and post consumers
 * @param maxConcurrentRequests  cap on in-flight HTTP requests across all buyers
 * @param producerLingerMs       linger.ms of the bids / post-results producer
 * @param maxPriceCents          a bid above this is an ERROR (absurd price), not a win
 */
public record ConnectorConfig(
        String bootstrapServers,
        String groupId,
        int maxConcurrentRequests,
        int producerLingerMs,
        long maxPriceCents) {

    public static ConnectorConfig defaults(String bootstrapServers) {
        return new ConnectorConfig(bootstrapServers, "leadmkt-connector", 512, 5, io.leadmkt.schema.Money.MAX_BID_CENTS);
    }
}
