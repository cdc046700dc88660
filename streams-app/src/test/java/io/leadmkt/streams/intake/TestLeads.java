package io.leadmkt.streams.intake;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import java.util.HashMap;
import java.util.Map;

/** Shared lead fixtures for the intake, enrich and api tests: one messy-but-valid lead, as a seller sends it. */
public final class TestLeads {

    /** A fixed "now" for every test: 2025-01-01T00:00:00Z. */
    public static final long NOW = 1_735_689_600_000L;
    /** Ten seconds before {@link #NOW}: a fresh lead. */
    public static final long CREATED_AT = NOW - 10_000L;

    private TestLeads() {
    }

    /** A valid lead as a seller might send it: padded, mixed case, formatted phone, zip+4. */
    public static Lead.Builder raw() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(" Homeowner ", " true ");
        attributes.put("VEHICLES", "2");
        return Lead.newBuilder()
                .setLeadId("lead-1")
                .setSourceId(" src-1 ")
                .setSubId("sub-9")
                .setCampaignId("camp-1")
                .setCreatedAt(CREATED_AT)
                .setContact(Contact.newBuilder()
                        .setFirstName(" Ada ")
                        .setLastName(" Lovelace ")
                        .setEmail("  Ada.Lovelace@Example.COM ")
                        .setPhone("(512) 555-0147")
                        .setStreetAddress(" 1 Main St ")
                        .setIpAddress("203.0.113.7")
                        .build())
                .setProfile(Profile.newBuilder()
                        .setVertical(" Auto_Insurance ")
                        .setState(" tx ")
                        .setZip("78701-1234")
                        .setCity(" Austin ")
                        .setAttributes(attributes)
                        .build())
                .setConsent(Consent.newBuilder()
                        .setMethod("web_form")
                        .setCertificateId("cert-123")
                        .setCapturedAt(CREATED_AT - 1_000L)
                        .setDisclosure("I agree to be contacted")
                        .setPageUrl("https://example.com/quote")
                        .build());
    }

    /** The same lead as the HTTP intake's JSON body. */
    public static String json() {
        return """
                {"leadId": "lead-1", "sourceId": " src-1 ", "subId": "sub-9", "campaignId": "camp-1",
                 "createdAt": %d,
                 "contact": {"firstName": " Ada ", "lastName": " Lovelace ", "email": "  Ada.Lovelace@Example.COM ",
                             "phone": "(512) 555-0147", "streetAddress": " 1 Main St ", "ipAddress": "203.0.113.7"},
                 "profile": {"vertical": " Auto_Insurance ", "state": " tx ", "zip": "78701-1234", "city": " Austin ",
                             "attributes": {" Homeowner ": true, "VEHICLES": 2}},
                 "consent": {"method": "web_form", "certificateId": "cert-123", "capturedAt": %d,
                             "disclosure": "I agree to be contacted", "pageUrl": "https://example.com/quote"}}
                """.formatted(CREATED_AT, CREATED_AT - 1_000L);
    }
}
