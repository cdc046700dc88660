package io.leadmkt.connector;

import java.time.Duration;

/** Skeleton: the buyer-connector helper replaces this body. */
public final class BuyerConnector implements AutoCloseable {

    /** Starts consuming pings and posts; returns once buyer config is loaded and consumers are assigned. */
    public static BuyerConnector start(ConnectorConfig config) {
        throw new UnsupportedOperationException("being built");
    }

    public void awaitReady(Duration timeout) {
        throw new UnsupportedOperationException("being built");
    }

    @Override
    public void close() {
    }
}
