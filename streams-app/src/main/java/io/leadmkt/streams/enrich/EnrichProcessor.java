package io.leadmkt.streams.enrich;

import io.leadmkt.schema.Lead;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Adds identity hashes, age and score to a normalised lead, on the wall clock of the stream thread. */
public final class EnrichProcessor implements FixedKeyProcessor<String, Lead, Lead> {
    private final LeadEnricher enricher = new LeadEnricher();
    private FixedKeyProcessorContext<String, Lead> context;

    @Override
    public void init(FixedKeyProcessorContext<String, Lead> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Lead> record) {
        // The record's timestamp is when it was written to leads.inbound: the lead's arrival.
        context.forward(record.withValue(enricher.enrich(record.value(), record.timestamp(),
                context.currentSystemTimeMs())));
    }
}
