package io.leadmkt.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;

/**
 * A lead as a seller's integration sends it to {@code POST /v1/leads}: the Lead's own field layout in
 * JSON (the intake's {@code JsonLeadReader} documents it), without the enrichment intake computes.
 * Absent (null) fields are left out, as a seller would.
 */
public final class LeadJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private LeadJson() {
    }

    /** The request body for {@code lead}, UTF-8. */
    public static byte[] of(Lead lead) {
        ObjectNode json = MAPPER.createObjectNode();
        put(json, "leadId", lead.getLeadId());
        put(json, "sourceId", lead.getSourceId());
        put(json, "subId", lead.getSubId());
        put(json, "campaignId", lead.getCampaignId());
        json.put("createdAt", lead.getCreatedAt());
        if (lead.getContact() != null) {
            Contact contact = lead.getContact();
            ObjectNode node = json.putObject("contact");
            put(node, "firstName", contact.getFirstName());
            put(node, "lastName", contact.getLastName());
            put(node, "email", contact.getEmail());
            put(node, "phone", contact.getPhone());
            put(node, "streetAddress", contact.getStreetAddress());
            put(node, "ipAddress", contact.getIpAddress());
        }
        if (lead.getProfile() != null) {
            Profile profile = lead.getProfile();
            ObjectNode node = json.putObject("profile");
            put(node, "vertical", profile.getVertical());
            put(node, "state", profile.getState());
            put(node, "zip", profile.getZip());
            put(node, "city", profile.getCity());
            ObjectNode attributes = node.putObject("attributes");
            profile.getAttributes().forEach(attributes::put);
        }
        if (lead.getConsent() != null) {
            Consent consent = lead.getConsent();
            ObjectNode node = json.putObject("consent");
            put(node, "method", consent.getMethod());
            put(node, "certificateId", consent.getCertificateId());
            if (consent.getCapturedAt() != null) {
                node.put("capturedAt", consent.getCapturedAt());
            }
            put(node, "disclosure", consent.getDisclosure());
            put(node, "pageUrl", consent.getPageUrl());
            put(node, "trustedFormCertUrl", consent.getTrustedFormCertUrl());
            put(node, "leadIdToken", consent.getLeadIdToken());
            put(node, "disclosureVersion", consent.getDisclosureVersion());
            put(node, "userAgent", consent.getUserAgent());
            if (!consent.getNamedBuyers().isEmpty()) {
                ArrayNode named = node.putArray("namedBuyers");
                consent.getNamedBuyers().forEach(named::add);
            }
            put(node, "disclosureHash", consent.getDisclosureHash());
        }
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
