package io.leadmkt.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.schema.serde.EmbeddedSchemaIdResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundAnswersTest {
    private final AvroSerde<Bid> bids = new AvroSerde<>(Bid.class, new EmbeddedSchemaIdResolver());

    private static Bid answer(String leadId, String buyerId, BidStatus status) {
        return Bid.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setStatus(status)
                .setPriceCents(status == BidStatus.BID ? 1_500L : null).setRespondedAt(1_000).build();
    }

    @Test
    void shouldCarryEveryAnswerOfTheRoundOnOneRecordWhenItCrossesTheWire() {
        Bid record = RoundAnswers.together(List.of(answer("L1", "a", BidStatus.BID), answer("L1", "b", BidStatus.PASS),
                answer("L1", "c", BidStatus.TIMEOUT)));

        Bid read = bids.deserializer().deserialize(Topics.BIDS, bids.serializer().serialize(Topics.BIDS, record));

        assertThat(RoundAnswers.each(read)).extracting(Bid::getBuyerId, Bid::getStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", BidStatus.BID),
                org.assertj.core.groups.Tuple.tuple("b", BidStatus.PASS),
                org.assertj.core.groups.Tuple.tuple("c", BidStatus.TIMEOUT));
        assertThat(RoundAnswers.each(read)).as("unpacked: no answer carries another")
                .allSatisfy(b -> assertThat(b.getRoundAnswers()).isEmpty());
    }

    @Test
    void shouldReadALoneAnswerAsItselfWhenItCarriesNoOthers() {
        Bid alone = answer("L1", "a", BidStatus.BID);

        assertThat(RoundAnswers.each(alone)).containsExactly(alone);
    }

    @Test
    void shouldDropNestedAnswersAndAnswersAboutAnotherLeadWhenUnpacking() {
        Bid nested = answer("L1", "b", BidStatus.BID);
        nested.setRoundAnswers(List.of(answer("L1", "z", BidStatus.BID)));
        Bid record = RoundAnswers.together(List.of(answer("L1", "a", BidStatus.BID), nested,
                answer("L2", "c", BidStatus.BID)));

        assertThat(RoundAnswers.each(record)).extracting(Bid::getBuyerId).containsExactly("a", "b");
    }

    @Test
    void shouldRefuseToPackWhenTheRoundHasNoAnswers() {
        assertThatThrownBy(() -> RoundAnswers.together(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
