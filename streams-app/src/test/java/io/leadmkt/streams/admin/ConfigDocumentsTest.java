package io.leadmkt.streams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.Delivery;
import io.leadmkt.schema.ReturnApproval;
import io.leadmkt.schema.ReturnPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDocumentsTest {

    private final ConfigDocuments documents = new ConfigDocuments(IntegrationCheck.OBJECT_ONLY);

    static String buyer(String id) {
        return "{buyerId: " + id + ", pingUrl: 'http://b.example/ping', postUrl: 'http://b.example/post'}";
    }

    @Test
    void shouldNameThePathWhenAFieldIsOutOfRange() {
        String yaml = """
                buyers:
                  - %s
                  - %s
                  - {buyerId: c, pingUrl: 'http://c/ping', postUrl: 'http://c/post', pingTimeoutMs: 10}
                """.formatted(buyer("a"), buyer("b"));

        ConfigBatch batch = documents.read("buyers.yaml", yaml);

        assertThat(batch.ok()).isFalse();
        assertThat(batch.errors()).singleElement().asString()
                .startsWith("buyers.yaml: buyers[2].pingTimeoutMs: ").contains("50");
    }

    @Test
    void shouldReportEveryErrorAtOnceWhenSeveralDocumentsAreWrong() {
        String yaml = """
                buyers:
                  - {buyerId: a, pingUrl: 'ftp://nope', postUrl: 'http://a/post', minScore: 101, colour: red}
                  - {name: no id}
                campaigns:
                  - {campaignId: camp-1, vertical: solar, floor: "12.345"}
                  - {campaignId: camp-2}
                """;

        ConfigBatch batch = documents.read(null, yaml);

        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith("buyers[0].pingUrl: "))
                .anySatisfy(e -> assertThat(e).startsWith("buyers[0].minScore: "))
                .anySatisfy(e -> assertThat(e).startsWith("buyers[0]").contains("colour"))
                .anySatisfy(e -> assertThat(e).isEqualTo("buyers[1].buyerId: required"))
                .anySatisfy(e -> assertThat(e).startsWith("campaigns[0].floor: "))
                .anySatisfy(e -> assertThat(e).isEqualTo("campaigns[1].vertical: required"));
        assertThat(batch.buyers()).isEmpty();
    }

    @Test
    void shouldRequireUrlsWhenTheBuyerIsAWebhookBuyer() {
        assertThat(documents.read(null, "{buyerId: a}").errors())
                .contains("pingUrl: required", "postUrl: required");
        assertThat(documents.read(null, "{buyerId: k, delivery: kafka}").buyers())
                .singleElement().extracting(BuyerConfig::getDelivery).isEqualTo(Delivery.KAFKA);
    }

    @Test
    void shouldConvertTheFloorExactlyWhenGivenAsADecimalString() {
        ConfigBatch batch = documents.read(null, "[{campaignId: c, vertical: solar, floor: \"12.5\"}]");

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.campaigns().get(0).getFloorCents()).isEqualTo(1250L);
        assertThat(ConfigDocuments.toJson(batch.campaigns().get(0)).get("floor").asText()).isEqualTo("12.50");
    }

    @Test
    void shouldReadMoneyTermsExactlyWhenCampaignSetsMarginAndSecondPrice() {
        ConfigBatch batch = documents.read(null, """
                {campaignId: c, vertical: solar, floor: "10.00", marginPercent: "15.5", marginFixed: "0.25",
                 pricing: second_price, secondPriceIncrement: "0.05", preferredBuyers: [acme]}""");

        assertThat(batch.errors()).isEmpty();
        io.leadmkt.schema.CampaignConfig campaign = batch.campaigns().get(0);
        assertThat(campaign.getMarginPercentBasisPoints()).isEqualTo(1550);
        assertThat(campaign.getMarginFixedCents()).isEqualTo(25L);
        assertThat(campaign.getPricing()).isEqualTo(io.leadmkt.schema.PricingMode.SECOND_PRICE);
        assertThat(campaign.getSecondPriceIncrementCents()).isEqualTo(5L);
        assertThat(campaign.getPreferredBuyers()).containsExactly("acme");
        assertThat(ConfigDocuments.toJson(campaign).get("marginPercent").asText()).isEqualTo("15.50");
    }

    @Test
    void shouldRefuseAMarginAboveAHundredPercent() {
        assertThat(documents.read(null, "{campaignId: c, vertical: solar, marginPercent: \"100.01\"}").errors())
                .singleElement().asString().startsWith("marginPercent: ");
    }

    @Test
    void shouldRefuseANumericFloorWhenItCouldBeFloatingPoint() {
        assertThat(documents.read(null, "{campaignId: c, vertical: solar, floor: 12.5}").errors())
                .singleElement().asString().startsWith("floor: ");
    }

    @Test
    void shouldStoreTheIntegrationAsCompactJsonWhenTheDocumentIsYaml() {
        String yaml = """
                buyerId: a
                pingUrl: http://a/ping
                postUrl: http://a/post
                integration:
                  ping: {response: {price: {path: $.price}}}
                  post: {response: {}}
                """;

        BuyerConfig buyer = documents.read(null, yaml).buyers().get(0);

        assertThat(buyer.getIntegration())
                .isEqualTo("{\"ping\":{\"response\":{\"price\":{\"path\":\"$.price\"}}},\"post\":{\"response\":{}}}");
        assertThat(buyer.getPingTimeoutMs()).isEqualTo(1000);
    }

    @Test
    void shouldPrefixIntegrationErrorsWithTheDocumentPathWhenTheCheckFails() {
        ConfigDocuments strict = new ConfigDocuments(json -> List.of("$.ping.response.price: required"));
        String json = "[" + "{\"buyerId\":\"a\",\"pingUrl\":\"http://a/p\",\"postUrl\":\"http://a/q\",\"integration\":{}}" + "]";

        assertThat(strict.read("b.json", json).errors())
                .containsExactly("b.json: [0].integration.ping.response.price: required");
    }

    @Test
    void shouldRefuseAnIdTwiceWhenInOneFile() {
        assertThat(documents.read(null, "[" + buyer("a") + ", " + buyer("a") + "]").errors())
                .containsExactly("[1]: buyer 'a' is already defined at [0]");
    }

    @Test
    void shouldTakeTheIdFromTheUrlWhenTheBodyLeavesItOut() {
        assertThat(documents.buyer("x", "{\"pingUrl\":\"http://x/p\",\"postUrl\":\"http://x/q\"}").buyers())
                .singleElement().extracting(b -> b.getBuyerId()).isEqualTo("x");
        assertThat(documents.buyer("x", "{\"buyerId\":\"y\"}").errors())
                .containsExactly("buyerId: must equal the id in the URL ('x')");
    }

    @Test
    void shouldSayWhereWhenTheTextIsNotYamlOrJson() {
        assertThat(documents.read("f.json", "{\"buyerId\": ").errors()).singleElement().asString()
                .startsWith("f.json: $: not JSON or YAML");
    }

    @Test
    void shouldReadEachYamlDocumentWhenSeparatedByDashes() {
        String yaml = """
                buyerId: a
                pingUrl: http://a/ping
                postUrl: http://a/post
                ---
                campaignId: c
                vertical: solar
                floor: "1.00"
                ---
                buyerId: b
                """;

        ConfigBatch batch = documents.read("all.yaml", yaml);

        assertThat(batch.errors()).containsExactlyInAnyOrder("all.yaml: [2].pingUrl: required", "all.yaml: [2].postUrl: required");
        assertThat(batch.campaigns()).hasSize(1);
    }

    @Test
    void shouldReadTheFiltersWhenTheBuyerSetsZipsScoresSourcesAndDayParts() {
        String yaml = """
                buyerId: f
                pingUrl: 'http://f/ping'
                postUrl: 'http://f/post'
                zipCodes: ['75001']
                zipPrefixes: ['750', '9']
                minScore: 20
                maxScore: 80
                sourceAllow: [seller-1]
                sourceBlock: [seller-9]
                subIdAllow: [sub-1]
                subIdBlock: [sub-9]
                timeZone: America/New_York
                dayParts:
                  - {days: [MON, TUE], from: "09:00", to: "17:30"}
                  - {days: [SAT], from: "20:00", to: "24:00"}
                """;

        ConfigBatch batch = documents.read(null, yaml);

        assertThat(batch.errors()).isEmpty();
        BuyerConfig buyer = batch.buyers().get(0);
        assertThat(buyer.getZipCodes()).containsExactly("75001");
        assertThat(buyer.getZipPrefixes()).containsExactly("750", "9");
        assertThat(buyer.getMaxScore()).isEqualTo(80);
        assertThat(buyer.getSourceAllow()).containsExactly("seller-1");
        assertThat(buyer.getSourceBlock()).containsExactly("seller-9");
        assertThat(buyer.getSubIdAllow()).containsExactly("sub-1");
        assertThat(buyer.getSubIdBlock()).containsExactly("sub-9");
        assertThat(buyer.getTimeZone()).isEqualTo("America/New_York");
        assertThat(buyer.getDayParts()).hasSize(2);
        assertThat(buyer.getDayParts().get(0).getDays()).containsExactly("MON", "TUE");
        assertThat(buyer.getDayParts().get(0).getFromMinute()).isEqualTo(540);
        assertThat(buyer.getDayParts().get(0).getToMinute()).isEqualTo(1050);
        assertThat(buyer.getDayParts().get(1).getToMinute()).isEqualTo(1440);
    }

    @Test
    void shouldRoundTripTheFiltersWhenWrittenBackAsADocument() {
        String json = "{buyerId: f, pingUrl: 'http://f/ping', postUrl: 'http://f/post', zipPrefixes: ['750'],"
                + " maxScore: 90, sourceBlock: [s], timeZone: Europe/Paris,"
                + " dayParts: [{days: [FRI], from: '08:05', to: '24:00'}]}";
        BuyerConfig buyer = documents.read(null, json).buyers().get(0);

        String written = ConfigDocuments.toJson(buyer).toString();
        assertThat(written).contains("\"timeZone\":\"Europe/Paris\"")
                .contains("\"dayParts\":[{\"days\":[\"FRI\"],\"from\":\"08:05\",\"to\":\"24:00\"}]");
        ConfigBatch again = documents.read(null, written);
        assertThat(again.errors()).isEmpty();
        assertThat(again.buyers()).containsExactly(buyer);
    }

    @Test
    void shouldDefaultTheFiltersWhenTheDocumentLeavesThemOut() {
        BuyerConfig buyer = documents.read(null, buyer("a")).buyers().get(0);

        assertThat(buyer.getTimeZone()).isEqualTo("UTC");
        assertThat(buyer.getMaxScore()).isEqualTo(100);
        assertThat(buyer.getDayParts()).isEmpty();
        assertThat(buyer.getZipCodes()).isEmpty();
        assertThat(buyer.getZipPrefixes()).isEmpty();
    }

    @Test
    void shouldRefuseTheBuyerWithAPathErrorWhenTheTimeZoneIsUnknown() {
        ConfigBatch batch = documents.read("b.yaml", "buyers: [{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " timeZone: Mars/Olympus_Mons}]");

        assertThat(batch.buyers()).isEmpty();
        assertThat(batch.errors()).singleElement().asString()
                .startsWith("b.yaml: buyers[0].timeZone: ").contains("Mars/Olympus_Mons");
    }

    @Test
    void shouldRefuseBadFiltersWhenZipsTimesOrDaysAreMalformed() {
        String yaml = "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q', zipCodes: ['7500'],"
                + " zipPrefixes: ['7x'], maxScore: 101,"
                + " dayParts: [{days: [MONDAY], from: '9:00', to: '24:30'}, {days: [MON], from: '17:00', to: '09:00'}]}";

        ConfigBatch batch = documents.read(null, yaml);

        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith("zipCodes[0]: "))
                .anySatisfy(e -> assertThat(e).startsWith("zipPrefixes[0]: "))
                .anySatisfy(e -> assertThat(e).startsWith("maxScore: "))
                .anySatisfy(e -> assertThat(e).startsWith("dayParts[0].days[0]: "))
                .anySatisfy(e -> assertThat(e).startsWith("dayParts[0].from: "))
                .anySatisfy(e -> assertThat(e).startsWith("dayParts[0].to: "));
        assertThat(documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " dayParts: [{days: [MON], from: '17:00', to: '09:00'}]}").errors())
                .containsExactly("dayParts[0].to: must be after from (split a window over midnight in two)");
        assertThat(documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " minScore: 60, maxScore: 40}").errors())
                .containsExactly("maxScore: must be at least minScore");
    }

    @Test
    void shouldReadStateFloorsExactlyAndPrivateMarketplaceWhenTheCampaignSetsThem() {
        ConfigBatch batch = documents.read(null, """
                campaignId: c
                vertical: solar
                floor: "10.00"
                stateFloors: {CA: "20.00", NY: "18.5", TX: "0.07"}
                marketplace: private
                allowedBuyers: [acme, globex]
                """);

        assertThat(batch.errors()).isEmpty();
        io.leadmkt.schema.CampaignConfig campaign = batch.campaigns().get(0);
        assertThat(campaign.getStateFloorsCents()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("CA", 2_000L, "NY", 1_850L, "TX", 7L));
        assertThat(campaign.getMarketplace()).isEqualTo(io.leadmkt.schema.MarketplaceMode.PRIVATE);
        assertThat(campaign.getAllowedBuyers()).containsExactly("acme", "globex");
    }

    @Test
    void shouldRoundTripStateFloorsAndMarketplaceWhenWrittenBackAsADocument() {
        io.leadmkt.schema.CampaignConfig campaign = documents.read(null, """
                {campaignId: c, vertical: solar, stateFloors: {NY: "18.50", CA: "20"}, marketplace: private,
                 allowedBuyers: [acme]}""").campaigns().get(0);

        var json = ConfigDocuments.toJson(campaign);
        assertThat(json.get("stateFloors").get("CA").asText()).isEqualTo("20.00");
        assertThat(json.get("stateFloors").get("NY").asText()).isEqualTo("18.50");
        assertThat(json.get("marketplace").asText()).isEqualTo("private");
        ConfigBatch again = documents.read(null, json.toString());
        assertThat(again.errors()).isEmpty();
        assertThat(again.campaigns()).containsExactly(campaign);
    }

    @Test
    void shouldDefaultToAnOpenMarketplaceWithoutStateFloorsWhenTheDocumentLeavesThemOut() {
        io.leadmkt.schema.CampaignConfig campaign = documents.read(null, "{campaignId: c, vertical: solar}")
                .campaigns().get(0);

        assertThat(campaign.getMarketplace()).isEqualTo(io.leadmkt.schema.MarketplaceMode.OPEN);
        assertThat(campaign.getStateFloorsCents()).isEmpty();
        assertThat(campaign.getAllowedBuyers()).isEmpty();
        assertThat(ConfigDocuments.toJson(campaign).get("marketplace").asText()).isEqualTo("open");
    }

    @Test
    void shouldRefuseAPrivateCampaignWithAPathErrorWhenItAllowsNoBuyer() {
        ConfigBatch missing = documents.read(null, "campaigns: [{campaignId: c, vertical: solar, marketplace: private}]");
        ConfigBatch empty = documents.read(null, "{campaignId: c, vertical: solar, marketplace: private, allowedBuyers: []}");

        assertThat(missing.errors()).singleElement().asString().startsWith("campaigns[0].allowedBuyers: ");
        assertThat(empty.errors()).singleElement().asString().startsWith("allowedBuyers: ");
        assertThat(missing.campaigns()).isEmpty();
        assertThat(empty.campaigns()).isEmpty();
    }

    @Test
    void shouldRefuseBadStateFloorsWhenTheStateOrAmountIsMalformed() {
        ConfigBatch batch = documents.read(null, """
                {campaignId: c, vertical: solar, stateFloors: {ca: "20.00", NY: "18.555", TX: 12}, marketplace: closed}""");

        assertThat(batch.campaigns()).isEmpty();
        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith("stateFloors"))
                .anySatisfy(e -> assertThat(e).startsWith("stateFloors.NY: "))
                .anySatisfy(e -> assertThat(e).startsWith("stateFloors.TX: "))
                .anySatisfy(e -> assertThat(e).startsWith("marketplace: "));
    }

    private static final String RULES_BUYER = """
            buyerId: rules
            postUrl: 'http://r/post'
            states: [CA, TX]
            timeZone: America/Los_Angeles
            caps:
              - {period: day, leads: 100, spend: "2500.00"}
              - {period: month, spend: "40000"}
              - {period: hour, leads: 0}
            prepaid: "5000.00"
            creditLimit: "500.5"
            fixedPrice: "25.00"
            fixedPriceByState: {CA: "30.00"}
            sourceAdjustments:
              - {source: aff-1, subId: x, multiplier: "0.80", penalty: "1.00"}
              - {source: aff-1, multiplier: "1.2345"}
              - {source: aff-2, penalty: "0.05"}
            marginPercent: "12.5"
            marginFixed: "0.25"
            priority: 10
            """;

    @Test
    void shouldReadCapsBudgetFixedPricesAndAdjustmentsExactlyWhenTheBuyerSetsThem() {
        ConfigBatch batch = documents.read(null, RULES_BUYER);

        assertThat(batch.errors()).isEmpty();
        BuyerConfig buyer = batch.buyers().get(0);
        assertThat(buyer.getCaps()).containsExactly(
                new io.leadmkt.schema.BuyerCap(io.leadmkt.schema.CapPeriod.DAY, 100, 250_000L),
                new io.leadmkt.schema.BuyerCap(io.leadmkt.schema.CapPeriod.MONTH, null, 4_000_000L),
                new io.leadmkt.schema.BuyerCap(io.leadmkt.schema.CapPeriod.HOUR, 0, null));
        assertThat(buyer.getPrepaidCents()).isEqualTo(500_000L);
        assertThat(buyer.getCreditLimitCents()).isEqualTo(50_050L);
        assertThat(buyer.getFixedPriceCents()).isEqualTo(2_500L);
        assertThat(buyer.getFixedPriceByStateCents()).containsExactlyEntriesOf(java.util.Map.of("CA", 3_000L));
        assertThat(buyer.getSourceAdjustments()).containsExactly(
                new io.leadmkt.schema.SourceAdjustment("aff-1", "x", 8_000, 100L),
                new io.leadmkt.schema.SourceAdjustment("aff-1", null, 12_345, 0L),
                new io.leadmkt.schema.SourceAdjustment("aff-2", null, 10_000, 5L));
        assertThat(buyer.getMarginPercentBasisPoints()).isEqualTo(1_250);
        assertThat(buyer.getMarginFixedCents()).isEqualTo(25L);
        assertThat(buyer.getPriority()).isEqualTo(10);
    }

    @Test
    void shouldRoundTripTheNewBuyerRulesWhenWrittenBackAsADocument() {
        BuyerConfig buyer = documents.read(null, RULES_BUYER).buyers().get(0);

        var json = ConfigDocuments.toJson(buyer);
        assertThat(json.get("caps").get(0).toString()).isEqualTo("{\"period\":\"day\",\"leads\":100,\"spend\":\"2500.00\"}");
        assertThat(json.get("caps").get(1).has("leads")).isFalse();
        assertThat(json.get("sourceAdjustments").get(0).get("multiplier").asText()).isEqualTo("0.80");
        assertThat(json.get("sourceAdjustments").get(1).get("multiplier").asText()).isEqualTo("1.2345");
        assertThat(json.get("sourceAdjustments").get(1).has("subId")).isFalse();
        assertThat(json.get("creditLimit").asText()).isEqualTo("500.50");
        assertThat(json.get("marginPercent").asText()).isEqualTo("12.50");
        ConfigBatch again = documents.read(null, json.toString());
        assertThat(again.errors()).isEmpty();
        assertThat(again.buyers()).containsExactly(buyer);
    }

    @Test
    void shouldLeaveTheNewBuyerRulesUnsetWhenTheDocumentLeavesThemOut() {
        BuyerConfig buyer = documents.read(null, buyer("a")).buyers().get(0);

        assertThat(buyer.getCaps()).isEmpty();
        assertThat(buyer.getPrepaidCents()).isNull();
        assertThat(buyer.getCreditLimitCents()).isZero();
        assertThat(buyer.getFixedPriceCents()).isNull();
        assertThat(buyer.getFixedPriceByStateCents()).isEmpty();
        assertThat(buyer.getSourceAdjustments()).isEmpty();
        assertThat(buyer.getMarginPercentBasisPoints()).isNull();
        assertThat(buyer.getMarginFixedCents()).isNull();
        assertThat(buyer.getPriority()).isEqualTo(100);
        var json = ConfigDocuments.toJson(buyer);
        assertThat(json.has("prepaid")).isFalse();
        assertThat(json.has("fixedPrice")).isFalse();
        assertThat(json.has("marginPercent")).isFalse();
        assertThat(documents.read(null, json.toString()).buyers()).containsExactly(buyer);
    }

    @Test
    void shouldReadAndRoundTripTheReturnPolicyAndPostbacksWhenTheBuyerSetsThem() {
        BuyerConfig buyer = documents.read(null, """
                buyerId: a
                pingUrl: 'http://a/p'
                postUrl: 'http://a/q'
                postbacks: {secret: 0123456789abcdef0123, conversionWindow: 14d}
                returns: {reasons: [BAD_PHONE, DUPLICATE], window: 72h, maxPercent: "12.50", period: week, approval: review}
                """).buyers().get(0);

        ReturnPolicy returns = buyer.getReturns();
        assertThat(returns.getReasonCodes()).containsExactly("BAD_PHONE", "DUPLICATE");
        assertThat(returns.getWindowMs()).isEqualTo(72 * 3_600_000L);
        assertThat(returns.getMaxPercentBasisPoints()).isEqualTo(1250);
        assertThat(returns.getPeriod()).isEqualTo(CapPeriod.WEEK);
        assertThat(returns.getApproval()).isEqualTo(ReturnApproval.REVIEW);
        assertThat(buyer.getPostbackSecret()).isEqualTo("0123456789abcdef0123");
        assertThat(buyer.getConversionWindowMs()).isEqualTo(14 * 86_400_000L);
        assertThat(documents.read(null, ConfigDocuments.toJson(buyer).toString()).buyers()).containsExactly(buyer);
    }

    @Test
    void shouldTakeNoReturnsAndDefaultTheRestWhenTheBuyerSetsOnlyAWindow() {
        BuyerConfig none = documents.read(null, buyer("a")).buyers().get(0);
        BuyerConfig windowOnly = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " returns: {window: 2d}}").buyers().get(0);

        assertThat(none.getReturns()).isNull();
        assertThat(none.getPostbackSecret()).isNull();
        assertThat(ConfigDocuments.toJson(none).has("returns")).isFalse();
        assertThat(ConfigDocuments.toJson(none).has("postbacks")).isFalse();
        assertThat(windowOnly.getReturns().getReasonCodes()).as("any reason").isEmpty();
        assertThat(windowOnly.getReturns().getMaxPercentBasisPoints()).isNull();
        assertThat(windowOnly.getReturns().getPeriod()).isEqualTo(CapPeriod.MONTH);
        assertThat(windowOnly.getReturns().getApproval()).isEqualTo(ReturnApproval.AUTO);
    }

    @Test
    void shouldNameThePathWhenTheReturnPolicyIsMalformed() {
        ConfigBatch batch = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " postbacks: {secret: short}, returns: {reasons: ['bad reason'], maxPercent: '101', approval: maybe}}");

        assertThat(batch.buyers()).isEmpty();
        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith("postbacks.secret: "))
                .anySatisfy(e -> assertThat(e).startsWith("returns.window: "))
                .anySatisfy(e -> assertThat(e).startsWith("returns.reasons[0]: "))
                .anySatisfy(e -> assertThat(e).startsWith("returns.maxPercent: "))
                .anySatisfy(e -> assertThat(e).startsWith("returns.approval: "));
    }

    @Test
    void shouldReadTheClawbackWhenTheCampaignSetsIt() {
        var campaign = documents.read(null, "{campaignId: c, vertical: auto, clawbackOnReturn: true}").campaigns().get(0);

        assertThat(campaign.getClawbackOnReturn()).isTrue();
        assertThat(documents.read(null, ConfigDocuments.toJson(campaign).toString()).campaigns()).containsExactly(campaign);
        assertThat(documents.read(null, "{campaignId: c, vertical: auto}").campaigns().get(0).getClawbackOnReturn())
                .isFalse();
    }

    @Test
    void shouldNameThePathWhenACapIsMalformed() {
        ConfigBatch batch = documents.read("caps.yaml", """
                buyers:
                  - buyerId: a
                    pingUrl: 'http://a/p'
                    postUrl: 'http://a/q'
                    caps:
                      - {period: fortnight, leads: 5}
                      - {period: day, leads: -1}
                      - {period: week, spend: "-3.00"}
                      - {period: month, spend: 12.5}
                """);

        assertThat(batch.buyers()).isEmpty();
        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith("caps.yaml: buyers[0].caps[0].period: "))
                .anySatisfy(e -> assertThat(e).startsWith("caps.yaml: buyers[0].caps[1].leads: "))
                .anySatisfy(e -> assertThat(e).startsWith("caps.yaml: buyers[0].caps[2].spend: "))
                .anySatisfy(e -> assertThat(e).startsWith("caps.yaml: buyers[0].caps[3].spend: "));
    }

    @Test
    void shouldRefuseACapWhenItHasNoLimitOrItsPeriodIsCappedTwice() {
        ConfigBatch batch = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " caps: [{period: day, leads: 5}, {period: hour}, {period: day, spend: '10.00'}]}");

        assertThat(batch.errors()).containsExactlyInAnyOrder(
                "caps[1]: needs leads, spend or both (a cap without a limit limits nothing)",
                "caps[2].period: 'day' is already capped at caps[0] (one cap per period, with leads and spend together)");
    }

    @Test
    void shouldRefuseAMultiplierWhenItIsOutOfRangeOrTooPrecise() {
        ConfigBatch batch = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " sourceAdjustments: [{source: s1, multiplier: '10.01'}, {source: s2, multiplier: '0.12345'},"
                + " {source: s3, multiplier: '-0.5'}, {source: s4, multiplier: 0.8}, {subId: x}]}");

        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith("sourceAdjustments[0].multiplier: "))
                .anySatisfy(e -> assertThat(e).startsWith("sourceAdjustments[1].multiplier: "))
                .anySatisfy(e -> assertThat(e).startsWith("sourceAdjustments[2].multiplier: "))
                .anySatisfy(e -> assertThat(e).startsWith("sourceAdjustments[3].multiplier: "))
                .anySatisfy(e -> assertThat(e).isEqualTo("sourceAdjustments[4].source: required"));
        assertThat(documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " sourceAdjustments: [{source: s1, multiplier: '10'}, {source: s2, multiplier: '0'}]}")
                .buyers().get(0).getSourceAdjustments())
                .extracting(io.leadmkt.schema.SourceAdjustment::getMultiplierBasisPoints).containsExactly(100_000, 0);
    }

    @Test
    void shouldRefuseTheSameSourceAdjustedTwiceWhenSubIdsMatch() {
        ConfigBatch batch = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " sourceAdjustments: [{source: s1}, {source: s1, subId: x}, {source: s1, subId: x, penalty: '1'}]}");

        assertThat(batch.errors()).containsExactly(
                "sourceAdjustments[2]: source 's1' sub-id 'x' is already adjusted at sourceAdjustments[1]");
    }

    @Test
    void shouldReadFieldFiltersOnAnyPreviewFieldWhenTheBuyerSetsThem() {
        ConfigBatch batch = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " fieldFilters: [{field: attributes.homeowner, op: in, values: ['true']},"
                + " {field: attributes.vehicle_year, op: at_least, values: ['2015']}, {field: subId, op: absent}]}");

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.buyers().get(0).getFieldFilters()).containsExactly(
                new io.leadmkt.schema.FieldFilter("attributes.homeowner", io.leadmkt.schema.FilterOp.IN, List.of("true")),
                new io.leadmkt.schema.FieldFilter("attributes.vehicle_year", io.leadmkt.schema.FilterOp.AT_LEAST,
                        List.of("2015")),
                new io.leadmkt.schema.FieldFilter("subId", io.leadmkt.schema.FilterOp.ABSENT, List.of()));
        BuyerConfig again = documents.read(null, ConfigDocuments.toJson(batch.buyers().get(0)).toString()).buyers().get(0);
        assertThat(again.getFieldFilters()).isEqualTo(batch.buyers().get(0).getFieldFilters());
    }

    @Test
    void shouldRefuseFieldFiltersOnContactDetailsOrWithoutTheValuesTheirConditionNeeds() {
        ConfigBatch batch = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " fieldFilters: [{field: email, op: present}, {field: score, op: at_least, values: [high]},"
                + " {field: state, op: in}, {field: zip, op: absent, values: ['75001']}]}");
        ConfigBatch unknownOp = documents.read(null, "{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " fieldFilters: [{field: state, op: like, values: [T%]}]}");

        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith(
                        "fieldFilters[0].field: 'email' is not a lead preview field"))
                .anySatisfy(e -> assertThat(e).isEqualTo(
                        "fieldFilters[1].values: at_least needs exactly one number, e.g. [\"2015\"]"))
                .anySatisfy(e -> assertThat(e).isEqualTo("fieldFilters[2].values: at least one value is needed for in"))
                .anySatisfy(e -> assertThat(e).isEqualTo("fieldFilters[3].values: absent takes no values"));
        assertThat(batch.buyers()).isEmpty();
        assertThat(unknownOp.errors()).singleElement().satisfies(e -> assertThat(e).startsWith("fieldFilters[0].op"));
    }

    @Test
    void shouldRefuseAFixedStatePriceWhenTheStateIsMalformedOrNotTaken() {
        ConfigBatch malformed = documents.read(null, "{buyerId: a, postUrl: 'http://a/q', fixedPrice: '20',"
                + " fixedPriceByState: {ca: '30.00', NY: '30.001'}}");
        ConfigBatch notTaken = documents.read(null, "{buyerId: a, postUrl: 'http://a/q', fixedPrice: '20',"
                + " states: [TX], fixedPriceByState: {CA: '30.00', TX: '22'}}");

        assertThat(malformed.errors()).anySatisfy(e -> assertThat(e).startsWith("fixedPriceByState"))
                .anySatisfy(e -> assertThat(e).startsWith("fixedPriceByState.NY: "));
        assertThat(notTaken.errors()).containsExactly(
                "fixedPriceByState.CA: the buyer does not take CA (not in states), so this price would never apply");
    }

    @Test
    void shouldNeedOnlyAPostUrlWhenTheWebhookBuyerHasAFixedPrice() {
        assertThat(documents.read(null, "{buyerId: a, postUrl: 'http://a/q', fixedPrice: '20'}").errors()).isEmpty();
        assertThat(documents.read(null, "{buyerId: a, fixedPrice: '20'}").errors()).containsExactly("postUrl: required");
        // Only some states at a fixed price: pinged for the others, so the ping URL is still needed.
        assertThat(documents.read(null, "{buyerId: a, postUrl: 'http://a/q', fixedPriceByState: {CA: '20'}}").errors())
                .containsExactly("pingUrl: required");
    }

    @Test
    void shouldRefuseACreditLimitWhenNoBalanceIsKept() {
        assertThat(documents.read(null, "{buyerId: a, delivery: kafka, creditLimit: '100'}").errors())
                .singleElement().asString().startsWith("creditLimit: needs prepaid");
        assertThat(documents.read(null, "{buyerId: a, delivery: kafka, prepaid: '0', creditLimit: '100'}").errors())
                .isEmpty();
        assertThat(documents.read(null, "{buyerId: a, delivery: kafka, prepaid: '-5', priority: -1,"
                + " marginPercent: '100.01'}").errors())
                .anySatisfy(e -> assertThat(e).startsWith("prepaid: "))
                .anySatisfy(e -> assertThat(e).startsWith("priority: "))
                .anySatisfy(e -> assertThat(e).startsWith("marginPercent: "));
    }

    @Test
    void shouldReadAndRoundTripRoutingWhenTheCampaignIsAWaterfall() {
        io.leadmkt.schema.CampaignConfig campaign = documents.read(null, """
                campaignId: w
                vertical: solar
                routing: waterfall
                waterfallOrder: price
                buyerPriorities: {acme: 1, globex: 2}
                acceptanceDiscount: true
                """).campaigns().get(0);

        assertThat(campaign.getRouting()).isEqualTo(io.leadmkt.schema.RoutingMode.WATERFALL);
        assertThat(campaign.getWaterfallOrder()).isEqualTo(io.leadmkt.schema.WaterfallOrder.PRICE);
        assertThat(campaign.getBuyerPriorities()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("acme", 1, "globex", 2));
        assertThat(campaign.getAcceptanceDiscount()).isTrue();
        var json = ConfigDocuments.toJson(campaign);
        assertThat(json.get("routing").asText()).isEqualTo("waterfall");
        assertThat(json.get("waterfallOrder").asText()).isEqualTo("price");
        assertThat(documents.read(null, json.toString()).campaigns()).containsExactly(campaign);
    }

    @Test
    void shouldReadAndRoundTripTheTimeToDecisionRuleWhenTheCampaignWantsLeadsDecidedInTime() {
        io.leadmkt.schema.CampaignConfig campaign = documents.read(null,
                "{campaignId: live, vertical: solar, maxLeadAgeMs: 2000, decideWithinMaxLeadAge: true}").campaigns().get(0);

        assertThat(campaign.getDecideWithinMaxLeadAge()).isTrue();
        assertThat(documents.read(null, ConfigDocuments.toJson(campaign).toString()).campaigns()).containsExactly(campaign);
        assertThat(documents.read(null, "{campaignId: c, vertical: solar}").campaigns().get(0)
                .getDecideWithinMaxLeadAge()).as("by default a lead offered in time is sold, however late").isFalse();
        assertThat(documents.read(null, "{campaignId: c, vertical: solar, decideWithinMaxLeadAge: soon}").errors())
                .anySatisfy(e -> assertThat(e).startsWith("decideWithinMaxLeadAge: "));
    }

    @Test
    void shouldDefaultToParallelRoutingWhenTheCampaignLeavesItOut() {
        io.leadmkt.schema.CampaignConfig campaign = documents.read(null, "{campaignId: c, vertical: solar}")
                .campaigns().get(0);

        assertThat(campaign.getRouting()).isEqualTo(io.leadmkt.schema.RoutingMode.PARALLEL);
        assertThat(campaign.getWaterfallOrder()).isEqualTo(io.leadmkt.schema.WaterfallOrder.PRIORITY);
        assertThat(campaign.getBuyerPriorities()).isEmpty();
        assertThat(campaign.getAcceptanceDiscount()).isFalse();
        assertThat(documents.read(null, ConfigDocuments.toJson(campaign).toString()).campaigns()).containsExactly(campaign);
    }

    @Test
    void shouldNameThePathWhenRoutingTermsAreMalformed() {
        ConfigBatch batch = documents.read(null, "{campaignId: c, vertical: solar, routing: ping_tree,"
                + " waterfallOrder: random, buyerPriorities: {acme: -1, 'bad id': 2, globex: '3'}, acceptanceDiscount: yes please}");

        assertThat(batch.campaigns()).isEmpty();
        assertThat(batch.errors()).anySatisfy(e -> assertThat(e).startsWith("routing: "))
                .anySatisfy(e -> assertThat(e).startsWith("waterfallOrder: "))
                .anySatisfy(e -> assertThat(e).startsWith("buyerPriorities.acme: "))
                .anySatisfy(e -> assertThat(e).startsWith("buyerPriorities.globex: "))
                .anySatisfy(e -> assertThat(e).startsWith("buyerPriorities"))
                .anySatisfy(e -> assertThat(e).startsWith("acceptanceDiscount: "));
    }

    @Test
    void shouldReadTheConsentRulesWhenTheCampaignSetsThem() {
        ConfigBatch batch = documents.read(null, """
                campaignId: c
                vertical: solar
                consent:
                  require: [trustedFormCertUrl, ipAddress, disclosureVersion]
                  maxAge: 90d
                  oneToOne: true
                """);

        assertThat(batch.errors()).isEmpty();
        io.leadmkt.schema.CampaignConfig campaign = batch.campaigns().get(0);
        assertThat(campaign.getRequiredConsentEvidence()).containsExactly("trustedFormCertUrl", "ipAddress",
                "disclosureVersion");
        assertThat(campaign.getMaxConsentAgeMs()).isEqualTo(java.time.Duration.ofDays(90).toMillis());
        assertThat(campaign.getOneToOneConsent()).isTrue();
        var json = ConfigDocuments.toJson(campaign);
        assertThat(json.get("consent").get("maxAge").asText()).isEqualTo("90d");
        assertThat(documents.read(null, json.toString()).campaigns()).containsExactly(campaign);
    }

    @Test
    void shouldKeepOnlyTheBaselineWhenTheCampaignSetsNoConsentRules() {
        io.leadmkt.schema.CampaignConfig campaign = documents.read(null, "{campaignId: c, vertical: solar}")
                .campaigns().get(0);

        assertThat(campaign.getRequiredConsentEvidence()).isEmpty();
        assertThat(campaign.getMaxConsentAgeMs()).isZero();
        assertThat(campaign.getOneToOneConsent()).isFalse();
        assertThat(ConfigDocuments.toJson(campaign).get("consent").has("maxAge")).isFalse();
    }

    @Test
    void shouldNameThePathWhenAConsentRuleIsMalformed() {
        assertThat(documents.read(null, """
                {campaignId: c, vertical: solar, consent: {require: [trustedFormCertUrl, retinaScan], maxAge: 3 weeks,
                 oneToOne: "yes", optIn: true}}""").errors())
                .anySatisfy(e -> assertThat(e).startsWith("consent.require[1]: "))
                .anySatisfy(e -> assertThat(e).startsWith("consent.maxAge: "))
                .anySatisfy(e -> assertThat(e).startsWith("consent.oneToOne: "))
                .anySatisfy(e -> assertThat(e).contains("optIn"));
    }

    @Test
    void shouldWriteTheLargestWholeUnitWhenAConsentAgeIsShownAsADocument() {
        assertThat(ConfigDocuments.age(java.time.Duration.ofHours(72).toMillis())).isEqualTo("3d");
        assertThat(ConfigDocuments.age(java.time.Duration.ofHours(7).toMillis())).isEqualTo("7h");
        assertThat(ConfigDocuments.age(90_000)).isEqualTo("90s");
        assertThat(ConfigDocuments.age(1_500)).isEqualTo("2s");
        assertThat(ConfigDocuments.ageMs("30m")).isEqualTo(1_800_000L);
    }

    @Test
    void shouldReadTheCaptureFormWhenTheCampaignHasOne() {
        ConfigBatch batch = documents.read(null, """
                campaignId: c
                vertical: solar
                consent: {oneToOne: true, require: [disclosure, disclosureVersion, ipAddress, userAgent, pageUrl]}
                form:
                  sourceId: form-c
                  disclosure: "By ticking the box I agree to be called.\\n\\nConsent is not a condition of purchase."
                  disclosureVersion: "2026-11"
                  namedBuyers: [Acme Insurance, globex]
                  title: Solar quotes
                """);

        assertThat(batch.errors()).isEmpty();
        io.leadmkt.schema.CaptureForm form = batch.campaigns().get(0).getForm();
        assertThat(form.getSourceId()).isEqualTo("form-c");
        assertThat(form.getDisclosure()).isEqualTo("By ticking the box I agree to be called.\n\nConsent is not a condition of purchase.");
        assertThat(form.getDisclosureVersion()).isEqualTo("2026-11");
        assertThat(form.getNamedBuyers()).containsExactly("Acme Insurance", "globex");
        assertThat(form.getTitle()).isEqualTo("Solar quotes");
        var json = ConfigDocuments.toJson(batch.campaigns().get(0));
        assertThat(documents.read(null, json.toString()).campaigns()).containsExactly(batch.campaigns().get(0));
    }

    @Test
    void shouldNameTheFormWhenItCouldNotTakeAnyLead() {
        assertThat(documents.read(null, """
                {campaignId: c, vertical: solar, consent: {oneToOne: true, require: [trustedFormCertUrl]},
                 form: {sourceId: form-c, disclosure: "I agree", disclosureVersion: v1}}""").errors())
                .anySatisfy(e -> assertThat(e).startsWith("form.namedBuyers: required and not empty"))
                .anySatisfy(e -> assertThat(e).startsWith("form: cannot take leads when consent.require has trustedFormCertUrl"));
        assertThat(documents.read(null, "{campaignId: c, vertical: solar, form: {sourceId: 'bad id', disclosure: ''}}")
                .errors())
                .anySatisfy(e -> assertThat(e).startsWith("form.sourceId: "))
                .anySatisfy(e -> assertThat(e).startsWith("form.disclosure: "))
                .anySatisfy(e -> assertThat(e).contains("disclosureVersion"));
    }
}
