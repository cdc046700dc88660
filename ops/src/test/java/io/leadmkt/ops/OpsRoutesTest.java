package io.leadmkt.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsRoutesTest {
    private final AtomicReference<Supplier<Health>> health =
            new AtomicReference<>(() -> Health.notReady("STARTING", "warming up"));
    private ProcessMetrics metrics;
    private Javalin server;

    @BeforeEach
    void start() {
        metrics = ProcessMetrics.start("test-process");
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            OpsRoutes.mount(config.routes, metrics, () -> health.get().get());
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
        metrics.close();
    }

    @Test
    void shouldAnswer503WithTheReasonWhenNotReadyYet() throws Exception {
        HttpResponse<String> ready = get(OpsRoutes.READY);
        HttpResponse<String> live = get(OpsRoutes.LIVE);

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"NOT_READY\"").contains("\"reason\":\"warming up\"");
        assertThat(live.statusCode()).as("starting is alive: no restart").isEqualTo(200);
    }

    @Test
    void shouldAnswer200WhenReady() throws Exception {
        health.set(() -> Health.ready("RUNNING"));

        HttpResponse<String> ready = get(OpsRoutes.READY);

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"READY\"").contains("\"state\":\"RUNNING\"").doesNotContain("reason");
    }

    @Test
    void shouldAnswer503OnBothWhenTheProcessCannotRecover() throws Exception {
        health.set(() -> Health.dead("ERROR", "every stream thread died"));

        assertThat(get(OpsRoutes.LIVE).statusCode()).isEqualTo(503);
        assertThat(get(OpsRoutes.LIVE).body()).contains("\"status\":\"DOWN\"").contains("every stream thread died");
        assertThat(get(OpsRoutes.READY).statusCode()).isEqualTo(503);
    }

    @Test
    void shouldAnswerNotReadyWhenTheHealthCheckItselfFails() throws Exception {
        health.set(() -> {
            throw new IllegalStateException("store moving");
        });

        HttpResponse<String> ready = get(OpsRoutes.READY);

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("store moving");
    }

    @Test
    void shouldServeJvmAndOwnMetricsTaggedWithTheProcessWhenScraped() throws Exception {
        Counter.builder("leadmkt_test_events").register(metrics.registry()).increment(3);

        HttpResponse<String> scrape = get(OpsRoutes.METRICS);

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        assertThat(scrape.body())
                .contains("leadmkt_test_events_total{process=\"test-process\"} 3.0")
                .contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads{", "process_cpu_usage{");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
