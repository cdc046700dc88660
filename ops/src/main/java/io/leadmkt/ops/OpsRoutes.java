package io.leadmkt.ops;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * The operator routes every process serves beside its own API: {@code GET /metrics} (Prometheus
 * text format), {@code GET /health/live} and {@code GET /health/ready} — 200 when so, 503 with a
 * JSON body saying why not. A health supplier that throws is taken as not ready, never as a 500.
 */
public final class OpsRoutes {
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private OpsRoutes() {
    }

    public static void mount(RoutesConfig routes, ProcessMetrics metrics, Supplier<Health> health) {
        routes.get(METRICS, ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
        routes.get(LIVE, ctx -> answer(ctx, Health.checked(health), false));
        routes.get(READY, ctx -> answer(ctx, Health.checked(health), true));
    }

    private static void answer(Context ctx, Health health, boolean readiness) {
        boolean ok = readiness ? health.ready() : health.live();
        ctx.header("Cache-Control", "no-store");
        ctx.status(ok ? 200 : 503).json(health.json(readiness));
    }
}
