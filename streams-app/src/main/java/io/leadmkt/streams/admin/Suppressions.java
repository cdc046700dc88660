package io.leadmkt.streams.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.intake.LeadNormalizer;
import io.leadmkt.streams.intake.UsPhoneNumber;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A consumer's opt-out or erasure request ({@code phone}, {@code email}, {@code reason}) as
 * suppression-list entries. The phone and email are normalised by intake's own code
 * ({@link UsPhoneNumber#toE164}, {@link LeadNormalizer#normalizedEmail}) and hashed by
 * {@link IdentityHash}, so an entry always matches the hash intake computes for that consumer's
 * leads, whichever way either side wrote the number. Only the hashes leave this class: errors name
 * the field, never its value. Pure: no I/O, no clock.
 */
public final class Suppressions {

    /** The reason recorded when the request gives none. */
    public static final String DEFAULT_REASON = "erasure request";
    public static final String PHONE = "phone";
    public static final String EMAIL = "email";
    static final int MAX_REASON_LENGTH = 255;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Suppressions() {
    }

    /** The entries to write (phone first, then email), or every problem found in the request. */
    public record Parsed(List<SuppressionEntry> entries, List<String> errors) {
        public Parsed {
            entries = List.copyOf(entries);
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * One entry per identifier given: {@code phone} any common US notation, {@code email} any case
     * and surrounding space; blank counts as absent. {@code reason} blank or null: {@value #DEFAULT_REASON}.
     */
    public static Parsed request(String phone, String email, String reason, long addedAt) {
        List<String> errors = new ArrayList<>();
        List<SuppressionEntry> entries = new ArrayList<>();
        boolean hasPhone = phone != null && !phone.isBlank();
        boolean hasEmail = email != null && !email.isBlank();
        if (!hasPhone && !hasEmail) {
            errors.add("one of phone or email is required");
        }
        String why = reason == null || reason.isBlank() ? DEFAULT_REASON : reason.strip();
        if (why.length() > MAX_REASON_LENGTH) {
            errors.add("reason: at most " + MAX_REASON_LENGTH + " characters");
        }
        if (hasPhone) {
            Optional<String> e164 = UsPhoneNumber.toE164(phone);
            if (e164.isEmpty()) {
                errors.add("phone: not a US phone number");
            } else {
                entries.add(entry(IdentityHash.ofPhone(e164.get()), PHONE, why, addedAt));
            }
        }
        if (hasEmail) {
            Optional<String> normalized = LeadNormalizer.normalizedEmail(email);
            if (normalized.isEmpty()) {
                errors.add("email: not an email address");
            } else {
                entries.add(entry(IdentityHash.ofEmail(normalized.get()), EMAIL, why, addedAt));
            }
        }
        return errors.isEmpty() ? new Parsed(entries, List.of()) : new Parsed(List.of(), errors);
    }

    /** A request as the admin API receives it: a JSON object with optional string fields phone, email, reason. */
    public static Parsed request(String json, long addedAt) {
        JsonNode body;
        try {
            body = json == null || json.isBlank() ? null : JSON.readTree(json);
        } catch (IOException e) {
            return new Parsed(List.of(), List.of("$: not valid JSON"));
        }
        if (body == null || !body.isObject()) {
            return new Parsed(List.of(), List.of("$: must be an object"));
        }
        List<String> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!List.of(PHONE, EMAIL, "reason").contains(name)) {
                errors.add(name + ": unknown field (expected phone, email, reason)");
            }
        });
        String phone = text(body, PHONE, errors);
        String email = text(body, EMAIL, errors);
        String reason = text(body, "reason", errors);
        if (!errors.isEmpty()) {
            return new Parsed(List.of(), errors);
        }
        return request(phone, email, reason, addedAt);
    }

    private static String text(JsonNode body, String field, List<String> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(field + ": must be a string");
            return null;
        }
        return value.asText();
    }

    private static SuppressionEntry entry(String hash, String kind, String reason, long addedAt) {
        return SuppressionEntry.newBuilder().setHash(hash).setKind(kind).setReason(reason).setAddedAt(addedAt).build();
    }
}
