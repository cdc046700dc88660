package io.leadmkt.streams.comply;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.MarketFixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsentRulesTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final String CERT = "https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567";
    private static final String LEAD_ID = "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D";

    private static Lead lead() {
        return MarketFixtures.lead("consent-1", NOW - 1_000).build();
    }

    private static CampaignConfig requiring(String... evidence) {
        return MarketFixtures.campaign(0, 500).setRequiredConsentEvidence(List.of(evidence)).build();
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::getField).toList();
    }

    private static List<String> codes(List<FieldError> errors) {
        return errors.stream().map(FieldError::getCode).toList();
    }

    /** Asserts that a campaign requiring {@code evidence} finds exactly one thing wrong: the shape of {@code field}. */
    private static void assertMalformed(Lead lead, String evidence, String field) {
        List<FieldError> errors = ConsentRules.check(lead, requiring(evidence), NOW);

        assertThat(fields(errors)).containsExactly(field);
        assertThat(codes(errors)).containsExactly(ConsentRules.FORMAT);
    }

    @Test
    void shouldPassWhenTheCampaignRequiresNothingBeyondTheBaseline() {
        assertThat(ConsentRules.check(lead(), requiring(), NOW)).isEmpty();
    }

    @Test
    void shouldNameEveryMissingFieldWhenTheCampaignRequiresAllEvidence() {
        Lead lead = lead();
        lead.getConsent().setDisclosure(null);
        lead.getConsent().setPageUrl(" ");
        lead.getContact().setIpAddress(null);

        List<FieldError> errors = ConsentRules.check(lead, requiring("trustedFormCertUrl", "leadIdToken", "disclosure",
                "disclosureVersion", "capturedAt", "ipAddress", "userAgent", "pageUrl"), NOW);

        assertThat(fields(errors)).containsExactly("consent.trustedFormCertUrl", "consent.leadIdToken",
                "consent.disclosure", "consent.disclosureVersion", "contact.ipAddress", "consent.userAgent",
                "consent.pageUrl");
        assertThat(codes(errors)).containsOnly("MISSING");
    }

    @Test
    void shouldPassWhenEveryRequiredEvidenceIsPresentAndWellFormed() {
        Lead lead = lead();
        lead.getConsent().setTrustedFormCertUrl(CERT);
        lead.getConsent().setLeadIdToken(LEAD_ID);
        lead.getConsent().setDisclosureVersion("v3.2");
        lead.getConsent().setUserAgent("Mozilla/5.0 (X11; Linux x86_64)");

        assertThat(ConsentRules.check(lead, requiring("trustedFormCertUrl", "leadIdToken", "disclosure",
                "disclosureVersion", "capturedAt", "ipAddress", "userAgent", "pageUrl"), NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567",
            "https://cert.trustedform.com/0123456789abcdef0123456789abcdef0123456",
            "https://cert.trustedform.com/0123456789abcdef0123456789abcdef012345678",
            "https://cert.trustedform.com/0123456789abcdef0123456789abcdef0123456g",
            "https://evil.example/cert.trustedform.com/0123456789abcdef0123456789abcdef01234567",
            "https://cert.trustedform.com.evil.example/0123456789abcdef0123456789abcdef01234567",
            "0123456789abcdef0123456789abcdef01234567"})
    void shouldRejectTheCertificateWhenItIsNotATrustedFormCertificateUrl(String url) {
        Lead lead = lead();
        lead.getConsent().setTrustedFormCertUrl(url);

        assertMalformed(lead, "trustedFormCertUrl", "consent.trustedFormCertUrl");
    }

    @Test
    void shouldAcceptUpperCaseHexWhenTheCertificateUrlIsOtherwiseRight() {
        Lead lead = lead();
        lead.getConsent().setTrustedFormCertUrl("https://cert.trustedform.com/0123456789ABCDEF0123456789ABCDEF01234567");

        assertThat(ConsentRules.check(lead, requiring("trustedFormCertUrl"), NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"A1B2C3D4E5F64A7B8C9D0E1F2A3B4C5D", "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5", "not-a-token",
            "{A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D}", "G1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D"})
    void shouldRejectTheTokenWhenItIsNotShapedLikeALeadId(String token) {
        Lead lead = lead();
        lead.getConsent().setLeadIdToken(token);

        assertMalformed(lead, "leadIdToken", "consent.leadIdToken");
    }

    @Test
    void shouldCheckTheShapeOfACertificateAndTokenWhenTheCampaignDoesNotRequireThem() {
        Lead lead = lead();
        lead.getConsent().setTrustedFormCertUrl("https://cert.trustedform.com/abc");
        lead.getConsent().setLeadIdToken("abc");

        assertThat(fields(ConsentRules.check(lead, requiring(), NOW)))
                .containsExactly("consent.trustedFormCertUrl", "consent.leadIdToken");
    }

    @Test
    void shouldLeaveAnUnrequiredPageUrlAndIpUncheckedWhenSellersSentThemBeforeTheseRules() {
        Lead lead = lead();
        lead.getConsent().setPageUrl("seller.example/quote");
        lead.getContact().setIpAddress("unknown");

        assertThat(ConsentRules.check(lead, requiring(), NOW)).isEmpty();
        assertThat(fields(ConsentRules.check(lead, requiring("pageUrl", "ipAddress"), NOW)))
                .containsExactly("contact.ipAddress", "consent.pageUrl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.9", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::1", "::ffff:203.0.113.9",
            "fe80:0:0:0:200:f8ff:fe21:67cf"})
    void shouldAcceptTheIpAddressWhenItIsAnIpv4OrIpv6Literal(String ip) {
        Lead lead = lead();
        lead.getContact().setIpAddress(ip);

        assertThat(ConsentRules.check(lead, requiring("ipAddress"), NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "01.2.3.4", "localhost", "example.com", "2001:db8::g", "1.2.3.4.5"})
    void shouldRejectTheIpAddressWhenItIsNotALiteralAddress(String ip) {
        Lead lead = lead();
        lead.getContact().setIpAddress(ip);

        assertMalformed(lead, "ipAddress", "contact.ipAddress");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://seller.example/form", "https:///nohost", "not a url", "javascript:alert(1)"})
    void shouldRejectThePageUrlWhenItIsNotAWebAddress(String url) {
        Lead lead = lead();
        lead.getConsent().setPageUrl(url);

        assertMalformed(lead, "pageUrl", "consent.pageUrl");
    }

    @Test
    void shouldRejectConsentOlderThanTheCampaignTakesWhenAMaximumAgeIsSet() {
        Lead lead = lead();
        long maxAge = Duration.ofDays(30).toMillis();
        lead.getConsent().setCapturedAt(NOW - maxAge - 1);
        CampaignConfig campaign = MarketFixtures.campaign(0, 500).setMaxConsentAgeMs(maxAge).build();

        List<FieldError> errors = ConsentRules.check(lead, campaign, NOW);

        assertThat(fields(errors)).containsExactly("consent.capturedAt");
        assertThat(codes(errors)).containsExactly(ConsentRules.TOO_OLD);
    }

    @Test
    void shouldAcceptConsentExactlyAsOldAsTheMaximumWhenItIsNotOlder() {
        Lead lead = lead();
        long maxAge = Duration.ofDays(30).toMillis();
        lead.getConsent().setCapturedAt(NOW - maxAge);
        CampaignConfig campaign = MarketFixtures.campaign(0, 500).setMaxConsentAgeMs(maxAge).build();

        assertThat(ConsentRules.check(lead, campaign, NOW)).isEmpty();
        assertThat(ConsentRules.check(lead, requiring(), NOW + Duration.ofDays(3650).toMillis()))
                .as("no maximum: any age").isEmpty();
    }

    @Test
    void shouldRequireNamedBuyersWhenTheCampaignTakesOnlyOneToOneConsent() {
        CampaignConfig oneToOne = MarketFixtures.campaign(0, 500).setOneToOneConsent(true).build();
        Lead none = lead();
        Lead blank = lead();
        blank.getConsent().setNamedBuyers(List.of(" ", ""));
        Lead named = lead();
        named.getConsent().setNamedBuyers(List.of("Acme Insurance"));

        assertThat(fields(ConsentRules.check(none, oneToOne, NOW))).containsExactly("consent.namedBuyers");
        assertThat(fields(ConsentRules.check(blank, oneToOne, NOW))).containsExactly("consent.namedBuyers");
        assertThat(ConsentRules.check(named, oneToOne, NOW)).isEmpty();
    }

    @Test
    void shouldFailEveryLeadWhenTheCampaignRequiresEvidenceNobodyCanCheck() {
        List<FieldError> errors = ConsentRules.check(lead(), requiring("retinaScan"), NOW);

        assertThat(fields(errors)).containsExactly("campaign.requiredConsentEvidence");
        assertThat(codes(errors)).containsExactly(ConsentRules.UNKNOWN);
    }

    @Test
    void shouldReportEachRuleAtOnceWhenALeadBreaksSeveral() {
        Lead lead = lead();
        lead.getConsent().setCapturedAt(NOW - Duration.ofDays(91).toMillis());
        lead.getConsent().setLeadIdToken("nope");
        CampaignConfig campaign = MarketFixtures.campaign(0, 500)
                .setRequiredConsentEvidence(List.of("trustedFormCertUrl", "userAgent"))
                .setMaxConsentAgeMs(Duration.ofDays(90).toMillis()).setOneToOneConsent(true).build();

        assertThat(fields(ConsentRules.check(lead, campaign, NOW))).containsExactly("consent.trustedFormCertUrl",
                "consent.leadIdToken", "consent.userAgent", "consent.capturedAt", "consent.namedBuyers");
    }

    @Test
    void shouldMatchANameByIdOrDisplayNameWhenCaseAndSpacingDiffer() {
        assertThat(ConsentRules.names("ACME   Insurance ", "acme", "Acme Insurance")).isTrue();
        assertThat(ConsentRules.names("acme", "acme", null)).isTrue();
        assertThat(ConsentRules.names("Acme", "acme-ins", "Acme Insurance")).isFalse();
        assertThat(ConsentRules.names("", "acme", null)).isFalse();
    }

    @Test
    void shouldFingerprintTheDisclosureAsTheSha256OfItsUtf8BytesWhenHashed() {
        assertThat(ConsentRules.disclosureHash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ConsentRules.disclosureHash("café")).isNotEqualTo(ConsentRules.disclosureHash("cafe"));
    }

    @Test
    void shouldPassWhenTheDisclosureHashIsTheDisclosuresSha256() {
        Lead lead = lead();
        lead.getConsent().setDisclosureHash(ConsentRules.disclosureHash(lead.getConsent().getDisclosure()).toUpperCase());

        assertThat(ConsentRules.check(lead, requiring("disclosure", "disclosureHash"), NOW)).isEmpty();
    }

    @Test
    void shouldNameTheHashWhenItIsMalformedOrNotTheDisclosuresSha256() {
        Lead malformed = lead();
        malformed.getConsent().setDisclosureHash("sha256:abc");
        Lead other = lead();
        other.getConsent().setDisclosureHash(ConsentRules.disclosureHash("another text"));

        assertMalformed(malformed, "disclosureHash", "consent.disclosureHash");
        List<FieldError> errors = ConsentRules.check(other, requiring(), NOW);
        assertThat(fields(errors)).containsExactly("consent.disclosureHash");
        assertThat(codes(errors)).containsExactly(ConsentRules.MISMATCH);
        assertThat(fields(ConsentRules.check(lead(), requiring("disclosureHash"), NOW)))
                .containsExactly("consent.disclosureHash");
    }
}
