package io.leadmkt.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a process tells its orchestrator: whether it is alive (restart it if not) and whether it
 * should get traffic now (route around it if not), and why not. Each process decides these with a
 * pure rule over its own state; {@link OpsRoutes} serves them as {@code /health/live} and
 * {@code /health/ready}.
 *
 * @param live   the process can still do its work; false only when a restart is the one way back
 * @param ready  warmed up and serving at normal speed
 * @param state  the process's own word for where it is (e.g. Kafka Streams' state)
 * @param reason why it is not ready (or not live); null when it is
 */
public record Health(boolean live, boolean ready, String state, String reason) {

    public Health {
        Objects.requireNonNull(state, "state");
        if (ready && !live) {
            throw new IllegalArgumentException("a dead process cannot be ready");
        }
    }

    public static Health ready(String state) {
        return new Health(true, true, state, null);
    }

    /** Alive, and on its way (starting, warming up, rebalancing): wait, do not restart. */
    public static Health notReady(String state, String reason) {
        return new Health(true, false, state, Objects.requireNonNull(reason, "reason"));
    }

    /** Cannot recover by itself: restart it. */
    public static Health dead(String state, String reason) {
        return new Health(false, false, state, Objects.requireNonNull(reason, "reason"));
    }

    /** What {@code check} says, or not ready when the check itself fails: never an exception. */
    public static Health checked(Supplier<Health> check) {
        try {
            return Objects.requireNonNull(check.get(), "health");
        } catch (RuntimeException e) {
            return notReady("UNKNOWN", "health check failed: " + e);
        }
    }

    /** The JSON body of a health answer: status, state and, when not ready, the reason. */
    public Map<String, Object> json(boolean readiness) {
        Map<String, Object> json = new LinkedHashMap<>();
        boolean ok = readiness ? ready : live;
        json.put("status", readiness ? (ok ? "READY" : "NOT_READY") : (ok ? "UP" : "DOWN"));
        json.put("state", state);
        if (!ok) {
            json.put("reason", reason);
        }
        return json;
    }
}
