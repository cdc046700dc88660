package io.leadmkt.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.schema.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBuyerAnswersTest {

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
    void shouldRelayAPostbackToTheSharedTopicOnlyWhenItNamesTheBuyerWhoseTopicItIsOn() {
        Topics topics = Topics.embedded();
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        KafkaBuyerAnswers answers = new KafkaBuyerAnswers(topics, producer, () -> { });
        for (String claimed : List.of("kb", "alice")) {
            Postback postback = Postback.newBuilder().setLeadId("L1").setBuyerId(claimed)
                    .setType(PostbackType.RETURN).setReason("BAD_PHONE").build();
            byte[] bytes = topics.postbacks().valueSerde().serializer().serialize(Topics.POSTBACKS, postback);
            answers.relay(answers.read(new ConsumerRecord<>(KafkaBuyerTopics.postbacks("kb"), 0, 0, "L1", bytes))).join();
        }

        assertThat(producer.history()).extracting(ProducerRecord::topic)
                .containsExactly(Topics.POSTBACKS, Topics.EVENTS_DEADLETTER);
    }
}
