package io.leadmkt.launcher;

import static io.leadmkt.launcher.RealMarket.TOPICS;
import static io.leadmkt.launcher.RealMarket.closeAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.LeadGenerator.Kind;
import io.leadmkt.streams.LeadMarketApp;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in headless Chromium against a running marketplace (real broker, connector, HTTP
 * buyers, leads flowing): every figure the page shows is the one the API gives for the leads that
 * flowed, the live stream shows auctions as they end, and the filters and the API key work. The
 * live-stream test sends more leads, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final List<CampaignConfig> CAMPAIGNS = RealMarket.NORTH_AND_SOUTH;
    private static final int VALID = 24;
    private static final List<Kind> BAD = List.of(Kind.INVALID_PHONE, Kind.NO_CONSENT, Kind.INVALID_ZIP);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
    /** The page's range: yesterday and today, UTC, hourly: every lead of the run is in it. */
    private static final Instant FROM = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
    private static final Instant TO = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    private static final String RANGE = "from=" + FROM + "&to=" + TO + "&bucket=hour";

    private static ChromeDriver chrome;
    private static RealMarket market;
    private static LeadMarketApp app;
    private static String analystKey;
    /** A seller of half the generator's sources, and the buyer that always bids: the page as they see it. */
    private static final List<String> SELLER_SOURCES = LeadGenerator.SOURCES.subList(0, 4);
    private static String sellerKey;
    private static String buyerKey;
    private static LeadGenerator generator;
    private static List<Outcome> outcomes;

    @BeforeAll
    static void start() throws Exception {
        chrome = HeadlessChromium.start(1400, 2400); // first: without a browser nothing else is worth starting
        market = RealMarket.start(RealMarket.KNOWN_BIDDERS, CAMPAIGNS);
        // An analyst's key: the page sends it on every request, as a person would paste it.
        analystKey = market.apiKey("analyst", List.of(), null);
        sellerKey = market.apiKey("seller", SELLER_SOURCES, null);
        buyerKey = market.apiKey("buyer", List.of(), "cheap");
        app = LeadMarketApp.start(market.appConfig("dashboard"));
        generator = new LeadGenerator(market.producer(), TOPICS, new LeadGenerator.Options(1, 0, 7, CAMPAIGNS));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < VALID; i++) {
            ids.add(generator.send(Kind.VALID).leadId());
        }
        BAD.forEach(kind -> ids.add(generator.send(kind).leadId()));
        market.producer().flush();
        market.awaitEveryLeadEnded(ids);
        outcomes = market.committedOutcomes();
        assertThat(outcomes).hasSize(VALID);
        // The report rows and the dashboard's feed follow the outcomes a moment later.
        Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(200)).until(() ->
                api("/v1/reports/seller?" + RANGE).path("total").path("leads").asInt() == VALID + BAD.size()
                        && api("/v1/auctions/recent").path("figures").path("auctions").asInt() == VALID);
    }

    @AfterAll
    static void stop() {
        HeadlessChromium.quit(chrome);
        closeAll(app, market);
    }

    @Test
    void shouldShowTheFiguresTheApiGivesForTheLeadsThatFlowedWhenOpened() throws Exception {
        open("/dashboard?" + RANGE);

        JsonNode sellers = api("/v1/reports/seller?" + RANGE);
        JsonNode total = sellers.path("total");
        // The API's figures are the leads that flowed ...
        List<Outcome> sold = outcomes.stream().filter(o -> o.getStatus() == OutcomeStatus.SOLD).toList();
        assertThat(total.path("leads").asInt()).isEqualTo(VALID + BAD.size());
        assertThat(total.path("rejected").asInt()).isEqualTo(BAD.size());
        assertThat(total.path("sold").asInt()).isEqualTo(sold.size()).isPositive();
        assertThat(total.path("revenue").asText())
                .isEqualTo(Money.format(sold.stream().mapToLong(Outcome::getPriceCents).sum()));
        // ... and the page shows exactly them.
        Map<String, String> tiles = figures("#totals");
        assertThat(tiles).hasSize(11);
        tiles.forEach((figure, text) -> assertThat(text).as(figure).isEqualTo(shown(figure, total.path(figure))));

        JsonNode buyers = api("/v1/reports/buyer?" + RANGE).path("byValue");
        assertThat(buyers).extracting(b -> b.path("buyer").asText()).containsExactlyInAnyOrder("picky", "steady", "cheap");
        for (JsonNode buyer : buyers) {
            assertRow("#buyers tr[data-buyer='" + buyer.path("buyer").asText() + "']", buyer);
        }
        JsonNode sources = api("/v1/reports/source?" + RANGE).path("byValue");
        assertThat(sources).isNotEmpty();
        for (JsonNode source : sources) {
            assertRow("#sources tr[data-source='" + source.path("source").asText() + "']", source);
        }

        // The charts draw the same numbers.
        List<BigDecimal> revenue = new ArrayList<>();
        sellers.path("byBucket").forEach(bucket -> revenue.add(new BigDecimal(bucket.path("revenue").asText())));
        assertThat(chartSeries("chart-time", 0)).usingElementComparator(BigDecimal::compareTo).isEqualTo(revenue);
        List<BigDecimal> winRates = new ArrayList<>();
        buyers.forEach(buyer -> winRates.add(new BigDecimal(buyer.path("winRate").asText())));
        assertThat(chartSeries("chart-buyers", 1)).usingElementComparator(BigDecimal::compareTo).isEqualTo(winRates);

        HeadlessChromium.screenshot(chrome, "dashboard");
    }

    @Test
    void shouldShowTheRecentAuctionsAndTheirBidAndLatencyFiguresWhenOpened() throws Exception {
        open("/dashboard?" + RANGE);

        JsonNode figures = api("/v1/auctions/recent").path("figures");
        assertThat(figures.path("auctions").asInt()).isEqualTo(VALID);
        assertThat(text("[data-figure='bids.count']")).isEqualTo(figures.path("bids").path("price").path("count").asText());
        assertThat(text("[data-figure='decision.count']")).isEqualTo(Integer.toString(VALID));
        for (String p : List.of("p50", "p90", "p99")) {
            assertThat(text("[data-figure='bids." + p + "']")).isEqualTo("$" + figures.path("bids").path("price").path(p).asText());
            assertThat(text("[data-figure='decision." + p + "']")).isEqualTo(figures.path("decisionMs").path(p).asText() + " ms");
        }
        List<BigDecimal> bandCounts = new ArrayList<>();
        figures.path("bids").path("bands").forEach(band -> bandCounts.add(new BigDecimal(band.path("count").asText())));
        assertThat(chartSeries("chart-bids", 0)).usingElementComparator(BigDecimal::compareTo).isEqualTo(bandCounts);

        Set<String> shownLeads = new HashSet<>(liveColumn("lead"));
        assertThat(shownLeads).isEqualTo(outcomes.stream().map(Outcome::getLeadId).collect(Collectors.toSet()));
    }

    @Test
    void shouldDrawTheFloorWhatIfCurveAndPoliciesTheApiGivesWhenOpened() throws Exception {
        String window = "from=" + FROM + "&to=" + TO;
        // The what-if's records follow the outcomes a moment later, like the report rows.
        Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(200)).until(() ->
                api("/v1/whatif/policies?" + window).path("recorded").path("leads").asInt() == VALID);
        open("/dashboard?" + RANGE);

        String floors = (String) chrome.executeScript(
                "return document.getElementById('whatif-form').elements.floors.value");
        JsonNode curve = api("/v1/whatif/floor?" + window + "&floors=" + floors);
        List<BigDecimal> revenue = new ArrayList<>();
        List<BigDecimal> payout = new ArrayList<>();
        List<BigDecimal> sellThrough = new ArrayList<>();
        curve.path("points").forEach(point -> {
            revenue.add(new BigDecimal(point.path("revenue").asText()));
            payout.add(new BigDecimal(point.path("sellerPayout").asText()));
            sellThrough.add(new BigDecimal(point.path("sellThrough").asText()));
        });
        assertThat(revenue).hasSize(11);
        // the campaigns' floor is 5.00: from 0.00 to 5.00 the curve is what was recorded
        assertThat(revenue.get(0)).isEqualByComparingTo(new BigDecimal(curve.path("recorded").path("revenue").asText()));
        assertThat(chartSeries("chart-whatif", 0)).usingElementComparator(BigDecimal::compareTo).isEqualTo(revenue);
        assertThat(chartSeries("chart-whatif", 1)).usingElementComparator(BigDecimal::compareTo).isEqualTo(payout);
        assertThat(chartSeries("chart-whatif", 2)).usingElementComparator(BigDecimal::compareTo).isEqualTo(sellThrough);

        JsonNode policies = api("/v1/whatif/policies?" + window);
        assertRow("#whatif-policies tr[data-policy='recorded']", policies.path("recorded"));
        for (JsonNode policy : policies.path("policies")) {
            assertRow("#whatif-policies tr[data-policy='" + policy.path("policy").asText() + "']", policy);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldAddEachAuctionToTheLiveStreamWhenItEnds() {
        open("/dashboard?" + RANGE);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "open".equals(chrome.executeScript("return document.body.dataset.live")));

        List<String> fresh = Stream.generate(() -> generator.send(Kind.VALID).leadId()).limit(3).toList();
        market.producer().flush();

        Awaitility.await().atMost(RealMarket.SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Object events = chrome.executeScript("return Number(document.body.dataset.events || 0)");
            assertThat(((Number) events).intValue()).as("server-sent auction events").isGreaterThanOrEqualTo(3);
            assertThat(liveColumn("lead")).containsAll(fresh);
        });
    }

    @Test
    void shouldShowTheFiguresEachTimeWhenOpenedMoreOftenThanABrowserKeepsConnectionsToOneServer() {
        // A browser keeps six connections to one server. A page left for another was kept for the back button
        // with its live stream open, holding one each, and the seventh page waited about a minute for one
        // (pages show in about a second here). The wait is in loading the page, so that is what is bounded.
        Duration loadTimeout = chrome.manage().timeouts().getPageLoadTimeout();
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        try {
            for (int page = 1; page <= 8; page++) {
                chrome.get("about:blank");
                open("/dashboard?" + RANGE, Duration.ofSeconds(20));
            }
        } finally {
            chrome.manage().timeouts().pageLoadTimeout(loadTimeout);
        }
    }

    @Test
    void shouldShowOnlyTheChosenCampaignWhenFiltered() throws Exception {
        open("/dashboard?" + RANGE + "&campaign=camp-north");

        JsonNode total = api("/v1/reports/campaign?" + RANGE + "&campaign=camp-north").path("total");
        assertThat(total.path("leads").asInt()).isPositive().isLessThan(VALID + BAD.size());
        figures("#totals").forEach((figure, text) ->
                assertThat(text).as(figure).isEqualTo(shown(figure, total.path(figure))));
        assertThat(liveColumn("campaign")).isNotEmpty().containsOnly("camp-north");
    }

    @Test
    void shouldShowASellerItsOwnSourcesFiguresAndAuctionsWithoutBidderNamesWhenOpenedWithItsKey() throws Exception {
        open("/dashboard?" + RANGE + "#key=" + sellerKey);

        Set<String> own = outcomes.stream().filter(o -> SELLER_SOURCES.contains(o.getSourceId()))
                .map(Outcome::getLeadId).collect(Collectors.toSet());
        assertThat(own).isNotEmpty().hasSizeLessThan(VALID);
        assertThat(new HashSet<>(liveColumn("lead"))).isEqualTo(own);
        assertThat(liveColumn("source")).allSatisfy(source -> assertThat(SELLER_SOURCES).contains(source));
        JsonNode recent = api("/v1/auctions/recent", sellerKey);
        assertThat(recent.path("figures").path("buyers").isEmpty()).as("no bidder named").isTrue();
        assertThat(text("[data-figure='bids.count']")).isEqualTo(recent.path("figures").path("bids").path("price")
                .path("count").asText());
        // The headline is its own sources' total (it sees no seller's rows: those sum other sources too).
        JsonNode total = api("/v1/reports/source?" + RANGE, sellerKey).path("total");
        assertThat(total.path("leads").asInt()).isPositive().isLessThan(VALID + BAD.size());
        figures("#totals").forEach((figure, text) -> assertThat(text).as(figure).isEqualTo(shown(figure, total.path(figure))));
        assertThat(chrome.findElement(By.id("whatif")).isDisplayed()).as("the what-if is analysts'").isFalse();
    }

    @Test
    void shouldShowABuyerOnlyItsOwnBidsInTheAuctionsItWasPingedInWhenOpenedWithItsKey() throws Exception {
        open("/dashboard?" + RANGE + "#key=" + buyerKey);

        JsonNode recent = api("/v1/auctions/recent", buyerKey);
        assertThat(recent.path("figures").path("buyers").properties()).extracting(Map.Entry::getKey)
                .containsExactly("cheap");
        assertThat(text("[data-figure='bids.count']")).isEqualTo(recent.path("figures").path("bids").path("price")
                .path("count").asText()).isNotEqualTo("0");
        Set<String> pinged = new HashSet<>();
        recent.path("auctions").forEach(a -> pinged.add(a.path("leadId").asText()));
        assertThat(new HashSet<>(liveColumn("lead"))).isNotEmpty().isEqualTo(pinged);
        assertThat(liveColumn("buyer")).as("itself when it won, nobody else").allSatisfy(buyer ->
                assertThat(buyer).isIn("cheap", "–"));
        assertThat(liveColumn("bids")).as("how many others bid is not its business").containsOnly("–");
        assertThat(chrome.findElement(By.id("whatif")).isDisplayed()).isFalse();
    }

    @Test
    void shouldSendTheKeyFromTheLinkAsABearerTokenAndDropItFromTheAddressWhenOpened() {
        open("/dashboard?" + RANGE);

        assertThat(chrome.executeScript("return sessionStorage.getItem('leadmkt.key')")).isEqualTo(analystKey);
        assertThat(chrome.executeScript("return headers().Authorization")).isEqualTo("Bearer " + analystKey);
        assertThat(chrome.getCurrentUrl()).doesNotContain(analystKey);
    }

    // ---- helpers ----

    /** Opens a page of the app as the analyst (key in the link) and waits until it has shown the API's figures once. */
    private static void open(String path) {
        open(path, Duration.ofSeconds(60));
    }

    private static void open(String path, Duration within) {
        chrome.get("http://127.0.0.1:" + app.httpPort() + path + (path.contains("#") ? "" : "#key=" + analystKey));
        Awaitility.await(path).atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> chrome.executeScript("return document.body.dataset.refreshed") != null);
        assertThat(chrome.findElement(By.id("problem")).isDisplayed()).as(chrome.findElement(By.id("problem")).getText())
                .isFalse();
    }

    private static void assertRow(String css, JsonNode row) {
        Map<String, String> cells = figures(css);
        assertThat(cells).as(css).isNotEmpty();
        cells.forEach((figure, text) -> assertThat(text).as(css + " " + figure).isEqualTo(shown(figure, row.path(figure))));
    }

    /**
     * The text of every {@code [data-figure]} element inside the one {@code css} selects, read in one
     * go: the page redraws its tables on each refresh, so elements found one by one can go stale.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> figures(String css) {
        return (Map<String, String>) chrome.executeScript("const root = document.querySelector(arguments[0]);"
                + "return root ? Object.fromEntries([...root.querySelectorAll('[data-figure]')]"
                + ".map(e => [e.dataset.figure, e.textContent])) : {};", css);
    }

    /** A figure as the page writes it: money with a dollar sign, rates in percent with one decimal. */
    private static String shown(String figure, JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return "–";
        }
        return switch (figure) {
            case "revenue", "sellerPayout", "platformFee", "epl", "rpl", "returnCredit", "clawback", "conversionValue" ->
                    "$" + value.asText();
            case "sellThrough", "bidRate", "winRate", "acceptRate", "returnRate", "conversionRate" ->
                    new BigDecimal(value.asText()).setScale(1).toPlainString() + " %";
            default -> value.asText();
        };
    }

    /** One column of the live auctions table, read in one go. */
    @SuppressWarnings("unchecked")
    private static List<String> liveColumn(String figure) {
        return (List<String>) chrome.executeScript("return [...document.querySelectorAll('#live-auctions tr')]"
                + ".map(r => r.querySelector('[data-figure=\"' + arguments[0] + '\"]').textContent)", figure);
    }

    private static String text(String css) {
        return chrome.findElement(By.cssSelector(css)).getText();
    }

    /** The numbers an ECharts chart on the page draws in one series. */
    @SuppressWarnings("unchecked")
    private static List<BigDecimal> chartSeries(String chartId, int series) {
        List<Object> data = (List<Object>) chrome.executeScript("return echarts.getInstanceByDom(document.getElementById("
                + "arguments[0])).getOption().series[arguments[1]].data", chartId, series);
        return data.stream().map(v -> new BigDecimal(String.valueOf(v))).toList();
    }

    private static JsonNode api(String path) throws Exception {
        return api(path, analystKey);
    }

    private static JsonNode api(String path, String key) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.httpPort() + path)).header("Authorization", "Bearer " + key)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
