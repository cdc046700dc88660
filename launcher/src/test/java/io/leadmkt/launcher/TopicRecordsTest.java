package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicRecordsTest {

    private final TopicRecords records = new TopicRecords(Map.of(
            "__consumer_offsets", 1200L, "leadmkt-auction-store-changelog", 300L, "audit", 900L, "buyers", 4L));

    @Test
    void shouldListTopicsLargestFirstPerLeadWhenSummarised() {
        assertThat(records.perLead(100)).containsExactly(
                Map.entry("__consumer_offsets", 12.0), Map.entry("audit", 9.0),
                Map.entry("leadmkt-auction-store-changelog", 3.0));
        assertThat(records.toLine(100))
                .isEqualTo("records/lead 24.0: __consumer_offsets 12.0, audit 9.0, auction-store-changelog 3.0");
    }

    @Test
    void shouldCountNothingPerLeadWhenNoLeadWasSent() {
        assertThat(records.perLead(0)).isEmpty();
        assertThat(records.toLine(0)).isEqualTo("records/lead 0.0: ");
    }
}
