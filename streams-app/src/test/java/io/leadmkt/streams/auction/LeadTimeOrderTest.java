package io.leadmkt.streams.auction;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AnswerRoute;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class LeadTimeOrderTest {
    private static final long WRITTEN = 10_000;

    private static ConsumerRecord<Object, Object> answer(RecordHeaders headers) {
        return new ConsumerRecord<>("bids", 0, 7, WRITTEN, TimestampType.LOG_APPEND_TIME, 0, 0, "L1", new byte[0],
                headers, Optional.empty());
    }

    private static RecordHeaders leadTime(long at) {
        RecordHeaders headers = new RecordHeaders();
        AnswerRoute.markLeadTime(headers, at);
        return headers;
    }

    @Test
    void shouldOrderAnAnswerByItsLeadsTimeWhenTheConnectorNamedIt() {
        assertThat(new LeadTimeOrder().extract(answer(leadTime(4_000)), 9_000)).isEqualTo(4_000);
    }

    @Test
    void shouldKeepTheBrokersTimeWhenTheAnswerNamesNoLeadTime() {
        assertThat(new LeadTimeOrder().extract(answer(new RecordHeaders()), 9_000)).isEqualTo(WRITTEN);
    }

    @Test
    void shouldKeepTheBrokersTimeWhenTheLeadTimeIsUnreadable() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(AnswerRoute.LEAD_TIME_HEADER, new byte[] {1, 2, 3});
        assertThat(new LeadTimeOrder().extract(answer(headers), 9_000)).isEqualTo(WRITTEN);
    }

    @Test
    void shouldNeverOrderAnAnswerAfterTheBrokerWroteItWhenItNamesALaterTime() {
        // A header can only move an answer forward; a writer cannot make its answer look later than it was.
        assertThat(new LeadTimeOrder().extract(answer(leadTime(WRITTEN + 60_000)), 9_000)).isEqualTo(WRITTEN);
    }
}
