package io.leadmkt.connector.post;

import static io.leadmkt.connector.FakeBuyers.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.FakeBuyers;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.adapter.BuyerAdapters;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.ping.PingDispatcher;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.PostStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The winning buyer holds its own proof of consent: the post it receives over real HTTP carries
 * the seller's evidence (built-in body and template fields alike), and no ping ever does, the
 * consumer's IP and browser being PII.
 */
class ConsentEvidenceDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeBuyers buyers = new FakeBuyers();
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(8);
    private final BuyerDirectory directory = new BuyerDirectory();
    private final BuyerAdapters adapters = BuyerAdapters.json();
    private final PingDispatcher pings = new PingDispatcher(directory, adapters, http, 1_000_00L, Clock.systemUTC());
    private final PostDispatcher posts = new PostDispatcher(directory, adapters, http, Clock.systemUTC());

    @AfterEach
    void tearDown() {
        http.close();
        buyers.close();
    }

    /** Pings, then posts to, a buyer answering {@code pingAnswer} and {@code postAnswer}; returns the two bodies. */
    private String[] pingThenPost(BuyerConfig buyer, MockResponse pingAnswer, MockResponse postAnswer) throws Exception {
        String id = buyer.getBuyerId();
        BuyerConfig registered = BuyerConfig.newBuilder(buyer)
                .setPingUrl(buyers.answer("/" + id + "/ping", pingAnswer))
                .setPostUrl(buyers.answer("/" + id + "/post", postAnswer)).build();
        directory.apply(id, registered);
        long deadline = System.currentTimeMillis() + 5_000;

        assertThat(pings.dispatch(Fixtures.ping("L-9", deadline, id)).get(10, TimeUnit.SECONDS))
                .singleElement().satisfies(bid -> assertThat(bid.getStatus()).isEqualTo(BidStatus.BID));
        assertThat(posts.dispatch(Fixtures.post("L-9", id, 1, deadline)).get(10, TimeUnit.SECONDS).getStatus())
                .isEqualTo(PostStatus.ACCEPTED);
        return new String[] {buyers.requestsTo("/" + id + "/ping").get(0).getBody().utf8(),
                buyers.requestsTo("/" + id + "/post").get(0).getBody().utf8()};
    }

    @Test
    void shouldPostTheConsentEvidenceButNeverPingItWhenTheBuyerSpeaksTheBuiltInProtocol() throws Exception {
        String[] sent = pingThenPost(Fixtures.buyer("winner", "http://unused"),
                json("{\"bid\":true,\"price\":\"12.50\",\"token\":\"t\"}"), json("{\"accepted\":true}"));

        assertThat(sent[0]).as("ping").doesNotContain(Fixtures.EVIDENCE_VALUES).doesNotContain("consent");
        JsonNode consent = JSON.readTree(sent[1]).get("lead").get("consent");
        assertThat(consent.get("trustedFormCertUrl").asText()).isEqualTo(Fixtures.TRUSTED_FORM_CERT_URL);
        assertThat(consent.get("leadIdToken").asText()).isEqualTo(Fixtures.LEAD_ID_TOKEN);
        assertThat(consent.get("disclosure").asText()).isEqualTo("I agree v7");
        assertThat(consent.get("disclosureVersion").asText()).isEqualTo("v7");
        assertThat(consent.get("capturedAt").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(consent.get("ipAddress").asText()).isEqualTo("203.0.113.7");
        assertThat(consent.get("userAgent").asText()).isEqualTo("Mozilla/5.0 (Fixture)");
        assertThat(consent.get("pageUrl").asText()).isEqualTo("https://quotes.example.com/form");
        assertThat(consent.get("namedBuyers")).extracting(JsonNode::asText).containsExactly("Buyer Named", "winner");
    }

    @Test
    void shouldFillTheConsentTemplateFieldsInThePostButNotThePingWhenTheBuyerHasItsOwnFormat() throws Exception {
        String[] sent = pingThenPost(Fixtures.buyer("own", "http://unused", "consent-evidence.json"),
                json("{\"Success\":\"true\",\"Payout\":\"9.00\",\"TransactionId\":\"x\"}"),
                json("{\"Success\":\"true\",\"LeadId\":\"B-7\"}"));

        assertThat(sent[0]).as("ping").doesNotContain(Fixtures.EVIDENCE_VALUES);
        Map<String, String> form = Arrays.stream(sent[1].split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        assertThat(form).containsEntry("xxTrustedFormCertUrl", Fixtures.TRUSTED_FORM_CERT_URL)
                .containsEntry("universal_leadid", Fixtures.LEAD_ID_TOKEN)
                .containsEntry("tcpa_text", "I agree v7")
                .containsEntry("tcpa_version", "v7")
                .containsEntry("consented_at", "1700000000000")
                .containsEntry("ip", "203.0.113.7")
                .containsEntry("user_agent", "Mozilla/5.0 (Fixture)")
                .containsEntry("sellers_to", "Buyer Named, winner");
    }
}
