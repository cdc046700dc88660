package io.leadmkt.launcher;

import io.javalin.Javalin;
import io.leadmkt.connector.BuyerConnector;
import io.leadmkt.connector.limits.BuyerHealth;
import io.leadmkt.ops.Health;
import io.leadmkt.ops.OpsRoutes;
import io.leadmkt.ops.ProcessMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The buyer connector's own small HTTP face for operators: which buyers are paused or half-open
 * and why, and the connector's counters ({@code GET /v1/buyers/health}, {@code GET /health}), its
 * metrics and health ({@code GET /metrics}, {@code /health/live}, {@code /health/ready}:
 * {@link OpsRoutes}).
 */
public final class ConnectorStatusApi implements AutoCloseable {
    private final Javalin server;

    private ConnectorStatusApi(Javalin server) {
        this.server = server;
    }

    /** Serves {@code connector}, started or not: readiness says 503 until it has warmed up. */
    public static ConnectorStatusApi start(BuyerConnector connector, ProcessMetrics metrics, int port) {
        return start(connector::buyerHealth, () -> connector.stats().progressLine(), connector::health, metrics, port);
    }

    static ConnectorStatusApi start(Supplier<List<BuyerHealth>> buyers, Supplier<String> stats,
                                    Supplier<Health> health, ProcessMetrics metrics, int port) {
        Javalin server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/v1/buyers/health", ctx -> ctx.json(Map.of("buyers", buyers(buyers.get()))));
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP", "stats", stats.get())));
            OpsRoutes.mount(config.routes, metrics, health);
        });
        server.start(port);
        return new ConnectorStatusApi(server);
    }

    static List<Map<String, Object>> buyers(List<BuyerHealth> health) {
        return health.stream().map(h -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("buyerId", h.buyerId());
            json.put("state", h.state().name());
            json.put("pausedUntil", h.pausedUntil() == null ? null : h.pausedUntil().toString());
            json.put("consecutiveErrors", h.consecutiveErrors());
            json.put("inFlight", h.inFlight());
            return json;
        }).toList();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
