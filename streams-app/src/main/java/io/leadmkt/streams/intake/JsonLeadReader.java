package io.leadmkt.streams.intake;

import static io.leadmkt.streams.intake.ErrorCodes.MALFORMED_JSON;
import static io.leadmkt.streams.intake.ErrorCodes.OUT_OF_RANGE;
import static io.leadmkt.streams.intake.ErrorCodes.WRONG_TYPE;
import static io.leadmkt.streams.intake.ErrorCodes.UNKNOWN_FIELD;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the HTTP intake body into a {@link Lead}, checking only JSON shape; the content rules are
 * {@link LeadNormalizer}'s, so a lead from HTTP and one from Kafka are judged the same way.
 *
 * <p>The body is the Lead's own field layout:
 * <pre>{@code
 * {"leadId": "optional", "sourceId": "s1", "subId": null, "campaignId": "c1", "createdAt": 1735689600000,
 *  "contact": {"firstName", "lastName", "email", "phone", "streetAddress", "ipAddress"},
 *  "profile": {"vertical", "state", "zip", "city", "attributes": {"homeowner": true, "vehicles": 2}},
 *  "consent": {"method", "certificateId", "capturedAt": 1735689590000, "disclosure", "pageUrl",
 *              "trustedFormCertUrl", "leadIdToken", "disclosureVersion", "userAgent",
 *              "namedBuyers": ["Acme Insurance", "globex"], "disclosureHash"}}
 * }</pre>
 * Text fields must be JSON strings (or null): a zip sent as a number has already lost its leading
 * zero, so guessing would be worse than refusing. Attribute values may be strings, numbers or
 * booleans. Timestamps are integer epoch millis. A field the layout does not have is refused
 * ({@code UNKNOWN_FIELD}, naming it): a misspelt {@code "phnoe"} silently dropped would sell a lead
 * without its phone. Any {@code enrichment} is ignored: only intake computes that.
 *
 * <p>Thread-safe.
 */
public final class JsonLeadReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // An attribute sent as 1.50 stays "1.50": the seller's text, not our arithmetic.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    public JsonLeadReader() {
    }

    /**
     * Parses the HTTP intake JSON into a Lead (not yet normalised). Missing leadId → a new UUID;
     * missing createdAt → nowMs. Malformed JSON → invalid with field "$" code "MALFORMED_JSON";
     * wrong types → errors naming the JSON path (e.g. "contact.phone", code "WRONG_TYPE");
     * fields the layout does not have → errors naming them (code "UNKNOWN_FIELD").
     */
    public IntakeResult read(byte[] body, long nowMs) {
        JsonNode root;
        try {
            root = body == null ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return malformed(describe(e));
        } catch (IOException | RuntimeException e) {
            return malformed("body could not be read as JSON");
        }
        if (root == null || root.isMissingNode()) {
            return malformed("body is empty");
        }
        Fields fields = new Fields();
        if (!root.isObject()) {
            fields.wrongType("$", "a JSON object");
            return fields.result(null);
        }
        fields.only(root, "", "leadId", "sourceId", "subId", "campaignId", "createdAt", "contact", "profile",
                "consent", "enrichment");
        String leadId = fields.text(root, "leadId", "leadId");
        Long createdAt = fields.epochMillis(root, "createdAt", "createdAt");
        Lead lead = new Lead(
                leadId == null ? UUID.randomUUID().toString() : leadId,
                fields.text(root, "sourceId", "sourceId"),
                fields.text(root, "subId", "subId"),
                fields.text(root, "campaignId", "campaignId"),
                createdAt == null ? nowMs : createdAt,
                contact(fields.object(root, "contact", "contact"), fields),
                profile(fields.object(root, "profile", "profile"), fields),
                consent(fields.object(root, "consent", "consent"), fields),
                null, null);
        return fields.result(lead);
    }

    private static Contact contact(JsonNode node, Fields fields) {
        if (node == null) {
            return null;
        }
        fields.only(node, "contact.", "firstName", "lastName", "email", "phone", "streetAddress", "ipAddress");
        return new Contact(
                fields.text(node, "firstName", "contact.firstName"),
                fields.text(node, "lastName", "contact.lastName"),
                fields.text(node, "email", "contact.email"),
                fields.text(node, "phone", "contact.phone"),
                fields.text(node, "streetAddress", "contact.streetAddress"),
                fields.text(node, "ipAddress", "contact.ipAddress"));
    }

    private static Profile profile(JsonNode node, Fields fields) {
        if (node == null) {
            return null;
        }
        fields.only(node, "profile.", "vertical", "state", "zip", "city", "attributes");
        return new Profile(
                fields.text(node, "vertical", "profile.vertical"),
                fields.text(node, "state", "profile.state"),
                fields.text(node, "zip", "profile.zip"),
                fields.text(node, "city", "profile.city"),
                attributes(fields.object(node, "attributes", "profile.attributes"), fields));
    }

    private static Map<String, String> attributes(JsonNode node, Fields fields) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (node == null) {
            return attributes;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (value.isTextual()) {
                attributes.put(entry.getKey(), value.textValue());
            } else if (value.isNumber()) {
                // toString, not toPlainString: 1e999999999 must not become a billion digits.
                attributes.put(entry.getKey(), value.numberValue().toString());
            } else if (value.isBoolean()) {
                attributes.put(entry.getKey(), Boolean.toString(value.booleanValue()));
            } else if (!value.isNull()) {
                fields.wrongType("profile.attributes." + entry.getKey(), "a string, number or boolean");
            }
        }
        return attributes;
    }

    private static Consent consent(JsonNode node, Fields fields) {
        if (node == null) {
            return null;
        }
        fields.only(node, "consent.", "method", "certificateId", "capturedAt", "disclosure", "pageUrl",
                "trustedFormCertUrl", "leadIdToken", "disclosureVersion", "userAgent", "namedBuyers", "disclosureHash");
        return new Consent(
                fields.text(node, "method", "consent.method"),
                fields.text(node, "certificateId", "consent.certificateId"),
                fields.epochMillis(node, "capturedAt", "consent.capturedAt"),
                fields.text(node, "disclosure", "consent.disclosure"),
                fields.text(node, "pageUrl", "consent.pageUrl"),
                fields.text(node, "trustedFormCertUrl", "consent.trustedFormCertUrl"),
                fields.text(node, "leadIdToken", "consent.leadIdToken"),
                fields.text(node, "disclosureVersion", "consent.disclosureVersion"),
                fields.text(node, "userAgent", "consent.userAgent"),
                fields.texts(node, "namedBuyers", "consent.namedBuyers"),
                fields.text(node, "disclosureHash", "consent.disclosureHash"));
    }

    private static IntakeResult malformed(String message) {
        return IntakeResult.invalid(List.of(new FieldError("$", MALFORMED_JSON, message)));
    }

    /** Jackson's own words plus where, without echoing any of the body (it may hold PII). */
    private static String describe(JsonProcessingException e) {
        String what = e.getOriginalMessage();
        if (what == null) {
            what = "invalid JSON";
        }
        int newline = what.indexOf('\n');
        if (newline >= 0) {
            what = what.substring(0, newline);
        }
        if (what.length() > 200) {
            what = what.substring(0, 200);
        }
        var location = e.getLocation();
        return location == null ? what
                : what + " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Reads typed fields off JSON objects, recording a WRONG_TYPE or OUT_OF_RANGE per bad path. */
    private static final class Fields {
        private final List<FieldError> errors = new ArrayList<>();

        /** Records an UNKNOWN_FIELD error for each field of {@code node} not in {@code known}. */
        void only(JsonNode node, String prefix, String... known) {
            List<String> names = List.of(known);
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!names.contains(field.getKey())) {
                    // The name is the sender's text: cut, so an error never echoes a huge key back.
                    String name = field.getKey().length() > 64 ? field.getKey().substring(0, 64) + "..." : field.getKey();
                    errors.add(new FieldError(prefix + name, UNKNOWN_FIELD, prefix + name + " is not a field of "
                            + (prefix.isEmpty() ? "a lead" : prefix.substring(0, prefix.length() - 1))
                            + " (known: " + String.join(", ", names) + ")"));
                }
            }
        }

        String text(JsonNode parent, String name, String path) {
            JsonNode value = parent.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                wrongType(path, "a string");
                return null;
            }
            return value.textValue();
        }

        /** A JSON array of strings; absent or null: empty. */
        List<String> texts(JsonNode parent, String name, String path) {
            JsonNode value = parent.get(name);
            List<String> out = new ArrayList<>();
            if (value == null || value.isNull()) {
                return out;
            }
            if (!value.isArray()) {
                wrongType(path, "a JSON array of strings");
                return out;
            }
            for (int i = 0; i < value.size(); i++) {
                if (value.get(i).isTextual()) {
                    out.add(value.get(i).textValue());
                } else {
                    wrongType(path + "[" + i + "]", "a string");
                }
            }
            return out;
        }

        JsonNode object(JsonNode parent, String name, String path) {
            JsonNode value = parent.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isObject()) {
                wrongType(path, "a JSON object");
                return null;
            }
            return value;
        }

        Long epochMillis(JsonNode parent, String name, String path) {
            JsonNode value = parent.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isNumber()) {
                wrongType(path, "an integer (epoch milliseconds)");
                return null;
            }
            BigDecimal number = value.decimalValue();
            // compareTo looks at magnitudes first, so a 1e999999999 never expands into digits.
            if (number.compareTo(LONG_MAX) > 0 || number.compareTo(LONG_MIN) < 0) {
                errors.add(new FieldError(path, OUT_OF_RANGE, path + " is too large for epoch milliseconds"));
                return null;
            }
            if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
                wrongType(path, "an integer (epoch milliseconds)");
                return null;
            }
            return number.longValue();
        }

        void wrongType(String path, String expected) {
            errors.add(new FieldError(path, WRONG_TYPE, path + " must be " + expected));
        }

        IntakeResult result(Lead lead) {
            return errors.isEmpty() ? IntakeResult.valid(lead) : IntakeResult.invalid(errors);
        }
    }
}
