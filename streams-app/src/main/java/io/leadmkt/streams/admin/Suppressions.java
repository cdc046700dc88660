package io.leadmkt.streams.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadmkt.streams.api.JsonFields;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.intake.LeadNormalizer;
import io.leadmkt.streams.intake.UsPhoneNumber;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consumer's opt-out or erasure request ({@code phone}, {@code email}, {@code reason}) as
 * suppression-list entries. The phone and email are normalised by intake's own code
 * ({@link UsPhoneNumber#toE164}, {@link LeadNormalizer#normalizedEmail}) and hashed by
 * {@link IdentityHash}, so an entry always matches the hash intake computes for that consumer's
 * leads, whichever way either side wrote the number. Only the hashes leave this class: errors name
 * the field, never its value. Pure: no I/O, no clock. Bulk lists are {@link SuppressionImport}'s.
 */
public final class Suppressions {

    /** The reason recorded when the request gives none. */
    public static final String DEFAULT_REASON = "erasure request";
    /** The reason recorded when an opt-out postback gives none. */
    public static final String DEFAULT_OPT_OUT_REASON = "opt-out";
    public static final String PHONE = "phone";
    public static final String EMAIL = "email";
    /** The kind of an imported pre-hashed identifier whose file does not say phone or email. */
    public static final String HASH = "hash";
    /** The source of entries an operator adds (config suppress, the admin API). */
    public static final String ADMIN_SOURCE = "admin";
    /** The source of entries a deletion request adds. */
    public static final String PRIVACY_SOURCE = "privacy";
    /** The reason recorded when a deletion request gives none. */
    public static final String DELETION_REASON = "deletion request";
    private static final java.util.regex.Pattern HASH_FORMAT = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    static final int MAX_REASON_LENGTH = 255;
    private static final java.util.regex.Pattern PARTY_ID = io.leadmkt.streams.access.ApiKeys.PARTY_ID;

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
        return request(phone, email, reason, ADMIN_SOURCE, null, addedAt);
    }

    /**
     * As {@link #request(String, String, String, long)}, with the entries' {@code source} (who asked)
     * and {@code expiresAt} (null: permanent); a blank reason is {@value #DEFAULT_REASON}.
     */
    public static Parsed request(String phone, String email, String reason, String source, Long expiresAt,
                                 long addedAt) {
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
                entries.add(entry(IdentityHash.ofPhone(e164.get()), PHONE, why, source, expiresAt, addedAt));
            }
        }
        if (hasEmail) {
            Optional<String> normalized = LeadNormalizer.normalizedEmail(email);
            if (normalized.isEmpty()) {
                errors.add("email: not an email address");
            } else {
                entries.add(entry(IdentityHash.ofEmail(normalized.get()), EMAIL, why, source, expiresAt, addedAt));
            }
        }
        return errors.isEmpty() ? new Parsed(entries, List.of()) : new Parsed(List.of(), errors);
    }

    /** A request as the admin API receives it: a JSON object with optional string fields phone, email, reason. */
    public static Parsed request(String json, long addedAt) {
        List<String> errors = new ArrayList<>();
        Map<String, String> fields = fields(json, List.of(PHONE, EMAIL, "reason"), errors);
        if (!errors.isEmpty()) {
            return new Parsed(List.of(), errors);
        }
        return request(fields.get(PHONE), fields.get(EMAIL), fields.get("reason"), addedAt);
    }

    /**
     * An opt-out (a revocation of consent) posted back by a buyer or a seller: a JSON object with
     * {@code phone} and/or {@code email}, exactly one of {@code buyerId} or {@code sellerId} (who
     * reports it: the entries' source, {@code buyer:<id>} or {@code seller:<id>}), and an optional
     * {@code reason} (default {@value #DEFAULT_OPT_OUT_REASON}). The entries are permanent.
     */
    public static Parsed optOut(String json, long addedAt) {
        List<String> errors = new ArrayList<>();
        Map<String, String> fields = fields(json, List.of(PHONE, EMAIL, "reason", "buyerId", "sellerId"), errors);
        if (!errors.isEmpty()) {
            return new Parsed(List.of(), errors);
        }
        String buyer = blankAsNull(fields.get("buyerId"));
        String seller = blankAsNull(fields.get("sellerId"));
        if (buyer == null && seller == null) {
            errors.add("buyerId: one of buyerId or sellerId is required (who reports the opt-out)");
        } else if (buyer != null && seller != null) {
            errors.add("sellerId: give buyerId or sellerId, not both");
        } else if (!PARTY_ID.matcher(buyer != null ? buyer : seller).matches()) {
            errors.add((buyer != null ? "buyerId" : "sellerId") + ": at most 64 letters, digits and . _ -");
        }
        String reason = blankAsNull(fields.get("reason"));
        Parsed request = request(fields.get(PHONE), fields.get(EMAIL), reason == null ? DEFAULT_OPT_OUT_REASON : reason,
                buyer != null ? "buyer:" + buyer : "seller:" + seller, null, addedAt);
        errors.addAll(request.errors());
        return errors.isEmpty() ? request : new Parsed(List.of(), errors);
    }

    /**
     * A consumer's deletion request ({@code POST /v1/privacy/deletions}): a JSON object with
     * {@code phone} and/or {@code email} in clear, or {@code phoneHash} / {@code emailHash} as a DROP
     * download gives them ({@link IdentityHash} format: 64 lower-case hex digits), and an optional
     * {@code reason} (default {@value #DELETION_REASON}). Its entries (source {@value #PRIVACY_SOURCE},
     * permanent) suppress the consumer from then on; their hashes are what the deletion searches for.
     */
    public static Parsed deletion(String json, long addedAt) {
        List<String> errors = new ArrayList<>();
        Map<String, String> fields = fields(json, List.of(PHONE, EMAIL, "phoneHash", "emailHash", "reason"), errors);
        if (!errors.isEmpty()) {
            return new Parsed(List.of(), errors);
        }
        String reason = fields.get("reason") == null || fields.get("reason").isBlank() ? DELETION_REASON
                : fields.get("reason");
        List<SuppressionEntry> entries = new ArrayList<>();
        boolean clear = fields.get(PHONE) != null || fields.get(EMAIL) != null;
        if (clear) {
            Parsed given = request(fields.get(PHONE), fields.get(EMAIL), reason, PRIVACY_SOURCE, null, addedAt);
            errors.addAll(given.errors());
            entries.addAll(given.entries());
        }
        for (String kind : List.of(PHONE, EMAIL)) {
            String hash = blankAsNull(fields.get(kind + "Hash"));
            if (hash == null) {
                continue;
            }
            if (!HASH_FORMAT.matcher(hash).matches()) {
                errors.add(kind + "Hash: not a SHA-256 hash (64 lower-case hex digits)");
            } else if (entries.stream().noneMatch(e -> e.getHash().equals(hash))) {
                entries.add(entry(hash, kind, reason, PRIVACY_SOURCE, null, addedAt));
            }
        }
        if (entries.isEmpty() && errors.isEmpty()) {
            errors.add("one of phone, email, phoneHash or emailHash is required");
        }
        return errors.isEmpty() ? new Parsed(entries, List.of()) : new Parsed(List.of(), errors);
    }

    /** The string fields of a JSON object, each checked to be a string (or null) and one of {@code known}. */
    private static Map<String, String> fields(String json, List<String> known, List<String> errors) {
        Map<String, String> fields = new java.util.HashMap<>();
        JsonNode body;
        try {
            body = json == null || json.isBlank() ? null : JSON.readTree(json);
        } catch (IOException e) {
            errors.add("$: not valid JSON");
            return fields;
        }
        if (body == null || !body.isObject()) {
            errors.add("$: must be an object");
            return fields;
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(name + ": unknown field (expected " + String.join(", ", known) + ")");
            }
        });
        for (String name : known) {
            fields.put(name, JsonFields.text(body, name, errors));
        }
        return fields;
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /**
     * When an entry added at {@code addedAt} to last {@code days} days expires: the end of that
     * last day in UTC. Whole days, so importing the same list twice in a day gives the same entries
     * (and so changes nothing), and a list is never dropped before the day it is due.
     */
    public static long expiresAt(long addedAt, int days) {
        return java.time.LocalDate.ofInstant(java.time.Instant.ofEpochMilli(addedAt), java.time.ZoneOffset.UTC)
                .plusDays(days + 1L).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** {@code "31d"} (or {@code "31"}) as a number of days, 1..36500; empty when it is not one. */
    public static Optional<Integer> days(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]{0,4})d?").matcher(
                text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches() || Integer.parseInt(m.group(1)) > 36_500) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(m.group(1)));
    }

    static SuppressionEntry entry(String hash, String kind, String reason, String source, Long expiresAt,
                                  long addedAt) {
        return SuppressionEntry.newBuilder().setHash(hash).setKind(kind).setReason(reason).setSource(source)
                .setExpiresAt(expiresAt).setAddedAt(addedAt).build();
    }
}
