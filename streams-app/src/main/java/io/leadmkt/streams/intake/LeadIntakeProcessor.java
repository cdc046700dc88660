package io.leadmkt.streams.intake;

import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.schema.serde.UnknownSchemaException;
import io.leadmkt.schema.serde.WrongSchemaException;
import io.leadmkt.streams.outcome.Rejections;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first stage: reads the raw bytes of {@code leads.inbound} itself (rather than through a
 * source serde) so that bytes that are not a lead become a rejection with a reason code and a
 * dead letter, instead of stopping the application. Forwards the normalised {@link Lead}, or a
 * {@link Rejection} and its audit event, or (for unreadable input) the raw bytes.
 */
public final class LeadIntakeProcessor implements Processor<String, byte[], String, Object> {

    private final AvroSerde<Lead> leadSerde;
    private final IntakeBacklog backlog;
    private final LeadNormalizer normalizer = new LeadNormalizer();
    private ProcessorContext<String, Object> context;
    private int partition;

    /** @param backlog told the age of every lead read, so the HTTP intake can shed while this one lags */
    public LeadIntakeProcessor(AvroSerde<Lead> leadSerde, IntakeBacklog backlog) {
        this.leadSerde = leadSerde;
        this.backlog = backlog;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        backlog.reading(partition);
    }

    @Override
    public void close() {
        backlog.stoppedReading(partition);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long now = context.currentSystemTimeMs();
        backlog.read(partition, context.recordMetadata().map(RecordMetadata::offset).orElse(-1L), record.timestamp(), now);
        String origin = origin();
        Lead raw;
        try {
            raw = leadSerde.deserialize(origin, record.value());
        } catch (UnknownSchemaException e) {
            reject(record, Rejections.UNKNOWN_SCHEMA, e.getMessage(), now, origin);
            return;
        } catch (WrongSchemaException e) {
            reject(record, Rejections.WRONG_SCHEMA, e.getMessage(), now, origin);
            return;
        } catch (SerializationException e) {
            reject(record, Rejections.UNDECODABLE, e.getMessage(), now, origin);
            return;
        }
        if (raw == null) {
            reject(record, Rejections.UNDECODABLE, "empty record (null value)", now, origin);
            return;
        }
        IntakeResult result = normalizer.normalize(raw, now);
        String leadId = raw.getLeadId() == null || raw.getLeadId().isBlank() ? record.key() : raw.getLeadId();
        if (!result.ok()) {
            Rejection rejection = Rejections.of(raw, Rejections.INVALID, result.errors(), now, origin);
            rejection.setLeadId(leadId);
            Rejections.forward(context, record, rejection, now, Map.of());
            return;
        }
        context.forward(record.withKey(result.lead().getLeadId()).withValue(result.lead()));
    }

    private void reject(Record<String, byte[]> record, String code, String message, long now, String origin) {
        Rejections.forward(context, record, Rejections.unreadable(record.key(), code, message, now, origin), now, Map.of());
        // The bytes themselves are kept on the dead-letter topic so nothing is lost.
        context.forward(record);
    }

    private String origin() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown");
    }
}
