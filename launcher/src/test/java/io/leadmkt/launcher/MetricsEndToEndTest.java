package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.ops.OpsRoutes;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.RoundAnswers;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.Rejection;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadGenerator.Kind;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.outcome.Outcomes;
import io.leadmkt.streams.outcome.Shed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.CloseOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics and health on a real broker with the real app and connector processes: a market day is
 * sold, then {@code /metrics} is scraped over HTTP and must tell what happened — every outcome and
 * rejection, every bid and post result per buyer, the buyers' answer times, the JVM and Kafka's own
 * meters — and the health routes must say ready only when the process serves at normal speed.
 */
class MetricsEndToEndTest {
    private static final CampaignConfig SELLING = RealMarket.campaign("camp-metrics", "seller-m", 1_000, 1_000);
    /** A floor above every bid: its leads end UNSOLD BELOW_FLOOR. */
    private static final CampaignConfig TOO_DEAR = RealMarket.campaign("camp-dear", "seller-m", 50_000, 1_000);
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** Our meters and the binders' (Kafka, JVM, process, system); PromQL's own words never start so. */
    private static final Pattern METRIC_NAME = Pattern.compile("\\b(?:leadmkt|kafka|jvm|process|system)_\\w+");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static RealMarket market;
    private static LeadMarketApp app;
    private static final List<String> leadIds = new ArrayList<>();

    @BeforeAll
    static void sellAMarketDay() throws Exception {
        market = RealMarket.start(List.of(
                BuyerSpec.of("top", BuyerBehaviour.alwaysBids(2_000).withAcceptProbability(0.5)),
                BuyerSpec.of("steady", BuyerBehaviour.alwaysBids(1_500)),
                BuyerSpec.of("passer", BuyerBehaviour.alwaysBids(1_000).withBidProbability(0))),
                List.of(SELLING, TOO_DEAR));
        app = LeadMarketApp.start(market.appConfig("metrics"));
        LeadGenerator selling = generator(SELLING, 11);
        LeadGenerator dear = generator(TOO_DEAR, 12);
        IntStream.range(0, 20).forEach(i -> leadIds.add(selling.send(Kind.VALID).leadId()));
        IntStream.range(0, 4).forEach(i -> leadIds.add(dear.send(Kind.VALID).leadId()));
        IntStream.range(0, 3).forEach(i -> leadIds.add(selling.send(Kind.INVALID_PHONE).leadId()));
        IntStream.range(0, 2).forEach(i -> leadIds.add(selling.send(Kind.NO_CONSENT).leadId()));
        market.awaitEveryLeadEnded(leadIds);
    }

    @AfterAll
    static void stopMarketplace() {
        closeAll(app, market);
    }

    @Test
    void shouldCountEveryOutcomeAndRejectionWhenLeadsAreSoldThenScraped() throws Exception {
        List<Outcome> outcomes = market.committedOutcomes();
        List<Rejection> rejections = market.committed(RealMarket.TOPICS.leadsRejected());
        assertThat(outcomes.stream().map(Outcome::getStatus)).as("a market day with sales and unsold leads")
                .contains(OutcomeStatus.SOLD, OutcomeStatus.UNSOLD);

        PrometheusScrape scrape = PrometheusScrape.of(app.httpPort());

        Map<List<String>, Long> byStatusAndReason = outcomes.stream().collect(Collectors.groupingBy(
                o -> List.of(o.getStatus().name(), o.getReason() == null ? "none" : o.getReason()), Collectors.counting()));
        assertThat(scrape.sum("leadmkt_outcomes_total")).isEqualTo(outcomes.size());
        byStatusAndReason.forEach((key, count) -> assertThat(scrape.sum("leadmkt_outcomes_total",
                "status", key.get(0), "reason", key.get(1))).as("outcomes %s", key).isEqualTo(count.doubleValue()));
        assertThat(scrape.sum("leadmkt_outcomes_total", "status", "UNSOLD", "reason", Outcomes.BELOW_FLOOR))
                .isEqualTo(4);
        countsEqual(scrape, "leadmkt_rejections_total", "reason", rejections, Rejection::getReasonCode);
        List<Outcome> sold = outcomes.stream().filter(o -> o.getStatus() == OutcomeStatus.SOLD).toList();
        countsEqual(scrape, "leadmkt_sold_total", "buyer", sold, Outcome::getBuyerId);
        assertThat(scrape.sum("leadmkt_sold_cents_total"))
                .isEqualTo(sold.stream().mapToLong(Outcome::getPriceCents).sum());
        assertThat(scrape.sum("leadmkt_shed_total", "reason", Shed.AT_AUCTION))
                .isEqualTo((double) outcomes.stream().filter(Shed::isShed).count());
        assertThat(scrape.sum("leadmkt_shed_total", "reason", Shed.AT_INTAKE))
                .isEqualTo((double) rejections.stream().filter(Shed::isShed).count());
        assertThat(scrape.sum("leadmkt_time_to_decision_seconds_count")).isEqualTo(outcomes.size());
        assertThat(scrape.matching("leadmkt_time_to_decision_seconds_bucket", "status", "SOLD"))
                .as("latency buckets for percentiles").hasSizeGreaterThan(5);
        assertThat(scrape.names()).contains("leadmkt_auctions_open", "leadmkt_intake_lag_seconds", "leadmkt_intake_until_offer_seconds", "leadmkt_ready",
                "leadmkt_intake_leads_in_flight", "leadmkt_intake_leads_in_flight_max", "leadmkt_intake_refused_total");
        assertThat(scrape.sum("leadmkt_ready")).isEqualTo(1);
        assertThat(scrape.names()).as("JVM and Kafka Streams meters").contains("jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_cpu_usage", "jvm_gc_overhead",
                "kafka_consumer_fetch_manager_records_lag_max", "kafka_producer_record_send_total");
        assertThat(scrape.names()).anyMatch(name -> name.startsWith("kafka_stream_"));
    }

    @Test
    void shouldWriteEachPingsAnswersOnOneRecordWhenEveryBuyerOfTheRoundIsAWebhook() {
        List<io.leadmkt.schema.Ping> pings = market.committed(RealMarket.TOPICS.pings());
        List<Bid> records = market.committed(RealMarket.TOPICS.bids());

        assertThat(pings).isNotEmpty();
        assertThat(records).as("one record per ping round").hasSameSizeAs(pings);
        Map<String, List<String>> answeredByLead = records.stream().collect(Collectors.toMap(Bid::getLeadId,
                record -> RoundAnswers.each(record).stream().map(Bid::getBuyerId).sorted().toList()));
        assertThat(pings).allSatisfy(ping -> assertThat(answeredByLead.get(ping.getLeadId()))
                .as("every pinged buyer answered once, on the ping's one record")
                .isEqualTo(ping.getBuyers().stream().sorted().toList()));
    }

    @Test
    void shouldCountEveryBidAndPostResultPerBuyerWhenTheConnectorIsScraped() throws Exception {
        List<Bid> written = market.committed(RealMarket.TOPICS.bids()).stream()
                .flatMap(record -> RoundAnswers.each(record).stream()).toList();
        // What our side never got to a buyer is not its answer (and the auction's own NO_POST_RESULT
        // markers are not the connector's): counted apart.
        List<Bid> bids = written.stream().filter(b -> !BidReasons.platformWasBehind(b)).toList();
        List<PostResult> postResults = market.committed(RealMarket.TOPICS.postResults()).stream()
                .filter(r -> !PostReasons.neverSent(r) && !PostReasons.NO_POST_RESULT.equals(r.getReason())).toList();

        PrometheusScrape scrape = PrometheusScrape.of(market.connectorPort());
        assertThat(scrape.sum("leadmkt_connector_not_reached_total", "kind", "ping"))
                .isEqualTo((double) (written.size() - bids.size()));

        Function<Bid, String> buyerStatus = b -> b.getBuyerId() + "/" + b.getStatus();
        Map<String, Long> expected = bids.stream().collect(Collectors.groupingBy(buyerStatus, Collectors.counting()));
        assertThat(expected).containsKeys("top/BID", "steady/BID", "passer/PASS");
        expected.forEach((key, count) -> {
            String[] parts = key.split("/");
            assertThat(scrape.sum("leadmkt_bids_total", "buyer", parts[0], "status", parts[1]))
                    .as("bids %s", key).isEqualTo(count.doubleValue());
            assertThat(scrape.sum("leadmkt_ping_latency_seconds_count", "buyer", parts[0], "status", parts[1]))
                    .as("answers timed %s", key).isEqualTo(count.doubleValue());
        });
        assertThat(scrape.matching("leadmkt_ping_latency_seconds_bucket", "buyer", "top", "status", "BID"))
                .as("per-buyer latency buckets").hasSizeGreaterThan(5);
        assertThat(scrape.sum("leadmkt_post_results_total")).isEqualTo(postResults.size());
        assertThat(scrape.sum("leadmkt_post_results_total", "buyer", "steady", "status", "ACCEPTED"))
                .isEqualTo((double) postResults.stream().filter(r -> r.getBuyerId().equals("steady")).count());
        assertThat(scrape.names()).contains("leadmkt_post_latency_seconds_bucket", "leadmkt_connector_pings_total",
                "jvm_memory_used_bytes", "kafka_consumer_fetch_manager_records_lag_max",
                "kafka_producer_record_send_total");
    }

    @Test
    void shouldServeEveryMetricTheDashboardAndTheAlertsNameWhenScraped() throws Exception {
        Set<String> served = new HashSet<>(PrometheusScrape.of(app.httpPort()).names());
        served.addAll(PrometheusScrape.of(market.connectorPort()).names());

        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/leadmkt-dashboard.json").toFile());
        JsonNode alerts = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
        Set<String> dashboardNames = metricNames(dashboard);
        Set<String> alertNames = metricNames(alerts);

        assertThat(dashboardNames).as("the dashboard's metrics").hasSizeGreaterThan(20);
        assertThat(served).as("served on /metrics: every metric the dashboard queries").containsAll(dashboardNames);
        assertThat(alertNames).as("the alerts' metrics").contains("leadmkt_ready", "leadmkt_shed_total",
                "leadmkt_post_results_total", "kafka_consumer_fetch_manager_records_lag_max");
        assertThat(served).as("served on /metrics: every metric an alert rule uses").containsAll(alertNames);
    }

    @Test
    void shouldAnswerReadyOnlyOnceTheConnectorHasWarmedUp() throws Exception {
        // A second connector of the same group: it takes over no committed work, only partitions.
        try (ConnectorProcess connector = ConnectorProcess.open(
                ConnectorConfig.defaults(market.broker().bootstrapServers()), 0)) {
            HttpResponse<String> before = get(connector.port(), OpsRoutes.READY);
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(before.body()).contains("\"status\":\"NOT_READY\"", "warming up");
            assertThat(get(connector.port(), OpsRoutes.LIVE).statusCode()).as("alive while warming up").isEqualTo(200);
            assertThat(PrometheusScrape.of(connector.port()).sum("leadmkt_ready")).isZero();

            connector.start();

            assertThat(get(connector.port(), OpsRoutes.READY).statusCode()).isEqualTo(200);
            assertThat(PrometheusScrape.of(connector.port()).sum("leadmkt_ready")).isEqualTo(1);
            assertThat(get(connector.port(), "/v1/buyers/health").statusCode()).as("the older route").isEqualTo(200);
        }
    }

    @Test
    void shouldAnswerNotReadyButAliveWhenStreamsStopsUnderARunningApi() throws Exception {
        LeadMarketApp second = LeadMarketApp.start(market.appConfig("metrics-second"));
        try {
            assertThat(get(second.httpPort(), OpsRoutes.READY).statusCode()).isEqualTo(200);
            assertThat(get(second.httpPort(), OpsRoutes.READY).body()).contains("\"status\":\"READY\"");
            assertThat(get(second.httpPort(), "/health").statusCode()).as("the older route").isEqualTo(200);

            second.streams().close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));

            HttpResponse<String> ready = get(second.httpPort(), OpsRoutes.READY);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"state\":\"NOT_RUNNING\"", "shutting down");
            assertThat(get(second.httpPort(), OpsRoutes.LIVE).statusCode()).isEqualTo(200);
        } finally {
            second.close();
        }
    }

    /** Every metric name an expression in {@code document} (a dashboard, alert rules) uses. */
    private static Set<String> metricNames(JsonNode document) {
        Set<String> names = new HashSet<>();
        for (JsonNode expr : document.findValues("expr")) {
            Matcher m = METRIC_NAME.matcher(expr.asText());
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static <T> void countsEqual(PrometheusScrape scrape, String metric, String label, List<T> events,
                                        Function<T, String> value) {
        Map<String, Long> expected = events.stream().collect(Collectors.groupingBy(value, Collectors.counting()));
        assertThat(expected).isNotEmpty();
        expected.forEach((key, count) -> assertThat(scrape.sum(metric, label, key)).as("%s %s", metric, key)
                .isEqualTo(count.doubleValue()));
        assertThat(scrape.sum(metric)).as("%s in all", metric).isEqualTo(events.size());
    }

    private static LeadGenerator generator(CampaignConfig campaign, long seed) {
        return new LeadGenerator(market.producer(), RealMarket.TOPICS,
                new LeadGenerator.Options(1, 0, seed, List.of(campaign)));
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
