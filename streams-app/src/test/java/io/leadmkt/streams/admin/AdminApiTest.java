package io.leadmkt.streams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.BuyerStats;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.ApiKey;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.Caller;
import io.leadmkt.streams.access.TestKeys;
import io.leadmkt.streams.api.LeadApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {

    private static final String TOKEN = "s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final FakeConfigStore store = new FakeConfigStore();
    private LeadApi api;

    private LeadApi start(String token) {
        AdminApi admin = new AdminApi(new ConfigDocuments(IntegrationCheck.OBJECT_ONLY), store);
        api = new LeadApi(0, new Access(true, token, TestKeys.table()), lead -> CompletableFuture.completedFuture(null),
                id -> Optional.empty(), Map::of, admin)
                .start();
        return api;
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return call(method, path, token, body, null);
    }

    private HttpResponse<String> call(String method, String path, String token, String body, String actor)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (actor != null) {
            request.header(AdminApi.ACTOR_HEADER, actor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code errors} list of an error answer, as text. */
    private static List<String> errors(HttpResponse<String> response) throws Exception {
        List<String> errors = new ArrayList<>();
        JSON.readTree(response.body()).get("errors").forEach(e -> errors.add(e.asText()));
        return errors;
    }

    /** Asserts a 400 {@code error} answer listing exactly {@code expected}. */
    private static void assertRefused(HttpResponse<String> response, String error, String... expected) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(error);
        assertThat(errors(response)).containsExactly(expected);
    }

    @Test
    void shouldAnswer401ToAnyTokenWhenNoAdminTokenIsConfigured() throws Exception {
        start(null);

        HttpResponse<String> response = call("PUT", "/v1/admin/buyers/a", "anything", "{}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
        assertThat(call("GET", "/v1/admin/buyers", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/admin/buyers", TestKeys.ADMIN.key(), null).statusCode())
                .as("an admin key works without the token").isEqualTo(200);
        assertThat(store.buyers).isEmpty();
    }

    @Test
    void shouldAnswer401WhenTheTokenIsMissingOrWrong() throws Exception {
        start(TOKEN);

        assertThat(call("GET", "/v1/admin/buyers", null, null).statusCode()).isEqualTo(401);
        assertThat(call("PUT", "/v1/admin/buyers/a", "wrong", "{}").statusCode()).isEqualTo(401);
        assertThat(store.buyers).isEmpty();
    }

    @Test
    void shouldAnswer400WithEveryPathWhenTheDocumentIsInvalid() throws Exception {
        start(TOKEN);

        HttpResponse<String> response = call("PUT", "/v1/admin/buyers/a", TOKEN,
                "{\"pingUrl\":\"http://a/ping\",\"pingTimeoutMs\":10,\"states\":[\"texas\"]}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_config");
        assertThat(body.get("errors")).extracting(JsonNode::asText)
                .anySatisfy(e -> assertThat(e).startsWith("pingTimeoutMs: "))
                .anySatisfy(e -> assertThat(e).startsWith("states[0]: "))
                .anySatisfy(e -> assertThat(e).isEqualTo("postUrl: required"));
        assertThat(store.buyers).isEmpty();
    }

    @Test
    void shouldStoreAndListTheBuyerWhenTheDocumentIsValid() throws Exception {
        start(TOKEN);

        HttpResponse<String> put = call("PUT", "/v1/admin/buyers/acme", TOKEN,
                "{\"pingUrl\":\"http://acme/ping\",\"postUrl\":\"http://acme/post\",\"states\":[\"TX\"]}");
        HttpResponse<String> list = call("GET", "/v1/admin/buyers", TOKEN, null);

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).get("buyerId").asText()).isEqualTo("acme");
        assertThat(JSON.readTree(put.body()).get("delivery").asText()).isEqualTo("webhook");
        assertThat(store.buyers).singleElement().extracting(BuyerConfig::getStates).isEqualTo(List.of("TX"));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).get("buyers")).hasSize(1);
        assertThat(JSON.readTree(list.body()).get("buyers").get(0).get("pingUrl").asText()).isEqualTo("http://acme/ping");
    }

    @Test
    void shouldStoreTheCampaignInCentsWhenTheFloorIsADecimalString() throws Exception {
        start(TOKEN);

        HttpResponse<String> put = call("PUT", "/v1/admin/campaigns/camp-1", TOKEN,
                "{\"vertical\":\"solar\",\"floor\":\"15.5\"}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).get("floor").asText()).isEqualTo("15.50");
        assertThat(store.campaigns).singleElement().extracting(CampaignConfig::getFloorCents).isEqualTo(1550L);
    }

    @Test
    void shouldRecordTheActorHeaderWhenGivenElseTheTokenWhenAChangeIsPut() throws Exception {
        start(TOKEN);
        String body = "{\"pingUrl\":\"http://acme/ping\",\"postUrl\":\"http://acme/post\"}";

        assertThat(call("PUT", "/v1/admin/buyers/acme", TOKEN, body, "alice@ops").statusCode()).isEqualTo(200);
        assertThat(call("PUT", "/v1/admin/buyers/acme", TOKEN, body).statusCode()).isEqualTo(200);
        assertThat(call("PUT", "/v1/admin/buyers/acme", TOKEN, body, "   ").statusCode()).isEqualTo(200);

        assertThat(store.authors).containsExactly(
                new ConfigChanges.Author("alice@ops", ConfigChanges.VIA_ADMIN_API),
                new ConfigChanges.Author(Caller.ADMIN_TOKEN_ID, ConfigChanges.VIA_ADMIN_API),
                new ConfigChanges.Author(Caller.ADMIN_TOKEN_ID, ConfigChanges.VIA_ADMIN_API));
    }

    @Test
    void shouldShowBesideEachBuyerWhetherItsCapsStopItAndItsAcceptanceRate() throws Exception {
        start(TOKEN);
        for (String id : List.of("capped", "broke", "fresh")) {
            call("PUT", "/v1/admin/buyers/" + id, TOKEN, "{\"pingUrl\":\"http://b/ping\",\"postUrl\":\"http://b/post\"}");
        }
        store.capStatus.put("capped", new BuyerCapStatus("capped", 4_102_444_800_000L, "DAY_LEADS_CAP", 0L, null, 0L));
        store.capStatus.put("broke", new BuyerCapStatus("broke", Long.MAX_VALUE, "BALANCE", 0L, 0L, Long.MAX_VALUE));
        store.capStatus.put("fresh", new BuyerCapStatus("fresh", 1_000L, "DAY_LEADS_CAP", 0L, null, 0L)); // long over
        store.stats.put("capped", new BuyerStats("capped", "AAAR", 7_500, 0L));

        JsonNode status = JSON.readTree(call("GET", "/v1/admin/buyers", TOKEN, null).body()).get("status");

        assertThat(status.get("capped").get("full").asBoolean()).isTrue();
        assertThat(status.get("capped").get("fullUntil").asText()).isEqualTo("2100-01-01T00:00:00Z");
        assertThat(status.get("capped").get("fullReason").asText()).isEqualTo("DAY_LEADS_CAP");
        assertThat(status.get("capped").get("acceptanceRate").asText()).isEqualTo("0.7500");
        assertThat(status.get("capped").get("recentPosts").asInt()).isEqualTo(4);
        assertThat(status.get("broke").get("fullUntil").asText()).isEqualTo("until topped up");
        assertThat(status.get("broke").get("spendLeft").asText()).isEqualTo("0.00");
        assertThat(status.get("capped").has("spendLeft")).isFalse();
        assertThat(status.get("fresh").get("full").asBoolean()).isFalse();
        assertThat(status.get("fresh").has("acceptanceRate")).isFalse();
    }

    @Test
    void shouldDeleteTheBuyerWhenItExistsAnd404WhenItDoesNot() throws Exception {
        start(TOKEN);
        call("PUT", "/v1/admin/buyers/acme", TOKEN, "{\"pingUrl\":\"http://acme/ping\",\"postUrl\":\"http://acme/post\"}");
        HttpResponse<String> first = call("DELETE", "/v1/admin/buyers/acme", TOKEN, null, "bob");
        HttpResponse<String> second = call("DELETE", "/v1/admin/buyers/acme", TOKEN, null, "bob");
        HttpResponse<String> unauthorized = call("DELETE", "/v1/admin/campaigns/c", null, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("deleted").asText()).isEqualTo("buyer");
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(store.buyers).isEmpty();
        assertThat(store.authors).last().isEqualTo(new ConfigChanges.Author("bob", ConfigChanges.VIA_ADMIN_API));
    }

    @Test
    void shouldSuppressTheHashesAndCountOnlyNewEntriesWhenARequestIsPosted() throws Exception {
        start(TOKEN);
        String body = "{\"phone\":\"(512) 555-0123\",\"email\":\" Ada@Example.com \"}";

        HttpResponse<String> first = call("POST", "/v1/admin/suppressions", TOKEN, body, "dpo@ops");
        HttpResponse<String> again = call("POST", "/v1/admin/suppressions", TOKEN, body, "dpo@ops");

        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode json = JSON.readTree(first.body());
        assertThat(json.get("changed").asInt()).isEqualTo(2);
        assertThat(json.get("suppressed")).hasSize(2);
        assertThat(json.get("suppressed").get(0).get("kind").asText()).isEqualTo("phone");
        assertThat(json.get("suppressed").get(0).get("hash").asText()).isEqualTo(IdentityHash.ofPhone("+15125550123"));
        assertThat(json.get("suppressed").get(1).get("kind").asText()).isEqualTo("email");
        assertThat(json.get("suppressed").get(1).get("hash").asText()).isEqualTo(IdentityHash.ofEmail("ada@example.com"));
        assertThat(first.body()).doesNotContain("555-0123", "Ada", "ada@");
        assertThat(store.suppressions.values()).extracting(SuppressionEntry::getReason)
                .containsOnly(Suppressions.DEFAULT_REASON);
        assertThat(store.authors).last().isEqualTo(new ConfigChanges.Author("dpo@ops", ConfigChanges.VIA_ADMIN_API));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("changed").asInt()).isZero();
        assertThat(JSON.readTree(again.body()).get("suppressed")).hasSize(2);
    }

    @Test
    void shouldAnswer400WithTheFieldErrorsWhenTheSuppressionRequestIsInvalid() throws Exception {
        start(TOKEN);

        HttpResponse<String> bad = call("POST", "/v1/admin/suppressions", TOKEN, "{\"phone\":\"555-0123\"}");
        HttpResponse<String> empty = call("POST", "/v1/admin/suppressions", TOKEN, "{\"reason\":\"opt-out\"}");

        assertRefused(bad, "invalid_config", "phone: not a US phone number");
        assertThat(bad.body()).doesNotContain("555-0123");
        assertRefused(empty, "invalid_config", "one of phone or email is required");
        assertThat(store.suppressions).isEmpty();
        assertThat(store.authors).isEmpty();
    }

    @Test
    void shouldAnswer401Or403AndSuppressNothingWhenTheSuppressionRequestIsNotAuthorized() throws Exception {
        start(TOKEN);
        String body = "{\"phone\":\"(512) 555-0123\"}";

        assertThat(call("POST", "/v1/admin/suppressions", null, body).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/v1/admin/suppressions", "wrong", body).statusCode()).isEqualTo(401);
        for (String notAdmin : List.of(TestKeys.ANALYST.key(), TestKeys.PRIVACY.key(), TestKeys.SELLER.key(),
                TestKeys.BUYER_KEY.key())) {
            HttpResponse<String> refused = call("POST", "/v1/admin/suppressions", notAdmin, body);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).isEqualTo("{\"error\":\"forbidden\"}");
        }
        assertThat(store.suppressions).isEmpty();
    }

    @Test
    void shouldImportTheListAsHashesAndChangeNothingWhenTheSameFileIsPostedAgain() throws Exception {
        start(TOKEN);
        String csv = "phone,email\n(512) 555-0123,ada@example.com\n512-555-0124,\n";

        HttpResponse<String> first = call("POST", "/v1/admin/suppressions/import?reason=DNC&expiresIn=31d", TOKEN, csv);
        HttpResponse<String> again = call("POST", "/v1/admin/suppressions/import?reason=DNC&expiresIn=31d", TOKEN, csv);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(first.body());
        assertThat(json.get("rows").asInt()).isEqualTo(2);
        assertThat(json.get("entries").asInt()).isEqualTo(3);
        assertThat(json.get("changed").asInt()).isEqualTo(3);
        assertThat(json.get("applied").asBoolean()).isTrue();
        assertThat(store.suppressions).containsKey(IdentityHash.ofPhone("+15125550123"));
        assertThat(store.suppressions.values()).allSatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("DNC");
            assertThat(e.getSource()).isEqualTo(AdminApi.IMPORT_SOURCE);
            assertThat(e.getExpiresAt()).isGreaterThan(System.currentTimeMillis() + java.time.Duration.ofDays(31).toMillis());
        });
        assertThat(JSON.readTree(again.body()).get("changed").asInt()).isZero();
        assertThat(first.body()).doesNotContain("555-0123", "ada@");
    }

    @Test
    void shouldApplyNothingAndNameEveryBadLineWhenRowsAreBadUnlessPartialIsAsked() throws Exception {
        start(TOKEN);
        String csv = "512-555-0123\n555-0100\nada@example.com\nbad@\n";

        HttpResponse<String> whole = call("POST", "/v1/admin/suppressions/import", TOKEN, csv);
        assertRefused(whole, "invalid_rows",
                "line 2: column 1: not a US phone number", "line 4: column 1: not an email address");
        assertThat(JSON.readTree(whole.body()).get("applied").asBoolean()).isFalse();
        assertThat(store.suppressions).isEmpty();

        HttpResponse<String> partial = call("POST", "/v1/admin/suppressions/import?partial=true", TOKEN, csv);
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(partial.body()).get("badRows").asInt()).isEqualTo(2);
        assertThat(store.suppressions).hasSize(2);
    }

    @Test
    void shouldNameTheParameterWhenTheImportIsAskedForWrongly() throws Exception {
        start(TOKEN);

        HttpResponse<String> bad = call("POST", "/v1/admin/suppressions/import?expiresIn=2h&partial=maybe", TOKEN, "x");
        HttpResponse<String> unauthorized = call("POST", "/v1/admin/suppressions/import", null, "512-555-0123");

        assertRefused(bad, "invalid_import", "expiresIn: a number of days, e.g. 31d", "partial: true or false");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(store.suppressions).isEmpty();
    }

    @Test
    void shouldSuppressWithoutTheAdminTokenWhenABuyerPostsAnOptOutAsItself() throws Exception {
        start(null);
        String asBuyerA = "{\"phone\":\"(512) 555-0123\",\"buyerId\":\"" + TestKeys.BUYER + "\",\"reason\":\"STOP reply\"}";

        HttpResponse<String> optOut = call("POST", "/v1/optouts", TestKeys.BUYER_KEY.key(), asBuyerA);

        assertThat(optOut.statusCode()).as(optOut.body()).isEqualTo(200);
        assertThat(JSON.readTree(optOut.body()).get("changed").asInt()).isEqualTo(1);
        SuppressionEntry entry = store.suppressions.get(IdentityHash.ofPhone("+15125550123"));
        assertThat(entry.getSource()).isEqualTo("buyer:" + TestKeys.BUYER);
        assertThat(entry.getReason()).isEqualTo("STOP reply");
        assertThat(store.authors).last().isEqualTo(new ConfigChanges.Author("buyer:" + TestKeys.BUYER,
                ConfigChanges.VIA_OPT_OUT));
    }

    @Test
    void shouldRefuseAnOptOutWhenTheKeyIsNotTheReportersOrNotAParty() throws Exception {
        start(TOKEN);
        String asBuyerA = "{\"phone\":\"(512) 555-0123\",\"buyerId\":\"" + TestKeys.BUYER + "\"}";
        String asSource1 = "{\"phone\":\"(512) 555-0123\",\"sellerId\":\"" + TestKeys.SOURCE + "\"}";

        assertThat(call("POST", "/v1/optouts", null, asBuyerA).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/v1/optouts", TestKeys.OTHER_BUYER.key(), asBuyerA).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/v1/optouts", TestKeys.OTHER_SELLER.key(), asSource1).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/v1/optouts", TestKeys.ANALYST.key(), asBuyerA).statusCode()).isEqualTo(403);
        assertThat(store.suppressions).isEmpty();
        assertThat(call("POST", "/v1/optouts", TestKeys.SELLER.key(), asSource1).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v1/optouts", TestKeys.PRIVACY.key(), asBuyerA).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenAnOptOutIsBad() throws Exception {
        start(TOKEN);

        HttpResponse<String> bad = call("POST", "/v1/optouts", TOKEN, "{\"email\":\"not-an-email\",\"sellerId\":\"s1\"}");
        HttpResponse<String> anonymous = call("POST", "/v1/optouts", TOKEN, "{\"email\":\"a@example.com\"}");

        assertRefused(bad, "invalid_optout", "email: not an email address");
        assertThat(bad.body()).doesNotContain("not-an-email");
        assertRefused(anonymous, "invalid_optout",
                "buyerId: one of buyerId or sellerId is required (who reports the opt-out)");
        assertThat(store.suppressions).isEmpty();
    }
}
