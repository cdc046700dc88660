package io.leadmkt.streams.capture;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CaptureForm;
import io.leadmkt.streams.capture.FormQuestions.Question;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The capture form's HTML, from the templates in {@code leadmkt/form/} (one page around the form or a notice): every value that comes from a
 * campaign document or a request is HTML-escaped where it is put, so no document and no link can
 * add markup or script to the page. The disclosure is shown verbatim (its line breaks kept), with
 * its version; the named buyers as a list; the consent checkbox unticked.
 */
public final class FormPage {
    static final String DIR = "leadmkt/form/";
    /** The honeypot: a field no person sees or reaches by keyboard, so only a bot fills it in. */
    public static final String HONEYPOT = "website";

    private static final Pattern SLOT = Pattern.compile("\\$\\{([a-zA-Z]+)}");
    private static final String PAGE = read(DIR + "page.html");
    private static final String FORM = read(DIR + "form.html");
    private static final String NOTICE = read(DIR + "notice.html");
    private static final String SCRIPT = "<script src=\"/form/assets/form.js\"></script>\n";

    private FormPage() {
    }

    /** The form of {@code campaign} (which has one), for a page opened with {@code subId} (may be null). */
    public static String render(CampaignConfig campaign, String subId) {
        CaptureForm form = campaign.getForm();
        ConsentCapture.Shown shown = ConsentCapture.Shown.of(form);
        String title = form.getTitle() != null ? form.getTitle() : defaultTitle(campaign.getVertical());
        String content = fill(FORM, Map.of(
                "heading", escape(title),
                "campaignId", escape(campaign.getCampaignId()),
                "subId", escape(subId == null ? "" : subId),
                "questions", questions(FormQuestions.of(campaign.getVertical())),
                "disclosure", escape(form.getDisclosure()),
                "disclosureVersion", escape(shown.disclosureVersion()),
                "disclosureHash", escape(shown.disclosureHash()),
                "namedBuyers", namedBuyers(shown.namedBuyers()),
                "honeypot", HONEYPOT));
        return fill(PAGE, Map.of("title", escape(title), "content", content, "script", SCRIPT));
    }

    /** A page saying why there is no form here (404: no such form; 503: try again shortly). */
    public static String notice(String title, String message) {
        String content = fill(NOTICE, Map.of("title", escape(title), "message", escape(message)));
        return fill(PAGE, Map.of("title", escape(title), "content", content, "script", ""));
    }

    /** Text made safe inside HTML elements and quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String defaultTitle(String vertical) {
        return "Get your " + vertical.replace('_', ' ').toLowerCase(Locale.ROOT) + " quotes";
    }

    /**
     * One labelled input or select per question: the label tied to it ({@code for}), required ones
     * marked in words and for assistive technology, an error slot it is described by.
     */
    private static String questions(List<Question> questions) {
        StringBuilder html = new StringBuilder();
        int n = 0;
        for (Question question : questions) {
            String id = "q" + n++;
            String field = escape(question.field());
            html.append("<div class=\"question\">\n  <label for=\"").append(id).append("\">")
                    .append(escape(question.label()))
                    .append(question.required() ? " <span class=\"required\">(required)</span>" : "")
                    .append("</label>\n  ");
            String common = " id=\"" + id + "\" name=\"" + field + "\" data-field=\"" + field + "\" autocomplete=\""
                    + escape(question.autocomplete()) + "\" aria-describedby=\"" + id + "-error\""
                    + (question.required() ? " aria-required=\"true\"" : "");
            if (question.kind() == FormQuestions.Kind.CHOICE) {
                html.append("<select").append(common).append(">\n    <option value=\"\">Choose…</option>\n");
                for (FormQuestions.Option option : question.options()) {
                    html.append("    <option value=\"").append(escape(option.value())).append("\">")
                            .append(escape(option.label())).append("</option>\n");
                }
                html.append("  </select>");
            } else {
                html.append("<input").append(common).append(" type=\"").append(inputType(question.kind())).append('"')
                        .append(question.kind() == FormQuestions.Kind.NUMBER ? " inputmode=\"numeric\"" : "")
                        .append(">");
            }
            html.append("\n  <p class=\"error\" id=\"").append(id).append("-error\"></p>\n</div>\n");
        }
        return html.toString();
    }

    private static String inputType(FormQuestions.Kind kind) {
        return switch (kind) {
            case EMAIL -> "email";
            case TEL -> "tel";
            default -> "text"; // numbers too: the intake reads text, and a number input eats what it cannot parse
        };
    }

    private static String namedBuyers(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<div id=\"named-buyers\">\n<p>You agree to be contacted by these companies:</p>\n<ul>\n");
        names.forEach(name -> html.append("  <li data-buyer>").append(escape(name)).append("</li>\n"));
        return html.append("</ul>\n</div>").toString();
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher slot = SLOT.matcher(template);
        StringBuilder out = new StringBuilder(template.length() * 2);
        while (slot.find()) {
            String value = values.get(slot.group(1));
            if (value == null) {
                throw new IllegalStateException("template slot ${" + slot.group(1) + "} has no value");
            }
            slot.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        slot.appendTail(out);
        return out.toString();
    }

    static String read(String path) {
        try (InputStream in = FormPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath: the capture form cannot be served");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
