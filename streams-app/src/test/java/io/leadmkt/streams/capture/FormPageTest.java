package io.leadmkt.streams.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.streams.comply.ConsentRules;
import io.leadmkt.schema.CaptureForm;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormPageTest {

    @Test
    void shouldShowTheDisclosureVerbatimItsVersionHashAndBuyersEscapedWhenRendered() {
        CampaignConfig campaign = CaptureFixtures.campaign().setForm(new CaptureForm("form-src",
                "I agree <script>alert(1)</script> & \"more\"", "v1'\"><img src=x>", List.of("Acme <b>Insurance</b>"),
                "Quotes <i>now</i>")).build();

        String html = FormPage.render(campaign, "\"><script>x()</script>");

        assertThat(html).doesNotContain("<script>alert", "<img src=x>", "<b>Insurance", "<i>now", "<script>x()");
        assertThat(html).contains("<div id=\"disclosure\" class=\"disclosure\">I agree &lt;script&gt;alert(1)&lt;/script&gt;"
                + " &amp; &quot;more&quot;</div>");
        assertThat(html).contains("<span id=\"disclosure-version\">v1&#39;&quot;&gt;&lt;img src=x&gt;</span>");
        assertThat(html).contains("data-disclosure-hash=\""
                + ConsentRules.disclosureHash("I agree <script>alert(1)</script> & \"more\"") + "\"");
        assertThat(html).contains("<li data-buyer>Acme &lt;b&gt;Insurance&lt;/b&gt;</li>");
        assertThat(html).contains("<h1 id=\"form-title\">Quotes &lt;i&gt;now&lt;/i&gt;</h1>");
    }

    @Test
    void shouldTieEveryLabelToItsInputAndLeaveTheConsentBoxUntickedWhenRendered() {
        String html = FormPage.render(CaptureFixtures.campaign().build(), null);

        for (FormQuestions.Question question : FormQuestions.of("auto_insurance")) {
            assertThat(html).contains("name=\"" + question.field() + "\"");
        }
        int inputs = html.split("<(input|select) id=\"q", -1).length - 1;
        int labels = html.split("<label for=\"q", -1).length - 1;
        assertThat(inputs).isEqualTo(FormQuestions.of("auto_insurance").size()).isEqualTo(labels);
        assertThat(html).contains("<input id=\"consent\" name=\"consent\" type=\"checkbox\"").contains("<label for=\"consent\">");
        assertThat(html).doesNotContain("checked");
        assertThat(html).contains("<h1 id=\"form-title\">Get your auto insurance quotes</h1>");
    }
}
