package io.leadmkt.connector.ping;

import static io.leadmkt.connector.FakeBuyers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.FakeBuyers;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.ManualClock;
import io.leadmkt.connector.RawBuyer;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.connector.limits.BuyerHealth;
import io.leadmkt.connector.limits.BuyerHealth.State;
import io.leadmkt.connector.post.PostDispatcher;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Buyers that misbehave at the HTTP, TCP or TLS level, and the limits that keep the connector
 * from calling sick or overloaded buyers: every pinged buyer still yields exactly one bid, and
 * nothing waits beyond the buyer's deadline.
 */
class MisbehavingBuyersTest {

    private static final String BID = "{\"bid\":true,\"price\":\"12.50\",\"token\":\"abc\"}";

    private final ManualClock clock = new ManualClock();
    private final BuyerGate gate = new BuyerGate(clock);
    private final FakeBuyers buyers = new FakeBuyers();
    private final List<RawBuyer> rawBuyers = new ArrayList<>();
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(32);
    private final BuyerDirectory directory = new BuyerDirectory();
    private final BuyerAdapters adapters = BuyerAdapters.json();
    private final PingDispatcher dispatcher = new PingDispatcher(directory, adapters, http, 100_000_00L, clock,
            gate);
    private final PostDispatcher posts = new PostDispatcher(directory, adapters, http, clock, gate);
    private int leads;

    @AfterEach
    void tearDown() {
        http.close();
        buyers.close();
        rawBuyers.forEach(RawBuyer::close);
    }

    private BuyerConfig register(BuyerConfig buyer) {
        directory.apply(buyer.getBuyerId(), buyer);
        return buyer;
    }

    private String raw(RawBuyer.Behaviour behaviour, String scheme) {
        RawBuyer buyer = new RawBuyer(behaviour);
        rawBuyers.add(buyer);
        return buyer.url(scheme, "/ping");
    }

    private Ping ping(String... buyerIds) {
        return Fixtures.ping("L-" + (++leads), clock.millis() + 5000, buyerIds);
    }

    private List<Bid> dispatch(Ping ping) throws Exception {
        return dispatcher.dispatch(ping).get(10, TimeUnit.SECONDS);
    }

    private Bid pingOne(String buyerId) throws Exception {
        List<Bid> bids = dispatch(ping(buyerId));
        assertThat(bids).hasSize(1);
        return bids.get(0);
    }

    private BuyerHealth health(String buyerId) {
        return gate.health(buyerId).orElseThrow();
    }

    @Test
    void shouldYieldOneDefinedBidPerBuyerWhenBuyersMisbehaveBelowHttp() throws Exception {
        String elsewhere = buyers.answer("/elsewhere", json(BID));
        register(Fixtures.buyer("redirect", buyers.answer("/redirect", FakeBuyers.redirect(302, elsewhere))));
        register(Fixtures.buyer("tls", raw(RawBuyer.Behaviour.PLAIN_HTTP, "https")));
        register(BuyerConfig.newBuilder(Fixtures.buyer("stalled-body", raw(RawBuyer.Behaviour.HEADERS_THEN_STALL,
                "http"))).setPingTimeoutMs(300).build());
        register(Fixtures.buyer("hangs-up", raw(RawBuyer.Behaviour.CLOSE_WITHOUT_ANSWER, "http")));
        register(Fixtures.buyer("good", buyers.answer("/good", json(BID))));

        List<Bid> bids = dispatch(ping("redirect", "tls", "stalled-body", "hangs-up", "good"));

        assertThat(bids).extracting(Bid::getBuyerId, Bid::getStatus, Bid::getReason).containsExactly(
                tuple("redirect", BidStatus.ERROR, "HTTP_302"),
                tuple("tls", BidStatus.ERROR, "TLS_ERROR"),
                tuple("stalled-body", BidStatus.TIMEOUT, "TIMEOUT"),
                tuple("hangs-up", BidStatus.ERROR, "IO_ERROR"),
                tuple("good", BidStatus.BID, null));
        assertThat(buyers.requestsTo("/elsewhere")).isEmpty();
    }

    @Test
    void shouldTimeOutWithinTheBuyersTimeoutWhenHeadersArriveAndTheBodyStalls() throws Exception {
        register(BuyerConfig.newBuilder(Fixtures.buyer("stalled-body", raw(RawBuyer.Behaviour.HEADERS_THEN_STALL,
                "http"))).setPingTimeoutMs(200).build());

        Bid bid = pingOne("stalled-body");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.TIMEOUT);
        // The latency is what the executor measured: it gave up at the buyer's timeout, not later.
        assertThat(bid.getLatencyMs()).isLessThan(5000);
    }

    @Test
    void shouldPauseBuyerAfterConsecutiveErrorsAndResumeWhenHalfOpenProbeSucceeds() throws Exception {
        String url = buyers.answer("/flaky", FakeBuyers.html(500));
        register(Fixtures.buyerWithLimits("flaky", url, "{\"pauseAfterErrors\":2,\"pauseForMs\":1000}"));

        assertThat(pingOne("flaky").getReason()).isEqualTo("HTTP_500");
        assertThat(health("flaky").state()).isEqualTo(State.ACTIVE);
        assertThat(pingOne("flaky").getReason()).isEqualTo("HTTP_500");
        assertThat(health("flaky")).extracting(BuyerHealth::state, BuyerHealth::pausedUntil,
                BuyerHealth::consecutiveErrors).containsExactly(State.PAUSED, clock.instant().plusMillis(1000), 2);

        Bid whilePaused = pingOne("flaky");
        assertThat(whilePaused).extracting(Bid::getStatus, Bid::getReason)
                .containsExactly(BidStatus.ERROR, BuyerGate.PAUSED);
        assertThat(buyers.requestsTo("/flaky")).hasSize(2);

        clock.advance(Duration.ofMillis(1000));
        assertThat(health("flaky").state()).isEqualTo(State.HALF_OPEN);
        buyers.answer("/flaky", json(BID));

        assertThat(pingOne("flaky").getStatus()).isEqualTo(BidStatus.BID);
        assertThat(health("flaky")).extracting(BuyerHealth::state, BuyerHealth::consecutiveErrors)
                .containsExactly(State.ACTIVE, 0);
        assertThat(pingOne("flaky").getStatus()).isEqualTo(BidStatus.BID);
        assertThat(buyers.requestsTo("/flaky")).hasSize(4);
    }

    @Test
    void shouldPauseBuyerAgainWhenHalfOpenProbeFails() throws Exception {
        String url = buyers.answer("/down", FakeBuyers.html(503));
        register(Fixtures.buyerWithLimits("down", url, "{\"pauseAfterErrors\":1,\"pauseForMs\":1000}"));
        pingOne("down");
        clock.advance(Duration.ofMillis(1000));

        assertThat(pingOne("down").getReason()).isEqualTo("HTTP_503");

        assertThat(health("down").state()).isEqualTo(State.PAUSED);
        assertThat(pingOne("down").getReason()).isEqualTo(BuyerGate.PAUSED);
        assertThat(buyers.requestsTo("/down")).hasSize(2);
    }

    @Test
    void shouldPauseBuyerUntilRetryAfterWhenItAnswers429() throws Exception {
        register(Fixtures.buyer("busy", buyers.answer("/busy", FakeBuyers.tooManyRequests(30))));

        assertThat(pingOne("busy").getReason()).isEqualTo("HTTP_429");

        assertThat(health("busy")).extracting(BuyerHealth::state, BuyerHealth::pausedUntil)
                .containsExactly(State.PAUSED, clock.instant().plusSeconds(30));
        assertThat(pingOne("busy").getReason()).isEqualTo(BuyerGate.PAUSED);
        assertThat(buyers.requestsTo("/busy")).hasSize(1);
    }

    @Test
    void shouldThrottleWithoutCallingWhenBuyerHasMaxConcurrentPingsInFlight() throws Exception {
        String url = buyers.answer("/slow", FakeBuyers.stall());
        register(BuyerConfig.newBuilder(Fixtures.buyerWithLimits("slow", url, "{\"maxConcurrent\":1}"))
                .setPingTimeoutMs(300).build());

        List<CompletableFuture<Bid>> first = dispatcher.dispatchEach(ping("slow"));
        Bid second = pingOne("slow");

        assertThat(second).extracting(Bid::getStatus, Bid::getReason)
                .containsExactly(BidStatus.ERROR, BuyerGate.THROTTLED);
        assertThat(first.get(0).get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(BidStatus.TIMEOUT);
        assertThat(health("slow").inFlight()).isZero();
    }

    @Test
    void shouldThrottleWhenBuyerIsOverItsPingsPerSecond() throws Exception {
        register(Fixtures.buyerWithLimits("metered", buyers.answer("/metered", json(BID)), "{\"pingsPerSecond\":1}"));

        assertThat(pingOne("metered").getStatus()).isEqualTo(BidStatus.BID);
        assertThat(pingOne("metered").getReason()).isEqualTo(BuyerGate.THROTTLED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(pingOne("metered").getStatus()).isEqualTo(BidStatus.BID);
        assertThat(buyers.requestsTo("/metered")).hasSize(2);
    }

    @Test
    void shouldStillPostToBuyerWhenItIsPaused() throws Exception {
        String url = buyers.answer("/winner", FakeBuyers.html(500));
        register(Fixtures.buyerWithLimits("winner", url, "{\"pauseAfterErrors\":1,\"pauseForMs\":60000}"));
        pingOne("winner");
        assertThat(health("winner").state()).isEqualTo(State.PAUSED);
        buyers.answer("/winner", json("{\"accepted\":true,\"buyerLeadId\":\"B-1\"}"));

        PostResult result = posts.dispatch(Fixtures.post("L-post", "winner", 1, clock.millis() + 5000))
                .get(10, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        assertThat(health("winner")).extracting(BuyerHealth::state, BuyerHealth::inFlight)
                .containsExactly(State.PAUSED, 0);
    }
}
