package io.leadmkt.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.ping.PingDispatcher;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaBuyerDeliveryTest {

    private final Topics topics = Topics.embedded();
    private final BuyerDirectory directory = new BuyerDirectory();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final List<String> ensured = new ArrayList<>();
    private final Clock clock = Clock.fixed(java.time.Instant.ofEpochMilli(1_800_000_000_000L), java.time.ZoneOffset.UTC);
    private final KafkaBuyerDelivery delivery = new KafkaBuyerDelivery(directory, topics, producer, ensured::add, clock);
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(4);

    @AfterEach
    void tearDown() {
        http.close();
    }

    private void kafkaBuyer(String buyerId) {
        directory.apply(buyerId, BuyerConfig.newBuilder().setBuyerId(buyerId).setName(buyerId)
                .setDelivery(Delivery.KAFKA).build());
    }

    private Ping read(ProducerRecord<String, byte[]> record) {
        return topics.pings().valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    @Test
    void shouldNotDeliverThePingWhenTheLeadIsTooOldToOffer() {
        kafkaBuyer("kb");
        Ping ping = Fixtures.ping("L-old", clock.millis() - 9_000, clock.millis() - 8_500, "kb");
        ping.setOfferBy(clock.millis() - 1);

        assertThat(delivery.deliverPing(ping)).isEmpty();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldProduceSingleBuyerPingToTheBuyersTopicAndNoBid() {
        kafkaBuyer("kb");
        // A webhook buyer nothing listens for: its bid is an ERROR, but it is the only bid.
        directory.apply("web", Fixtures.buyer("web", "http://127.0.0.1:" + Fixtures.closedPort() + "/web"));
        Ping ping = Fixtures.ping("L-1", System.currentTimeMillis() + 5_000, "web", "kb");

        List<CompletableFuture<Void>> acks = delivery.deliverPing(ping);
        PingDispatcher pings = new PingDispatcher(directory, BuyerAdapters.json(), http, 100_000_00L,
                Clock.systemUTC());

        assertThat(acks).singleElement().satisfies(ack -> assertThat(ack).isCompleted());
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("buyer.kb.pings").isEqualTo(KafkaBuyerTopics.pings("kb"));
            assertThat(record.key()).isEqualTo("L-1");
            Ping own = read(record);
            assertThat(own.getBuyers()).containsExactly("kb");
            assertThat(own.getLeadId()).isEqualTo("L-1");
            // Its time counts from when its copy became readable, with the round's whole budget.
            assertThat(own.getPingedAt()).isEqualTo(clock.millis());
            assertThat(own.getDeadlineAt()).isEqualTo(clock.millis() + ping.getDeadlineAt() - ping.getPingedAt());
            assertThat(own.getPreview()).isEqualTo(ping.getPreview());
        });
        assertThat(pings.dispatch(ping).join()).extracting(b -> b.getBuyerId()).containsExactly("web");
        // All four of its topics exist before its first ping: the relay finds its answer topics at once.
        assertThat(ensured).containsExactlyElementsOf(KafkaBuyerTopics.all("kb"));
    }

    @Test
    void shouldProduceNothingForWebhookBuyers() {
        directory.apply("web", Fixtures.buyer("web", "http://127.0.0.1:1/web"));

        assertThat(delivery.deliverPing(Fixtures.ping("L-1", System.currentTimeMillis() + 5_000, "web"))).isEmpty();
        assertThat(delivery.deliverPost(Fixtures.post("L-1", "web", 1, System.currentTimeMillis() + 5_000))).isEmpty();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldProducePostToTheBuyersPostsTopicAndEnsureEachTopicOnce() {
        kafkaBuyer("kb");
        Post post = Fixtures.post("L-2", "kb", 1, System.currentTimeMillis() + 5_000);

        assertThat(delivery.deliverPost(post)).hasValueSatisfying(ack -> assertThat(ack).isCompleted());
        delivery.deliverPost(Fixtures.post("L-3", "kb", 1, System.currentTimeMillis() + 5_000));

        assertThat(producer.history()).hasSize(2).first().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("buyer.kb.posts");
            assertThat(record.key()).isEqualTo("L-2");
            assertThat(topics.posts().valueSerde().deserializer().deserialize(record.topic(), record.value()))
                    .isEqualTo(post);
        });
        assertThat(ensured).containsExactly("buyer.kb.posts");
    }

    @Test
    void shouldStampThePostsBudgetFromWhenItBecomesReadableAndDropItPastItsSendBy() {
        kafkaBuyer("kb");
        long now = clock.millis();
        // Written 20 s ago with a 3 s budget; it may be sent until 40 s from now.
        Post late = Post.newBuilder(Fixtures.post("L-4", "kb", 1, now - 17_000)).setSendBy(now + 40_000).build();
        Post tooLate = Post.newBuilder(Fixtures.post("L-5", "kb", 1, now - 17_000)).setSendBy(now - 1).build();

        assertThat(delivery.deliverPost(late)).hasValueSatisfying(ack -> assertThat(ack).isCompleted());
        assertThat(delivery.deliverPost(tooLate)).as("handled: not a webhook post")
                .hasValueSatisfying(ack -> assertThat(ack).isCompleted());

        assertThat(producer.history()).singleElement().satisfies(record -> {
            Post own = topics.posts().valueSerde().deserializer().deserialize(record.topic(), record.value());
            assertThat(own.getLeadId()).isEqualTo("L-4");
            assertThat(own.getDeadlineAt()).as("the whole budget from now").isEqualTo(now + 3_000);
        });
    }

    @Test
    void shouldFailTheAckWhenTheProducerFails() {
        MockProducer<String, byte[]> failing =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        KafkaBuyerDelivery withFailing = new KafkaBuyerDelivery(directory, topics, failing, t -> { }, clock);
        kafkaBuyer("kb");

        CompletableFuture<Void> ack = withFailing.deliverPing(
                Fixtures.ping("L-1", System.currentTimeMillis() + 5_000, "kb")).get(0);
        assertThat(ack).isNotDone();
        failing.errorNext(new RuntimeException("broker down"));
        assertThat(ack).isCompletedExceptionally();
    }
}
