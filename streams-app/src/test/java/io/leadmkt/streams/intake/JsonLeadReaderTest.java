package io.leadmkt.streams.intake;

import static io.leadmkt.streams.intake.TestLeads.CREATED_AT;
import static io.leadmkt.streams.intake.TestLeads.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLeadReaderTest {

    private final JsonLeadReader reader = new JsonLeadReader();

    private IntakeResult read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void shouldReadEveryFieldWhenBodyIsAGoodLead() {
        IntakeResult result = read(TestLeads.json());

        assertThat(result.ok()).isTrue();
        Lead expected = TestLeads.raw().build();
        expected.getProfile().getAttributes().put(" Homeowner ", "true"); // a JSON boolean, read as text
        assertThat(result.lead()).isEqualTo(expected);
    }

    @Test
    void shouldReadSameLeadAsFixtureWhenNormalised() {
        LeadNormalizer normalizer = new LeadNormalizer();

        Lead fromJson = normalizer.normalize(read(TestLeads.json()).lead(), NOW).lead();
        Lead fromKafka = normalizer.normalize(TestLeads.raw().build(), NOW).lead();

        assertThat(fromJson).isEqualTo(fromKafka);
    }

    @Test
    void shouldMintUuidAndUseNowWhenLeadIdAndCreatedAtAreMissing() {
        IntakeResult result = read("{\"sourceId\":\"s\",\"leadId\":null}");

        assertThat(result.ok()).isTrue();
        assertThat(UUID.fromString(result.lead().getLeadId())).isNotNull();
        assertThat(result.lead().getCreatedAt()).isEqualTo(NOW);
        assertThat(result.lead().getContact()).isNull();
        assertThat(result.lead().getProfile()).isNull();
    }

    @Test
    void shouldMintDifferentIdsWhenTwoLeadsLackOne() {
        assertThat(read("{}").lead().getLeadId()).isNotEqualTo(read("{}").lead().getLeadId());
    }

    @Test
    void shouldIgnoreEnrichmentWhenPresent() {
        IntakeResult result = read("""
                {"leadId":"x","campaignId":"c","enrichment":{"identityHash":"forged","score":100},
                 "contact":{"phone":"5125550147"}}""");

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getEnrichment()).isNull();
        assertThat(result.lead().getContact().getPhone()).isEqualTo("5125550147");
    }

    @Test
    void shouldNameEveryUnknownFieldWhenTheLayoutDoesNotHaveIt() {
        IntakeResult result = read("""
                {"leadId":"x","campaignId":"c","utm":{"a":[1,2]},
                 "contact":{"phone":"5125550147","phnoe":"5125550147"},"consent":{"ip":"1.2.3.4"},
                 "profile":{"attributes":{"anything":"goes"}}}""");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactlyInAnyOrder(
                tuple("utm", ErrorCodes.UNKNOWN_FIELD),
                tuple("contact.phnoe", ErrorCodes.UNKNOWN_FIELD),
                tuple("consent.ip", ErrorCodes.UNKNOWN_FIELD));
    }

    @Test
    void shouldTurnAttributeNumbersAndBooleansIntoTextWhenReading() {
        IntakeResult result = read("{\"profile\":{\"attributes\":{\"a\":true,\"b\":2,\"c\":1.50,\"d\":\"x\",\"e\":null}}}");

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getProfile().getAttributes())
                .containsOnlyKeys("a", "b", "c", "d")
                .containsEntry("a", "true").containsEntry("b", "2").containsEntry("c", "1.50").containsEntry("d", "x");
    }

    @Test
    void shouldGiveEmptyAttributesWhenProfileHasNone() {
        assertThat(read("{\"profile\":{\"state\":\"TX\"}}").lead().getProfile().getAttributes()).isEmpty();
    }

    @Test
    void shouldAcceptCreatedAtWhenWrittenAsIntegralDecimal() {
        assertThat(read("{\"createdAt\":1.7356896E12}").lead().getCreatedAt()).isEqualTo(1_735_689_600_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"leadId\":", "{\"leadId\":\"x\"", "{\"leadId\":\"x\",}", "not json",
            "{'leadId':'x'}", "{\"a\":1} {\"b\":2}", "{\"leadId\":\"a\",\"leadId\":\"b\"}", "\u0000\u0001"})
    void shouldReportMalformedJsonWhenBodyIsNotJson(String body) {
        IntakeResult result = read(body);

        assertThat(result.ok()).isFalse();
        assertThat(result.lead()).isNull();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.getField()).isEqualTo("$");
            assertThat(error.getCode()).isEqualTo("MALFORMED_JSON");
            assertThat(error.getMessage()).isNotBlank();
        });
    }

    @Test
    void shouldReportMalformedJsonWhenBodyIsNull() {
        assertThat(reader.read(null, NOW).errors()).extracting(FieldError::getCode).containsExactly("MALFORMED_JSON");
    }

    @Test
    void shouldReportMalformedJsonWhenBodyIsTruncated() {
        String json = TestLeads.json();

        IntakeResult result = read(json.substring(0, json.length() / 2));

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactly(tuple("$", "MALFORMED_JSON"));
    }

    @Test
    void shouldNotEchoBodyWhenReportingMalformedJson() {
        IntakeResult result = read("{\"contact\":{\"phone\":\"5125550147\" \"email\":\"secret@example.com\"}}");

        assertThat(result.errors().get(0).getMessage()).doesNotContain("secret", "5125550147");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"leadId\":\"x\"}]", "\"lead\"", "42", "true", "null"})
    void shouldReportWrongTypeAtRootWhenBodyIsNotAnObject(String body) {
        IntakeResult result = read(body);

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactly(tuple("$", "WRONG_TYPE"));
    }

    @Test
    void shouldNameEveryPathWhenTypesAreWrong() {
        IntakeResult result = read("""
                {"leadId": 12, "sourceId": ["s"], "campaignId": {"id": "c"}, "createdAt": "yesterday",
                 "contact": {"phone": 5125550147, "email": false, "firstName": {}},
                 "profile": {"zip": 78701, "attributes": {"ok": "yes", "nested": {"x": 1}, "list": [1]}},
                 "consent": {"capturedAt": "now", "certificateId": 7}}""");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactlyInAnyOrder(
                tuple("leadId", "WRONG_TYPE"),
                tuple("sourceId", "WRONG_TYPE"),
                tuple("campaignId", "WRONG_TYPE"),
                tuple("createdAt", "WRONG_TYPE"),
                tuple("contact.phone", "WRONG_TYPE"),
                tuple("contact.email", "WRONG_TYPE"),
                tuple("contact.firstName", "WRONG_TYPE"),
                tuple("profile.zip", "WRONG_TYPE"),
                tuple("profile.attributes.nested", "WRONG_TYPE"),
                tuple("profile.attributes.list", "WRONG_TYPE"),
                tuple("consent.capturedAt", "WRONG_TYPE"),
                tuple("consent.certificateId", "WRONG_TYPE"));
    }

    @Test
    void shouldReportWrongTypeWhenArraysStandWhereObjectsBelong() {
        IntakeResult result = read("{\"contact\":[{\"phone\":\"5125550147\"}],\"profile\":[],\"consent\":\"yes\",\"profile2\":[]}");

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactly(
                tuple("profile2", "UNKNOWN_FIELD"),
                tuple("contact", "WRONG_TYPE"), tuple("profile", "WRONG_TYPE"), tuple("consent", "WRONG_TYPE"));
    }

    @Test
    void shouldReportWrongTypeWhenAttributesIsNotAnObject() {
        IntakeResult result = read("{\"profile\":{\"attributes\":[\"homeowner\"]}}");

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode)
                .containsExactly(tuple("profile.attributes", "WRONG_TYPE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999999999", "-99999999999999999999999999", "1e400", "1e999999999", "9223372036854775808"})
    void shouldReportOutOfRangeWhenTimestampIsHuge(String number) {
        IntakeResult result = read("{\"createdAt\":" + number + ",\"consent\":{\"capturedAt\":" + number + "}}");

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactly(
                tuple("createdAt", "OUT_OF_RANGE"), tuple("consent.capturedAt", "OUT_OF_RANGE"));
    }

    @Test
    void shouldReportWrongTypeWhenTimestampHasAFraction() {
        assertThat(read("{\"createdAt\":" + CREATED_AT + ".5}").errors()).extracting(FieldError::getField, FieldError::getCode)
                .containsExactly(tuple("createdAt", "WRONG_TYPE"));
    }

    @Test
    void shouldKeepHugeAttributeNumberCompactWhenReading() {
        IntakeResult result = read("{\"profile\":{\"attributes\":{\"n\":1e999999999}}}");

        assertThat(result.ok()).isTrue();
        assertThat(result.lead().getProfile().getAttributes().get("n")).hasSizeLessThan(20);
    }

    @Test
    void shouldReportErrorNotThrowWhenNumberHasThousandsOfDigits() {
        IntakeResult result = read("{\"createdAt\":" + "9".repeat(5_000) + "}");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(FieldError::getField).containsAnyOf("$", "createdAt");
    }

    @Test
    void shouldReportMalformedJsonWhenNestingIsAbsurdlyDeep() {
        IntakeResult result = read("{\"profile\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");

        assertThat(result.errors()).extracting(FieldError::getField, FieldError::getCode).containsExactly(tuple("$", "MALFORMED_JSON"));
    }

    @Test
    void shouldReadLongMaxWhenTimestampIsAtTheEdge() {
        assertThat(read("{\"createdAt\":9223372036854775807}").lead().getCreatedAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldReadTheConsentEvidenceWhenTheSellerSendsIt() {
        IntakeResult result = read("""
                {"consent": {"method": "web_form", "capturedAt": 1735689590000,
                 "trustedFormCertUrl": "https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567",
                 "leadIdToken": "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D", "disclosure": "I agree", "disclosureVersion": "v3",
                 "userAgent": "Mozilla/5.0", "namedBuyers": ["Acme Insurance", "globex"]}}""");

        assertThat(result.errors()).isEmpty();
        var consent = result.lead().getConsent();
        assertThat(consent.getTrustedFormCertUrl()).endsWith("/0123456789abcdef0123456789abcdef01234567");
        assertThat(consent.getLeadIdToken()).isEqualTo("A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D");
        assertThat(consent.getDisclosureVersion()).isEqualTo("v3");
        assertThat(consent.getUserAgent()).isEqualTo("Mozilla/5.0");
        assertThat(consent.getNamedBuyers()).containsExactly("Acme Insurance", "globex");
    }

    @Test
    void shouldNameThePathWhenNamedBuyersAreNotAListOfStrings() {
        assertThat(read("{\"consent\": {\"namedBuyers\": \"acme\"}}").errors())
                .extracting(FieldError::getField, FieldError::getCode)
                .containsExactly(tuple("consent.namedBuyers", "WRONG_TYPE"));
        assertThat(read("{\"consent\": {\"namedBuyers\": [\"acme\", 7]}}").errors())
                .extracting(FieldError::getField).containsExactly("consent.namedBuyers[1]");
    }
}
