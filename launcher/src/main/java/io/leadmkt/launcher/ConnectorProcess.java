package io.leadmkt.launcher;

import io.leadmkt.connector.BuyerConnector;
import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.ops.ProcessMetrics;

/**
 * The buyer connector as a process of its own: the connector, its metrics and its status API. The
 * API listens before the connector starts, so an orchestrator sees it alive but not ready (503)
 * while it warms up, and ready once it serves pings at normal speed.
 */
public final class ConnectorProcess implements AutoCloseable {
    private final ProcessMetrics metrics;
    private final BuyerConnector connector;
    private final ConnectorStatusApi status;

    private ConnectorProcess(ProcessMetrics metrics, BuyerConnector connector, ConnectorStatusApi status) {
        this.metrics = metrics;
        this.connector = connector;
        this.status = status;
    }

    /** Creates the connector and starts its status API on {@code port} (0: a free one); not started yet. */
    public static ConnectorProcess open(ConnectorConfig config, int port) {
        ProcessMetrics metrics = ProcessMetrics.start(BuyerConnector.PROCESS);
        BuyerConnector connector = null;
        try {
            connector = BuyerConnector.create(config, metrics.registry());
            metrics.watch(connector::health);
            return new ConnectorProcess(metrics, connector, ConnectorStatusApi.start(connector, metrics, port));
        } catch (RuntimeException e) {
            if (connector != null) {
                connector.close();
            }
            metrics.close();
            throw e;
        }
    }

    /** Warms the connector up and starts it (see {@link BuyerConnector#start()}); closes everything on failure. */
    public ConnectorProcess start() {
        try {
            connector.start();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public BuyerConnector connector() {
        return connector;
    }

    /** The port of the status API: {@code /metrics}, {@code /health/ready}, {@code /v1/buyers/health}. */
    public int port() {
        return status.port();
    }

    @Override
    public void close() {
        status.close();
        connector.close();
        metrics.close();
    }
}
