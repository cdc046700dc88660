package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.HttpSeller;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.api.IntakeForwarding;
import io.leadmkt.streams.comply.IdentityPartition;
import io.leadmkt.streams.intake.IntakeBacklog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the app on a real broker, sellers calling only the first one's door: the leads whose
 * partition the second reads are judged by the second's door. While the second instance's stream thread
 * is stopped, the first door, itself idle, answers its {@code 503 overloaded} instead of taking leads
 * that would wait unread; the sellers retry, and once the second instance runs again every lead is sold
 * exactly once.
 */
class IntakeForwardingEndToEndTest {
    private static final CampaignConfig CAMPAIGN = RealMarket.campaign("camp-fwd", "seller-fwd", 1_000, 1_000);
    private static final int LEADS = (int) IntakeBacklog.MIN_IN_FLIGHT + 20;
    private static final int SELLER_REQUESTS = 8;

    private static RealMarket market;
    private static LeadMarketApp called;
    private static LeadMarketApp reader;
    private static String sellerKey;

    @BeforeAll
    static void startMarketplace() throws Exception {
        // Long enough to offer a lead that waited while the reading instance was stopped.
        CAMPAIGN.setMaxLeadAgeMs(120_000);
        market = RealMarket.start(List.of(BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000))), List.of(CAMPAIGN));
        sellerKey = market.apiKey("seller", LeadGenerator.SOURCES, null);
        called = LeadMarketApp.start(market.appConfig("fwd-called"));
        reader = LeadMarketApp.start(market.appConfig("fwd-reader"));
        // Both instances read some of leads.inbound, and the called one knows which.
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> !inboundReadBy(reader).isEmpty()
                && !inboundReadBy(called).isEmpty() && inboundReadBy(reader).stream().allMatch(partition ->
                IntakeForwarding.readerOf(called.streams().metadataForAllStreamsClients(), partition)
                        .map(host -> host.port() == reader.httpPort()).orElse(false)));
    }

    @AfterAll
    static void stopMarketplace() {
        closeAll(reader, called, market);
    }

    private static Set<TopicPartition> inboundReadBy(LeadMarketApp app) {
        return RealMarket.activePartitions(app).stream()
                .filter(partition -> partition.topic().equals(RealMarket.TOPICS.leadsInbound().name()))
                .collect(Collectors.toSet());
    }

    @Test
    void shouldRefuseAtTheCalledDoorWhenTheInstanceReadingTheLeadsPartitionIsStopped() {
        Set<Integer> readersPartitions = inboundReadBy(reader).stream().map(TopicPartition::partition)
                .collect(Collectors.toSet());
        int partitions = market.appConfig("unused").partitions();
        HttpSeller.Recording ended = new HttpSeller.Recording();
        try (HttpSeller sellers = new HttpSeller(URI.create("http://127.0.0.1:" + called.httpPort() + "/v1/leads"),
                sellerKey, SELLER_REQUESTS, Duration.ofMinutes(3), Duration.ofSeconds(2), ended)) {
            List<String> ids = new CopyOnWriteArrayList<>();
            // Only leads of the reader's consumers: the door the sellers call reads none of them.
            LeadGenerator generator = new LeadGenerator(new LeadGenerator.Options(1, 0, 17, List.of(CAMPAIGN)),
                    (sent, undecodable) -> {
                        if (readersPartitions.contains(IdentityPartition.ofRaw(sent.lead(), partitions,
                                System.currentTimeMillis()).orElse(-1))) {
                            ids.add(sent.leadId());
                            sellers.sink().send(sent, undecodable);
                        }
                    });
            reader.streams().pause();
            while (ids.size() < LEADS) {
                generator.send(LeadGenerator.Kind.VALID);
            }

            // A door that judged by its own (idle) instance would take every lead and refuse none. The reader's
            // door refuses at its floor of leads in flight, or sooner on a slow machine once they wait too long.
            Awaitility.await().atMost(RealMarket.SETTLE).until(() -> sellers.stats().accepted() == LEADS
                    || sellers.stats().overloadedAnswers() > 0);
            assertThat(sellers.stats().overloadedAnswers()).as("503 overloaded, relayed from the reader's door")
                    .isPositive();
            assertThat(sellers.stats().accepted()).as("taken while the instance that must sell them reads nothing")
                    .isLessThanOrEqualTo(IntakeBacklog.MIN_IN_FLIGHT + SELLER_REQUESTS);

            reader.streams().resume();
            market.awaitEveryLeadEnded(ids);

            market.assertEverySoldOnce(ids);
            HttpSeller.Stats stats = sellers.stats();
            assertThat(stats.accepted()).isEqualTo(LEADS);
            assertThat(stats.retriedLeads()).as("the leads the reader's door refused came back").isPositive();
            assertThat(stats.otherFailures()).isZero();
            assertThat(ended.refused()).isEmpty();
            assertThat(ended.gaveUp()).isEmpty();
        }
    }
}
