package io.leadmkt.streams.intake;

import static io.leadmkt.streams.intake.TestLeads.CREATED_AT;
import static io.leadmkt.streams.intake.TestLeads.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LeadNormalizerTest {

    private final LeadNormalizer normalizer = new LeadNormalizer();

    private IntakeResult normalize(Consumer<Lead> change) {
        Lead lead = TestLeads.raw().build();
        change.accept(lead);
        return normalizer.normalize(lead, NOW);
    }

    private static FieldError only(IntakeResult result) {
        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }

    private static void assertError(IntakeResult result, String field, String code) {
        FieldError error = only(result);
        assertThat(error.getField()).isEqualTo(field);
        assertThat(error.getCode()).isEqualTo(code);
        assertThat(error.getMessage()).isNotBlank();
    }

    @Test
    void shouldNormaliseEveryFieldWhenLeadIsValid() {
        Lead raw = TestLeads.raw().build();
        IntakeResult result = normalizer.normalize(raw, NOW);

        assertThat(result.ok()).isTrue();
        assertThat(result.errors()).isEmpty();
        Lead lead = result.lead();
        assertThat(lead.getLeadId()).isEqualTo("lead-1");
        assertThat(lead.getSourceId()).isEqualTo("src-1");
        assertThat(lead.getSubId()).isEqualTo("sub-9");
        assertThat(lead.getCampaignId()).isEqualTo("camp-1");
        assertThat(lead.getCreatedAt()).isEqualTo(CREATED_AT);
        assertThat(lead.getContact().getPhone()).isEqualTo("+15125550147");
        assertThat(lead.getContact().getEmail()).isEqualTo("ada.lovelace@example.com");
        assertThat(lead.getContact().getFirstName()).isEqualTo("Ada");
        assertThat(lead.getContact().getLastName()).isEqualTo("Lovelace");
        assertThat(lead.getContact().getStreetAddress()).isEqualTo("1 Main St");
        assertThat(lead.getProfile().getState()).isEqualTo("TX");
        assertThat(lead.getProfile().getZip()).isEqualTo("78701");
        assertThat(lead.getProfile().getVertical()).isEqualTo("auto_insurance");
        assertThat(lead.getProfile().getCity()).isEqualTo("Austin");
        assertThat(lead.getProfile().getAttributes()).containsExactly(Map.entry("homeowner", "true"), Map.entry("vehicles", "2"));
        assertThat(lead.getConsent()).isEqualTo(raw.getConsent());
        assertThat(lead.getEnrichment()).isNull();
    }

    @Test
    void shouldLeaveRawLeadUntouchedWhenNormalising() {
        Lead raw = TestLeads.raw().build();
        Lead copy = TestLeads.raw().build();

        normalizer.normalize(raw, NOW);

        assertThat(raw).isEqualTo(copy);
    }

    @Test
    void shouldGiveSameLeadWhenNormalisingTwice() {
        Lead once = normalizer.normalize(TestLeads.raw().build(), NOW).lead();

        IntakeResult twice = normalizer.normalize(once, NOW);

        assertThat(twice.ok()).isTrue();
        assertThat(twice.lead()).isEqualTo(once);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(512) 555-0147", "512.555.0147", "+1 512 555 0147", "1-512-555-0147", "5125550147",
            "+15125550147", " 512 555 0147 ", "1 (512) 555-0147"})
    void shouldWritePhoneAsE164WhenUsNumberIsFormattedAnyCommonWay(String phone) {
        IntakeResult result = normalize(lead -> lead.getContact().setPhone(phone));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getContact().getPhone()).isEqualTo("+15125550147");
    }

    @ParameterizedTest
    @ValueSource(strings = {"555-0147", "512555014", "51255501470", "2-512-555-0147", "+44 20 7946 0958",
            "+5125550147", "(012) 555-0147", "(112) 555-0147", "(512) 055-0147", "(512) 155-0147",
            "512-555-CALL", "512 555 0147 x12", "++1 512 555 0147", "+1 512 555 0147 1"})
    void shouldRejectPhoneWhenNotAValidUsNumber(String phone) {
        assertError(normalize(lead -> lead.getContact().setPhone(phone)), "contact.phone", "FORMAT");
    }

    @Test
    void shouldAcceptEmailOnlyWhenPhoneIsAbsent() {
        IntakeResult result = normalize(lead -> lead.getContact().setPhone(null));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getContact().getPhone()).isNull();
        assertThat(result.lead().getContact().getEmail()).isEqualTo("ada.lovelace@example.com");
    }

    @Test
    void shouldAcceptPhoneOnlyWhenEmailIsBlank() {
        IntakeResult result = normalize(lead -> lead.getContact().setEmail("   "));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getContact().getEmail()).isNull();
    }

    @Test
    void shouldReportContactMissingWhenNeitherPhoneNorEmail() {
        assertError(normalize(lead -> {
            lead.getContact().setPhone(" ");
            lead.getContact().setEmail(null);
        }), "contact", "MISSING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plainaddress", "@example.com", "ada@", "ada@example", "ada@@example.com", "ada@exa mple.com",
            "ada..l@example.com", ".ada@example.com", "ada@-example.com", "ada@example.c"})
    void shouldRejectEmailWhenNotLocalAtDomainTld(String email) {
        assertError(normalize(lead -> lead.getContact().setEmail(email)), "contact.email", "FORMAT");
    }

    @Test
    void shouldRejectEmailWhenLongerThan254Characters() {
        String email = "a".repeat(60) + "@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(10) + ".com";
        assertThat(email.length()).isGreaterThan(254);

        assertError(normalize(lead -> lead.getContact().setEmail(email)), "contact.email", "FORMAT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada+leads@sub.example.co.uk", "o'brien@example.ie", "x@y.io"})
    void shouldAcceptEmailWhenUnusualButValid(String email) {
        IntakeResult result = normalize(lead -> lead.getContact().setEmail(email));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getContact().getEmail()).isEqualTo(email);
    }

    @Test
    void shouldReportContactMissingWhenContactIsNull() {
        assertError(normalize(lead -> lead.setContact(null)), "contact", "MISSING");
    }

    @Test
    void shouldDropBlankNamesWhenTrimming() {
        IntakeResult result = normalize(lead -> {
            lead.getContact().setFirstName("  ");
            lead.getContact().setLastName(null);
        });

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getContact().getFirstName()).isNull();
        assertThat(result.lead().getContact().getLastName()).isNull();
    }

    @Test
    void shouldRejectNameWhenLongerThanLimit() {
        assertError(normalize(lead -> lead.getContact().setFirstName("x".repeat(256))), "contact.firstName", "OUT_OF_RANGE");
    }

    static Stream<Arguments> badLeadIds() {
        return Stream.of(
                Arguments.of(null, "MISSING"),
                Arguments.of("", "MISSING"),
                Arguments.of("   ", "MISSING"),
                Arguments.of("x".repeat(65), "OUT_OF_RANGE"),
                Arguments.of("lead 1", "FORMAT"),
                Arguments.of("lead/1", "FORMAT"),
                Arguments.of("lead-é", "FORMAT"));
    }

    @ParameterizedTest
    @MethodSource("badLeadIds")
    void shouldRejectLeadIdWhenMissingTooLongOrOddCharacters(String leadId, String code) {
        assertError(normalize(lead -> lead.setLeadId(leadId)), "leadId", code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Lead_1.2:3-4", "0123456789012345678901234567890123456789012345678901234567890123"})
    void shouldAcceptLeadIdWhenWithinRules(String leadId) {
        IntakeResult result = normalize(lead -> lead.setLeadId(leadId));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getLeadId()).isEqualTo(leadId);
    }

    @Test
    void shouldReportSourceAndCampaignMissingWhenBlank() {
        IntakeResult result = normalize(lead -> {
            lead.setSourceId(" ");
            lead.setCampaignId(null);
        });

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode)
                .containsExactly(tuple("sourceId", "MISSING"), tuple("campaignId", "MISSING"));
    }

    @Test
    void shouldDropSubIdWhenBlank() {
        IntakeResult result = normalize(lead -> lead.setSubId("  "));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getSubId()).isNull();
    }

    @Test
    void shouldReportCreatedAtMissingWhenZero() {
        assertError(normalize(lead -> lead.setCreatedAt(0L)), "createdAt", "MISSING");
    }

    @Test
    void shouldRejectCreatedAtWhenNegative() {
        assertError(normalize(lead -> lead.setCreatedAt(-1L)), "createdAt", "OUT_OF_RANGE");
    }

    @Test
    void shouldRejectCreatedAtWhenMoreThanFiveMinutesAhead() {
        assertError(normalize(lead -> lead.setCreatedAt(NOW + LeadNormalizer.MAX_FUTURE_SKEW_MS + 1)), "createdAt", "OUT_OF_RANGE");
    }

    @Test
    void shouldAcceptCreatedAtWhenExactlyFiveMinutesAhead() {
        assertThat(normalize(lead -> lead.setCreatedAt(NOW + LeadNormalizer.MAX_FUTURE_SKEW_MS)).ok()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca", " NY ", "dc", "PR", "Wy"})
    void shouldUpperCaseStateWhenUspsCode(String state) {
        IntakeResult result = normalize(lead -> lead.getProfile().setState(state));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getProfile().getState()).isEqualTo(state.trim().toUpperCase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"XX", "Texas", "T", "GU", "VI", "T X"})
    void shouldRejectStateWhenNotAUspsCode(String state) {
        assertError(normalize(lead -> lead.getProfile().setState(state)), "profile.state", "FORMAT");
    }

    @Test
    void shouldReportStateMissingWhenAbsent() {
        assertError(normalize(lead -> lead.getProfile().setState(" ")), "profile.state", "MISSING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"78701", " 78701 ", "78701-1234"})
    void shouldKeepFiveDigitsWhenZipIsZipOrZipPlusFour(String zip) {
        IntakeResult result = normalize(lead -> lead.getProfile().setZip(zip));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getProfile().getZip()).isEqualTo("78701");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7870", "787011", "78701-12", "78701 1234", "ABCDE", "787O1", "78701-"})
    void shouldRejectZipWhenNotFiveDigitsOrZipPlusFour(String zip) {
        assertError(normalize(lead -> lead.getProfile().setZip(zip)), "profile.zip", "FORMAT");
    }

    @Test
    void shouldAcceptLeadWhenZipIsAbsent() {
        IntakeResult result = normalize(lead -> lead.getProfile().setZip(null));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getProfile().getZip()).isNull();
    }

    @Test
    void shouldReportVerticalMissingWhenBlank() {
        assertError(normalize(lead -> lead.getProfile().setVertical("")), "profile.vertical", "MISSING");
    }

    @Test
    void shouldReportProfileMissingWhenProfileIsNull() {
        assertError(normalize(lead -> lead.setProfile(null)), "profile", "MISSING");
    }

    @Test
    void shouldDropAttributeWhenKeyBlankOrValueNull() {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("  ", "x");
        attributes.put("gone", null);
        attributes.put(null, "y");
        attributes.put(" Credit ", " good ");

        IntakeResult result = normalize(lead -> lead.getProfile().setAttributes(attributes));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getProfile().getAttributes()).containsExactly(Map.entry("credit", "good"));
    }

    @Test
    void shouldGiveEmptyAttributesWhenAttributesAreNull() {
        IntakeResult result = normalize(lead -> lead.getProfile().setAttributes(null));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getProfile().getAttributes()).isEmpty();
    }

    @Test
    void shouldRejectAttributesWhenTooMany() {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i <= LeadNormalizer.MAX_ATTRIBUTES; i++) {
            attributes.put("k" + i, "v");
        }

        assertError(normalize(lead -> lead.getProfile().setAttributes(attributes)), "profile.attributes", "OUT_OF_RANGE");
    }

    @Test
    void shouldCopyConsentUncheckedWhenConsentIsIncomplete() {
        Consent consent = Consent.newBuilder().setMethod("  ").build();

        IntakeResult result = normalize(lead -> lead.setConsent(consent));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getConsent()).isEqualTo(consent);
    }

    @Test
    void shouldPassLeadWhenConsentIsAbsent() {
        IntakeResult result = normalize(lead -> lead.setConsent(null));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getConsent()).isNull();
    }

    @Test
    void shouldDropEnrichmentWhenSourceSuppliedOne() {
        IntakeResult result = normalize(lead -> lead.setEnrichment(new Enrichment(null, null, "forged", 1L, 0L, 100, 1L)));

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getEnrichment()).isNull();
    }

    @Test
    void shouldCollectEveryErrorWhenManyFieldsAreBad() {
        IntakeResult result = normalize(lead -> {
            lead.setLeadId("bad id");
            lead.setCampaignId(null);
            lead.setCreatedAt(NOW + 3_600_000L);
            lead.getContact().setPhone("123");
            lead.getContact().setEmail("nope");
            lead.getProfile().setState("ZZ");
            lead.getProfile().setZip("1");
            lead.getProfile().setVertical(null);
        });

        assertThat(result.ok()).isFalse();
        assertThat(result.lead()).isNull();
        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactlyInAnyOrder(
                tuple("leadId", "FORMAT"),
                tuple("campaignId", "MISSING"),
                tuple("createdAt", "OUT_OF_RANGE"),
                tuple("contact.phone", "FORMAT"),
                tuple("contact.email", "FORMAT"),
                tuple("profile.state", "FORMAT"),
                tuple("profile.zip", "FORMAT"),
                tuple("profile.vertical", "MISSING"));
    }

    @Test
    void shouldReportEveryRequiredFieldWhenLeadIsAllNulls() {
        IntakeResult result = normalizer.normalize(new Lead(), NOW);

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactly(
                tuple("leadId", "MISSING"),
                tuple("sourceId", "MISSING"),
                tuple("campaignId", "MISSING"),
                tuple("createdAt", "MISSING"),
                tuple("contact", "MISSING"),
                tuple("profile", "MISSING"));
    }

    @Test
    void shouldReportMissingLeadWhenLeadIsNull() {
        assertError(normalizer.normalize(null, NOW), "$", "MISSING");
    }

    /** Every combination of null parts: the normaliser answers, never throws. */
    static Stream<Lead> leadsWithNullsEverywhere() {
        Stream.Builder<Lead> leads = Stream.builder();
        for (int mask = 0; mask < 1 << 4; mask++) {
            Lead lead = new Lead();
            lead.setCreatedAt((mask & 1) == 0 ? 0L : CREATED_AT);
            if ((mask & 2) != 0) {
                lead.setContact(new Contact());
            }
            if ((mask & 4) != 0) {
                lead.setProfile(new Profile());
            }
            if ((mask & 8) != 0) {
                lead.setConsent(new Consent());
                lead.setEnrichment(new Enrichment());
            }
            leads.add(lead);
        }
        return leads.build();
    }

    @ParameterizedTest
    @MethodSource("leadsWithNullsEverywhere")
    void shouldAnswerWithErrorsWhenNullsAreAnywhere(Lead lead) {
        IntakeResult result = normalizer.normalize(lead, NOW);

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(FieldError::getField).contains("leadId", "sourceId", "campaignId");
    }
}
