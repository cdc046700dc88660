package io.leadmkt.streams.capture;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CaptureForm;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import io.leadmkt.streams.comply.ConsentCheck;
import io.leadmkt.streams.comply.ConsentRules;
import io.leadmkt.streams.intake.ErrorCodes;
import io.leadmkt.streams.intake.LeadNormalizer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A capture form's submission made a lead, its consent evidence being what the page showed and
 * what the server saw: the disclosure verbatim, its version and SHA-256, the buyers it named, the
 * time the server took the submission, the page's URL, the browser's user agent and the address
 * the request came from. Then judged as every other lead is: the form's own questions, the intake's
 * rules ({@link LeadNormalizer}), the consent baseline ({@link ConsentCheck}) and the campaign's
 * consent rules ({@link ConsentRules}); every error named by its lead field, so the page shows it
 * beside its input.
 *
 * <p>Pure: the campaign, the submission and the visit in, the lead and its errors out.
 */
public final class ConsentCapture {

    /** How a form's consent was captured ({@code consent.method}). */
    public static final String METHOD = "web_form";
    /** The error field of the consent checkbox. */
    public static final String CONSENT_FIELD = "consent";
    /** The error field of a page URL that is not this form's page. */
    public static final String PAGE_URL_FIELD = "consent.pageUrl";

    /**
     * What the consumer sent: the answers by lead field, whether the consent box was ticked, the
     * page's address as the browser had it, and the sub id the embedding page gave the form (may be null).
     */
    public record Submission(Map<String, String> answers, boolean agreed, String pageUrl, String subId) {
        public Submission {
            answers = Map.copyOf(answers);
        }
    }

    /** Where and when, as the server saw it: its clock at the submission, the client's address and user agent. */
    public record Visit(long at, String ipAddress, String userAgent) {
    }

    /** What the page showed, and what the consumer's browser says it showed: must be the same to record it. */
    public record Shown(String disclosureVersion, String disclosureHash, List<String> namedBuyers) {
        public Shown {
            namedBuyers = List.copyOf(namedBuyers);
        }

        /** What a form shows now. */
        public static Shown of(CaptureForm form) {
            return new Shown(form.getDisclosureVersion(), ConsentRules.disclosureHash(form.getDisclosure()), form.getNamedBuyers());
        }
    }

    /** The lead a submission makes (as intake would receive it, not normalised) and everything wrong with it. */
    public record Captured(Lead lead, List<FieldError> errors) {
        public Captured {
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private ConsentCapture() {
    }

    /**
     * The lead {@code submission} makes on {@code campaign}'s form, with id {@code leadId}; consent
     * evidence only when the box was ticked (else the one error is the checkbox's, {@code consent
     * MISSING}). The campaign must have a form.
     */
    public static Captured capture(String leadId, CampaignConfig campaign, Submission submission, Visit visit) {
        CaptureForm form = campaign.getForm();
        List<FormQuestions.Question> questions = FormQuestions.of(campaign.getVertical());
        Map<String, String> answers = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (FormQuestions.Question question : questions) {
            String answer = blankToNull(submission.answers().get(question.field()));
            answers.put(question.field(), answer);
            if (question.attribute() != null && answer != null) {
                attributes.put(question.attribute(), answer);
            }
        }
        Contact contact = new Contact(answers.get("contact.firstName"), answers.get("contact.lastName"),
                answers.get("contact.email"), answers.get("contact.phone"), answers.get("contact.streetAddress"),
                visit.ipAddress());
        Profile profile = new Profile(campaign.getVertical(), answers.get("profile.state"), answers.get("profile.zip"),
                answers.get("profile.city"), attributes);
        Consent consent = submission.agreed() ? new Consent(METHOD, certificateId(campaign, leadId), visit.at(),
                form.getDisclosure(), submission.pageUrl(), null, null, form.getDisclosureVersion(), visit.userAgent(),
                new ArrayList<>(form.getNamedBuyers()), ConsentRules.disclosureHash(form.getDisclosure())) : null;
        Lead lead = new Lead(leadId, form.getSourceId(), blankToNull(submission.subId()), campaign.getCampaignId(),
                visit.at(), contact, profile, consent, null, null);

        List<FieldError> errors = new ArrayList<>(FormQuestions.check(questions, submission.answers()));
        for (FieldError error : new LeadNormalizer().normalize(lead, visit.at()).errors()) {
            // A required question left empty is already named once.
            if (errors.stream().noneMatch(e -> e.getField().equals(error.getField()))) {
                errors.add(error);
            }
        }
        if (!submission.agreed()) {
            errors.add(new FieldError(CONSENT_FIELD, ErrorCodes.MISSING,
                    "tick the box to agree to be contacted as the text above says"));
            return new Captured(lead, errors);
        }
        if (!onThisForm(submission.pageUrl(), campaign.getCampaignId())) {
            errors.add(new FieldError(PAGE_URL_FIELD, ErrorCodes.FORMAT,
                    "the page address must be this form's: http(s)://<host>/form/" + campaign.getCampaignId()));
        }
        errors.addAll(ConsentCheck.check(lead, visit.at()));
        errors.addAll(ConsentRules.check(lead, campaign, visit.at()));
        return new Captured(lead, errors);
    }

    /**
     * The form's own certificate of the capture: which campaign's form and which lead, so a buyer's
     * question about the consent leads to this lead's record (its evidence, audit and disclosure).
     */
    static String certificateId(CampaignConfig campaign, String leadId) {
        return "leadmkt-form:" + campaign.getCampaignId() + ":" + leadId;
    }

    /**
     * Whether {@code pageUrl} is an http(s) address of this campaign's form page (any host: the
     * app may sit behind a proxy or on another name), so no submission can claim consent was
     * given on some other page.
     */
    static boolean onThisForm(String pageUrl, String campaignId) {
        if (pageUrl == null) {
            return false;
        }
        try {
            URI uri = new URI(pageUrl);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && ("/form/" + campaignId).equals(uri.getPath());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
