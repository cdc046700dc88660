package io.leadmkt.streams.capture;

import static io.leadmkt.streams.capture.CaptureFixtures.BUYERS;
import static io.leadmkt.streams.capture.CaptureFixtures.CAMPAIGN;
import static io.leadmkt.streams.capture.CaptureFixtures.DISCLOSURE;
import static io.leadmkt.streams.capture.CaptureFixtures.VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.capture.ConsentCapture.Captured;
import io.leadmkt.streams.capture.ConsentCapture.Submission;
import io.leadmkt.streams.capture.ConsentCapture.Visit;
import io.leadmkt.streams.comply.ConsentCheck;
import io.leadmkt.streams.comply.ConsentRules;
import io.leadmkt.streams.intake.LeadNormalizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentCaptureTest {
    private static final long AT = 1_795_868_109_687L;
    private static final String PAGE = "https://quotes.example/form/" + CAMPAIGN + "?subId=banner-7";
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0";
    private static final Visit VISIT = new Visit(AT, "203.0.113.9", AGENT);

    private static Captured capture(CampaignConfig campaign, Map<String, String> answers, boolean agreed, String pageUrl) {
        return ConsentCapture.capture("lead-f1", campaign, new Submission(answers, agreed, pageUrl, "banner-7"), VISIT);
    }

    private static List<String> fieldsAndCodes(Captured captured) {
        return captured.errors().stream().map(e -> e.getField() + " " + e.getCode()).toList();
    }

    @Test
    void shouldRecordWhatWasShownWhenAndWhereAsTheConsentEvidenceWhenTheConsumerAgrees() {
        Captured captured = capture(CaptureFixtures.campaign().build(), CaptureFixtures.answers(), true, PAGE);

        assertThat(captured.errors()).isEmpty();
        Consent consent = captured.lead().getConsent();
        assertThat(consent.getMethod()).isEqualTo("web_form");
        assertThat(consent.getDisclosure()).as("verbatim").isEqualTo(DISCLOSURE);
        assertThat(consent.getDisclosureVersion()).isEqualTo(VERSION);
        assertThat(consent.getDisclosureHash()).isEqualTo(ConsentRules.disclosureHash(DISCLOSURE)).hasSize(64);
        assertThat(consent.getNamedBuyers()).containsExactlyElementsOf(BUYERS);
        assertThat(consent.getCapturedAt()).as("the server's clock at the submission").isEqualTo(AT);
        assertThat(consent.getPageUrl()).isEqualTo(PAGE);
        assertThat(consent.getUserAgent()).isEqualTo(AGENT);
        assertThat(consent.getCertificateId()).isEqualTo("leadmkt-form:" + CAMPAIGN + ":lead-f1");
        Lead lead = captured.lead();
        assertThat(lead.getContact().getIpAddress()).as("the address the server saw").isEqualTo("203.0.113.9");
        assertThat(lead.getSourceId()).as("the form's source: no key in the page").isEqualTo("form-src");
        assertThat(lead.getSubId()).isEqualTo("banner-7");
        assertThat(lead.getCampaignId()).isEqualTo(CAMPAIGN);
        assertThat(lead.getCreatedAt()).isEqualTo(AT);
        assertThat(lead.getProfile().getVertical()).isEqualTo("auto_insurance");
        assertThat(lead.getProfile().getAttributes()).containsExactlyInAnyOrderEntriesOf(Map.of("vehicle_year", "2019",
                "vehicle_make", "Toyota", "currently_insured", "true", "drivers", "2"));
        // The same lead passes the checks every lead passes, the campaign's one-to-one rule included.
        assertThat(new LeadNormalizer().normalize(lead, AT).ok()).isTrue();
        assertThat(ConsentCheck.check(lead, AT)).isEmpty();
        assertThat(ConsentRules.check(lead, CaptureFixtures.campaign().build(), AT)).isEmpty();
    }

    @Test
    void shouldNameTheConsentBoxAndRecordNoConsentWhenTheBoxIsUnticked() {
        Captured captured = capture(CaptureFixtures.campaign().build(), CaptureFixtures.answers(), false, PAGE);

        assertThat(captured.lead().getConsent()).as("no evidence of a consent not given").isNull();
        assertThat(fieldsAndCodes(captured)).containsExactly("consent MISSING");
    }

    @Test
    void shouldNameEveryBadAnswerWithTheIntakesCodesWhenAnswersAreWrong() {
        Map<String, String> answers = CaptureFixtures.answers();
        answers.put("contact.phone", "555-01");
        answers.put("contact.email", "ada@");
        answers.put("profile.zip", "7870");
        answers.remove("contact.firstName");
        answers.put("profile.attributes.currently_insured", "maybe");
        answers.put("profile.attributes.vehicle_year", "twenty19");

        Captured captured = capture(CaptureFixtures.campaign().build(), answers, true, PAGE);

        assertThat(fieldsAndCodes(captured)).containsExactlyInAnyOrder("contact.firstName MISSING",
                "profile.attributes.currently_insured FORMAT", "profile.attributes.vehicle_year FORMAT",
                "contact.phone FORMAT", "contact.email FORMAT", "profile.zip FORMAT");
    }

    @Test
    void shouldNameThePageUrlWhenItIsNotThisFormsPage() {
        Captured elsewhere = capture(CaptureFixtures.campaign().build(), CaptureFixtures.answers(), true,
                "https://seller.example/landing");
        Captured none = capture(CaptureFixtures.campaign().build(), CaptureFixtures.answers(), true, null);

        assertThat(fieldsAndCodes(elsewhere)).containsExactly("consent.pageUrl FORMAT");
        assertThat(fieldsAndCodes(none)).containsExactly("consent.pageUrl FORMAT");
    }

    @Test
    void shouldApplyTheCampaignsConsentRulesWhenTheyAskForMoreThanTheFormRecords() {
        CampaignConfig campaign = CaptureFixtures.campaign().setRequiredConsentEvidence(List.of("leadIdToken")).build();

        Captured captured = capture(campaign, CaptureFixtures.answers(), true, PAGE);

        assertThat(captured.errors()).extracting(FieldError::getField).containsExactly("consent.leadIdToken");
    }

    @Test
    void shouldAskOnlyTheContactQuestionsWhenTheVerticalHasNoneOfItsOwn() {
        CampaignConfig campaign = CaptureFixtures.campaign().setVertical("pet_insurance").build();
        Map<String, String> answers = CaptureFixtures.answers();
        answers.keySet().removeIf(field -> field.startsWith(FormQuestions.ATTRIBUTE));

        Captured captured = capture(campaign, answers, true, PAGE);

        assertThat(captured.errors()).isEmpty();
        assertThat(captured.lead().getProfile().getAttributes()).isEmpty();
    }
}
