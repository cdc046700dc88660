package io.leadmkt.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.adapter.Answers;
import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.ops.Health;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostReasons;
import io.leadmkt.schema.PostStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connector's meters per buyer, and its health rule. */
class ConnectorMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConnectorCounters counters = new ConnectorCounters(registry);

    @Test
    void shouldCountBidsAndTimeAnswersByBuyerAndStatusWhenProduced() {
        counters.bid(Answers.bid("l1", "acme", BidStatus.BID, 1_250L, "t", null, 0, 12));
        counters.bid(Answers.bid("l2", "acme", BidStatus.PASS, null, null, "no", 0, 30));
        counters.bid(Answers.bid("l3", "acme", BidStatus.BID, 900L, "t", null, 0, 20));
        counters.bid(Answers.failedBid("l4", "zeta", BidStatus.TIMEOUT, "TIMEOUT", 0, 500));

        assertThat(count("leadmkt.bids", "acme", "BID")).isEqualTo(2);
        assertThat(count("leadmkt.bids", "acme", "PASS")).isEqualTo(1);
        assertThat(count("leadmkt.bids", "zeta", "TIMEOUT")).isEqualTo(1);
        Timer acmeBids = timer("leadmkt.ping.latency", "acme", "BID");
        assertThat(acmeBids.count()).isEqualTo(2);
        assertThat(acmeBids.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(32);
        assertThat(timer("leadmkt.ping.latency", "zeta", "TIMEOUT").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
    }

    @Test
    void shouldCountButNotTimeAnswersMadeWithoutCallingTheBuyer() {
        counters.bid(Answers.failedBid("l1", "paused", BidStatus.ERROR, BuyerGate.PAUSED, 0, 0));

        assertThat(count("leadmkt.bids", "paused", "ERROR")).isEqualTo(1);
        assertThat(registry.find("leadmkt.ping.latency").timers()).isEmpty();
    }

    @Test
    void shouldCountPostResultsAndTimePostsByBuyerAndStatusWhenProduced() {
        Post post = Post.newBuilder().setLeadId("l1").setBuyerId("acme").setAttempt(1).setPriceCents(1_000)
                .setPostedAt(0).setDeadlineAt(1_000).setLead(new Lead()).build();
        counters.postResult(Answers.postResult(post, PostStatus.ACCEPTED, "b-1", null, 0, 40));
        counters.postResult(Answers.postResult(post, PostStatus.ERROR, null, "HTTP_500", 0, 15));

        assertThat(registry.get("leadmkt.post.results").tags("buyer", "acme", "status", "ACCEPTED").counter().count())
                .isEqualTo(1);
        assertThat(timer("leadmkt.post.latency", "acme", "ERROR").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(15);
    }

    @Test
    void shouldCountWhatOurSideNeverGotToTheBuyerApartFromTheBuyersAnswersWhenTheConnectorWasBehind() {
        Post post = Post.newBuilder().setLeadId("l1").setBuyerId("acme").setAttempt(1).setPriceCents(1_000)
                .setPostedAt(0).setDeadlineAt(1_000).setLead(new Lead()).build();
        counters.bid(Answers.failedBid("l1", "acme", BidStatus.TIMEOUT, BidReasons.NOT_HEARD, 0, 500));
        counters.bid(Answers.failedBid("l2", "acme", BidStatus.TIMEOUT, BidReasons.STALE, 0, 0));
        counters.bid(Answers.failedBid("l3", "acme", BidStatus.TIMEOUT, "TIMEOUT", 0, 500));
        counters.postResult(Answers.postResult(post, PostStatus.TIMEOUT, null, PostReasons.DEADLINE_PASSED, 0, 0));
        counters.postResult(Answers.postResult(post, PostStatus.ERROR, null, PostReasons.NOT_SENT, 0, 0));

        assertThat(registry.get("leadmkt.connector.not.reached").tags("kind", "ping").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("leadmkt.connector.not.reached").tags("kind", "post").functionCounter().count())
                .isEqualTo(2);
        assertThat(count("leadmkt.bids", "acme", "TIMEOUT")).as("its own timeout only").isEqualTo(1);
        assertThat(timer("leadmkt.ping.latency", "acme", "TIMEOUT").count()).isEqualTo(1);
        assertThat(registry.find("leadmkt.post.results").counters()).as("no post of its failed").isEmpty();
        assertThat(counters.snapshot(1, 0, java.util.List.of()).bids()).as("every bid written").isEqualTo(3);
    }

    @Test
    void shouldTimeOnlyAnswersOrFailuresThatTookTime() {
        assertThat(ConnectorCounters.wasCalled(true, 0)).as("a sub-millisecond answer").isTrue();
        assertThat(ConnectorCounters.wasCalled(false, 7)).as("a refused connection after 7 ms").isTrue();
        assertThat(ConnectorCounters.wasCalled(false, 0)).as("paused, throttled, stale: never called").isFalse();
    }

    @Test
    void shouldBeReadyOnlyOnceStartedAndUntilClosed() {
        assertThat(BuyerConnector.health(false, false, null).ready()).as("warming up").isFalse();
        assertThat(BuyerConnector.health(false, false, null).live()).isTrue();
        assertThat(BuyerConnector.health(true, false, null)).isEqualTo(Health.ready("RUNNING"));
        assertThat(BuyerConnector.health(true, true, null).ready()).as("closing").isFalse();
    }

    @Test
    void shouldAskForARestartWhenAConsumerLoopFailed() {
        Health health = BuyerConnector.health(true, false, new IllegalStateException("fenced"));

        assertThat(health.live()).isFalse();
        assertThat(health.ready()).isFalse();
        assertThat(health.reason()).contains("fenced");
    }

    private double count(String name, String buyer, String status) {
        return registry.get(name).tags("buyer", buyer, "status", status).counter().count();
    }

    private Timer timer(String name, String buyer, String status) {
        return registry.get(name).tags("buyer", buyer, "status", status).timer();
    }
}
