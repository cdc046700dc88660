package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.connector.limits.BuyerHealth;
import io.leadmkt.ops.Health;
import io.leadmkt.ops.ProcessMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorStatusApiTest {

    @Test
    void shouldShowPausedBuyersWhenOperatorAsksForBuyerHealth() throws Exception {
        Instant until = Instant.parse("2026-11-28T03:00:30Z");
        List<BuyerHealth> health = List.of(
                new BuyerHealth("steady", BuyerHealth.State.ACTIVE, null, 0, 2),
                new BuyerHealth("flaky", BuyerHealth.State.PAUSED, until, 5, 0));
        try (ProcessMetrics metrics = ProcessMetrics.start("test");
             ConnectorStatusApi api = ConnectorStatusApi.start(() -> health, () -> "pings=3",
                     () -> Health.ready("RUNNING"), metrics, 0)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + api.port() + "/v1/buyers/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode buyers = new ObjectMapper().readTree(response.body()).get("buyers");
            assertThat(buyers).hasSize(2);
            assertThat(buyers.get(1).get("buyerId").asText()).isEqualTo("flaky");
            assertThat(buyers.get(1).get("state").asText()).isEqualTo("PAUSED");
            assertThat(buyers.get(1).get("pausedUntil").asText()).isEqualTo("2026-11-28T03:00:30Z");
            assertThat(buyers.get(1).get("consecutiveErrors").asInt()).isEqualTo(5);
            assertThat(buyers.get(0).get("state").asText()).isEqualTo("ACTIVE");
        }
    }
}
