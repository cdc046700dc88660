package io.leadmkt.streams;

import org.apache.kafka.streams.KafkaStreams;

/** Skeleton: replaced by the real application in this session. */
public final class LeadMarketApp implements AutoCloseable {

    /** Provisions topics, starts the topology and the HTTP API; returns once streams is RUNNING. */
    public static LeadMarketApp start(StreamsAppConfig config) {
        throw new UnsupportedOperationException("being built");
    }

    /** The port the intake / query API listens on. */
    public int httpPort() {
        throw new UnsupportedOperationException("being built");
    }

    public KafkaStreams streams() {
        throw new UnsupportedOperationException("being built");
    }

    @Override
    public void close() {
    }
}
