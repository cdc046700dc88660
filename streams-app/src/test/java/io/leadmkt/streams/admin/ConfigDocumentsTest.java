package io.leadmkt.streams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
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
}
