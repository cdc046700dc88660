package io.leadmkt.connector.integration;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadPreview;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Profile;
import java.util.HashMap;
import java.util.Map;

/**
 * The values a request template's {@code from} can name. A ping's come from the PII-free preview
 * only, so even a template that slipped past validation could not put PII into a ping.
 */
public final class Sources {

    private Sources() {
    }

    public static Map<String, String> ofPing(Ping ping, long timeoutMs) {
        LeadPreview preview = ping.getPreview();
        Map<String, String> values = new HashMap<>();
        put(values, "leadId", ping.getLeadId());
        put(values, "campaignId", ping.getCampaignId());
        put(values, "vertical", preview.getVertical());
        put(values, "state", preview.getState());
        put(values, "zip", preview.getZip());
        put(values, "score", preview.getScore());
        put(values, "leadAgeMs", preview.getLeadAgeMs());
        put(values, "sourceId", preview.getSourceId());
        put(values, "subId", preview.getSubId());
        put(values, "floor", Money.format(ping.getFloorCents()));
        put(values, "timeoutMs", timeoutMs);
        attributes(values, preview.getAttributes());
        return values;
    }

    public static Map<String, String> ofPost(Post post) {
        Lead lead = post.getLead();
        Contact contact = lead.getContact() == null ? new Contact() : lead.getContact();
        Profile profile = lead.getProfile() == null ? new Profile() : lead.getProfile();
        Consent consent = lead.getConsent() == null ? new Consent() : lead.getConsent();
        Map<String, String> values = new HashMap<>();
        put(values, "leadId", post.getLeadId());
        put(values, "campaignId", lead.getCampaignId());
        put(values, "vertical", profile.getVertical());
        put(values, "state", profile.getState());
        put(values, "zip", profile.getZip());
        put(values, "city", profile.getCity());
        Enrichment enrichment = lead.getEnrichment();
        if (enrichment != null) {
            put(values, "score", enrichment.getScore());
            put(values, "leadAgeMs", enrichment.getLeadAgeMs());
        }
        put(values, "sourceId", lead.getSourceId());
        put(values, "subId", lead.getSubId());
        put(values, "token", post.getPingToken());
        put(values, "price", Money.format(post.getPriceCents()));
        put(values, "attempt", post.getAttempt());
        attributes(values, profile.getAttributes());
        put(values, "contact.firstName", contact.getFirstName());
        put(values, "contact.lastName", contact.getLastName());
        put(values, "contact.email", contact.getEmail());
        put(values, "contact.phone", contact.getPhone());
        put(values, "contact.streetAddress", contact.getStreetAddress());
        put(values, "contact.ipAddress", contact.getIpAddress());
        put(values, "consent.method", consent.getMethod());
        put(values, "consent.certificateId", consent.getCertificateId());
        put(values, "consent.capturedAt", consent.getCapturedAt());
        put(values, "consent.disclosure", consent.getDisclosure());
        put(values, "consent.pageUrl", consent.getPageUrl());
        put(values, "consent.trustedFormCertUrl", consent.getTrustedFormCertUrl());
        put(values, "consent.leadIdToken", consent.getLeadIdToken());
        put(values, "consent.disclosureVersion", consent.getDisclosureVersion());
        put(values, "consent.disclosureHash", consent.getDisclosureHash());
        put(values, "consent.userAgent", consent.getUserAgent());
        if (consent.getNamedBuyers() != null && !consent.getNamedBuyers().isEmpty()) {
            // One template value: the names as the consent listed them, comma-separated.
            put(values, "consent.namedBuyers", String.join(", ", consent.getNamedBuyers()));
        }
        return values;
    }

    /** The lead's PII values (the consumer's browser among them), to redact from anything we keep of a post's answer. */
    public static java.util.List<String> piiOf(Post post) {
        Contact contact = post.getLead() == null ? null : post.getLead().getContact();
        if (contact == null) {
            return java.util.List.of();
        }
        Consent consent = post.getLead().getConsent();
        return java.util.stream.Stream.of(contact.getFirstName(), contact.getLastName(), contact.getEmail(),
                        contact.getPhone(), contact.getStreetAddress(), contact.getIpAddress(),
                        consent == null ? null : consent.getUserAgent())
                .filter(v -> v != null && !v.isBlank()).toList();
    }

    private static void attributes(Map<String, String> values, Map<String, String> attributes) {
        if (attributes != null) {
            attributes.forEach((k, v) -> put(values, "attributes." + k, v));
        }
    }

    private static void put(Map<String, String> values, String name, Object value) {
        if (value != null) {
            values.put(name, value.toString());
        }
    }
}
