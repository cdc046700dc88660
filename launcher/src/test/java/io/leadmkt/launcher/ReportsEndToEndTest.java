package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.TOPICS;
import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.LeadGenerator.Kind;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.api.InstanceFanOut;
import io.leadmkt.streams.report.ReportProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Reports on the real broker with two instances of the app, each hosting some of the report
 * store's partitions and a standby of the other's: either instance's {@code GET /v1/reports/buyer}
 * and {@code /seller} (JSON and CSV) total exactly what the outcomes topic says, per buyer and per
 * seller; either instance's {@code GET /v1/privacy/disclosures} gives the same answer for a consumer,
 * wherever their identity lives. With one instance gone, the survivor answers from its standbys
 * until the group rebalances, and from its own active partitions after.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportsEndToEndTest {
    private static final int LEADS = 60;
    private static final List<CampaignConfig> CAMPAIGNS = RealMarket.NORTH_AND_SOUTH;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A standby of every partition on the other instance, and a session long enough that the group
     * does not notice a stopped instance during the test (static members: it never leaves by itself).
     */
    private static final Map<String, String> STANDBYS = Map.of("num.standby.replicas", "1",
            "session.timeout.ms", "300000");
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
    private static RealMarket market;
    private static LeadMarketApp first;
    /** An analyst key: every report row, sent on by the instance asked to the other. */
    private static String analystKey;
    private static LeadMarketApp second;
    private static List<Outcome> outcomes;
    /** A privacy officer's key: disclosures, asked of either instance, answered by the identity's owner. */
    private static String privacyKey;
    private static List<LeadGenerator.Sent> sent;
    /** The reports' application id: the group whose members take over each other's report partitions. */
    private static String applicationId;
    /** How many partitions the report store has. */
    private static int partitions;

    @BeforeAll
    static void start() throws Exception {
        market = RealMarket.start(RealMarket.KNOWN_BIDDERS, CAMPAIGNS);
        // The reports as an application of their own (streams.reports.own.instance), the other end-to-end
        // classes run them inside the market's: here the fan-out, standbys and takeover follow the reports' group.
        StreamsAppConfig config = market.appConfig("reports-a", instance("reports-a")).withReportsOwnInstance(true);
        applicationId = config.reportsApplicationId();
        partitions = config.partitions();
        analystKey = market.apiKey("analyst", List.of(), null);
        privacyKey = market.apiKey("privacy", List.of(), null);
        first = LeadMarketApp.start(config);
        second = LeadMarketApp.start(market.appConfig("reports-b", instance("reports-b")).withReportsOwnInstance(true));
        assertThat(first.reportStreams()).isNotSameAs(first.streams());
        LeadGenerator generator = new LeadGenerator(market.producer(), TOPICS,
                new LeadGenerator.Options(1, 0, 42, CAMPAIGNS));
        sent = IntStream.range(0, LEADS).mapToObj(i -> generator.send(Kind.VALID)).toList();
        List<String> ids = sent.stream().map(LeadGenerator.Sent::leadId).toList();
        market.producer().flush();
        market.awaitEveryLeadEnded(ids);
        outcomes = market.committedOutcomes();
        assertThat(outcomes).hasSize(LEADS);
        awaitReportsCaughtUp();
        assertThat(RealMarket.activePartitions(first)).as("both instances host report partitions").isNotEmpty();
        assertThat(RealMarket.activePartitions(second)).isNotEmpty();
    }

    @Test
    void shouldReadTheMarketsAuditAndOutcomesOnTheirOwnThreadWhenTheReportsRunApart() {
        for (LeadMarketApp app : List.of(first, second)) {
            assertThat(app.reportStreams().metadataForLocalThreads()).extracting(ThreadMetadata::threadName)
                    .allMatch(name -> name.startsWith(applicationId + "-"));
            Set<String> read = app.reportStreams().metadataForLocalThreads().stream()
                    .flatMap(thread -> Stream.concat(thread.activeTasks().stream(), thread.standbyTasks().stream()))
                    .flatMap(task -> task.topicPartitions().stream()).map(TopicPartition::topic)
                    .collect(Collectors.toSet());
            assertThat(read).contains(Topics.AUDIT, Topics.OUTCOMES, Topics.LEADS_REJECTED)
                    .doesNotContain(Topics.BIDS, Topics.LEADS_INBOUND);
        }
    }

    @AfterAll
    static void stop() {
        closeAll(first, second, market);
    }

    @Test
    void shouldTotalTheOutcomesPerBuyerOnEitherInstanceWhenAskedForJson() throws Exception {
        Map<String, Long> revenue = soldBy(Outcome::getBuyerId, Outcome::getPriceCents);
        Map<String, Long> sold = soldBy(Outcome::getBuyerId, o -> 1L);

        for (LeadMarketApp app : List.of(first, second)) {
            JsonNode rows = awaitJson(app, "buyer").path("rows");
            assertThat(sumBy(rows, "buyer", "revenue", true)).isEqualTo(revenue);
            assertThat(sumBy(rows, "buyer", "sold", false)).isEqualTo(sold);
            assertThat(sumBy(rows, "buyer", "pings", false)).as("every buyer pinged for every lead")
                    .isEqualTo(Map.of("picky", (long) LEADS, "steady", (long) LEADS, "cheap", (long) LEADS));
            assertThat(sumBy(rows, "buyer", "accepted", false).get("picky")).isNull();
        }
    }

    @Test
    void shouldTotalTheOutcomesPerSellerOnEitherInstanceWhenAskedForJsonOrCsv() throws Exception {
        Map<String, Long> revenue = new TreeMap<>();
        Map<String, Long> payout = new TreeMap<>();
        Map<String, Long> leads = new TreeMap<>();
        Map<String, String> sellerOf = CAMPAIGNS.stream()
                .collect(Collectors.toMap(CampaignConfig::getCampaignId, CampaignConfig::getSellerId));
        for (Outcome outcome : outcomes) {
            String seller = sellerOf.get(outcome.getCampaignId());
            leads.merge(seller, 1L, Long::sum);
            if (outcome.getStatus() == OutcomeStatus.SOLD) {
                revenue.merge(seller, outcome.getPriceCents(), Long::sum);
                payout.merge(seller, outcome.getSellerPayoutCents(), Long::sum);
            }
        }

        for (LeadMarketApp app : List.of(first, second)) {
            JsonNode rows = awaitJson(app, "seller").path("rows");
            assertThat(sumBy(rows, "seller", "revenue", true)).isEqualTo(revenue);
            assertThat(sumBy(rows, "seller", "sellerPayout", true)).isEqualTo(payout);
            assertThat(sumBy(rows, "seller", "leads", false)).isEqualTo(leads);

            HttpResponse<String> csv = get(app, "seller", "text/csv");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
            List<String> lines = csv.body().lines().toList();
            List<String> header = Arrays.asList(lines.get(0).split(","));
            Map<String, Long> csvRevenue = new TreeMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(",", -1);
                csvRevenue.merge(fields[header.indexOf("seller")],
                        Money.parseCents(fields[header.indexOf("revenue")]).orElseThrow(), Long::sum);
            }
            assertThat(csvRevenue).isEqualTo(revenue);
        }
    }

    @Test
    void shouldDiscloseEveryConsumersLeadOnEitherInstanceWhenAskedByPhone() throws Exception {
        Map<String, Outcome> byLead = outcomes.stream().collect(Collectors.toMap(Outcome::getLeadId, o -> o));
        for (LeadGenerator.Sent lead : sent.subList(0, 12)) {
            String phone = lead.lead().getContact().getPhone();
            List<JsonNode> answers = new java.util.ArrayList<>();
            for (LeadMarketApp app : List.of(first, second)) {
                URI uri = URI.create("http://127.0.0.1:" + app.httpPort() + "/v1/privacy/disclosures?phone="
                        + java.net.URLEncoder.encode(phone, java.nio.charset.StandardCharsets.UTF_8));
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + privacyKey).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                answers.add(JSON.readTree(response.body()));
            }
            assertThat(answers.get(1)).as("the same answer from either instance").isEqualTo(answers.get(0));
            JsonNode disclosed = answers.get(0).path("leads");
            assertThat(disclosed).extracting(l -> l.path("leadId").asText()).contains(lead.leadId());
            JsonNode mine = java.util.stream.StreamSupport.stream(disclosed.spliterator(), false)
                    .filter(l -> l.path("leadId").asText().equals(lead.leadId())).findFirst().orElseThrow();
            assertThat(mine.path("pinged")).extracting(b -> b.path("buyerId").asText())
                    .containsExactlyInAnyOrder("picky", "steady", "cheap");
            Outcome outcome = byLead.get(lead.leadId());
            if (outcome.getStatus() == OutcomeStatus.SOLD) {
                assertThat(mine.path("receivedFullLead")).extracting(b -> b.path("buyerId").asText())
                        .contains(outcome.getBuyerId());
            }
        }
    }

    /** Last: it stops the second instance. */
    @Test
    @Order(Integer.MAX_VALUE)
    void shouldAnswerTheWholeReportFromStandbysBeforeTheRebalanceAndFromTheSurvivorAfterWhenTheOtherInstanceIsDown()
            throws Exception {
        Map<String, Long> revenue = soldBy(Outcome::getBuyerId, Outcome::getPriceCents);
        HostInfo gone = new HostInfo("127.0.0.1", second.httpPort());
        Set<Integer> itsPartitions = activeOn(gone);
        assertThat(itsPartitions).as("report partitions active on the instance to stop").isNotEmpty();
        RealMarket.stopWithoutLeaving(second);
        second = null;
        long stopped = System.nanoTime();

        // The group has not noticed: the survivor reads those partitions from its standbys, and says so.
        HttpResponse<String> fromStandbys = awaitAnswer(first, reportPath("buyer"),
                body -> sumBy(body.path("rows"), "buyer", "revenue", true).equals(revenue));
        System.out.printf("whole report from standbys %d ms after the other instance stopped%n",
                Duration.ofNanos(System.nanoTime() - stopped).toMillis());
        JsonNode report = JSON.readTree(fromStandbys.body());
        assertThat(standbyPartitions(report)).isEqualTo(itsPartitions);
        assertThat(fromStandbys.headers().firstValue(InstanceFanOut.STANDBY_HEADER))
                .contains(itsPartitions.stream().map(String::valueOf).collect(Collectors.joining(",")));
        HttpResponse<String> csv = get(first, "buyer", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue(InstanceFanOut.STANDBY_HEADER)).isPresent();
        JsonNode curve = JSON.readTree(awaitAnswer(first, "/v1/whatif/floor?floors=5.00&from="
                + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now().plus(Duration.ofMinutes(1)),
                body -> body.path("recorded").path("leads").asInt() == LEADS).body());
        assertThat(standbyPartitions(curve)).isEqualTo(itsPartitions);
        // What an instance asks another for when their standbys hold what it needs: here, the survivor's own.
        JsonNode share = JSON.readTree(send(first, reportPath("buyer") + "&scope=local&standby="
                + itsPartitions.stream().map(String::valueOf).collect(Collectors.joining(",")), "application/json").body());
        assertThat(share.path("partitions")).extracting(JsonNode::asInt).containsExactlyElementsOf(itsPartitions);
        assertThat(activeOn(gone)).as("still active on the stopped instance: no rebalance yet")
                .isEqualTo(itsPartitions);

        // Once the group lets it go, the survivor takes its partitions over (from its standbys) and answers alone.
        market.removeFromGroup(applicationId, "reports-b");
        long removed = System.nanoTime();
        HttpResponse<String> fromActives = awaitAnswer(first, reportPath("buyer"),
                body -> body.path("standbyPartitions").isEmpty());
        System.out.printf("whole report from the survivor's own partitions %d ms after the group let the other go%n",
                Duration.ofNanos(System.nanoTime() - removed).toMillis());
        report = JSON.readTree(fromActives.body());
        assertThat(sumBy(report.path("rows"), "buyer", "revenue", true)).isEqualTo(revenue);
        assertThat(standbyPartitions(report)).isEmpty();
        assertThat(fromActives.headers().firstValue(InstanceFanOut.STANDBY_HEADER)).isEmpty();
        assertThat(activeOn(new HostInfo("127.0.0.1", first.httpPort()))).as("the survivor hosts every partition")
                .hasSize(partitions);
    }

    @Test
    void shouldNameTheBadParameterWhenTheDimensionOrBucketOrTimeIsWrong() throws Exception {
        assertThat(badParameter("/v1/reports/galaxy")).isEqualTo("dimension");
        assertThat(badParameter("/v1/reports/buyer?bucket=week")).isEqualTo("bucket");
        assertThat(badParameter("/v1/reports/buyer?from=yesterday")).isEqualTo("from");
        assertThat(badParameter("/v1/reports/buyer?to=2026-13-01")).isEqualTo("to");
    }

    private static String badParameter(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + first.httpPort() + path)).header("Authorization", "Bearer " + analystKey)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        return JSON.readTree(response.body()).path("parameter").asText();
    }

    private static Map<String, Long> soldBy(Function<Outcome, String> key, Function<Outcome, Long> amount) {
        Map<String, Long> totals = new TreeMap<>();
        outcomes.stream().filter(o -> o.getStatus() == OutcomeStatus.SOLD)
                .forEach(o -> totals.merge(key.apply(o), amount.apply(o), Long::sum));
        return totals;
    }

    /** Per dimension value, the figure summed over the rows' buckets; zeros left out. */
    private static Map<String, Long> sumBy(JsonNode rows, String dimension, String figure, boolean money) {
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode row : rows) {
            long amount = money ? Money.parseCents(row.path(figure).asText()).orElseThrow() : row.path(figure).asLong();
            totals.merge(row.path(dimension).asText(), amount, Long::sum);
        }
        totals.values().removeIf(v -> v == 0);
        return new TreeMap<>(totals);
    }

    /** The report once every partition answers (right after start-up a store may still be restoring: 503). */
    private static JsonNode awaitJson(LeadMarketApp app, String dimension) throws Exception {
        return JSON.readTree(awaitAnswer(app, reportPath(dimension), body -> true).body());
    }

    /**
     * The first 200 answer to {@code path} whose JSON is {@code settled} (a standby may lag its active a
     * little; a store may be restoring: 503 with Retry-After meanwhile).
     */
    private static HttpResponse<String> awaitAnswer(LeadMarketApp app, String path, Predicate<JsonNode> settled) {
        return Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> response = send(app, path, "application/json");
            if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                return null;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return settled.test(JSON.readTree(response.body())) ? response : null;
        }, Objects::nonNull);
    }

    private static HttpResponse<String> get(LeadMarketApp app, String dimension, String accept) {
        return send(app, reportPath(dimension), accept);
    }

    /** The report of {@code dimension} by day, over the day before and after now. */
    private static String reportPath(String dimension) {
        Instant now = Instant.now();
        return "/v1/reports/" + dimension + "?bucket=day&from=" + now.minus(Duration.ofDays(1))
                + "&to=" + now.plus(Duration.ofDays(1));
    }

    private static HttpResponse<String> send(LeadMarketApp app, String path, String accept) {
        URI uri = URI.create("http://127.0.0.1:" + app.httpPort() + path);
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).header("Accept", accept)
                            .header("Authorization", "Bearer " + analystKey).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + uri + " failed", e);
        }
    }

    /**
     * Until the reports' group has read every record of the topics it reads: running apart, the reports trail
     * the market by their own commits, so an ended lead's outcome can be committed before its figures are.
     */
    private static void awaitReportsCaughtUp() throws Exception {
        try (Admin admin = market.broker().admin()) {
            List<TopicPartition> read = new ArrayList<>();
            for (String topic : List.of(Topics.AUDIT, Topics.OUTCOMES, Topics.LEADS_REJECTED)) {
                for (int partition = 0; partition < partitions; partition++) {
                    read.add(new TopicPartition(topic, partition));
                }
            }
            Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(read.stream()
                        .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all().get();
                return read.stream().allMatch(p -> ends.get(p).offset() == 0 || (committed.get(p) != null
                        && committed.get(p).offset() >= ends.get(p).offset()));
            });
        }
    }

    /** An instance's pass-through properties: {@link #STANDBYS}, and its static membership as {@code instanceId}. */
    private static Map<String, String> instance(String instanceId) {
        Map<String, String> properties = new HashMap<>(STANDBYS);
        properties.put("group.instance.id", instanceId);
        return properties;
    }

    /** The report store's partitions the survivor's metadata names {@code host} the active instance of. */
    private static Set<Integer> activeOn(HostInfo host) {
        Set<Integer> active = new TreeSet<>();
        InstanceFanOut.copies(first.reportStreams(), ReportProcessor.STORE, partitions).forEach((partition, copies) -> {
            if (copies.active().filter(host::equals).isPresent()) {
                active.add(partition);
            }
        });
        return active;
    }

    private static Set<Integer> standbyPartitions(JsonNode answer) {
        assertThat(answer.path("standbyPartitions").isArray()).as(answer.toString()).isTrue();
        Set<Integer> partitions = new TreeSet<>();
        answer.path("standbyPartitions").forEach(p -> partitions.add(p.asInt()));
        return partitions;
    }
}
