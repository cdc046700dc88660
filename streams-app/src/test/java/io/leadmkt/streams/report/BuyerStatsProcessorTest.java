package io.leadmkt.streams.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.schema.serde.AvroSerde;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stats processor alone: post results keyed by buyer id in, each buyer's new stats out. */
class BuyerStatsProcessorTest {
    private static final String IN = "post-results-by-buyer";
    private static final String OUT = Topics.BUYER_STATS;
    private static final Instant START = Instant.parse("2026-11-28T03:00:00Z");

    private final Topics topics = Topics.embedded();
    private TopologyTestDriver driver;
    private TestInputTopic<String, PostResult> results;
    private TestOutputTopic<String, BuyerStats> stats;

    @BeforeEach
    void setUp() {
        AvroSerde<BuyerStats> statsSerde = topics.serde(BuyerStats.class);
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), topics.serde(PostResult.class).deserializer(), IN);
        topology.addProcessor("buyer-stats", BuyerStatsProcessor.supplier(statsSerde, true), "in");
        topology.addSink("out", OUT, Serdes.String().serializer(), statsSerde.serializer(), "buyer-stats");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "buyer-stats-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props, START);
        results = driver.createInputTopic(IN, new StringSerializer(), topics.serde(PostResult.class).serializer());
        stats = driver.createOutputTopic(OUT, new StringDeserializer(), statsSerde.deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void result(String buyerId, String leadId, int attempt, PostStatus status) {
        results.pipeInput(buyerId, PostResult.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setAttempt(attempt)
                .setStatus(status).setRespondedAt(START.toEpochMilli()).build());
    }

    private BuyerStats last() {
        List<BuyerStats> all = stats.readValuesToList();
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    @Test
    void shouldCountOnlyAcceptedAsAcceptedWhenResultsVary() {
        result("b1", "L1", 1, PostStatus.ACCEPTED);
        result("b1", "L2", 1, PostStatus.REJECTED);
        result("b1", "L3", 1, PostStatus.ERROR);
        result("b1", "L4", 1, PostStatus.TIMEOUT);

        List<BuyerStats> all = stats.readValuesToList();
        assertThat(all).extracting(BuyerStats::getRecent).containsExactly("A", "AR", "ARR", "ARRR");
        assertThat(all).extracting(BuyerStats::getAcceptanceRateBasisPoints).containsExactly(10_000, 5_000, 3_333, 2_500);
        assertThat(all.get(3).getBuyerId()).isEqualTo("b1");
        assertThat(all.get(3).getUpdatedAt()).isEqualTo(START.toEpochMilli());
    }

    @Test
    void shouldKeyTheStatsByBuyerAndKeepBuyersApartWhenSeveralPost() {
        result("b1", "L1", 1, PostStatus.ACCEPTED);
        result("b2", "L1", 2, PostStatus.REJECTED);
        result("b1", "L2", 1, PostStatus.ACCEPTED);

        assertThat(stats.readKeyValuesToList()).extracting(kv -> kv.key + "=" + kv.value.getRecent())
                .containsExactly("b1=A", "b2=R", "b1=AA");
    }

    @Test
    void shouldEvictTheOldestResultWhenTheHundredAndFirstArrives() {
        result("b1", "L0", 1, PostStatus.ACCEPTED); // the one to be evicted
        for (int i = 1; i < 100; i++) {
            result("b1", "L" + i, 1, i % 3 == 0 ? PostStatus.ACCEPTED : PostStatus.REJECTED);
        }
        BuyerStats full = last();
        assertThat(full.getRecent()).hasSize(100).startsWith("A");
        // L0 plus 33 multiples of 3 in 1..99: 34 accepted of 100.
        assertThat(full.getAcceptanceRateBasisPoints()).isEqualTo(3_400);

        result("b1", "L100", 1, PostStatus.REJECTED);

        BuyerStats after = last();
        assertThat(after.getRecent()).hasSize(100).isEqualTo(full.getRecent().substring(1) + "R");
        assertThat(after.getAcceptanceRateBasisPoints()).isEqualTo(3_300);
    }

    @Test
    void shouldComputeTheRateExactlyInIntegerBasisPointsWhenItDoesNotDivideEvenly() {
        result("b1", "L1", 1, PostStatus.ACCEPTED);
        result("b1", "L2", 1, PostStatus.ACCEPTED);
        result("b1", "L3", 1, PostStatus.REJECTED);
        assertThat(last().getAcceptanceRateBasisPoints()).isEqualTo(6_666); // 2/3 rounded down

        for (int i = 4; i <= 7; i++) {
            result("b1", "L" + i, 1, PostStatus.REJECTED);
        }
        assertThat(last().getAcceptanceRateBasisPoints()).isEqualTo(2_857); // 2/7 = 0.285714...
        assertThat(BuyerStatsProcessor.rateBasisPoints("")).isZero();
    }

    @Test
    void shouldNotCountAResultTwiceWhenItIsRedelivered() {
        result("b1", "L1", 1, PostStatus.ACCEPTED);
        result("b1", "L2", 1, PostStatus.REJECTED);
        stats.readValuesToList();

        result("b1", "L1", 1, PostStatus.ACCEPTED); // redelivered
        result("b1", "L2", 1, PostStatus.TIMEOUT); // the auction's own marker for an attempt already answered

        assertThat(stats.isEmpty()).isTrue();
        KeyValueStore<String, BuyerStats> store = driver.getKeyValueStore(BuyerStatsProcessor.STORE);
        assertThat(store.get("b1").getRecent()).isEqualTo("AR");
        assertThat(store.get("b1").getAcceptanceRateBasisPoints()).isEqualTo(5_000);
    }

    @Test
    void shouldNotHoldAPostAgainstTheBuyerWhenTheConnectorNeverSentIt() {
        result("b1", "L1", 1, PostStatus.ACCEPTED);
        undelivered("b1", "L2", PostStatus.TIMEOUT, PostReasons.DEADLINE_PASSED);
        undelivered("b1", "L3", PostStatus.ERROR, PostReasons.NOT_SENT);
        // No result at all may be a Kafka-native buyer ignoring its post: it counts, as its timeout would.
        undelivered("b1", "L4", PostStatus.TIMEOUT, PostReasons.NO_POST_RESULT);

        assertThat(stats.readValuesToList()).extracting(BuyerStats::getRecent).containsExactly("A", "AR");
    }

    private void undelivered(String buyerId, String leadId, PostStatus status, String reason) {
        results.pipeInput(buyerId, PostResult.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setAttempt(1)
                .setStatus(status).setReason(reason).setRespondedAt(START.toEpochMilli()).build());
    }

    @Test
    void shouldCountANewAttemptOfTheSameLeadWhenItIsAnotherPost() {
        result("b1", "L1", 1, PostStatus.TIMEOUT);
        result("b1", "L1", 2, PostStatus.ACCEPTED);

        assertThat(last().getRecent()).isEqualTo("RA");
    }

    @Test
    void shouldForgetTheDedupeKeyWhenItsResultLeavesTheWindow() {
        result("b1", "L0", 1, PostStatus.ACCEPTED);
        for (int i = 1; i <= 100; i++) {
            result("b1", "L" + i, 1, PostStatus.REJECTED);
        }
        assertThat(last().getRecent()).isEqualTo("R".repeat(100));
        // Still in the window: ignored.
        result("b1", "L100", 1, PostStatus.REJECTED);
        assertThat(stats.isEmpty()).isTrue();
        // Out of the window a hundred results ago: counted as new.
        result("b1", "L0", 1, PostStatus.ACCEPTED);
        assertThat(last().getRecent()).isEqualTo("R".repeat(99) + "A");
    }

    @Test
    void shouldIgnoreTheResultWhenItHasNoBuyerKey() {
        results.pipeInput(null, PostResult.newBuilder().setLeadId("L1").setBuyerId("b1").setAttempt(1)
                .setStatus(PostStatus.ACCEPTED).setRespondedAt(START.toEpochMilli()).build());

        assertThat(stats.isEmpty()).isTrue();
    }

    @Test
    void shouldStampStatsWithTheTimeTheyChangedWhenResultsArriveOutOfTimeOrder() {
        // Results of one buyer come from several partitions: a later one may carry an older time.
        results.pipeInput("b1", buyerResult("L1", PostStatus.ACCEPTED), START.plusSeconds(5));
        results.pipeInput("b1", buyerResult("L2", PostStatus.REJECTED), START.plusSeconds(1));

        assertThat(stats.readRecordsToList()).extracting(r -> r.timestamp())
                .as("the global stats table warns on every update older than the one it holds")
                .containsExactly(START.toEpochMilli(), START.toEpochMilli());
    }

    private static PostResult buyerResult(String leadId, PostStatus status) {
        return PostResult.newBuilder().setLeadId(leadId).setBuyerId("b1").setAttempt(1).setStatus(status)
                .setRespondedAt(START.toEpochMilli()).build();
    }
}
