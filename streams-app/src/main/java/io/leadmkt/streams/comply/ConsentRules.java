package io.leadmkt.streams.comply;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.outcome.Rejections;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A campaign's own consent rules, on top of {@link ConsentCheck}'s baseline: the evidence each of
 * its leads must carry ({@code requiredConsentEvidence}), how old that consent may be
 * ({@code maxConsentAgeMs}) and whether it must name the buyers ({@code oneToOneConsent}). Every
 * failing field is reported, so a seller fixes its form in one round trip.
 *
 * <p>Evidence that has a known shape is checked whenever a lead carries it, required or not, so
 * no buyer is ever handed a malformed proof: a TrustedForm certificate URL is
 * {@code https://cert.trustedform.com/} and 40 hex digits, a Jornaya LeadiD token is 36 characters
 * of hex digits and dashes (8-4-4-4-12), a disclosure hash 64 hex digits and, beside the
 * disclosure, its SHA-256 ({@value #MISMATCH} otherwise). The page URL and the IP address are checked when the
 * campaign requires them (they predate these rules, and sellers already send them unchecked).
 *
 * <p>Pure: the lead, the campaign and the clock in, the errors out.
 */
public final class ConsentRules {

    /** Codes of the errors, beside {@code MISSING}. */
    public static final String FORMAT = "FORMAT";
    public static final String TOO_OLD = "TOO_OLD";
    public static final String MISMATCH = "MISMATCH";
    public static final String UNKNOWN = "UNKNOWN";

    private static final Pattern TRUSTED_FORM = Pattern.compile("https://cert\\.trustedform\\.com/[0-9a-fA-F]{40}");
    private static final Pattern LEAD_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern SHA_256 = Pattern.compile("[0-9a-fA-F]{64}");

    /**
     * A piece of consent evidence a campaign can require: its name in campaign documents (and in
     * {@code CampaignConfig.requiredConsentEvidence}), where the lead carries it, and its shape
     * (empty: any non-blank text).
     */
    public enum Evidence {
        TRUSTED_FORM_CERT_URL("trustedFormCertUrl", "consent.trustedFormCertUrl", Consent::getTrustedFormCertUrl, true,
                "https://cert.trustedform.com/ and 40 hex digits"),
        LEAD_ID_TOKEN("leadIdToken", "consent.leadIdToken", Consent::getLeadIdToken, true,
                "a Jornaya LeadiD token: 8-4-4-4-12 hex digits"),
        DISCLOSURE("disclosure", "consent.disclosure", Consent::getDisclosure, false, null),
        DISCLOSURE_VERSION("disclosureVersion", "consent.disclosureVersion", Consent::getDisclosureVersion, false, null),
        DISCLOSURE_HASH("disclosureHash", "consent.disclosureHash", Consent::getDisclosureHash, true,
                "the SHA-256 of the disclosure: 64 hex digits"),
        CAPTURED_AT("capturedAt", "consent.capturedAt", c -> c.getCapturedAt() == null || c.getCapturedAt() <= 0
                ? null : c.getCapturedAt().toString(), false, null),
        IP_ADDRESS("ipAddress", "contact.ipAddress", null, false, "an IPv4 or IPv6 address"),
        USER_AGENT("userAgent", "consent.userAgent", Consent::getUserAgent, false, null),
        PAGE_URL("pageUrl", "consent.pageUrl", Consent::getPageUrl, false, "an http(s) URL");

        private final String documentName;
        private final String field;
        private final Function<Consent, String> value;
        private final boolean alwaysChecked;
        private final String shape;

        Evidence(String documentName, String field, Function<Consent, String> value, boolean alwaysChecked,
                 String shape) {
            this.documentName = documentName;
            this.field = field;
            this.value = value;
            this.alwaysChecked = alwaysChecked;
            this.shape = shape;
        }

        /** Its name in campaign documents, e.g. {@code trustedFormCertUrl}. */
        public String documentName() {
            return documentName;
        }

        /** Where a lead carries it, as rejections name it, e.g. {@code consent.trustedFormCertUrl}. */
        public String field() {
            return field;
        }

        public static Optional<Evidence> named(String documentName) {
            return Arrays.stream(values()).filter(e -> e.documentName.equals(documentName)).findFirst();
        }

        /** The lead's value of this evidence, blank as null. */
        String of(Lead lead) {
            String found;
            if (this == IP_ADDRESS) {
                Contact contact = lead.getContact();
                found = contact == null ? null : contact.getIpAddress();
            } else {
                found = lead.getConsent() == null ? null : value.apply(lead.getConsent());
            }
            return found == null || found.isBlank() ? null : found.strip();
        }

        boolean wellFormed(String text) {
            return switch (this) {
                case TRUSTED_FORM_CERT_URL -> TRUSTED_FORM.matcher(text).matches();
                case LEAD_ID_TOKEN -> LEAD_ID.matcher(text).matches();
                case DISCLOSURE_HASH -> SHA_256.matcher(text).matches();
                case IP_ADDRESS -> ipAddress(text);
                case PAGE_URL -> webUrl(text);
                default -> true;
            };
        }
    }

    private ConsentRules() {
    }

    /**
     * Every way {@code lead} falls short of {@code campaign}'s consent rules at {@code now}; empty
     * when it meets them. Errors name the lead's field ({@code consent.trustedFormCertUrl},
     * {@code contact.ipAddress}, {@code consent.namedBuyers}, ...) with code {@code MISSING},
     * {@value #FORMAT} or {@value #TOO_OLD}; a rule the campaign names but this code does not know
     * (its record written past the document checks) fails every lead ({@value #UNKNOWN}): a
     * compliance rule nobody can check is not a rule to skip.
     */
    public static List<FieldError> check(Lead lead, CampaignConfig campaign, long now) {
        List<FieldError> errors = new ArrayList<>();
        List<Evidence> required = new ArrayList<>();
        for (String name : campaign.getRequiredConsentEvidence()) {
            Optional<Evidence> evidence = Evidence.named(name);
            if (evidence.isEmpty()) {
                errors.add(Rejections.error("campaign.requiredConsentEvidence", UNKNOWN, "campaign "
                        + campaign.getCampaignId() + " requires evidence '" + name + "' that cannot be checked"));
            } else {
                required.add(evidence.get());
            }
        }
        for (Evidence evidence : Evidence.values()) {
            String value = evidence.of(lead);
            boolean isRequired = required.contains(evidence);
            if (value == null) {
                if (isRequired) {
                    errors.add(Rejections.error(evidence.field(), "MISSING", "campaign " + campaign.getCampaignId()
                            + " requires " + evidence.field()));
                }
            } else if ((isRequired || evidence.alwaysChecked) && !evidence.wellFormed(value)) {
                errors.add(Rejections.error(evidence.field(), FORMAT, evidence.field() + " must be " + evidence.shape));
            }
        }
        String disclosure = Evidence.DISCLOSURE.of(lead);
        String hash = Evidence.DISCLOSURE_HASH.of(lead);
        if (disclosure != null && hash != null && Evidence.DISCLOSURE_HASH.wellFormed(hash)
                && !hash.equalsIgnoreCase(disclosureHash(lead.getConsent().getDisclosure()))) {
            errors.add(Rejections.error("consent.disclosureHash", MISMATCH,
                    "consent.disclosureHash is not the SHA-256 of consent.disclosure: the proof names another text"));
        }
        Long capturedAt = lead.getConsent() == null ? null : lead.getConsent().getCapturedAt();
        long maxAge = campaign.getMaxConsentAgeMs();
        if (maxAge > 0 && capturedAt != null && capturedAt > 0 && now - capturedAt > maxAge) {
            errors.add(Rejections.error("consent.capturedAt", TOO_OLD, "consent is " + (now - capturedAt)
                    + " ms old; campaign " + campaign.getCampaignId() + " takes consent at most " + maxAge + " ms old"));
        }
        if (campaign.getOneToOneConsent() && namedBuyers(lead).isEmpty()) {
            errors.add(Rejections.error("consent.namedBuyers", "MISSING", "campaign " + campaign.getCampaignId()
                    + " requires one-to-one consent: the buyers the consumer agreed to hear from, by name"));
        }
        return errors;
    }

    /**
     * The disclosure's fingerprint ({@code consent.disclosureHash}): SHA-256 of its UTF-8 bytes, as
     * given (not trimmed), lower-case hex.
     */
    public static String disclosureHash(String disclosure) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(disclosure.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The buyers the consumer's consent names (one-to-one consent), blank names left out; empty: none named. */
    public static List<String> namedBuyers(Lead lead) {
        Consent consent = lead.getConsent();
        if (consent == null || consent.getNamedBuyers() == null) {
            return List.of();
        }
        return consent.getNamedBuyers().stream().filter(n -> n != null && !n.isBlank()).map(String::strip).toList();
    }

    /**
     * Whether {@code name}, as written on a consent form, names the buyer with this id or display
     * name: case and runs of spaces do not matter ("ACME  Insurance" names "Acme Insurance").
     */
    public static boolean names(String name, String buyerId, String buyerName) {
        String wanted = folded(name);
        return !wanted.isEmpty() && (wanted.equals(folded(buyerId)) || wanted.equals(folded(buyerName)));
    }

    private static String folded(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** A literal address only: never a host name, so checking it never asks DNS. */
    static boolean ipAddress(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            // Only hex digits, colons and dots reach here: parsed as a literal, no lookup.
            java.net.InetAddress.getByName(text);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean webUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
