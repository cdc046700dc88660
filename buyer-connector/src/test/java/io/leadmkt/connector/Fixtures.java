package io.leadmkt.connector;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadPreview;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Profile;
import io.leadmkt.schema.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/** Shared test data: one lead with PII, its preview, pings, posts and buyers. */
public final class Fixtures {

    public static final List<String> PII_VALUES = List.of("Jane", "Doe", "jane.doe@example.com", "+15125550123",
            "12 Elm Street", "203.0.113.7", "Mozilla/5.0 (Fixture)");
    public static final String TRUSTED_FORM_CERT_URL =
            "https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567";
    public static final String LEAD_ID_TOKEN = "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D";
    /** The consent evidence a post carries and a ping never does, PII or not. */
    public static final List<String> EVIDENCE_VALUES = List.of(TRUSTED_FORM_CERT_URL, LEAD_ID_TOKEN, "I agree v7",
            "v7", "203.0.113.7", "Mozilla/5.0 (Fixture)", "Buyer Named");

    static {
        // Copy-builders (Avro's newBuilder(other)) deep-copy through reflection, which Avro 1.12
        // only allows for trusted classes; creating a serde registers our package as trusted.
        Topics.embedded();
    }

    private Fixtures() {
    }

    public static Lead lead(String leadId) {
        return Lead.newBuilder()
                .setLeadId(leadId)
                .setSourceId("src-1")
                .setSubId("sub-9")
                .setCampaignId("camp-1")
                .setCreatedAt(1_700_000_000_000L)
                .setContact(Contact.newBuilder()
                        .setFirstName("Jane").setLastName("Doe").setEmail("jane.doe@example.com")
                        .setPhone("+15125550123").setStreetAddress("12 Elm Street").setIpAddress("203.0.113.7")
                        .build())
                .setProfile(Profile.newBuilder()
                        .setVertical("auto_insurance").setState("TX").setZip("75001").setCity("Dallas")
                        .setAttributes(Map.of("homeowner", "true"))
                        .build())
                .setConsent(Consent.newBuilder()
                        .setMethod("web_form").setCertificateId("cert-123").setCapturedAt(1_700_000_000_000L)
                        .setDisclosure("I agree v7").setPageUrl("https://quotes.example.com/form")
                        .setTrustedFormCertUrl(TRUSTED_FORM_CERT_URL).setLeadIdToken(LEAD_ID_TOKEN)
                        .setDisclosureVersion("v7").setUserAgent("Mozilla/5.0 (Fixture)")
                        .setNamedBuyers(List.of("Buyer Named", "winner"))
                        .build())
                .build();
    }

    /** What the streams app puts in a ping: the lead's qualifying data only. */
    public static LeadPreview previewOf(Lead lead) {
        return LeadPreview.newBuilder()
                .setVertical(lead.getProfile().getVertical())
                .setSourceId(lead.getSourceId())
                .setSubId(lead.getSubId())
                .setState(lead.getProfile().getState())
                .setZip(lead.getProfile().getZip())
                .setScore(72)
                .setLeadAgeMs(120)
                .setAttributes(lead.getProfile().getAttributes())
                .build();
    }

    /** A ping written now whose buyers have until {@code deadlineAt} (500 ms when that has passed). */
    public static Ping ping(String leadId, long deadlineAt, String... buyerIds) {
        long now = System.currentTimeMillis();
        return ping(leadId, deadlineAt > now ? now : deadlineAt - 500, deadlineAt, buyerIds);
    }

    public static Ping ping(String leadId, long pingedAt, long deadlineAt, String... buyerIds) {
        return Ping.newBuilder()
                .setLeadId(leadId)
                .setCampaignId("camp-1")
                .setFloorCents(500)
                .setPingedAt(pingedAt)
                .setDeadlineAt(deadlineAt)
                .setBuyers(List.of(buyerIds))
                .setPreview(previewOf(lead(leadId)))
                .build();
    }

    public static Post post(String leadId, String buyerId, int attempt, long deadlineAt) {
        return Post.newBuilder()
                .setLeadId(leadId)
                .setBuyerId(buyerId)
                .setAttempt(attempt)
                .setPriceCents(1250)
                .setPingToken("tok-" + buyerId)
                .setPostedAt(deadlineAt - 3000)
                .setDeadlineAt(deadlineAt)
                .setLead(lead(leadId))
                .build();
    }

    public static BuyerConfig buyer(String buyerId, String url) {
        return BuyerConfig.newBuilder()
                .setBuyerId(buyerId)
                .setName("Buyer " + buyerId)
                .setActive(true)
                .setDelivery(Delivery.WEBHOOK)
                .setPingUrl(url)
                .setPostUrl(url)
                .setPingTimeoutMs(1000)
                .setPostTimeoutMs(2000)
                .build();
    }

    /** The text of a test resource, e.g. {@code integrations/px.json}. */
    public static String resource(String path) {
        try (var in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A webhook buyer speaking its own API, described by {@code integrations/<document>}. */
    public static BuyerConfig buyer(String buyerId, String url, String document) {
        return BuyerConfig.newBuilder(buyer(buyerId, url)).setIntegration(resource("integrations/" + document)).build();
    }

    /**
     * A buyer on the built-in JSON protocol whose integration document holds only {@code limits},
     * e.g. {@code {"pauseAfterErrors":2,"pauseForMs":1000}}.
     */
    public static BuyerConfig buyerWithLimits(String buyerId, String url, String limitsJson) {
        return BuyerConfig.newBuilder(buyer(buyerId, url)).setIntegration("{\"limits\":" + limitsJson + "}").build();
    }

    /** A loopback port nothing listens on (bound, then released). */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
