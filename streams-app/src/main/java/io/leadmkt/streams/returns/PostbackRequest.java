package io.leadmkt.streams.returns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Postback;
import io.leadmkt.schema.PostbackType;
import io.leadmkt.streams.api.JsonResponses;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A buyer's conversion or return as it comes over HTTP — a JSON body ({@code POST /v1/postbacks}) or
 * the query of a signed URL — read into the {@link Postback} the returns desk judges, or every error
 * in it at once, each naming its field.
 *
 * <p>Fields: {@code leadId} (required), {@code type} ({@code CONVERSION} or {@code RETURN}, any case),
 * {@code reason} (a return's reason code; required for a return, refused on a conversion), {@code value}
 * (a conversion's worth, a decimal string such as {@code "125.00"}; refused on a return), {@code
 * occurredAt} (an ISO-8601 instant or epoch milliseconds: informational, a window is judged on when
 * the platform received it). Any other field is an error: a misspelt {@code reaosn} silently dropped
 * would return a lead without its reason.
 */
public final class PostbackRequest {
    public static final Set<String> FIELDS = Set.of("leadId", "type", "reason", "value", "occurredAt");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern REASON = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private PostbackRequest() {
    }

    /** The postback, or the errors ({@code "field: what is wrong"}) when there are any. */
    public record Parsed(Postback postback, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** A JSON body: an object whose fields are strings (numbers allowed for occurredAt). */
    public static Parsed json(String body, String buyerId, String via) {
        JsonNode json;
        try {
            json = JsonResponses.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return new Parsed(null, List.of("body: not JSON"));
        }
        if (json == null || !json.isObject()) {
            return new Parsed(null, List.of("body: a JSON object is expected"));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        json.properties().forEach(field -> {
            JsonNode value = field.getValue();
            if (value.isTextual() || (value.isIntegralNumber() && field.getKey().equals("occurredAt"))) {
                fields.put(field.getKey(), value.asText());
            } else if (!value.isNull()) {
                errors.add(field.getKey() + ": " + (field.getKey().equals("value")
                        ? "a decimal string is expected, e.g. \"125.00\"" : "a string is expected"));
            }
        });
        return fields(fields, buyerId, via, errors);
    }

    /** Named fields (a signed URL's query, without its signature). */
    public static Parsed fields(Map<String, String> fields, String buyerId, String via) {
        return fields(fields, buyerId, via, new ArrayList<>());
    }

    private static Parsed fields(Map<String, String> fields, String buyerId, String via, List<String> errors) {
        fields.keySet().stream().filter(name -> !FIELDS.contains(name)).sorted()
                .forEach(name -> errors.add(name + ": unknown field (expected one of leadId, type, reason, value, occurredAt)"));
        String leadId = fields.get("leadId");
        if (leadId == null || leadId.isBlank()) {
            errors.add("leadId: required");
        } else if (!ID.matcher(leadId).matches()) {
            errors.add("leadId: not a lead id (letters, digits, '.', '_', ':' and '-', at most 128)");
        }
        PostbackType type = null;
        String typeText = fields.get("type");
        if (typeText == null) {
            errors.add("type: required (CONVERSION or RETURN)");
        } else {
            String upper = typeText.strip().toUpperCase(Locale.ROOT);
            if (upper.equals("CONVERSION") || upper.equals("RETURN")) {
                type = PostbackType.valueOf(upper);
            } else {
                errors.add("type: must be CONVERSION or RETURN");
            }
        }
        String reason = fields.get("reason");
        if (type == PostbackType.RETURN && (reason == null || reason.isBlank())) {
            errors.add("reason: required for a return (the buyer's reason code, e.g. BAD_PHONE)");
        } else if (type == PostbackType.CONVERSION && reason != null) {
            errors.add("reason: only a return has a reason");
        } else if (reason != null && !REASON.matcher(reason).matches()) {
            errors.add("reason: a reason code is 1 to 64 letters, digits, '_', '.' or '-'");
        }
        Long valueCents = null;
        String value = fields.get("value");
        if (value != null) {
            if (type == PostbackType.RETURN) {
                errors.add("value: only a conversion has a value");
            } else {
                valueCents = Money.parseCents(value).orElse(null);
                if (valueCents == null) {
                    errors.add("value: a decimal amount with at most two decimals is expected, e.g. \"125.00\"");
                }
            }
        }
        long occurredAt = 0;
        String occurred = fields.get("occurredAt");
        if (occurred != null) {
            try {
                occurredAt = occurred.chars().allMatch(Character::isDigit) ? Long.parseLong(occurred)
                        : Instant.parse(occurred).toEpochMilli();
            } catch (NumberFormatException | DateTimeParseException e) {
                errors.add("occurredAt: an ISO-8601 instant (2026-11-30T14:05:00Z) or epoch milliseconds is expected");
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, List.copyOf(errors));
        }
        return new Parsed(Postback.newBuilder().setLeadId(leadId).setBuyerId(buyerId).setType(type)
                .setReason(reason).setValueCents(valueCents).setOccurredAt(occurredAt).setVia(via).build(), List.of());
    }
}
