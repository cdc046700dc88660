package io.leadmkt.streams;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Leads, buyers and campaigns for the streams tests: one place, so tests say only what differs. */
public final class MarketFixtures {
    public static final String CAMPAIGN = "auto-tx";
    public static final String VERTICAL = "auto_insurance";
    private static final AtomicInteger PHONE_SEQ = new AtomicInteger(100);

    private MarketFixtures() {
    }

    /** A complete raw lead as a source would send it; each call gets a different consumer (phone, email). */
    public static Lead.Builder lead(String leadId, long createdAt) {
        int n = PHONE_SEQ.incrementAndGet();
        return Lead.newBuilder()
                .setLeadId(leadId)
                .setSourceId("seller-1")
                .setSubId("sub-7")
                .setCampaignId(CAMPAIGN)
                .setCreatedAt(createdAt)
                .setContact(Contact.newBuilder()
                        .setFirstName("Ada").setLastName("Lovelace")
                        .setEmail("Ada" + n + "@Example.com")
                        .setPhone(String.format("(512) 555-%04d", n))
                        .setStreetAddress("12 Analytical Engine Way")
                        .setIpAddress("203.0.113.9")
                        .build())
                .setProfile(Profile.newBuilder()
                        .setVertical(VERTICAL).setState("TX").setZip("75001").setCity("Addison")
                        .setAttributes(Map.of("homeowner", "true", "vehicle_year", "2019"))
                        .build())
                .setConsent(Consent.newBuilder()
                        .setMethod("web_form").setCertificateId("cert-" + leadId).setCapturedAt(createdAt)
                        .setDisclosure("I agree to be contacted").setPageUrl("https://seller.example/quote")
                        .build());
    }

    public static CampaignConfig.Builder campaign(long floorCents, int pingDeadlineMs) {
        return CampaignConfig.newBuilder()
                .setCampaignId(CAMPAIGN).setSellerId("seller-1").setVertical(VERTICAL)
                .setFloorCents(floorCents).setPingDeadlineMs(pingDeadlineMs).setPostTimeoutMs(2_000);
    }

    public static BuyerConfig.Builder buyer(String buyerId) {
        return BuyerConfig.newBuilder()
                .setBuyerId(buyerId).setName(buyerId)
                .setPingUrl("http://127.0.0.1:1/" + buyerId + "/ping")
                .setPostUrl("http://127.0.0.1:1/" + buyerId + "/post")
                .setStates(List.of()).setVerticals(List.of(VERTICAL)).setCampaigns(List.of());
    }
}
