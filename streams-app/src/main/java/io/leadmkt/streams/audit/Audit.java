package io.leadmkt.streams.audit;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import java.util.Map;

/** Builds audit events. Callers pass ids, statuses and prices only: the audit trail holds no PII. */
public final class Audit {
    private Audit() {
    }

    public static AuditEvent event(String leadId, AuditType type, long at) {
        return AuditEvent.newBuilder().setLeadId(leadId).setType(type).setAt(at).build();
    }

    public static AuditEvent event(String leadId, AuditType type, long at, Map<String, String> detail) {
        return AuditEvent.newBuilder().setLeadId(leadId).setType(type).setAt(at).setDetail(detail).build();
    }

    public static AuditEvent buyerEvent(String leadId, AuditType type, long at, String buyerId, Integer attempt,
                                        String status, Long priceCents, Map<String, String> detail) {
        return AuditEvent.newBuilder().setLeadId(leadId).setType(type).setAt(at).setBuyerId(buyerId)
                .setAttempt(attempt).setStatus(status).setPriceCents(priceCents).setDetail(detail).build();
    }
}
