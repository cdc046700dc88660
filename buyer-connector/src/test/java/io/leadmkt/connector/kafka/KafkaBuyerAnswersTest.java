package io.leadmkt.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.schema.AnswerRoute;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.Topics;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBuyerAnswersTest {

    private static final int PARTITIONS = 3;
    private final Topics topics = Topics.embedded();
    private final MockProducer<String, byte[]> producer = new MockProducer<>(cluster(), true, null,
            new StringSerializer(), new ByteArraySerializer());
    private final BuyerDirectory directory = new BuyerDirectory();
    private final KafkaBuyerDelivery delivery = new KafkaBuyerDelivery(directory, topics, producer, t -> { },
            Clock.systemUTC());
    private final KafkaBuyerAnswers answers = new KafkaBuyerAnswers(topics, producer, () -> { }, delivery);

    private static Cluster cluster() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = IntStream.range(0, PARTITIONS).boxed()
                .flatMap(p -> java.util.stream.Stream.of(Topics.BIDS, Topics.POST_RESULTS)
                        .map(topic -> new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node})))
                .toList();
        return new Cluster("test", List.of(node), partitions, Set.of(), Set.of());
    }

    private KafkaBuyerAnswers.Answer bidFrom(String buyerId, String leadId) {
        String topic = KafkaBuyerTopics.bids(buyerId);
        byte[] raw = topics.bids().valueSerde().serializer().serialize(topic, Bid.newBuilder().setLeadId(leadId)
                .setBuyerId(buyerId).setStatus(BidStatus.BID).setPriceCents(1_000L).setRespondedAt(1L).build());
        return answers.read(new ConsumerRecord<>(topic, 0, 0L, leadId, raw));
    }

    @Test
    void shouldRelayAnswerToItsAuctionsPartitionWhenThePingWasDeliveredHere() {
        directory.apply("kb", BuyerConfig.newBuilder().setBuyerId("kb").setName("kb").setDelivery(Delivery.KAFKA).build());
        Ping ping = Fixtures.ping("L-1", System.currentTimeMillis() + 5_000, "kb");
        ping.setAuctionPartition(2);
        delivery.deliverPing(ping);
        Post post = Fixtures.post("L-2", "kb", 1, System.currentTimeMillis() + 5_000);
        post.setAuctionPartition(1);
        delivery.deliverPost(post);
        producer.clear();

        answers.relay(bidFrom("kb", "L-1")).join();
        answers.relay(bidFrom("kb", "L-2")).join();

        assertThat(producer.history()).extracting(ProducerRecord::topic, ProducerRecord::partition, ProducerRecord::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Topics.BIDS, 2, "L-1"),
                        org.assertj.core.groups.Tuple.tuple(Topics.BIDS, 1, "L-2"));
        assertThat(producer.history()).allSatisfy(r ->
                assertThat(r.headers().lastHeader(AnswerRoute.BROADCAST_HEADER)).isNull());
    }

    @Test
    void shouldBroadcastAnswerToEveryPartitionWhenItsAuctionsPartitionIsNotKnownHere() {
        answers.relay(bidFrom("kb", "L-after-restart")).join();

        assertThat(producer.history()).hasSize(PARTITIONS).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(Topics.BIDS);
            assertThat(r.key()).isEqualTo("L-after-restart");
            assertThat(r.headers().lastHeader(AnswerRoute.BROADCAST_HEADER)).isNotNull();
        });
        assertThat(producer.history()).extracting(ProducerRecord::partition).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void shouldRelayAnswerWhenItNamesTheBuyerWhoseTopicItIsOn() {
        assertThat(KafkaBuyerAnswers.refusal(KafkaBuyerTopics.bids("kb"), "kb")).isEmpty();
        assertThat(KafkaBuyerAnswers.refusal(KafkaBuyerTopics.postResults("b.with.dots"), "b.with.dots")).isEmpty();
    }

    @Test
    void shouldRefuseAnswerWhenItClaimsAnotherBuyer() {
        assertThat(KafkaBuyerAnswers.refusal(KafkaBuyerTopics.bids("mallory"), "alice"))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("FORGED_BUYER").contains("alice"));
    }

    @Test
    void shouldPassUnreadableAnswerOnWhenItClaimsNobody() {
        assertThat(KafkaBuyerAnswers.refusal(KafkaBuyerTopics.bids("kb"), null)).isEmpty();
    }

    @Test
    void shouldNameTheAnswererWhenTopicIsABuyersAnswerTopic() {
        assertThat(KafkaBuyerTopics.answerer("buyer.kb.bids")).contains("kb");
        assertThat(KafkaBuyerTopics.answerer("buyer.kb.post-results")).contains("kb");
        assertThat(KafkaBuyerTopics.answerer("buyer.kb.postbacks")).contains("kb");
        assertThat(KafkaBuyerTopics.answerer("buyer.kb.pings")).isEmpty();
        assertThat(KafkaBuyerTopics.answerer("bids")).isEmpty();
    }

    @Test
    void shouldRelayAPostbackByItsKeyOnlyWhenItNamesTheBuyerWhoseTopicItIsOn() {
        for (String claimed : List.of("kb", "alice")) {
            Postback postback = Postback.newBuilder().setLeadId("L1").setBuyerId(claimed)
                    .setType(PostbackType.RETURN).setReason("BAD_PHONE").build();
            byte[] bytes = topics.postbacks().valueSerde().serializer().serialize(Topics.POSTBACKS, postback);
            answers.relay(answers.read(new ConsumerRecord<>(KafkaBuyerTopics.postbacks("kb"), 0, 0, "L1", bytes))).join();
        }

        assertThat(producer.history()).extracting(ProducerRecord::topic)
                .containsExactly(Topics.POSTBACKS, Topics.EVENTS_DEADLETTER);
        assertThat(producer.history().get(0).partition()).as("no auction waits for it: partitioned by key").isNull();
    }

    @Test
    void shouldDeadLetterABuyersAnswerWhenItCarriesOtherBuyersAnswers() {
        String topic = KafkaBuyerTopics.bids("kb");
        Bid own = Bid.newBuilder().setLeadId("L1").setBuyerId("kb").setStatus(BidStatus.PASS).setRespondedAt(1L).build();
        // Only the connector may pack a round's answers: a buyer answering for its rivals is a forgery.
        own.setRoundAnswers(List.of(Bid.newBuilder().setLeadId("L1").setBuyerId("rival").setStatus(BidStatus.PASS)
                .setRespondedAt(1L).build()));
        byte[] raw = topics.bids().valueSerde().serializer().serialize(topic, own);

        answers.relay(answers.read(new ConsumerRecord<>(topic, 0, 0L, "L1", raw))).join();

        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.EVENTS_DEADLETTER);
            assertThat(new String(r.headers().lastHeader(KafkaBuyerAnswers.ERROR_HEADER).value(),
                    java.nio.charset.StandardCharsets.UTF_8)).startsWith("FORGED_BUYER").contains("roundAnswers");
        });
    }
}
