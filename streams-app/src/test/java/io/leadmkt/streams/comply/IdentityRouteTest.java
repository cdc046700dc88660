package io.leadmkt.streams.comply;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Lead;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.enrich.LeadEnricher;
import io.leadmkt.streams.intake.LeadNormalizer;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityRouteTest {
    private static final int PARTITIONS = 3;
    private static final long NOW = 1_796_000_000_000L;

    private final IdentityRoute route = new IdentityRoute(PARTITIONS);
    private MockProcessorContext<String, Object> context;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        route.init(context);
    }

    private Object routed(String identity, int readFrom) {
        context.resetForwards();
        context.setRecordMetadata("leads.inbound", readFrom, 7L);
        Lead lead = MarketFixtures.lead("L-" + identity, NOW).build();
        route.process(new Record<>(identity, lead, NOW));
        assertThat(context.forwarded()).hasSize(1);
        return context.forwarded().get(0).record().value();
    }

    @Test
    void shouldGoStraightToDedupeWhenTheLeadWasReadFromItsIdentitysPartition() {
        String identity = "a1b2c3";
        int its = IdentityPartition.of(identity, PARTITIONS);

        assertThat(routed(identity, its)).isInstanceOf(Lead.class);
    }

    @Test
    void shouldCrossOverWhenTheLeadWasReadFromAnotherPartition() {
        String identity = "a1b2c3";
        int other = (IdentityPartition.of(identity, PARTITIONS) + 1) % PARTITIONS;

        Object value = routed(identity, other);

        assertThat(value).isInstanceOf(IdentityRoute.Elsewhere.class);
        assertThat(((IdentityRoute.Elsewhere) value).lead().getLeadId()).isEqualTo("L-" + identity);
    }

    @Test
    void shouldPickThePartitionKafkasProducerWouldWhenItHashesAnIdentity() {
        StringSerializer keys = new StringSerializer();
        IntStream.range(0, 200).mapToObj(i -> "identity-" + i).forEach(identity ->
                assertThat(IdentityPartition.of(identity, PARTITIONS)).isEqualTo(
                        BuiltInPartitioner.partitionForKey(keys.serialize("t", identity), PARTITIONS)));
    }

    @Test
    void shouldPartitionARawLeadAsIntakeWillKeyItWhenTheSourceAsks() {
        Lead raw = MarketFixtures.lead("L-raw", NOW).build();
        Lead normalised = new LeadNormalizer().normalize(raw, NOW).lead();

        assertThat(IdentityPartition.ofRaw(raw, PARTITIONS, NOW))
                .isEqualTo(OptionalInt.of(IdentityPartition.of(LeadEnricher.identityHash(normalised), PARTITIONS)));
        assertThat(IdentityPartition.toWrite(raw, PARTITIONS, PARTITIONS, NOW))
                .isEqualTo(IdentityPartition.of(LeadEnricher.identityHash(normalised), PARTITIONS));
    }

    @Test
    void shouldLeaveThePartitionToTheProducerWhenIntakeWillRejectTheLeadOrTheTopicIsSmaller() {
        Lead noContact = MarketFixtures.lead("L-bad", NOW).setContact(null).build();
        Lead raw = MarketFixtures.lead("L-raw", NOW).build();
        int its = IdentityPartition.ofRaw(raw, PARTITIONS, NOW).getAsInt();

        assertThat(IdentityPartition.toWrite(noContact, PARTITIONS, PARTITIONS, NOW)).isNull();
        assertThat(IdentityPartition.toWrite(raw, PARTITIONS, its, NOW)).isNull();
    }
}
