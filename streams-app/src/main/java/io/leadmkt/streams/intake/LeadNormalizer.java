package io.leadmkt.streams.intake;

import static io.leadmkt.streams.intake.ErrorCodes.FORMAT;
import static io.leadmkt.streams.intake.ErrorCodes.MISSING;
import static io.leadmkt.streams.intake.ErrorCodes.OUT_OF_RANGE;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validates a lead as it arrived (from Kafka or HTTP) and puts it into the one canonical shape the
 * rest of the pipeline relies on: E.164 phone, lower-case email, USPS state, five-digit zip,
 * lower-case vertical and attribute keys. Every problem is reported, not only the first, so a
 * seller fixes a form in one round trip.
 *
 * <p>Rules, by error field (codes from {@link ErrorCodes}):
 * <ul>
 *   <li>{@code leadId}: required, at most 64 characters of {@code [A-Za-z0-9._:-]}; never rewritten,
 *       because it is the record key.</li>
 *   <li>{@code sourceId}, {@code campaignId}: required; {@code subId} optional; trimmed, at most 64.</li>
 *   <li>{@code createdAt}: required (&gt; 0), at most five minutes ahead of {@code nowMs} (clock skew).</li>
 *   <li>{@code contact}: required, with a phone or an email. {@code contact.phone}: a US number
 *       in any common notation, stored as E.164. {@code contact.email}: trimmed, lower-cased,
 *       {@code local@domain.tld}, at most 254 characters. Names, street and IP are trimmed.</li>
 *   <li>{@code profile}: required. {@code profile.state}: required USPS code (50 states, DC, PR).
 *       {@code profile.zip}: optional, "12345" or "12345-6789", stored as "12345".
 *       {@code profile.vertical}: required, lower-cased. Attribute keys and values trimmed, keys
 *       lower-cased; entries with a blank key or null value are dropped.</li>
 *   <li>Consent is copied through unchecked (compliance judges it against the campaign's rules),
 *       its newer evidence fields trimmed. Enrichment supplied by a source is dropped: only intake
 *       computes it.</li>
 * </ul>
 * Free text is capped at 255 characters ({@code OUT_OF_RANGE}) so one lead cannot bloat stores.
 *
 * <p>Stateless and thread-safe; {@link #normalize} never throws, whatever nulls it is handed.
 */
public final class LeadNormalizer {

    /** How far ahead of our clock a source's clock may run before we call its timestamp wrong. */
    public static final long MAX_FUTURE_SKEW_MS = 5 * 60 * 1000L;

    static final int MAX_ID_LENGTH = 64;
    static final int MAX_TEXT_LENGTH = 255;
    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_ATTRIBUTES = 100;

    private static final Pattern LEAD_ID = Pattern.compile("[A-Za-z0-9._:-]+");
    private static final Pattern ZIP = Pattern.compile("(\\d{5})(-\\d{4})?");
    private static final String ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern EMAIL = Pattern.compile(
            ATOM + "(?:\\." + ATOM + ")*@(?:" + LABEL + "\\.)+[a-z]{2,63}");

    public LeadNormalizer() {
    }

    /** Validates and normalises a lead as it arrived (from Kafka or HTTP). Never throws on bad data. */
    public IntakeResult normalize(Lead raw, long nowMs) {
        try {
            return check(raw, nowMs);
        } catch (RuntimeException e) {
            // A record no rule foresaw (say, a foreign CharSequence in a String field) is still a
            // rejection with a reason, never a dead stream thread.
            return IntakeResult.invalid(List.of(new FieldError("$", FORMAT,
                    "lead could not be read: " + e.getClass().getSimpleName())));
        }
    }

    private static IntakeResult check(Lead raw, long nowMs) {
        Errors errors = new Errors();
        if (raw == null) {
            errors.add("$", MISSING, "no lead");
            return errors.result(null);
        }
        String leadId = leadId(raw.getLeadId(), errors);
        String sourceId = id("sourceId", raw.getSourceId(), true, errors);
        String subId = id("subId", raw.getSubId(), false, errors);
        String campaignId = id("campaignId", raw.getCampaignId(), true, errors);
        long createdAt = createdAt(raw.getCreatedAt(), nowMs, errors);
        Contact contact = contact(raw.getContact(), errors);
        Profile profile = profile(raw.getProfile(), errors);
        Consent consent = consent(raw.getConsent());
        if (!errors.isEmpty()) {
            return errors.result(null);
        }
        return errors.result(new Lead(leadId, sourceId, subId, campaignId, createdAt, contact, profile, consent, null, null));
    }

    private static String leadId(String value, Errors errors) {
        if (isBlank(value)) {
            errors.add("leadId", MISSING, "leadId is required");
        } else if (value.length() > MAX_ID_LENGTH) {
            errors.add("leadId", OUT_OF_RANGE, "leadId is longer than " + MAX_ID_LENGTH + " characters");
        } else if (!LEAD_ID.matcher(value).matches()) {
            errors.add("leadId", FORMAT, "leadId may only hold letters, digits and . _ : -");
        }
        return value;
    }

    private static String id(String field, String value, boolean required, Errors errors) {
        String trimmed = trimToNull(value);
        if (trimmed == null) {
            if (required) {
                errors.add(field, MISSING, field + " is required");
            }
        } else if (trimmed.length() > MAX_ID_LENGTH) {
            errors.add(field, OUT_OF_RANGE, field + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        return trimmed;
    }

    private static long createdAt(long createdAt, long nowMs, Errors errors) {
        if (createdAt == 0) {
            errors.add("createdAt", MISSING, "createdAt (epoch millis) is required");
        } else if (createdAt < 0) {
            errors.add("createdAt", OUT_OF_RANGE, "createdAt must be a positive epoch millis value");
        } else if (createdAt > nowMs + MAX_FUTURE_SKEW_MS) {
            errors.add("createdAt", OUT_OF_RANGE, "createdAt is more than 5 minutes in the future");
        }
        return createdAt;
    }

    /**
     * Unchecked here (compliance judges consent against the lead's campaign), but copied so the
     * result shares nothing mutable; the evidence is trimmed, and blank named buyers are dropped.
     */
    private static Consent consent(Consent raw) {
        if (raw == null) {
            return null;
        }
        List<String> named = new ArrayList<>();
        if (raw.getNamedBuyers() != null) {
            // Object, not String: a reader not configured for String hands Utf8 (as with attributes).
            for (Object name : (List<?>) raw.getNamedBuyers()) {
                String trimmed = name == null ? null : trimToNull(name.toString());
                if (trimmed != null) {
                    named.add(trimmed);
                }
            }
        }
        return new Consent(raw.getMethod(), raw.getCertificateId(), raw.getCapturedAt(), raw.getDisclosure(),
                raw.getPageUrl(), trimToNull(raw.getTrustedFormCertUrl()), trimToNull(raw.getLeadIdToken()),
                trimToNull(raw.getDisclosureVersion()), trimToNull(raw.getUserAgent()), named,
                trimToNull(raw.getDisclosureHash()));
    }

    private static Contact contact(Contact raw, Errors errors) {
        if (raw == null) {
            errors.add("contact", MISSING, "contact is required");
            return null;
        }
        String phone = phone(raw.getPhone(), errors);
        String email = email(raw.getEmail(), errors);
        if (isBlank(raw.getPhone()) && isBlank(raw.getEmail())) {
            errors.add("contact", MISSING, "contact needs a phone or an email");
        }
        return new Contact(
                text("contact.firstName", raw.getFirstName(), errors),
                text("contact.lastName", raw.getLastName(), errors),
                email,
                phone,
                text("contact.streetAddress", raw.getStreetAddress(), errors),
                text("contact.ipAddress", raw.getIpAddress(), errors));
    }

    private static String phone(String raw, Errors errors) {
        if (isBlank(raw)) {
            return null;
        }
        Optional<String> e164 = raw.length() > MAX_TEXT_LENGTH ? Optional.empty() : UsPhoneNumber.toE164(raw);
        if (e164.isEmpty()) {
            errors.add("contact.phone", FORMAT, "phone must be a valid US number, e.g. (512) 555-0147");
            return null;
        }
        return e164.get();
    }

    private static String email(String raw, Errors errors) {
        if (trimToNull(raw) == null) {
            return null;
        }
        Optional<String> email = normalizedEmail(raw);
        if (email.isEmpty()) {
            errors.add("contact.email", FORMAT, "email must look like name@example.com (at most 254 characters)");
            return null;
        }
        return email.get();
    }

    /**
     * The email as intake stores (and so hashes) it: trimmed, lower-cased, {@code local@domain.tld},
     * at most 254 characters; empty when blank or not an email. Public for the suppression list,
     * whose entries must match what intake computes.
     */
    public static Optional<String> normalizedEmail(String raw) {
        String email = trimToNull(raw);
        if (email == null) {
            return Optional.empty();
        }
        email = email.toLowerCase(Locale.ROOT);
        int at = email.lastIndexOf('@');
        if (email.length() > MAX_EMAIL_LENGTH || at > 64 || !EMAIL.matcher(email).matches()) {
            return Optional.empty();
        }
        return Optional.of(email);
    }

    private static Profile profile(Profile raw, Errors errors) {
        if (raw == null) {
            errors.add("profile", MISSING, "profile is required");
            return null;
        }
        String vertical = trimToNull(raw.getVertical());
        if (vertical == null) {
            errors.add("profile.vertical", MISSING, "vertical is required");
        } else if (vertical.length() > MAX_ID_LENGTH) {
            errors.add("profile.vertical", OUT_OF_RANGE, "vertical is longer than " + MAX_ID_LENGTH + " characters");
        } else {
            vertical = vertical.toLowerCase(Locale.ROOT);
        }
        String state = trimToNull(raw.getState());
        if (state == null) {
            errors.add("profile.state", MISSING, "state is required");
        } else {
            state = state.toUpperCase(Locale.ROOT);
            if (!UsStates.isKnown(state)) {
                errors.add("profile.state", FORMAT, "state must be a two-letter USPS code (50 states, DC, PR)");
            }
        }
        String zip = trimToNull(raw.getZip());
        if (zip != null) {
            var matcher = ZIP.matcher(zip);
            if (matcher.matches()) {
                zip = matcher.group(1);
            } else {
                errors.add("profile.zip", FORMAT, "zip must be 12345 or 12345-6789");
            }
        }
        String city = text("profile.city", raw.getCity(), errors);
        return new Profile(vertical, state, zip, city, attributes(raw.getAttributes(), errors));
    }

    private static Map<String, String> attributes(Map<String, String> raw, Errors errors) {
        // Sorted, so the same answers always serialise (and hash, and compare) the same way.
        Map<String, String> attributes = new TreeMap<>();
        if (raw == null) {
            return attributes;
        }
        if (raw.size() > MAX_ATTRIBUTES) {
            errors.add("profile.attributes", OUT_OF_RANGE, "at most " + MAX_ATTRIBUTES + " attributes");
            return attributes;
        }
        for (Map.Entry<?, ?> entry : raw.entrySet()) {
            // Avro may hand us Utf8 keys and values when a reader is not configured for String.
            String key = entry.getKey() == null ? null : trimToNull(entry.getKey().toString());
            String value = entry.getValue() == null ? null : entry.getValue().toString().trim();
            if (key == null || value == null) {
                continue;
            }
            key = key.toLowerCase(Locale.ROOT);
            if (key.length() > MAX_ID_LENGTH) {
                errors.add("profile.attributes", OUT_OF_RANGE, "attribute names are at most " + MAX_ID_LENGTH + " characters");
            } else if (value.length() > MAX_TEXT_LENGTH) {
                errors.add("profile.attributes." + key, OUT_OF_RANGE, "attribute values are at most " + MAX_TEXT_LENGTH + " characters");
            } else {
                attributes.put(key, value);
            }
        }
        return attributes;
    }

    private static String text(String field, String raw, Errors errors) {
        String trimmed = trimToNull(raw);
        if (trimmed != null && trimmed.length() > MAX_TEXT_LENGTH) {
            errors.add(field, OUT_OF_RANGE, "at most " + MAX_TEXT_LENGTH + " characters");
            return null;
        }
        return trimmed;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Collects every problem with one lead. */
    private static final class Errors {
        private final List<FieldError> list = new ArrayList<>();

        void add(String field, String code, String message) {
            list.add(new FieldError(field, code, message));
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        IntakeResult result(Lead lead) {
            return list.isEmpty() ? IntakeResult.valid(lead) : IntakeResult.invalid(list);
        }
    }
}
