package io.leadmkt.streams.capture;

import io.leadmkt.schema.FieldError;
import io.leadmkt.streams.intake.ErrorCodes;
import io.leadmkt.streams.intake.UsStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a capture form asks: the consumer's contact details and the qualifying questions of the
 * campaign's vertical (the attributes its buyers filter and score on). Each question is named by
 * the lead field it fills ({@code contact.phone}, {@code profile.attributes.vehicle_year}), so an
 * intake error about that field lands beside its input.
 *
 * <p>What intake cannot know is checked here: that the form's required questions are answered, a
 * choice is one of its options, a number is a number. Everything else (phone, email, state, zip)
 * is the intake's own rule, run on the lead the form builds.
 */
public final class FormQuestions {

    /** The prefix of a question that fills a profile attribute. */
    public static final String ATTRIBUTE = "profile.attributes.";

    /** How a question is asked. */
    public enum Kind { TEXT, EMAIL, TEL, NUMBER, CHOICE }

    /** A choice's stored value and what the consumer reads. */
    public record Option(String value, String label) {
    }

    /**
     * One question: the lead field it fills, its label, whether the form needs it, the browser's
     * autofill token ({@code autocomplete}) and, for a choice, its options.
     */
    public record Question(String field, String label, Kind kind, boolean required, String autocomplete,
                           List<Option> options) {
        public Question {
            options = List.copyOf(options);
        }

        /** The attribute key it fills, or null for a contact or profile field. */
        public String attribute() {
            return field.startsWith(ATTRIBUTE) ? field.substring(ATTRIBUTE.length()) : null;
        }
    }

    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,9}");
    private static final List<Option> YES_NO = List.of(new Option("true", "Yes"), new Option("false", "No"));

    private static final List<Question> CONTACT = List.of(
            text("contact.firstName", "First name", true, "given-name"),
            text("contact.lastName", "Last name", true, "family-name"),
            new Question("contact.email", "Email", Kind.EMAIL, true, "email", List.of()),
            new Question("contact.phone", "Phone", Kind.TEL, true, "tel-national", List.of()),
            text("contact.streetAddress", "Street address", false, "street-address"),
            text("profile.city", "City", false, "address-level2"),
            new Question("profile.state", "State", Kind.CHOICE, true, "address-level1", states()),
            text("profile.zip", "ZIP code", true, "postal-code"));

    private static final Map<String, List<Question>> VERTICALS = Map.of(
            "auto_insurance", List.of(
                    number("vehicle_year", "Vehicle year", true),
                    attributeText("vehicle_make", "Vehicle make", true),
                    choice("currently_insured", "Currently insured", true, YES_NO),
                    choice("drivers", "Drivers in the household", false, numbered(1, 6))),
            "solar", List.of(
                    choice("homeowner", "Do you own your home?", true, YES_NO),
                    number("monthly_electric_bill", "Average monthly electric bill (USD)", true),
                    choice("roof_shade", "Roof shade", false, List.of(new Option("none", "None"),
                            new Option("partial", "Partial"), new Option("heavy", "Heavy")))),
            "home_services", List.of(
                    choice("service", "Service needed", true, List.of(new Option("roofing", "Roofing"),
                            new Option("plumbing", "Plumbing"), new Option("hvac", "Heating and cooling"),
                            new Option("windows", "Windows"))),
                    choice("homeowner", "Do you own your home?", true, YES_NO),
                    choice("timeframe", "When do you need it?", false, List.of(
                            new Option("immediately", "Immediately"), new Option("1-3 months", "In 1 to 3 months"),
                            new Option("researching", "Just researching")))));

    private FormQuestions() {
    }

    /** The contact questions, then the vertical's own (none for a vertical without any). */
    public static List<Question> of(String vertical) {
        List<Question> all = new ArrayList<>(CONTACT);
        all.addAll(VERTICALS.getOrDefault(vertical, List.of()));
        return all;
    }

    /**
     * What the form itself refuses in {@code answers} (blank as absent): a required question left
     * empty ({@code MISSING}), a choice not among its options or a number that is not one
     * ({@code FORMAT}). A question not asked is no error: the page sends only what it asked.
     */
    public static List<FieldError> check(List<Question> questions, Map<String, String> answers) {
        List<FieldError> errors = new ArrayList<>();
        for (Question question : questions) {
            String answer = answers.get(question.field());
            if (answer == null || answer.isBlank()) {
                if (question.required()) {
                    errors.add(new FieldError(question.field(), ErrorCodes.MISSING, question.label() + " is required"));
                }
            } else if (question.kind() == Kind.CHOICE
                    && question.options().stream().noneMatch(o -> o.value().equals(answer.strip()))) {
                errors.add(new FieldError(question.field(), ErrorCodes.FORMAT, question.label() + ": choose one of the options"));
            } else if (question.kind() == Kind.NUMBER && !WHOLE_NUMBER.matcher(answer.strip()).matches()) {
                errors.add(new FieldError(question.field(), ErrorCodes.FORMAT, question.label() + " must be a whole number"));
            }
        }
        return errors;
    }

    private static Question text(String field, String label, boolean required, String autocomplete) {
        return new Question(field, label, Kind.TEXT, required, autocomplete, List.of());
    }

    private static Question attributeText(String key, String label, boolean required) {
        return new Question(ATTRIBUTE + key, label, Kind.TEXT, required, "off", List.of());
    }

    private static Question number(String key, String label, boolean required) {
        return new Question(ATTRIBUTE + key, label, Kind.NUMBER, required, "off", List.of());
    }

    private static Question choice(String key, String label, boolean required, List<Option> options) {
        return new Question(ATTRIBUTE + key, label, Kind.CHOICE, required, "off", options);
    }

    private static List<Option> numbered(int from, int to) {
        List<Option> options = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            options.add(new Option(Integer.toString(i), Integer.toString(i)));
        }
        return options;
    }

    /** By name, as a consumer looks for theirs; stored as the USPS code. */
    private static List<Option> states() {
        return UsStates.names().entrySet().stream().map(e -> new Option(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparing(Option::label)).toList();
    }
}
