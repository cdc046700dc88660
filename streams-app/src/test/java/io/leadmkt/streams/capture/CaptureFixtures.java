package io.leadmkt.streams.capture;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CaptureForm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A campaign with a capture form, and a consumer's complete answers to it. */
final class CaptureFixtures {
    static final String CAMPAIGN = "camp-form";
    static final String DISCLOSURE = "By ticking the box you agree that Acme Insurance & Globex may call and text you "
            + "at the number above, also by autodialer.\n\nConsent is not a condition of purchase. <b>Reply STOP</b> to opt out.";
    static final String VERSION = "2026-11-b";
    static final List<String> BUYERS = List.of("Acme Insurance", "Globex");

    private CaptureFixtures() {
    }

    static CampaignConfig.Builder campaign() {
        return CampaignConfig.newBuilder().setCampaignId(CAMPAIGN).setSellerId("seller-form").setVertical("auto_insurance")
                .setOneToOneConsent(true)
                .setForm(new CaptureForm("form-src", DISCLOSURE, VERSION, BUYERS, null));
    }

    /** Every question of the auto-insurance form answered well. */
    static Map<String, String> answers() {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("contact.firstName", "Ada");
        answers.put("contact.lastName", "Lovelace");
        answers.put("contact.email", "ada@example.com");
        answers.put("contact.phone", "(512) 555-0147");
        answers.put("contact.streetAddress", "12 Main St");
        answers.put("profile.city", "Austin");
        answers.put("profile.state", "TX");
        answers.put("profile.zip", "78701");
        answers.put("profile.attributes.vehicle_year", "2019");
        answers.put("profile.attributes.vehicle_make", "Toyota");
        answers.put("profile.attributes.currently_insured", "true");
        answers.put("profile.attributes.drivers", "2");
        return answers;
    }
}
