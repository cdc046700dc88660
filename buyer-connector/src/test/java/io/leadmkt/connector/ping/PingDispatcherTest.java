package io.leadmkt.connector.ping;

import static io.leadmkt.connector.FakeBuyers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.FakeBuyers;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.adapter.Answers;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Ping;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PingDispatcherTest {

    private static final long MAX_PRICE_CENTS = 100_000_00L;
    private static final String BID = "{\"bid\":true,\"price\":\"12.50\",\"token\":\"abc\"}";

    private final FakeBuyers buyers = new FakeBuyers();
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(32);
    private final BuyerDirectory directory = new BuyerDirectory();
    private final AnswerTimes answerTimes = new AnswerTimes();
    private final PingDispatcher dispatcher = new PingDispatcher(directory, BuyerAdapters.json(), http, MAX_PRICE_CENTS,
            Clock.systemUTC(), new BuyerGate(Clock.systemUTC()), answerTimes);

    @AfterEach
    void tearDown() {
        http.close();
        buyers.close();
    }

    /** A buyer at {@code /<id>} on the fake server answering with {@code response}. */
    private BuyerConfig register(String buyerId, MockResponse response) {
        return register(Fixtures.buyer(buyerId, buyers.answer("/" + buyerId, response)));
    }

    private BuyerConfig register(BuyerConfig buyer) {
        directory.apply(buyer.getBuyerId(), buyer);
        return buyer;
    }

    /** Tells the dispatcher the buyer has answered in {@code latencyMs} often enough to be waited for less. */
    private void usuallyAnswersIn(String buyerId, long latencyMs) {
        for (int i = 0; i < AnswerTimes.Policy.DEFAULTS.minSamples(); i++) {
            answerTimes.answered(buyerId, latencyMs);
        }
    }

    private static long inSeconds(int seconds) {
        return System.currentTimeMillis() + seconds * 1000L;
    }

    private List<Bid> dispatch(Ping ping) throws Exception {
        return dispatcher.dispatch(ping).get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldGiveBuyerItsWholeBudgetFromTheCallWhenThePingIsReadLate() throws Exception {
        register(BuyerConfig.newBuilder(Fixtures.buyer("bidder", buyers.answer("/bidder", FakeBuyers.late(BID, 150))))
                .setPingTimeoutMs(1_000).build());
        long now = System.currentTimeMillis();
        // Written 2 s ago with a 500 ms budget: our lag, not the buyer's. It still gets 500 ms from now.
        Ping ping = Fixtures.ping("L-late", now - 2_000, now - 1_500, "bidder");

        List<Bid> bids = dispatch(ping);

        assertThat(bids).singleElement().satisfies(bid -> {
            assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
            assertThat(bid.getPriceCents()).isEqualTo(1250L);
        });
    }

    @Test
    void shouldSayNotHeardWhenNoBuyerCalledSinceWasHeardFrom() throws Exception {
        register(BuyerConfig.newBuilder(Fixtures.buyer("s1", buyers.answer("/s1", FakeBuyers.stall())))
                .setPingTimeoutMs(100).build());
        register(BuyerConfig.newBuilder(Fixtures.buyer("s2", buyers.answer("/s2", FakeBuyers.stall())))
                .setPingTimeoutMs(100).build());

        List<Bid> bids = dispatch(Fixtures.ping("L-unheard", inSeconds(5), "s1", "s2"));

        // Nobody answered anything: as likely our own lag as theirs, and the auction must not call it NO_BIDS.
        assertThat(bids).extracting(Bid::getStatus, Bid::getReason).containsOnly(
                tuple(BidStatus.TIMEOUT, io.leadmkt.schema.BidReasons.NOT_HEARD));
    }

    @Test
    void shouldNotCallAnyBuyerWhenTheLeadIsTooOldToOffer() throws Exception {
        register("bidder", json(BID));
        register("other", json(BID));
        long now = System.currentTimeMillis();
        Ping ping = Fixtures.ping("L-stale", now - 9_000, now - 8_500, "bidder", "other");
        ping.setOfferBy(now - 1);

        List<Bid> bids = dispatch(ping);

        assertThat(bids).extracting(Bid::getBuyerId, Bid::getStatus, Bid::getReason).containsExactly(
                tuple("bidder", BidStatus.TIMEOUT, PingDispatcher.STALE),
                tuple("other", BidStatus.TIMEOUT, PingDispatcher.STALE));
        assertThat(buyers.requestCount()).isZero();
        assertThat(dispatcher.gate().health("bidder").map(h -> h.consecutiveErrors()).orElse(0)).isZero();
    }

    @Test
    void shouldEmitExactlyOneBidPerPingedBuyerWhenBuyersAnswerEveryWay() throws Exception {
        register("bidder", json(BID));
        register("numeric", json("{\"bid\":true,\"price\":7.5}"));
        register("zero", json("{\"bid\":true,\"price\":\"0\"}"));
        register("passer", FakeBuyers.status(204));
        register("decliner", json("{\"bid\":false,\"reason\":\"no capacity\"}"));
        register(BuyerConfig.newBuilder(Fixtures.buyer("late", buyers.answer("/late", FakeBuyers.late(BID, 1500))))
                .setPingTimeoutMs(200).build());
        register(BuyerConfig.newBuilder(Fixtures.buyer("silent", buyers.answer("/silent", FakeBuyers.stall())))
                .setPingTimeoutMs(200).build());
        register("html", FakeBuyers.html(200));
        register("crashing", FakeBuyers.html(500));
        register("truncated", json("{\"bid\":true,\"price\":\"12."));
        register("negative", json("{\"bid\":true,\"price\":\"-3.00\"}"));
        register("nan", json("{\"bid\":true,\"price\":\"NaN\"}"));
        register("huge", json("{\"bid\":true,\"price\":\"250000.00\"}"));
        register("noprice", json("{\"bid\":true}"));
        register(Fixtures.buyer("refused", "http://127.0.0.1:" + Fixtures.closedPort() + "/ping"));
        register(BuyerConfig.newBuilder(Fixtures.buyer("inactive", buyers.answer("/inactive", json(BID)))).setActive(false)
                .build());
        register(Fixtures.buyer("nourl", null));
        register(Fixtures.buyer("badurl", "not a url"));
        String[] pinged = {"bidder", "numeric", "zero", "passer", "decliner", "late", "silent", "html", "crashing",
                "truncated", "negative", "nan", "huge", "noprice", "refused", "inactive", "nourl", "badurl",
                "unknown"};

        List<Bid> bids = dispatch(Fixtures.ping("L-1", inSeconds(5), pinged));

        assertThat(bids).extracting(Bid::getBuyerId).containsExactly(pinged);
        assertThat(bids).allSatisfy(bid -> assertThat(bid.getLeadId()).isEqualTo("L-1"));
        assertThat(bids).extracting(Bid::getBuyerId, Bid::getStatus, Bid::getPriceCents, Bid::getReason)
                .containsExactly(
                        tuple("bidder", BidStatus.BID, 1250L, null),
                        tuple("numeric", BidStatus.BID, 750L, null),
                        tuple("zero", BidStatus.BID, 0L, null),
                        tuple("passer", BidStatus.PASS, null, "NO_CONTENT"),
                        tuple("decliner", BidStatus.PASS, null, "no capacity"),
                        tuple("late", BidStatus.TIMEOUT, null, "TIMEOUT"),
                        tuple("silent", BidStatus.TIMEOUT, null, "TIMEOUT"),
                        tuple("html", BidStatus.ERROR, null, "BAD_JSON"),
                        tuple("crashing", BidStatus.ERROR, null, "HTTP_500"),
                        tuple("truncated", BidStatus.ERROR, null, "BAD_JSON"),
                        tuple("negative", BidStatus.ERROR, null, "BAD_PRICE"),
                        tuple("nan", BidStatus.ERROR, null, "BAD_PRICE"),
                        tuple("huge", BidStatus.ERROR, null, "PRICE_TOO_HIGH"),
                        tuple("noprice", BidStatus.ERROR, null, "MISSING_PRICE"),
                        tuple("refused", BidStatus.ERROR, null, "CONNECTION_REFUSED"),
                        tuple("inactive", BidStatus.ERROR, null, "UNKNOWN_BUYER"),
                        tuple("nourl", BidStatus.ERROR, null, "UNKNOWN_BUYER"),
                        tuple("badurl", BidStatus.ERROR, null, "BAD_URL"),
                        tuple("unknown", BidStatus.ERROR, null, "UNKNOWN_BUYER"));
        assertThat(bids.get(0).getPingToken()).isEqualTo("abc");
        assertThat(buyers.requestsTo("/inactive")).isEmpty();
        // the raw answer of an ERROR is kept for the audit trail; answers that parsed are not
        assertThat(bids).filteredOn(b -> b.getBuyerId().equals("html")).singleElement()
                .satisfies(b -> assertThat(b.getRawResponse()).contains("Something went wrong"));
        assertThat(bids).filteredOn(b -> b.getStatus() != BidStatus.ERROR)
                .allSatisfy(b -> assertThat(b.getRawResponse()).isNull());
    }

    @Test
    void shouldSendNoPiiWhenPingingBuyers() throws Exception {
        register("bidder", json(BID));

        dispatch(Fixtures.ping("L-2", inSeconds(5), "bidder"));

        RecordedRequest request = buyers.requestsTo("/bidder").get(0);
        String sent = request.getBody().utf8();
        assertThat(sent).doesNotContain(Fixtures.PII_VALUES);
        JsonNode body = new ObjectMapper().readTree(sent);
        Set<String> keys = new HashSet<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("leadId", "campaignId", "vertical", "state", "zip", "score",
                "leadAgeMs", "sourceId", "subId", "floor", "attributes", "timeoutMs");
        assertThat(request.getHeaders().get("X-Leadmkt-Lead-Id")).isEqualTo("L-2");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    }

    @Test
    void shouldTellTheBuyerTheRoundsBudgetWhenItsOwnTimeoutIsLonger() throws Exception {
        register(BuyerConfig.newBuilder(Fixtures.buyer("bidder", buyers.answer("/bidder", json(BID))))
                .setPingTimeoutMs(60_000).build());
        long now = System.currentTimeMillis();

        dispatch(Fixtures.ping("L-4", now - 5_000, now - 3_000, "bidder"));

        long timeoutMs = new ObjectMapper().readTree(buyers.requestsTo("/bidder").get(0).getBody().utf8())
                .get("timeoutMs").asLong();
        assertThat(timeoutMs).isEqualTo(2_000);
    }

    @Test
    void shouldFollowTheDirectoryWhenBuyerConfigChanges() throws Exception {
        Ping ping = Fixtures.ping("L-5", inSeconds(5), "b1");
        assertThat(dispatch(ping)).extracting(Bid::getReason).containsExactly("UNKNOWN_BUYER");

        register("b1", json(BID));
        assertThat(dispatch(ping)).extracting(Bid::getStatus).containsExactly(BidStatus.BID);

        directory.apply("b1", null);
        assertThat(dispatch(ping)).extracting(Bid::getReason).containsExactly("UNKNOWN_BUYER");
        assertThat(buyers.requestsTo("/b1")).hasSize(1);
    }

    @Test
    void shouldPingEachBuyerOnceWhenPingNamesItTwice() throws Exception {
        register("b1", json(BID));

        List<Bid> bids = dispatch(Fixtures.ping("L-6", inSeconds(5), "b1", "b1"));

        assertThat(bids).hasSize(1);
        assertThat(buyers.requestsTo("/b1")).hasSize(1);
    }

    @Test
    void shouldLeaveBuyerAloneWhenItAnswersOverKafka() throws Exception {
        register(BuyerConfig.newBuilder(Fixtures.buyer("kafka", buyers.answer("/kafka", json(BID))))
                .setDelivery(Delivery.KAFKA).build());
        register("web", json(BID));

        List<Bid> bids = dispatch(Fixtures.ping("L-7", inSeconds(5), "kafka", "web"));

        assertThat(bids).extracting(Bid::getBuyerId).containsExactly("web");
        assertThat(buyers.requestsTo("/kafka")).isEmpty();
    }

    @Test
    void shouldLetAnOverdueBuyerGoWhenAnotherBuyerHasBid() throws Exception {
        register("bidder", json(BID));
        register("stalling", FakeBuyers.stall());
        usuallyAnswersIn("stalling", 10);

        // Its own timeout and the budget are 5 s; it usually answers in 10 ms, and the lead has a bid.
        List<Bid> bids = dispatch(Fixtures.ping("L-8", inSeconds(5), "bidder", "stalling"));

        assertThat(bids).extracting(Bid::getBuyerId, Bid::getStatus, Bid::getReason).containsExactly(
                tuple("bidder", BidStatus.BID, null),
                tuple("stalling", BidStatus.TIMEOUT, PingDispatcher.OVERDUE));
        assertThat(answerTimes.waitMs("stalling", 5_000)).as("the next ping waits its full timeout").isEqualTo(5_000);
    }

    @Test
    void shouldWaitTheWholeTimeoutForAnOverdueBuyerWhenNoOtherBuyerHasBid() throws Exception {
        register("passer", FakeBuyers.status(204));
        register("below-floor", json("{\"bid\":true,\"price\":\"4.99\"}"));
        register(BuyerConfig.newBuilder(Fixtures.buyer("stalling", buyers.answer("/stalling", FakeBuyers.stall())))
                .setPingTimeoutMs(300).build());
        usuallyAnswersIn("stalling", 10);

        List<Bid> bids = dispatch(Fixtures.ping("L-9", inSeconds(5), "passer", "below-floor", "stalling"));

        assertThat(bids).extracting(Bid::getBuyerId, Bid::getReason)
                .containsExactly(tuple("passer", "NO_CONTENT"), tuple("below-floor", null),
                        tuple("stalling", "TIMEOUT"));
    }

    @Test
    void shouldJudgeAndMeasureBuyerByItsAnswerWhenTheLeadStoppedWaitingForIt() throws Exception {
        register("bidder", json(BID));
        register(BuyerConfig.newBuilder(Fixtures.buyer("late", buyers.answer("/late", FakeBuyers.late(BID, 400))))
                .setPingTimeoutMs(3_000).build());
        usuallyAnswersIn("late", 10);

        List<Bid> bids = dispatch(Fixtures.ping("L-10", inSeconds(5), "bidder", "late"));

        assertThat(bids).extracting(Bid::getBuyerId, Bid::getReason)
                .containsExactly(tuple("bidder", null), tuple("late", PingDispatcher.OVERDUE));
        // Its call runs on to its own timeout: the answer is measured, and it is no failure.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dispatcher.gate().health("late").orElseThrow().inFlight()).isZero());
        assertThat(dispatcher.gate().health("late").orElseThrow().consecutiveErrors()).isZero();
        assertThat(answerTimes.usualMs("late").orElseThrow()).as("its p99, now its 400 ms answer")
                .isGreaterThanOrEqualTo(400);
    }

    @Test
    void shouldHoldATimeoutAgainstBuyerWhenOtherBuyersWereHeardMeanwhile() throws Exception {
        register("bidder", json(BID));
        register(BuyerConfig.newBuilder(Fixtures.buyer("silent", buyers.answer("/silent", FakeBuyers.stall())))
                .setPingTimeoutMs(200).build());

        dispatch(Fixtures.ping("L-11", inSeconds(5), "bidder", "silent"));

        assertThat(dispatcher.gate().health("silent").orElseThrow().consecutiveErrors()).isEqualTo(1);
    }

    @Test
    void shouldNotHoldATimeoutAgainstBuyerWhenNoBuyerWasHeardMeanwhile() throws Exception {
        register(BuyerConfig.newBuilder(Fixtures.buyer("silent", buyers.answer("/silent", FakeBuyers.stall())))
                .setPingTimeoutMs(200).build());
        register(BuyerConfig.newBuilder(Fixtures.buyer("also-silent",
                buyers.answer("/also-silent", FakeBuyers.stall()))).setPingTimeoutMs(200).build());

        List<Bid> bids = dispatch(Fixtures.ping("L-12", inSeconds(5), "silent", "also-silent"));

        assertThat(bids).extracting(Bid::getStatus).containsOnly(BidStatus.TIMEOUT);
        assertThat(dispatcher.gate().health("silent").orElseThrow())
                .extracting(h -> h.consecutiveErrors(), h -> h.inFlight()).containsExactly(0, 0);
        assertThat(dispatcher.gate().health("also-silent").orElseThrow().consecutiveErrors()).isZero();
    }

    @Test
    void shouldSayNotHeardAndHoldNothingAgainstBuyerWhenItsCallWasNeverSentForOurConcurrencyCap() throws Exception {
        register(BuyerConfig.newBuilder(Fixtures.buyer("slow", buyers.answer("/slow", FakeBuyers.late(BID, 1_500))))
                .setPingTimeoutMs(3_000).build());
        register(BuyerConfig.newBuilder(Fixtures.buyer("queued", buyers.answer("/queued", json(BID))))
                .setPingTimeoutMs(300).build());
        try (BuyerHttpExecutor oneAtATime = new BuyerHttpExecutor(1)) {
            PingDispatcher capped = new PingDispatcher(directory, BuyerAdapters.json(), oneAtATime, MAX_PRICE_CENTS,
                    Clock.systemUTC(), new BuyerGate(Clock.systemUTC()), new AnswerTimes());

            List<Bid> bids = capped.dispatch(Fixtures.ping("L-queued", inSeconds(10), "slow", "queued"))
                    .get(10, TimeUnit.SECONDS);

            assertThat(bids).extracting(Bid::getBuyerId, Bid::getStatus, Bid::getReason).containsExactly(
                    tuple("slow", BidStatus.BID, null),
                    tuple("queued", BidStatus.TIMEOUT, io.leadmkt.schema.BidReasons.NOT_HEARD));
            assertThat(capped.gate().health("queued").orElseThrow().consecutiveErrors()).isZero();
            assertThat(buyers.requestsTo("/queued")).as("never sent").isEmpty();
        }
    }

    @Test
    void shouldTurnBidIntoErrorWhenPriceIsAboveTheCeiling() {
        Bid bid = Answers.bid("L", "b", BidStatus.BID, MAX_PRICE_CENTS + 1, "t", null, 1, 1);
        Bid atCeiling = Answers.bid("L", "b", BidStatus.BID, MAX_PRICE_CENTS, "t", null, 1, 1);

        assertThat(PingDispatcher.withinCeiling(bid, MAX_PRICE_CENTS).getReason()).isEqualTo("PRICE_TOO_HIGH");
        assertThat(PingDispatcher.withinCeiling(atCeiling, MAX_PRICE_CENTS)).isEqualTo(atCeiling);
    }
}
