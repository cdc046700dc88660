package io.leadmkt.streams.outcome;

import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.audit.Audit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Reason codes for leads refused before any buyer sees them, and the Rejection records that carry them. */
public final class Rejections {
    /** Bytes that are not Confluent-framed Avro at all. */
    public static final String UNDECODABLE = "UNDECODABLE";
    /** Framed Avro whose schema id nobody registered. */
    public static final String UNKNOWN_SCHEMA = "UNKNOWN_SCHEMA";
    /** A readable record of another type (e.g. a bid written to the leads topic). */
    public static final String WRONG_SCHEMA = "WRONG_SCHEMA";
    /** Missing or malformed fields; the errors name each one. */
    public static final String INVALID = "INVALID";
    public static final String NO_CONSENT = "NO_CONSENT";
    /** Consent falls short of its campaign's rules (evidence missing or malformed, too old, no named buyers); the errors name each field. */
    public static final String CONSENT_EVIDENCE = "CONSENT_EVIDENCE";
    public static final String SUPPRESSED = "SUPPRESSED";
    public static final String DUPLICATE = "DUPLICATE";
    public static final String UNKNOWN_CAMPAIGN = "UNKNOWN_CAMPAIGN";
    /** Already too old when read to be offered within its campaign's time to decision: shed at intake. */
    public static final String STALE = "STALE";

    private Rejections() {
    }

    public static Rejection of(Lead lead, String reasonCode, List<FieldError> errors, long now, String origin) {
        return Rejection.newBuilder()
                .setLeadId(lead.getLeadId())
                .setSourceId(lead.getSourceId())
                .setCampaignId(lead.getCampaignId())
                .setState(lead.getProfile() == null ? null : lead.getProfile().getState())
                .setSubId(lead.getSubId())
                .setReasonCode(reasonCode)
                .setErrors(errors)
                .setCreatedAt(lead.getCreatedAt())
                .setRejectedAt(now)
                .setOrigin(origin)
                .build();
    }

    public static Rejection unreadable(String leadId, String reasonCode, String message, long now, String origin) {
        return Rejection.newBuilder()
                .setLeadId(leadId)
                .setReasonCode(reasonCode)
                .setErrors(List.of(FieldError.newBuilder().setField("$").setCode(reasonCode).setMessage(message).build()))
                .setRejectedAt(now)
                .setOrigin(origin)
                .build();
    }

    /**
     * Sends a rejection downstream keyed by its lead id (like every lead-keyed topic), with its
     * REJECTED audit event when the lead id is known.
     */
    public static void forward(ProcessorContext<String, Object> context, Record<?, ?> cause, Rejection rejection,
                               long now, Map<String, String> detail) {
        String leadId = rejection.getLeadId();
        context.forward(new Record<>(leadId, rejection, cause.timestamp(), cause.headers()));
        if (leadId != null) {
            Map<String, String> auditDetail = new HashMap<>(detail);
            auditDetail.put("reasonCode", rejection.getReasonCode());
            context.forward(new Record<>(leadId, Audit.event(leadId, AuditType.REJECTED, now, auditDetail),
                    cause.timestamp(), cause.headers()));
        }
    }

    public static FieldError error(String field, String code, String message) {
        return FieldError.newBuilder().setField(field).setCode(code).setMessage(message).build();
    }
}
