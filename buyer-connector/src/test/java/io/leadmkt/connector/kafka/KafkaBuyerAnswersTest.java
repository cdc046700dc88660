package io.leadmkt.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(KafkaBuyerTopics.answerer("buyer.kb.pings")).isEmpty();
        assertThat(KafkaBuyerTopics.answerer("bids")).isEmpty();
    }
}
