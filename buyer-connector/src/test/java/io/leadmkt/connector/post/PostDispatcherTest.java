package io.leadmkt.connector.post;

import static io.leadmkt.connector.FakeBuyers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.FakeBuyers;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostDispatcherTest {

    private final FakeBuyers buyers = new FakeBuyers();
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(8);
    private final BuyerDirectory directory = new BuyerDirectory();
    private final PostDispatcher dispatcher = new PostDispatcher(directory, BuyerAdapters.json(), http,
            Clock.systemUTC());

    @AfterEach
    void tearDown() {
        http.close();
        buyers.close();
    }

    private BuyerConfig register(String buyerId, MockResponse response) {
        BuyerConfig buyer = Fixtures.buyer(buyerId, buyers.answer("/" + buyerId, response));
        directory.apply(buyerId, buyer);
        return buyer;
    }

    private PostResult post(String buyerId) throws Exception {
        return post(Fixtures.post("L-1", buyerId, 1, System.currentTimeMillis() + 5000));
    }

    private PostResult post(Post post) throws Exception {
        return dispatcher.dispatch(post).get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAcceptAndCallOnlyTheNamedBuyerWhenBuyerAcceptsPost() throws Exception {
        register("winner", json("{\"accepted\":true,\"buyerLeadId\":\"B-1\"}"));
        register("loser", json("{\"accepted\":true,\"buyerLeadId\":\"B-2\"}"));

        PostResult result = post(Fixtures.post("L-1", "winner", 3, System.currentTimeMillis() + 5000));

        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        assertThat(result.getBuyerLeadId()).isEqualTo("B-1");
        assertThat(result.getLeadId()).isEqualTo("L-1");
        assertThat(result.getBuyerId()).isEqualTo("winner");
        assertThat(result.getAttempt()).isEqualTo(3);
        assertThat(buyers.requestsTo("/loser")).isEmpty();
        RecordedRequest request = buyers.requestsTo("/winner").get(0);
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("L-1:winner:3");
        assertThat(request.getHeaders().get("X-Leadmkt-Lead-Id")).isEqualTo("L-1");
        assertThat(request.getBody().utf8()).contains("\"email\":\"jane.doe@example.com\"", "\"token\":\"tok-winner\"",
                "\"price\":\"12.50\"");
    }

    @Test
    void shouldRejectWhenBuyerRejectsPost() throws Exception {
        register("b1", json("{\"accepted\":false,\"reason\":\"duplicate lead\"}"));

        PostResult result = post("b1");

        assertThat(result.getStatus()).isEqualTo(PostStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo("duplicate lead");
    }

    @Test
    void shouldErrorWhenBuyerAnswersServerError() throws Exception {
        register("b1", FakeBuyers.html(500));

        PostResult result = post("b1");

        assertThat(result.getStatus()).isEqualTo(PostStatus.ERROR);
        assertThat(result.getReason()).isEqualTo("HTTP_500");
    }

    @Test
    void shouldErrorWhenBuyerAnswersGarbage() throws Exception {
        register("b1", json("{\"accepted\":"));

        assertThat(post("b1").getReason()).isEqualTo("BAD_JSON");
    }

    @Test
    void shouldTimeOutWhenBuyerNeverAnswers() throws Exception {
        directory.apply("b1", BuyerConfig.newBuilder(Fixtures.buyer("b1", buyers.answer("/b1", FakeBuyers.stall())))
                .setPostTimeoutMs(200).build());

        PostResult result = post("b1");

        assertThat(result.getStatus()).isEqualTo(PostStatus.TIMEOUT);
        assertThat(buyers.requestsTo("/b1")).hasSize(1);
    }

    @Test
    void shouldErrorNotSentWhenThePostQueuedBehindOurConcurrencyCapPastItsTimeout() throws Exception {
        register("slow", FakeBuyers.late("{\"accepted\":true}", 1_500));
        directory.apply("queued", BuyerConfig.newBuilder(Fixtures.buyer("queued", buyers.answer("/queued",
                json("{\"accepted\":true}")))).setPostTimeoutMs(300).build());
        try (BuyerHttpExecutor oneAtATime = new BuyerHttpExecutor(1)) {
            PostDispatcher capped = new PostDispatcher(directory, BuyerAdapters.json(), oneAtATime, Clock.systemUTC());
            var first = capped.dispatch(Fixtures.post("L-1", "slow", 1, System.currentTimeMillis() + 5000));

            PostResult result = capped.dispatch(Fixtures.post("L-2", "queued", 1, System.currentTimeMillis() + 5000))
                    .get(10, TimeUnit.SECONDS);

            // Not delivered, and known not to be: an ERROR (the auction may go on to the next bid), not a TIMEOUT.
            assertThat(result.getStatus()).isEqualTo(PostStatus.ERROR);
            assertThat(result.getReason()).isEqualTo("NOT_SENT");
            assertThat(PostReasons.neverSent(result)).as("no verdict on the buyer").isTrue();
            assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(PostStatus.ACCEPTED);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> oneAtATime.inFlight() == 0);
            assertThat(buyers.requestsTo("/queued")).as("never sent").isEmpty();
        }
    }

    @Test
    void shouldTimeOutWithoutCallingWhenPostDeadlineHasPassed() throws Exception {
        register("b1", json("{\"accepted\":true}"));

        PostResult result = post(Fixtures.post("L-1", "b1", 1, System.currentTimeMillis() - 1));

        assertThat(result.getStatus()).isEqualTo(PostStatus.TIMEOUT);
        assertThat(buyers.requestCount()).isZero();
    }

    /**
     * The post was written 20 s ago (a connector restart, a backlog): its 3 s budget is long gone, but the
     * buyer's time counts from its call, and the post may still be sent until its sendBy.
     */
    @Test
    void shouldCallWithTheWholeBudgetWhenThePostIsReadLateButBeforeItsSendBy() throws Exception {
        register("b1", FakeBuyers.late("{\"accepted\":true}", 300));
        long now = System.currentTimeMillis();
        Post late = Post.newBuilder(Fixtures.post("L-1", "b1", 1, now - 17_000)).setSendBy(now + 40_000).build();

        PostResult result = post(late);

        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        assertThat(buyers.requestsTo("/b1")).hasSize(1);
    }

    @Test
    void shouldTimeOutWithoutCallingWhenThePostIsReadAfterItsSendBy() throws Exception {
        register("b1", json("{\"accepted\":true}"));
        long now = System.currentTimeMillis();
        Post tooLate = Post.newBuilder(Fixtures.post("L-1", "b1", 1, now + 2_000)).setSendBy(now - 1).build();

        PostResult result = post(tooLate);

        assertThat(result.getStatus()).isEqualTo(PostStatus.TIMEOUT);
        assertThat(result.getReason()).isEqualTo(PostDispatcher.DEADLINE_PASSED);
        assertThat(PostReasons.neverSent(result)).isTrue();
        assertThat(buyers.requestCount()).isZero();
    }

    @Test
    void shouldGiveTheBuyerItsBudgetFromTheCallOrNothingPastSendByWhenAskedHowLongItHas() {
        Post post = Post.newBuilder(Fixtures.post("L-1", "b1", 1, 13_000)).setSendBy(70_000).build(); // posted at 10 000

        assertThat(PostDispatcher.budgetMs(post, 10_000)).isEqualTo(3_000);
        assertThat(PostDispatcher.budgetMs(post, 69_000)).as("read late: still the whole budget").isEqualTo(3_000);
        assertThat(PostDispatcher.budgetMs(post, 70_001)).isZero();
        Post written = Post.newBuilder(post).setSendBy(0).build();
        assertThat(PostDispatcher.budgetMs(written, 12_000)).as("written before sendBy: what is left").isEqualTo(1_000);
    }

    @Test
    void shouldErrorWithoutCallingWhenBuyerIsUnknownOrInactive() throws Exception {
        BuyerConfig inactive = register("b1", json("{\"accepted\":true}"));
        directory.apply("b1", BuyerConfig.newBuilder(inactive).setActive(false).build());

        assertThat(post("b1").getReason()).isEqualTo("UNKNOWN_BUYER");
        assertThat(post("nobody").getReason()).isEqualTo("UNKNOWN_BUYER");
        assertThat(buyers.requestCount()).isZero();
    }

    @Test
    void shouldErrorWhenNothingListensOnBuyerPort() throws Exception {
        directory.apply("b1", Fixtures.buyer("b1", "http://127.0.0.1:" + Fixtures.closedPort() + "/post"));

        PostResult result = post("b1");

        assertThat(result.getStatus()).isEqualTo(PostStatus.ERROR);
        assertThat(result.getReason()).isEqualTo("CONNECTION_REFUSED");
    }

    @Test
    void shouldNotPostWhenBuyerTakesLeadsOverKafka() {
        directory.apply("b1", BuyerConfig.newBuilder(Fixtures.buyer("b1", buyers.answer("/b1", json("{\"accepted\":true}"))))
                .setDelivery(Delivery.KAFKA).build());

        assertThat(dispatcher.dispatchIfWebhook(Fixtures.post("L-1", "b1", 1, System.currentTimeMillis() + 5000)))
                .isEmpty();
        assertThat(buyers.requestCount()).isZero();
    }
}
