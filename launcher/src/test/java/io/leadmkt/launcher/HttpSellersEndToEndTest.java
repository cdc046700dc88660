package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.HttpSeller;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.intake.IntakeBacklog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP door sheds load and loses nothing, on a real broker and the real HTTP intake, with
 * sellers that behave as integrations do ({@link HttpSeller}): while the connector is away no
 * auction can close, so the instance's leads in flight reach the door's bound and it answers
 * {@code 503 overloaded} with {@code Retry-After}; the sellers retry the same lead ids, and once the
 * connector is back every lead, refused or not, is sold exactly once.
 */
class HttpSellersEndToEndTest {
    private static final CampaignConfig CAMPAIGN = RealMarket.campaign("camp-door", "seller-door", 1_000, 1_000);
    private static final int LEADS = (int) IntakeBacklog.MIN_IN_FLIGHT + 20;
    /** How many requests the sellers have out at once. */
    private static final int SELLER_REQUESTS = 8;

    private static RealMarket market;
    private static LeadMarketApp app;
    private static String sellerKey;

    @BeforeAll
    static void startMarketplace() throws Exception {
        market = RealMarket.start(List.of(
                BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000)),
                BuyerSpec.of("cheap", BuyerBehaviour.alwaysBids(1_200))), List.of(CAMPAIGN));
        sellerKey = market.apiKey("seller", LeadGenerator.SOURCES, null);
        app = LeadMarketApp.start(market.appConfig("door"));
    }

    @AfterAll
    static void stopMarketplace() {
        closeAll(app, market);
    }

    @Test
    void shouldSellEveryLeadTheDoorRefusedWhenItsSellersRetryAfterTheRetryAfter() {
        HttpSeller.Recording ended = new HttpSeller.Recording();
        try (HttpSeller sellers = new HttpSeller(URI.create("http://127.0.0.1:" + app.httpPort() + "/v1/leads"),
                sellerKey, SELLER_REQUESTS, Duration.ofMinutes(3), Duration.ofSeconds(2), ended)) {
            LeadGenerator generator = new LeadGenerator(new LeadGenerator.Options(1, 0, 91, List.of(CAMPAIGN)),
                    sellers.sink());
            // A few sales first: the market is warm when the connector goes away, so what the test sees is the
            // door, not a cold start.
            List<String> first = IntStream.range(0, 4)
                    .mapToObj(i -> generator.send(LeadGenerator.Kind.VALID).leadId()).toList();
            market.awaitEveryLeadEnded(first);
            market.stopConnector();
            List<String> ids = IntStream.range(0, LEADS)
                    .mapToObj(i -> generator.send(LeadGenerator.Kind.VALID).leadId()).toList();

            // Four decisions in five seconds keep the bound at its floor. The first 503 can reach the sellers
            // before the 202s of the last leads taken (each waits for its write), so the floor is awaited.
            Awaitility.await().atMost(RealMarket.SETTLE).until(() -> sellers.stats().overloadedAnswers() > 0
                    && sellers.stats().accepted() - first.size() >= IntakeBacklog.MIN_IN_FLIGHT);
            // A lead between intake's read and its auction's opening (one stream-thread step) is briefly in
            // neither count, so a request may slip in.
            assertThat(sellers.stats().accepted() - first.size()).as("taken while no auction could close")
                    .isLessThanOrEqualTo(IntakeBacklog.MIN_IN_FLIGHT + SELLER_REQUESTS);

            market.startConnector();
            market.awaitEveryLeadEnded(ids);

            market.assertEverySoldOnce(ids);
            HttpSeller.Stats stats = sellers.stats();
            assertThat(stats.accepted()).isEqualTo(LEADS + first.size());
            assertThat(stats.retriedLeads()).as("the leads the door refused came back").isPositive();
            assertThat(stats.otherFailures()).isZero();
            assertThat(ended.refused()).isEmpty();
            assertThat(ended.gaveUp()).isEmpty();
        }
    }
}
