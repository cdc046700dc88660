package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Rejection;
import io.leadmkt.streams.access.AccessRules.TimelineView;
import java.util.List;

/**
 * The public JSON shape of a {@link LeadStatus}. Written by hand rather than by reflecting over
 * the Avro classes, so the API stays stable when a schema gains a field, and so money is always
 * a decimal string ("12.50") from {@link Money#format}: a JSON number would invite float parsing.
 */
public final class LeadStatusJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private LeadStatusJson() {
    }

    /** The whole status, every buyer's answers included. */
    public static ObjectNode of(LeadStatus status) {
        return of(status, TimelineView.WHOLE);
    }

    /**
     * The status as {@code view} cuts it for its caller: timeline events and answers about buyers it
     * does not show are left out, buyers it does not name are shown without their id, and details that
     * list buyers are left out where it says so.
     */
    public static ObjectNode of(LeadStatus status, TimelineView view) {
        ObjectNode json = JSON.objectNode();
        json.put("leadId", status.getLeadId());
        json.put("stage", status.getStage());
        json.put("updatedAt", status.getUpdatedAt());
        json.set("outcome", status.getOutcome() == null ? JSON.nullNode() : outcome(status.getOutcome()));
        json.set("rejection", status.getRejection() == null ? JSON.nullNode() : rejection(status.getRejection()));
        ArrayNode timeline = json.putArray("timeline");
        if (status.getTimeline() != null) {
            status.getTimeline().stream().filter(event -> view.shows().test(event.getBuyerId()))
                    .forEach(event -> timeline.add(event(event, view)));
        }
        return json;
    }

    static ObjectNode outcome(Outcome outcome) {
        ObjectNode json = JSON.objectNode();
        json.put("status", outcome.getStatus() == null ? null : outcome.getStatus().name());
        json.put("reason", outcome.getReason());
        json.put("buyerId", outcome.getBuyerId());
        json.put("price", price(outcome.getPriceCents()));
        json.put("campaignId", outcome.getCampaignId());
        json.put("sourceId", outcome.getSourceId());
        json.put("createdAt", outcome.getCreatedAt());
        json.put("receivedAt", outcome.getReceivedAt());
        json.put("decidedAt", outcome.getDecidedAt());
        json.put("buyersPinged", outcome.getBuyersPinged());
        json.put("bidsReceived", outcome.getBidsReceived());
        json.put("postAttempts", outcome.getPostAttempts());
        return json;
    }

    static ObjectNode rejection(Rejection rejection) {
        ObjectNode json = JSON.objectNode();
        json.put("reasonCode", rejection.getReasonCode());
        json.set("errors", errors(rejection.getErrors()));
        json.put("rejectedAt", rejection.getRejectedAt());
        return json;
    }

    static ObjectNode event(AuditEvent event, TimelineView view) {
        ObjectNode json = JSON.objectNode();
        json.put("type", event.getType() == null ? null : event.getType().name());
        json.put("at", event.getAt());
        json.put("buyerId", event.getBuyerId() == null ? null : view.named().apply(event.getBuyerId()));
        json.put("attempt", event.getAttempt());
        json.put("status", event.getStatus());
        json.put("price", price(event.getPriceCents()));
        ObjectNode detail = json.putObject("detail");
        if (event.getDetail() != null) {
            event.getDetail().forEach((key, value) -> {
                if (view.buyerDetail() || !TimelineView.BUYER_LISTS.contains(String.valueOf(key))) {
                    detail.put(String.valueOf(key), value == null ? null : value.toString());
                }
            });
        }
        if (!event.getAnswers().isEmpty()) {
            ArrayNode answers = json.putArray("answers");
            for (AuditAnswer answer : event.getAnswers()) {
                if (!view.shows().test(answer.getBuyerId())) {
                    continue;
                }
                ObjectNode item = answers.addObject()
                        .put("buyerId", view.named().apply(answer.getBuyerId()))
                        .put("status", answer.getStatus())
                        .put("price", price(answer.getPriceCents()));
                if (answer.getRawPriceCents() != null) {
                    item.put("rawPrice", price(answer.getRawPriceCents()));
                }
                item.put("reason", answer.getReason())
                        .put("respondedAt", answer.getRespondedAt())
                        .put("latencyMs", answer.getLatencyMs());
                if (answer.getResponse() != null) {
                    item.put("response", answer.getResponse());
                }
            }
        }
        return json;
    }

    /** {@code [{"field","code","message"}]}, shared with the intake's 400 answers. */
    static ArrayNode errors(List<FieldError> errors) {
        ArrayNode json = JSON.arrayNode();
        if (errors != null) {
            for (FieldError error : errors) {
                json.addObject()
                        .put("field", error.getField())
                        .put("code", error.getCode())
                        .put("message", error.getMessage());
            }
        }
        return json;
    }

    private static String price(Long cents) {
        return cents == null ? null : Money.format(cents);
    }
}
