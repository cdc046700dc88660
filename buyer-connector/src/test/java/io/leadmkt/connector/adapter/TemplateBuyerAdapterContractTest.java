package io.leadmkt.connector.adapter;

import static io.leadmkt.connector.FakeBuyers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.FakeBuyers;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.http.BuyerHttpExecutor;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.connector.integration.RequestAuth;
import io.leadmkt.connector.ping.PingDispatcher;
import io.leadmkt.connector.post.PostDispatcher;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Buyers that speak their own API, configured by the documents in {@code integrations/}, against
 * real loopback servers imitating documented industry formats.
 */
class TemplateBuyerAdapterContractTest {

    private static final long MAX_PRICE_CENTS = 1_000_00L;

    private final FakeBuyers buyers = new FakeBuyers();
    private final BuyerHttpExecutor http = new BuyerHttpExecutor(32);
    private final BuyerDirectory directory = new BuyerDirectory();
    private final BuyerAdapters adapters = BuyerAdapters.json();
    private final PingDispatcher pings = new PingDispatcher(directory, adapters, http, MAX_PRICE_CENTS,
            Clock.systemUTC());
    private final PostDispatcher posts = new PostDispatcher(directory, adapters, http, Clock.systemUTC());

    @AfterEach
    void tearDown() {
        http.close();
        buyers.close();
    }

    /** A buyer described by {@code document}, pinged at {@code /<id>/ping} and posted at {@code /<id>/post}. */
    private BuyerConfig register(String buyerId, String document, MockResponse pingAnswer, MockResponse postAnswer) {
        BuyerConfig buyer = BuyerConfig.newBuilder(
                        Fixtures.buyer(buyerId, buyers.answer("/" + buyerId + "/ping", pingAnswer), document))
                .setPostUrl(buyers.answer("/" + buyerId + "/post", postAnswer))
                .build();
        directory.apply(buyerId, buyer);
        return buyer;
    }

    private BuyerConfig register(String buyerId, String document, MockResponse pingAnswer) {
        return register(buyerId, document, pingAnswer, FakeBuyers.status(404));
    }

    private Bid ping(String buyerId) throws Exception {
        Ping ping = Fixtures.ping("L-1", System.currentTimeMillis() + 5000, buyerId);
        return pings.dispatch(ping).get(10, TimeUnit.SECONDS).get(0);
    }

    private PostResult post(String buyerId, String pingToken) throws Exception {
        Post post = Post.newBuilder(Fixtures.post("L-1", buyerId, 1, System.currentTimeMillis() + 5000))
                .setPingToken(pingToken).build();
        return posts.dispatch(post).get(10, TimeUnit.SECONDS);
    }

    private RecordedRequest received(String path) {
        assertThat(buyers.requestsTo(path)).hasSize(1);
        return buyers.requestsTo(path).get(0);
    }

    private static MockResponse xml(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/xml").body(body).build();
    }

    private static MockResponse text(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain").body(body).build();
    }

    // px.com-style JSON exchange

    @Test
    void shouldBidAndEchoTheTokenOnThePostWhenPxStyleBuyerMatches() throws Exception {
        register("px", "px.json", json("{\"TransactionId\":\"abc\",\"Success\":true,\"Payout\":12.5}"),
                json("{\"Success\":true,\"LeadId\":\"px-77\"}"));

        Bid bid = ping("px");
        PostResult result = post("px", bid.getPingToken());

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isEqualTo(1250L);
        assertThat(bid.getPingToken()).isEqualTo("abc");
        RecordedRequest ping = received("/px/ping");
        assertThat(new ObjectMapper().readTree(ping.getBody().utf8())).isEqualTo(new ObjectMapper().readTree(
                "{\"Key\":\"px-campaign-key\",\"Lead\":{\"State\":\"TX\",\"Zip\":\"75001\",\"Homeowner\":\"Y\",\"Score\":72},"
                        + "\"MinPrice\":5.00}"));
        assertThat(ping.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(ping.getHeaders().get("X-Source")).isEqualTo("leadmkt");
        assertThat(ping.getHeaders().get("X-Api-Key")).isEqualTo("px-secret-key");

        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        assertThat(result.getBuyerLeadId()).isEqualTo("px-77");
        RecordedRequest post = received("/px/post");
        assertThat(new ObjectMapper().readTree(post.getBody().utf8()).get("TransactionId").asText()).isEqualTo("abc");
        assertThat(post.getBody().utf8()).contains("\"Email\":\"jane.doe@example.com\"", "\"TrustedForm\":\"cert-123\"");
        assertThat(post.getHeaders().get("Idempotency-Key")).isEqualTo("L-1:px:1");
    }

    @Test
    void shouldRejectWithTheBuyersMessageWhenPxStylePostIsADuplicate() throws Exception {
        register("px", "px.json", json("{}"), json("{\"Success\":false,\"Message\":\"Duplicate\"}"));

        PostResult result = post("px", "abc");

        assertThat(result.getStatus()).isEqualTo(PostStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo("Duplicate");
    }

    @Test
    void shouldPassWithTheBuyersMessageWhenPxStylePingIsNotASuccess() throws Exception {
        register("px", "px.json", json("{\"Success\":false,\"Message\":\"No coverage in TX\"}"));

        Bid bid = ping("px");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.PASS);
        assertThat(bid.getReason()).isEqualTo("No coverage in TX");
    }

    // boberdoo-style XML

    @Test
    void shouldSendXmlAndBidWhenBoberdooStyleBuyerMatches() throws Exception {
        register("bob", "boberdoo.json",
                xml("<response><status>Matched</status><lead_id>L-9</lead_id><price>15.00</price></response>"),
                xml("<response><status>Matched</status><lead_id>B-L-9</lead_id></response>"));

        Bid bid = ping("bob");
        PostResult result = post("bob", bid.getPingToken());

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isEqualTo(1500L);
        assertThat(bid.getPingToken()).isEqualTo("L-9");
        RecordedRequest ping = received("/bob/ping");
        assertThat(ping.getBody().utf8()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead><src>LEADMKT</src>"
                + "<data><state>TX</state><zip>75001</zip><homeowner>Yes</homeowner></data></lead>");
        assertThat(ping.getHeaders().get("Content-Type")).startsWith("application/xml");
        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        assertThat(result.getBuyerLeadId()).isEqualTo("B-L-9");
        assertThat(received("/bob/post").getBody().utf8()).contains("<ping_lead_id>L-9</ping_lead_id>",
                "<email>jane.doe@example.com</email>");
    }

    @Test
    void shouldPassWhenBoberdooStyleBuyerDoesNotMatch() throws Exception {
        register("bob", "boberdoo.json",
                xml("<response><status>Unmatched</status><message>Filtered: zip</message></response>"));

        Bid bid = ping("bob");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.PASS);
        assertThat(bid.getReason()).isEqualTo("Filtered: zip");
    }

    // LeadByte-style

    @Test
    void shouldBidWithBearerTokenWhenLeadByteStyleBuyerAnswersCost() throws Exception {
        register("lb", "leadbyte.json", json("{\"Success\":true,\"Cost\":15}"));

        Bid bid = ping("lb");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isEqualTo(1500L);
        assertThat(received("/lb/ping").getHeaders().get("Authorization")).isEqualTo("Bearer lb-token-123");
    }

    // LeadConduit-style (a YAML document)

    @Test
    void shouldBidWithBasicAuthWhenLeadConduitStyleBuyerSucceeds() throws Exception {
        register("lc", "leadconduit.yaml", json("{\"outcome\":\"success\",\"price\":12.0,\"lead\":{\"id\":\"lc-1\"}}"));

        Bid bid = ping("lc");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isEqualTo(1200L);
        assertThat(bid.getPingToken()).isEqualTo("lc-1");
        assertThat(received("/lc/ping").getHeaders().get("Authorization")).isEqualTo(
                "Basic " + Base64.getEncoder().encodeToString("leadmkt:s3cret:pass".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldErrorRateLimitedAndExposeRetryAfterWhenLeadConduitStyleBuyerAnswers429() throws Exception {
        BuyerConfig buyer = register("lc", "leadconduit.yaml", new MockResponse.Builder().code(429)
                .addHeader("Retry-After", "30").body("{\"outcome\":\"error\",\"reason\":\"rate limited\"}").build());
        TemplateBuyerAdapter adapter = (TemplateBuyerAdapter) adapters.forBuyer(buyer);
        Ping ping = Fixtures.ping("L-1", System.currentTimeMillis() + 5000, "lc");

        HttpAnswer answer = (HttpAnswer) http.execute(adapter.pingRequest(ping, buyer, 1000), 2000).get(10,
                TimeUnit.SECONDS);
        Bid bid = adapter.toBid(ping, buyer, answer);

        assertThat(bid.getStatus()).isEqualTo(BidStatus.ERROR);
        assertThat(bid.getReason()).isEqualTo("RATE_LIMITED");
        assertThat(adapter.retryAfter(answer)).contains(Duration.ofSeconds(30));
        assertThat(ping("lc").getReason()).isEqualTo("RATE_LIMITED");
    }

    // legacy plain text, form-urlencoded request

    @Test
    void shouldSendTheExactFormBodyAndParseByRegexWhenLegacyTextBuyerAccepts() throws Exception {
        register("legacy", "legacy-text.json", text("RESULT=ACCEPTED;PRICE=7.25;ID=991"),
                text("RESULT=ACCEPTED;ID=P-5"));

        Bid bid = ping("legacy");
        PostResult result = post("legacy", bid.getPingToken());

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isEqualTo(725L);
        assertThat(bid.getPingToken()).isEqualTo("991");
        RecordedRequest ping = received("/legacy/ping");
        assertThat(ping.getBody().utf8())
                .isEqualTo("vendor=leadmkt&st=TX&zip=75001&own_home=Y&credit=unknown&min+bid=5.00");
        assertThat(ping.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        assertThat(result.getBuyerLeadId()).isEqualTo("P-5");
        assertThat(received("/legacy/post").getBody().utf8())
                .isEqualTo("vendor=leadmkt&ping_id=991&phone=%2B15125550123");
    }

    @Test
    void shouldPassWithReasonWhenLegacyTextBuyerRejects() throws Exception {
        register("legacy", "legacy-text.json", text("RESULT=REJECTED;REASON=Out of area"));

        Bid bid = ping("legacy");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.PASS);
        assertThat(bid.getReason()).isEqualTo("Out of area");
    }

    // GET with query string, HMAC signature

    @Test
    void shouldSendQueryStringSignedWithHmacWhenTemplateIsAGet() throws Exception {
        register("q", "query-hmac.json", json("{\"bid\":{\"amount\":\"$12.50\",\"ref\":\"q-1\"}}"),
                new MockResponse.Builder().code(201).build());

        Bid bid = ping("q");
        PostResult result = post("q", bid.getPingToken());

        assertThat(bid.getStatus()).isEqualTo(BidStatus.BID);
        assertThat(bid.getPriceCents()).isEqualTo(1250L);
        assertThat(bid.getPingToken()).isEqualTo("q-1");
        RecordedRequest ping = received("/q/ping");
        assertThat(ping.getMethod()).isEqualTo("GET");
        assertThat(ping.getUrl().encodedQuery()).isEqualTo("state=TX&zip=75001&floor=5.00");
        assertThat(ping.getBodySize()).isZero();
        assertSignedBy("hmac-shared-secret", ping, ping.getUrl().encodedQuery().getBytes(StandardCharsets.UTF_8));

        assertThat(result.getStatus()).isEqualTo(PostStatus.ACCEPTED);
        RecordedRequest post = received("/q/post");
        assertThat(post.getMethod()).isEqualTo("PUT");
        assertThat(post.getBody().utf8()).isEqualTo(
                "{\"ref\":\"q-1\",\"price\":12.50,\"contact\":{\"email\":\"jane.doe@example.com\"}}");
        assertSignedBy("hmac-shared-secret", post, post.getBody().toByteArray());
    }

    private static void assertSignedBy(String secret, RecordedRequest request, byte[] signed) {
        String timestamp = request.getHeaders().get("X-Leadmkt-Timestamp");
        assertThat(timestamp).matches("\\d{10,}");
        assertThat(request.getHeaders().get("X-Leadmkt-Signature"))
                .isEqualTo(RequestAuth.hmacSha256Hex(secret, timestamp, signed))
                .isEqualTo(independentHmac(secret, timestamp + "." + new String(signed, StandardCharsets.UTF_8)));
    }

    /** What a buyer would compute on its side, without our code. */
    private static String independentHmac(String secret, String content) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(content.getBytes(StandardCharsets.UTF_8))) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    // PII and broken integrations

    @Test
    void shouldSendNoPiiInAnyPingWhenEveryExampleTemplateIsPinged() throws Exception {
        List<String> documents = List.of("px.json", "boberdoo.json", "leadbyte.json", "leadconduit.yaml",
                "legacy-text.json", "query-hmac.json");
        for (int i = 0; i < documents.size(); i++) {
            register("b" + i, documents.get(i), FakeBuyers.status(204));
        }
        String[] ids = java.util.stream.IntStream.range(0, documents.size()).mapToObj(i -> "b" + i)
                .toArray(String[]::new);

        List<Bid> bids = pings.dispatch(Fixtures.ping("L-1", System.currentTimeMillis() + 5000, ids))
                .get(10, TimeUnit.SECONDS);

        assertThat(bids).extracting(Bid::getStatus).containsOnly(BidStatus.PASS);
        assertThat(buyers.requestCount()).isEqualTo(documents.size());
        for (String id : ids) {
            RecordedRequest request = received("/" + id + "/ping");
            String body = request.getBody() == null ? "" : request.getBody().utf8();
            String sent = request.getRequestLine() + "\n" + request.getHeaders() + "\n" + body;
            for (String pii : Fixtures.PII_VALUES) {
                assertThat(sent).as(id).doesNotContain(pii)
                        .doesNotContain(java.net.URLEncoder.encode(pii, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void shouldErrorBadIntegrationAndSendNothingWhenTheDocumentIsInvalid() throws Exception {
        BuyerConfig buyer = BuyerConfig.newBuilder(Fixtures.buyer("broken", buyers.answer("/broken", json("{}"))))
                .setIntegration(Fixtures.resource("invalid-integrations/ping-names-email.json")).build();
        directory.apply("broken", buyer);

        Bid bid = ping("broken");
        PostResult result = post("broken", "t");

        assertThat(bid.getStatus()).isEqualTo(BidStatus.ERROR);
        assertThat(bid.getReason()).isEqualTo(BuyerAdapters.BAD_INTEGRATION);
        assertThat(result.getStatus()).isEqualTo(PostStatus.ERROR);
        assertThat(result.getReason()).isEqualTo(BuyerAdapters.BAD_INTEGRATION);
        assertThat(buyers.requestCount()).isZero();
    }

    // misbehaving answers through templates

    @Test
    void shouldYieldADefinedErrorWhenBuyersMisbehaveThroughTemplates() throws Exception {
        register("html", "px.json", FakeBuyers.html(200));
        register("truncated", "px.json", json("{\"TransactionId\":\"abc\",\"Success\":true,\"Payout\":12."));
        register("wrongField", "px.json", json("{\"TransactionId\":\"abc\",\"Success\":true,\"Price\":12.5}"));
        register("absurd", "px.json", json("{\"Success\":true,\"Payout\":1000000000}"));
        register("negative", "px.json", json("{\"Success\":true,\"Payout\":-3}"));
        register("nan", "px.json", json("{\"Success\":true,\"Payout\":\"NaN\"}"));
        register("subCent", "px.json", json("{\"Success\":true,\"Payout\":\"12.345\"}"));
        register("noSuccess", "px.json", json("{\"Payout\":12.5}"));
        register("crashing", "px.json", FakeBuyers.html(500));
        register("empty", "px.json", FakeBuyers.status(204));
        register("badXml", "boberdoo.json", xml("<response><status>Matched</status><price>15.00"));
        register("htmlForXml", "boberdoo.json", FakeBuyers.html(200));
        register("noMatchForRegex", "legacy-text.json", text("<html>maintenance</html>"));

        List<Bid> bids = pings.dispatch(Fixtures.ping("L-1", System.currentTimeMillis() + 5000, "html", "truncated",
                "wrongField", "absurd", "negative", "nan", "subCent", "noSuccess", "crashing", "empty", "badXml",
                "htmlForXml", "noMatchForRegex")).get(10, TimeUnit.SECONDS);

        assertThat(bids).extracting(Bid::getBuyerId, Bid::getStatus, Bid::getReason).containsExactly(
                tuple("html", BidStatus.ERROR, "BAD_RESPONSE"),
                tuple("truncated", BidStatus.ERROR, "BAD_RESPONSE"),
                tuple("wrongField", BidStatus.ERROR, "MISSING_PRICE"),
                tuple("absurd", BidStatus.ERROR, "PRICE_TOO_HIGH"),
                tuple("negative", BidStatus.ERROR, "BAD_PRICE"),
                tuple("nan", BidStatus.ERROR, "BAD_PRICE"),
                tuple("subCent", BidStatus.ERROR, "BAD_PRICE"),
                tuple("noSuccess", BidStatus.ERROR, "BAD_RESPONSE"),
                tuple("crashing", BidStatus.ERROR, "HTTP_500"),
                tuple("empty", BidStatus.PASS, "NO_CONTENT"),
                tuple("badXml", BidStatus.ERROR, "BAD_RESPONSE"),
                tuple("htmlForXml", BidStatus.ERROR, "BAD_RESPONSE"),
                tuple("noMatchForRegex", BidStatus.ERROR, "BAD_RESPONSE"));
        assertThat(bids).allSatisfy(b -> assertThat(b.getPriceCents()).isNull());
    }

    @Test
    void shouldErrorBadResponseWhenPostAnswerIsGarbage() throws Exception {
        register("px", "px.json", json("{}"), FakeBuyers.html(200));

        PostResult result = post("px", "abc");

        assertThat(result.getStatus()).isEqualTo(PostStatus.ERROR);
        assertThat(result.getReason()).isEqualTo("BAD_RESPONSE");
    }

    @Test
    void shouldRedactTheLeadsPiiWhenAPostAnswerEchoesIt() throws Exception {
        register("px", "px.json", json("{}"),
                json("{\"Success\":false,\"Message\":\"Duplicate of jane.doe@example.com\"}"));

        PostResult result = post("px", "abc");

        assertThat(result.getReason()).isEqualTo("Duplicate of [REDACTED]");
        assertThat(TemplateBuyerAdapter.rawBody(HttpAnswer.of(200, "Jane Doe, +15125550123", 1, 1),
                List.of("Jane", "+15125550123"))).isEqualTo("[REDACTED] Doe, [REDACTED]");
    }
}
