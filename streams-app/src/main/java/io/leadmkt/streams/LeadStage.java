package io.leadmkt.streams;

import io.leadmkt.schema.Lead;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A stage that judges one lead against the config tables and forwards the lead, a qualified lead,
 * or a rejection with its audit event.
 */
public abstract class LeadStage implements Processor<String, Lead, String, Object> {
    protected ProcessorContext<String, Object> context;
    protected ConfigTables config;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.config = new ConfigTables(context);
    }

    @Override
    public final void process(Record<String, Lead> record) {
        judge(record, record.value(), context.currentSystemTimeMs());
    }

    /** Decides about {@code lead} at wall-clock time {@code now}. */
    protected abstract void judge(Record<String, Lead> record, Lead lead, long now);
}
