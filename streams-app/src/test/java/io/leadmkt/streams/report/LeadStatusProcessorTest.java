package io.leadmkt.streams.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.streams.MockStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lead-status processor alone over in-memory stores, its wall clock driven by the test: the statuses
 * it keeps decoded between a lead's events never outlive what the store holds (forgotten by the sweep,
 * or gone when the task is initialised again).
 */
class LeadStatusProcessorTest {
    private static final long RETENTION_MS = Duration.ofDays(7).toMillis();
    private static final long T0 = 1_000_000L;

    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private final LeadStatusProcessor processor = new LeadStatusProcessor(RETENTION_MS);
    private KeyValueStore<String, LeadStatus> statuses;
    private KeyValueStore<String, AuditEvent> timelines;

    @BeforeEach
    void setUp() {
        statuses = MockStores.keyValue(context, LeadStatusProcessor.STORE, LeadStatus.class);
        timelines = MockStores.keyValue(context, LeadStatusProcessor.TIMELINE_STORE, AuditEvent.class);
        context.setCurrentSystemTimeMs(T0);
        processor.init(context);
    }

    private void process(AuditType type, long at) {
        processor.process(new Record<>("L1", AuditEvent.newBuilder().setLeadId("L1").setType(type).setAt(at).build(), at));
    }

    private int timelineLength() {
        return LeadStatusProcessor.timeline(timelines, "L1").size();
    }

    @Test
    void shouldNotAddAReturnToALeadWhenTheSweepForgotItsStatus() {
        process(AuditType.RECEIVED, T0);
        long later = T0 + RETENTION_MS + 1;
        context.setCurrentSystemTimeMs(later);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(later);

        process(AuditType.RETURN_REQUESTED, later);

        assertThat(statuses.get("L1")).isNull();
        assertThat(timelineLength()).isZero();
    }

    @Test
    void shouldReadTheStatusFromTheStoreAgainWhenTheTaskIsInitialisedAgain() {
        process(AuditType.RECEIVED, T0);
        // the stores as a restore leaves them: without the lead, which an aborted transaction took back
        statuses.delete("L1");
        List<String> events = new ArrayList<>();
        try (var all = timelines.all()) {
            all.forEachRemaining(event -> events.add(event.key));
        }
        events.forEach(timelines::delete);

        processor.init(context);
        process(AuditType.RETURN_REQUESTED, T0 + 10);

        assertThat(timelineLength()).isZero();
    }

    @Test
    void shouldAddEveryEventToTheTimelineWhenTheLeadIsKnown() {
        process(AuditType.RECEIVED, T0);
        process(AuditType.QUALIFIED, T0 + 1);
        process(AuditType.RETURN_REQUESTED, T0 + 2);

        assertThat(timelineLength()).isEqualTo(3);
        assertThat(statuses.get("L1").getStage()).isEqualTo("received");
    }
}
