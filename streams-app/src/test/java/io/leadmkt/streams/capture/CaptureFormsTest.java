package io.leadmkt.streams.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.streams.comply.ConsentRules;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.access.TestKeys;
import io.leadmkt.streams.api.LeadApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The form routes on a real HTTP server on loopback, API keys required elsewhere, a recording intake. */
class CaptureFormsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_MINUTE = 3;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Lead> submitted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CampaignConfig> campaigns = Map.of(CaptureFixtures.CAMPAIGN, CaptureFixtures.campaign().build(),
            "camp-plain", CaptureFixtures.campaign().setCampaignId("camp-plain").setForm(null).build());
    private LeadApi api;

    @BeforeEach
    void start() {
        api = new LeadApi(0, TestKeys.access(), lead -> {
            submitted.add(lead);
            return CompletableFuture.completedFuture(null);
        }, id -> Optional.empty(), Map::of).withForms(new CaptureForms(id -> Optional.ofNullable(campaigns.get(id)),
                new FormRateLimit(PER_MINUTE), Optional.of("X-Forwarded-For"))).start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + api.port() + path;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(JsonNode body, String clientAddress) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("/form/" + CaptureFixtures.CAMPAIGN)))
                .header("Content-Type", "application/json").header("User-Agent", "FormTest/1.0")
                .header("X-Forwarded-For", clientAddress + ", 10.0.0.1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the page's script sends for a consumer who answered everything and ticked the box. */
    private ObjectNode submission() {
        ObjectNode body = JSON.createObjectNode();
        body.set("answers", JSON.valueToTree(CaptureFixtures.answers()));
        body.put("agreed", true);
        ObjectNode shown = body.putObject("shown");
        shown.put("disclosureVersion", CaptureFixtures.VERSION);
        shown.put("disclosureHash", ConsentRules.disclosureHash(CaptureFixtures.DISCLOSURE));
        CaptureFixtures.BUYERS.forEach(shown.putArray("namedBuyers")::add);
        body.put("pageUrl", url("/form/" + CaptureFixtures.CAMPAIGN));
        body.put("subId", "");
        body.put("website", "");
        return body;
    }

    @Test
    void shouldServeTheFormWithoutAKeyWhenTheCampaignHasOne() throws Exception {
        HttpResponse<String> page = get("/form/" + CaptureFixtures.CAMPAIGN);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("Consent text version <span id=\"disclosure-version\">2026-11-b</span>");
        assertThat(get("/form/assets/form.js").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerA404PageWhenTheCampaignIsUnknownOrHasNoForm() throws Exception {
        for (String path : List.of("/form/camp-nowhere", "/form/camp-plain")) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.body()).as(path).contains("<h1>Form not found</h1>");
        }
    }

    @Test
    void shouldSubmitTheLeadWithItsEvidenceThroughTheIntakeWhenTheSubmissionIsGood() throws Exception {
        HttpResponse<String> response = post(submission(), "198.51.100.7");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = JSON.readTree(response.body()).path("leadId").asText();
        assertThat(submitted).singleElement().satisfies(lead -> {
            assertThat(lead.getLeadId()).isEqualTo(leadId);
            assertThat(lead.getSourceId()).isEqualTo("form-src");
            assertThat(lead.getContact().getIpAddress()).as("the proxy's left-most address").isEqualTo("198.51.100.7");
            assertThat(lead.getConsent().getUserAgent()).isEqualTo("FormTest/1.0");
            assertThat(lead.getConsent().getDisclosureHash()).isEqualTo(ConsentRules.disclosureHash(CaptureFixtures.DISCLOSURE));
        });
    }

    @Test
    void shouldNameEachFieldAndSubmitNothingWhenTheBoxIsUntickedAndThePhoneIsWrong() throws Exception {
        ObjectNode body = submission().put("agreed", false);
        ((ObjectNode) body.get("answers")).put("contact.phone", "12");

        HttpResponse<String> response = post(body, "198.51.100.8");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.path("error").asText()).isEqualTo("invalid_lead");
        List<String> named = new ArrayList<>();
        json.path("errors").forEach(e -> named.add(e.path("field").asText() + " " + e.path("code").asText()));
        assertThat(named).containsExactlyInAnyOrder("contact.phone FORMAT", "consent MISSING");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldRefuseWithoutSubmittingWhenTheHoneypotIsFilledIn() throws Exception {
        HttpResponse<String> response = post(submission().put("website", "http://spam.example"), "198.51.100.9");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("not_accepted");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldRefuseWhenThePageShowedOtherConsentTextThanTheCampaignHasNow() throws Exception {
        ObjectNode body = submission();
        ((ObjectNode) body.get("shown")).put("disclosureVersion", "2026-10");

        HttpResponse<String> response = post(body, "198.51.100.10");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("disclosure_changed");
        assertThat(submitted).isEmpty();
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenOneAddressSubmitsTooOften() throws Exception {
        for (int i = 0; i < PER_MINUTE; i++) {
            assertThat(post(submission(), "192.0.2.1").statusCode()).isEqualTo(202);
        }

        HttpResponse<String> refused = post(submission(), "192.0.2.1");
        HttpResponse<String> other = post(submission(), "192.0.2.2");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(s ->
                assertThat(Long.parseLong(s)).isBetween(1L, 60L));
        assertThat(other.statusCode()).as("another address has its own limit").isEqualTo(202);
        assertThat(submitted).hasSize(PER_MINUTE + 1);
    }

    @Test
    void shouldNameTheFieldWhenTheSubmissionIsNotShapedLikeTheForms() throws Exception {
        ObjectNode body = submission().put("agreed", "yes");
        body.put("extra", 1);

        HttpResponse<String> response = post(body, "198.51.100.11");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.path("error").asText()).isEqualTo("invalid_submission");
        assertThat(json.path("errors").toString()).contains("agreed: must be true or false", "extra: not a field");
    }
}
