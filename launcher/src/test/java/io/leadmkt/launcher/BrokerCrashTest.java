package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.SETTLE;
import static io.leadmkt.launcher.RealMarket.TOPICS;
import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.outcome.Outcomes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.internals.Topic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invariants 1 and 2 of the design across a broker crash: the marketplace (streams app, buyer
 * connector, simulated HTTP buyers) on an in-process cluster of three KRaft nodes, every topic with
 * three replicas of which two must acknowledge a write, leads flowing at a steady rate. The node that
 * coordinates the streams app's transactions crashes mid-stream (no controlled shutdown), leads keep
 * coming while it is gone, then it comes back and catches up. Every lead must end exactly once, SOLD
 * to the buyer the prices say ({@link SoldToGood}) or shed {@code STALE} (the platform's own outcome
 * for a lead it fell too far behind to offer: a loaded 2-core machine can starve three brokers), none
 * sold twice, no buyer posted the same lead twice.
 *
 * <p>As in {@link FaultToleranceTest}, auction deadlines are far longer than the fail-over (the
 * cluster notices a silent broker after {@code broker.session.timeout.ms}, 9 s), so the crash tests
 * exactly-once and fail-over, not the auction's deadline rules.
 */
class BrokerCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCrashTest.class);
    /** Ping deadline and post timeout, far beyond the fail-over; buyers answer in milliseconds. */
    private static final int DEADLINE_MS = 60_000;
    /** Leads may wait out the fail-over without being shed STALE: this test counts every lead sold. */
    private static final CampaignConfig CAMPAIGN = CampaignConfig.newBuilder(
            RealMarket.campaign("camp-broker-crash", "seller-broker-crash", 1_000, DEADLINE_MS))
            .setMaxLeadAgeMs(600_000).build();
    /**
     * Each lead is some twenty writes in exactly-once transactions, each replicated three times, on 2
     * cores shared with everything else: a rate such a machine sustains when loaded.
     */
    private static final double LEADS_PER_SECOND = 5;
    /** Leads that must end while the node is gone, and be sent once it is back: the market works throughout. */
    private static final int LEADS_PER_PHASE = 20;

    @Test
    void shouldGiveEveryLeadExactlyOneOutcomeWhenABrokerCrashesUnderLoadAndComesBack() throws Exception {
        try (RealMarket market = RealMarket.startOn(() -> EmbeddedKafkaCluster.onFreePorts(3).start(),
                SoldToGood.buyers(), List.of(CAMPAIGN))) {
            EmbeddedKafkaCluster cluster = (EmbeddedKafkaCluster) market.broker();
            StreamsAppConfig config = market.appConfig("broker-crash");
            assertThat(config.replicationFactor()).as("streams.replication.factor").isEqualTo((short) 3);
            LeadMarketApp app = LeadMarketApp.start(config);
            LeadGenerator generator = new LeadGenerator(market.producer(), TOPICS,
                    new LeadGenerator.Options(1, 0, 3_333, List.of(CAMPAIGN)));
            // One lead through the whole market first: transactions, connections and buyers warm, so the
            // steady load does not pile up behind the first minute of a cold JVM.
            List<String> warmUp = List.of(generator.send(LeadGenerator.Kind.VALID).leadId());
            market.awaitEveryLeadEnded(warmUp);
            try (SteadyLeads leads = SteadyLeads.start(generator, market.producer(), LEADS_PER_SECOND)) {
                market.awaitEnded(leads::ids, 10);
                assertEveryTopicReplicatedThreeTimesWithMinInSyncTwo(cluster);

                int victim = transactionCoordinator(cluster);
                int sentAtCrash = leads.sentCount();
                int endedAtCrash = market.ended(leads.ids());
                long crashed = System.nanoTime();
                cluster.stopNode(victim);
                LOG.info("node {} (the transaction coordinator) crashed with {} leads sent, {} ended", victim,
                        sentAtCrash, endedAtCrash);

                // The cluster must notice (the node drops out of every in-sync replica set), and the market
                // must go on ending leads while the node is gone.
                awaitOutOfEveryIsr(cluster, victim);
                market.awaitEnded(leads::ids, endedAtCrash + LEADS_PER_PHASE);

                int sentAtRestart = leads.sentCount();
                int endedAtRestart = market.ended(leads.ids());
                cluster.startNode(victim);
                long goneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
                LOG.info("node {} back after {} ms; {} leads sent and {} ended while it was gone", victim, goneMs,
                        sentAtRestart - sentAtCrash, endedAtRestart - endedAtCrash);

                Awaitility.await().atMost(SETTLE).until(() -> leads.sentCount() >= sentAtRestart + LEADS_PER_PHASE);
                leads.stop();
                market.awaitEveryLeadEnded(leads.ids());
                cluster.awaitFullyReplicated(SETTLE);
                long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
                closeAll(app); // committed and stopped: nothing more can reach the outcomes topic
                app = null;

                List<String> leadIds = new ArrayList<>(warmUp);
                leadIds.addAll(leads.ids());
                Map<String, Long> ends = SoldToGood.assertEveryLeadEndedOnceSoldToGoodOrShed(market, leadIds,
                        Set.of(Outcomes.STALE));
                LOG.info("{} leads, each with exactly one outcome {}; node {} gone {} ms, {} leads sent in that "
                                + "window; every leader and in-sync replica back {} ms after the crash", leadIds.size(), ends,
                        victim, goneMs, sentAtRestart - sentAtCrash, recoveredMs);
            } finally {
                closeAll(app);
            }
        }
    }

    /**
     * The node that leads {@code __transaction_state}: the coordinator of every exactly-once transaction
     * the streams app has open, the harshest one to lose (its transactions must be recovered by the
     * next leader from the replicated log).
     */
    private static int transactionCoordinator(EmbeddedKafkaCluster cluster) throws Exception {
        try (Admin admin = cluster.admin()) {
            TopicDescription state = admin.describeTopics(List.of(Topic.TRANSACTION_STATE_TOPIC_NAME))
                    .allTopicNames().get().get(Topic.TRANSACTION_STATE_TOPIC_NAME);
            return state.partitions().get(0).leader().id();
        }
    }

    /** The marketplace's topics and the app's internal ones: three replicas, all in sync, min ISR 2. */
    private static void assertEveryTopicReplicatedThreeTimesWithMinInSyncTwo(EmbeddedKafkaCluster cluster)
            throws Exception {
        try (Admin admin = cluster.admin()) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).as("the market's topics and the app's changelogs")
                    .contains(TOPICS.outcomes().name(), TOPICS.bids().name())
                    .anyMatch(name -> name.endsWith("-changelog"));
            Collection<TopicDescription> topics = admin.describeTopics(names).allTopicNames().get().values();
            assertThat(topics).allSatisfy(topic -> assertThat(topic.partitions()).as(topic.name())
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get();
            assertThat(configs).allSatisfy((resource, config) -> assertThat(config.get("min.insync.replicas").value())
                    .as("min.insync.replicas of %s", resource.name()).isEqualTo("2"));
        }
    }

    /** Waits until the cluster has dropped {@code nodeId} from the in-sync replicas of every partition. */
    private static void awaitOutOfEveryIsr(EmbeddedKafkaCluster cluster, int nodeId) {
        try (Admin admin = cluster.admin()) {
            Awaitility.await().atMost(SETTLE).ignoreExceptions().until(() -> {
                Set<String> names = admin.listTopics().names().get(5, TimeUnit.SECONDS);
                return admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                        .flatMap(topic -> topic.partitions().stream())
                        .map(TopicPartitionInfo::isr)
                        .noneMatch(isr -> isr.stream().map(Node::id).collect(Collectors.toSet()).contains(nodeId));
            });
        }
    }
}
