package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.CaptureForm;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.SimulatedBuyer;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.comply.ConsentRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * A campaign's capture form in headless Chromium against a running marketplace (real broker,
 * streams app, connector, HTTP buyers), used with the keyboard only: the lead it makes is sold to
 * the one buyer its one-to-one consent names, and the consent evidence that buyer receives is
 * exactly what the page showed (the text, its version and SHA-256, the buyer named), when (within
 * the test's window) and where (the page's address, the browser's user agent, the address the
 * server saw). An unticked consent box is refused, named on the page; an unknown campaign is a 404 page.
 */
class FormBrowserTest {
    private static final String DISCLOSURE = "By ticking the box below you agree that Acme Insurance may call and text "
            + "you at the number you gave, also with automated technology, about insurance quotes.\n\n"
            + "Consent is not a condition of purchase. Reply STOP to opt out.";
    private static final String VERSION = "2026-11-c";
    private static final CampaignConfig CAMPAIGN = CampaignConfig.newBuilder(
                    RealMarket.campaign("camp-form", "seller-form", 500, 5_000))
            .setOneToOneConsent(true)
            .setRequiredConsentEvidence(List.of("disclosure", "disclosureVersion", "capturedAt", "ipAddress",
                    "userAgent", "pageUrl"))
            .setForm(new CaptureForm("form-web", DISCLOSURE, VERSION, List.of("Acme Insurance"), null))
            .build();
    /** The form's questions, in page order, with what a person types: text, or the label of a choice. */
    private static final List<Map.Entry<String, String>> ANSWERS = List.of(
            Map.entry("contact.firstName", "Grace"), Map.entry("contact.lastName", "Hopper"),
            Map.entry("contact.email", "grace@example.com"), Map.entry("contact.phone", "(512) 555-0199"),
            Map.entry("contact.streetAddress", "1 Navy Way"), Map.entry("profile.city", "Austin"),
            Map.entry("profile.state", "Texas"), Map.entry("profile.zip", "78701"),
            Map.entry("profile.attributes.vehicle_year", "2021"), Map.entry("profile.attributes.vehicle_make", "Ford"),
            Map.entry("profile.attributes.currently_insured", "Yes"), Map.entry("profile.attributes.drivers", "2"));

    private static ChromeDriver chrome;
    private static RealMarket market;
    private static LeadMarketApp app;

    @BeforeAll
    static void start() throws Exception {
        chrome = HeadlessChromium.start(1000, 2000);
        market = RealMarket.start(List.of(BuyerSpec.of("acme", BuyerBehaviour.alwaysBids(2_000)),
                        BuyerSpec.of("globex", BuyerBehaviour.alwaysBids(3_000))),
                List.of(CAMPAIGN), buyer -> buyer.setName(buyer.getBuyerId().equals("acme") ? "Acme Insurance" : "Globex"));
        app = LeadMarketApp.start(market.appConfig("form"));
    }

    @AfterAll
    static void stop() {
        HeadlessChromium.quit(chrome);
        closeAll(app, market);
    }

    @Test
    void shouldSellALeadCarryingExactlyTheConsentShownWhenTheFormIsFilledInWithTheKeyboard() throws Exception {
        String pageUrl = url("/form/camp-form?subId=web-1");
        chrome.get(pageUrl);
        // What the page shows: the text verbatim, its version, the one buyer named.
        assertThat(chrome.findElement(By.id("disclosure")).getDomProperty("textContent")).isEqualTo(DISCLOSURE);
        assertThat(chrome.findElement(By.id("disclosure-version")).getText()).isEqualTo(VERSION);
        assertThat(chrome.findElements(By.cssSelector("#named-buyers [data-buyer]"))).extracting(WebElement::getText)
                .containsExactly("Acme Insurance");
        assertThat(chrome.findElement(By.id("consent")).isSelected()).as("the box starts unticked").isFalse();
        String userAgent = (String) chrome.executeScript("return navigator.userAgent");

        long before = System.currentTimeMillis();
        answerEveryQuestion();
        tab("consent").sendKeys(Keys.SPACE);
        assertThat(chrome.findElement(By.id("consent")).isSelected()).isTrue();
        HeadlessChromium.screenshot(chrome, "form");
        tab("submit").sendKeys(Keys.ENTER);
        awaitState("accepted");
        long after = System.currentTimeMillis();

        String leadId = chrome.findElement(By.id("thanks")).getDomAttribute("data-lead-id");
        assertThat(chrome.switchTo().activeElement().getDomAttribute("id")).as("focus moves to the confirmation")
                .isEqualTo("thanks");
        market.awaitEveryLeadEnded(List.of(leadId));
        assertThat(market.tracker().outcomes().get(leadId).getStatus()).isEqualTo(OutcomeStatus.SOLD);
        assertThat(market.tracker().outcomes().get(leadId).getBuyerId()).isEqualTo("acme");
        SimulatedBuyer globex = market.farm().byId().get("globex");
        assertThat(RealMarket.leadIdsOf(globex.pings(), Set.of(leadId))).as("a buyer the consent does not name").isEmpty();

        Map<String, Object> lead = postedLead(market.farm().byId().get("acme"), leadId);
        Map<?, ?> consent = (Map<?, ?>) lead.get("consent");
        assertThat(consent.get("disclosure")).isEqualTo(DISCLOSURE);
        assertThat(consent.get("disclosureVersion")).isEqualTo(VERSION);
        assertThat(consent.get("disclosureHash")).isEqualTo(ConsentRules.disclosureHash(DISCLOSURE))
                .isEqualTo(chrome.findElement(By.id("capture")).getDomAttribute("data-disclosure-hash"));
        assertThat(consent.get("namedBuyers")).isEqualTo(List.of("Acme Insurance"));
        assertThat(((Number) consent.get("capturedAt")).longValue()).isBetween(before, after);
        assertThat(consent.get("pageUrl")).isEqualTo(pageUrl);
        assertThat(consent.get("userAgent")).isEqualTo(userAgent);
        assertThat(consent.get("ipAddress")).as("as the server saw it").isEqualTo("127.0.0.1");
        assertThat(consent.get("method")).isEqualTo("web_form");
        assertThat(lead.get("sourceId")).isEqualTo("form-web");
        assertThat(lead.get("subId")).isEqualTo("web-1");
        assertThat(lead.get("firstName")).isEqualTo("Grace");
        assertThat(lead.get("phone")).isEqualTo("+15125550199");
        assertThat(lead.get("attributes")).isEqualTo(Map.of("vehicle_year", "2021", "vehicle_make", "Ford",
                "currently_insured", "true", "drivers", "2"));
    }

    @Test
    void shouldNameTheConsentBoxOnThePageAndTakeNoLeadWhenItIsLeftUnticked() throws Exception {
        chrome.get(url("/form/camp-form"));

        answerEveryQuestion();
        tab("consent");
        tab("submit").sendKeys(Keys.ENTER);
        awaitState("refused");

        WebElement box = chrome.findElement(By.id("consent"));
        assertThat(box.getDomAttribute("aria-invalid")).isEqualTo("true");
        WebElement error = chrome.findElement(By.cssSelector("#consent-error [data-field]"));
        assertThat(error.getDomAttribute("data-field")).isEqualTo("consent");
        assertThat(error.getDomAttribute("data-code")).isEqualTo("MISSING");
        assertThat(error.getText()).contains("tick the box");
        WebElement alert = chrome.findElement(By.id("form-status"));
        assertThat(alert.getDomAttribute("role")).isEqualTo("alert");
        assertThat(alert.getText()).contains("One answer needs your attention", "tick the box");
        assertThat(chrome.switchTo().activeElement().getDomAttribute("id")).as("focus on the announced summary")
                .isEqualTo("form-status");
        assertThat(chrome.findElement(By.id("thanks")).isDisplayed()).isFalse();
        HeadlessChromium.screenshot(chrome, "form-refused");
    }

    @Test
    void shouldAnswerANotFoundPageWhenTheCampaignIsUnknown() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url("/form/camp-nowhere"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);

        chrome.get(url("/form/camp-nowhere"));
        assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("Form not found");
        assertThat(chrome.findElements(By.id("capture"))).isEmpty();
    }

    // ---- helpers ----

    private static String url(String path) {
        return "http://127.0.0.1:" + app.httpPort() + path;
    }

    /** From the top of the page, Tab to each question in turn and type its answer, as a keyboard user would. */
    private static void answerEveryQuestion() {
        ANSWERS.forEach(answer -> tab(answer.getKey()).sendKeys(answer.getValue()));
    }

    /** Presses Tab once; the element that then has focus must be {@code expected} (its name, else its id). */
    private static WebElement tab(String expected) {
        new Actions(chrome).sendKeys(Keys.TAB).perform();
        WebElement focused = chrome.switchTo().activeElement();
        String name = focused.getDomAttribute("name");
        assertThat(name != null ? name : focused.getDomAttribute("id")).as("focus after Tab").isEqualTo(expected);
        return focused;
    }

    private static void awaitState(String state) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(chrome.executeScript("return document.body.dataset.state")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> postedLead(SimulatedBuyer buyer, String leadId) {
        return (Map<String, Object>) buyer.posts().stream().filter(post -> leadId.equals(post.get("leadId")))
                .findFirst().orElseThrow().get("lead");
    }
}
