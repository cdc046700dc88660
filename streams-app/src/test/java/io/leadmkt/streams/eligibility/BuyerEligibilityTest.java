package io.leadmkt.streams.eligibility;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import io.leadmkt.streams.MarketFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.DayPart;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.FieldFilter;
import io.leadmkt.schema.FilterOp;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.MarketplaceMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuyerEligibilityTest {

    /** Wednesday 2026-11-25 15:00 UTC = 10:00 in New York. */
    private static final long WEDNESDAY_15_UTC = Instant.parse("2026-11-25T15:00:00Z").toEpochMilli();
    private final CampaignConfig campaign = campaign(1_000, 500).build();

    private static Lead lead(String zip, int score, String source, String subId) {
        Lead.Builder b = MarketFixtures.lead("L1", 0).setSourceId(source).setSubId(subId)
                .setEnrichment(Enrichment.newBuilder().setIdentityHash("h").setReceivedAt(0).setLeadAgeMs(0)
                        .setScore(score).build());
        b.getProfile().setZip(zip);
        return b.build();
    }

    private static Lead lead() {
        return lead("75001", 50, "seller-1", "sub-7");
    }

    private List<String> eligible(Lead lead, long now, BuyerConfig... buyers) {
        return BuyerEligibility.eligibleBuyers(lead, campaign, List.of(buyers), now);
    }

    private List<String> eligible(Lead lead, BuyerConfig... buyers) {
        return eligible(lead, WEDNESDAY_15_UTC, buyers);
    }

    @Test
    void shouldTakeEveryBuyerWhenNoNewFilterIsSet() {
        assertThat(eligible(lead(), buyer("a").build())).containsExactly("a");
    }

    @Test
    void shouldApplyFieldFiltersToTheLeadsPreviewWhenTheBuyerSetsThem() {
        BuyerConfig homeowners = buyer("homeowners").setFieldFilters(List.of(FieldFilter.newBuilder()
                .setField("attributes.homeowner").setOp(FilterOp.IN).setValues(List.of("true")).build())).build();
        BuyerConfig renters = buyer("renters").setFieldFilters(List.of(FieldFilter.newBuilder()
                .setField("attributes.homeowner").setOp(FilterOp.IN).setValues(List.of("false")).build())).build();

        assertThat(eligible(lead(), homeowners, renters)).containsExactly("homeowners");
    }

    @Test
    void shouldNeedNoPingUrlOnlyWhenTheBuyerHasAFixedPriceForTheLeadsState() {
        BuyerConfig fixedEverywhere = buyer("fixed").setPingUrl(null).setFixedPriceCents(2_000L).build();
        BuyerConfig fixedInCalifornia = buyer("fixed-ca").setPingUrl(null)
                .setFixedPriceByStateCents(Map.of("CA", 3_000L)).build();
        BuyerConfig noPingUrl = buyer("no-ping-url").setPingUrl(null).build();
        BuyerConfig noPostUrl = buyer("no-post-url").setPostUrl(null).setFixedPriceCents(2_000L).build();

        // A Texas lead: fixed-ca would have to be pinged, and cannot be.
        assertThat(eligible(lead(), fixedEverywhere, fixedInCalifornia, noPingUrl, noPostUrl))
                .containsExactly("fixed");
    }

    @Test
    void shouldMatchZipByListOrPrefixWhenTheBuyerFiltersZips() {
        BuyerConfig listed = buyer("listed").setZipCodes(List.of("75001")).build();
        BuyerConfig prefix = buyer("prefix").setZipPrefixes(List.of("750")).build();
        BuyerConfig elsewhere = buyer("elsewhere").setZipCodes(List.of("10001")).setZipPrefixes(List.of("751")).build();
        BuyerConfig any = buyer("any").build();

        assertThat(eligible(lead(), listed, prefix, elsewhere, any)).containsExactly("any", "listed", "prefix");
    }

    @Test
    void shouldSkipZipFilteredBuyersWhenTheLeadHasNoZip() {
        BuyerConfig prefix = buyer("prefix").setZipPrefixes(List.of("750")).build();
        BuyerConfig any = buyer("any").build();

        assertThat(eligible(lead(null, 50, "seller-1", "sub-7"), prefix, any)).containsExactly("any");
    }

    @Test
    void shouldKeepOnlyBuyersWhoseScoreRangeHoldsTheLeadWhenRangesDiffer() {
        BuyerConfig low = buyer("low").setMaxScore(49).build();
        BuyerConfig edge = buyer("edge").setMinScore(50).setMaxScore(50).build();
        BuyerConfig high = buyer("high").setMinScore(51).build();

        assertThat(eligible(lead(), low, edge, high)).containsExactly("edge");
    }

    @Test
    void shouldApplySourceAllowAndBlockWhenSet() {
        BuyerConfig allows = buyer("allows").setSourceAllow(List.of("seller-1")).build();
        BuyerConfig allowsOther = buyer("allows-other").setSourceAllow(List.of("seller-2")).build();
        BuyerConfig blocks = buyer("blocks").setSourceBlock(List.of("seller-1")).build();
        BuyerConfig both = buyer("both").setSourceAllow(List.of("seller-1")).setSourceBlock(List.of("seller-1")).build();

        assertThat(eligible(lead(), allows, allowsOther, blocks, both)).containsExactly("allows");
    }

    @Test
    void shouldApplySubIdAllowAndBlockWhenSet() {
        BuyerConfig allows = buyer("allows").setSubIdAllow(List.of("sub-7")).build();
        BuyerConfig allowsOther = buyer("allows-other").setSubIdAllow(List.of("sub-8")).build();
        BuyerConfig blocks = buyer("blocks").setSubIdBlock(List.of("sub-7")).build();
        BuyerConfig both = buyer("both").setSubIdAllow(List.of("sub-7")).setSubIdBlock(List.of("sub-7")).build();

        assertThat(eligible(lead(), allows, allowsOther, blocks, both)).containsExactly("allows");
        assertThat(eligible(lead("75001", 50, "seller-1", null), allows, blocks)).containsExactly("blocks");
    }

    @Test
    void shouldReadDayPartsInTheBuyersZoneWhenTheBuyerHasOne() {
        DayPart office = DayPart.newBuilder().setDays(List.of("WED")).setFromMinute(9 * 60).setToMinute(17 * 60).build();
        BuyerConfig newYork = buyer("ny").setTimeZone("America/New_York").setDayParts(List.of(office)).build();
        BuyerConfig tokyo = buyer("tokyo").setTimeZone("Asia/Tokyo").setDayParts(List.of(office)).build();
        BuyerConfig utc = buyer("utc").setDayParts(List.of(office)).build();

        // 10:00 in New York, 15:00 UTC, Thursday 00:00 in Tokyo
        assertThat(eligible(lead(), newYork, tokyo, utc)).containsExactly("ny", "utc");
    }

    @Test
    void shouldTreatTheEndOfADayPartAsExclusiveWhenAtTheBoundary() {
        DayPart morning = DayPart.newBuilder().setDays(List.of("WED")).setFromMinute(9 * 60).setToMinute(15 * 60).build();
        DayPart afternoon = DayPart.newBuilder().setDays(List.of("WED")).setFromMinute(15 * 60).setToMinute(1440).build();
        BuyerConfig before = buyer("before").setDayParts(List.of(morning)).build();
        BuyerConfig after = buyer("after").setDayParts(List.of(afternoon)).build();

        assertThat(eligible(lead(), before, after)).containsExactly("after");
    }

    @Test
    void shouldSkipTheBuyerWithoutFailingWhenItsTimeZoneIsInvalid() {
        BuyerConfig broken = buyer("broken").setTimeZone("Mars/Olympus_Mons").build();
        BuyerConfig fine = buyer("fine").build();

        assertThat(eligible(lead(), broken, fine)).containsExactly("fine");
        assertThat(eligible(lead(), broken, fine)).containsExactly("fine");
    }

    @Test
    void shouldOfferOnlyAllowedBuyersWhenTheCampaignIsPrivate() {
        CampaignConfig privateCampaign = campaign(1_000, 500).setMarketplace(MarketplaceMode.PRIVATE)
                .setAllowedBuyers(List.of("friend", "partner")).build();

        assertThat(BuyerEligibility.eligibleBuyers(lead(), privateCampaign,
                List.of(buyer("friend").build(), buyer("stranger").build(), buyer("partner").build()), WEDNESDAY_15_UTC))
                .containsExactly("friend", "partner");
    }

    @Test
    void shouldIgnoreTheAllowListWhenTheCampaignIsOpen() {
        CampaignConfig open = campaign(1_000, 500).setMarketplace(MarketplaceMode.OPEN)
                .setAllowedBuyers(List.of("friend")).build();

        assertThat(BuyerEligibility.eligibleBuyers(lead(), open,
                List.of(buyer("friend").build(), buyer("stranger").build()), WEDNESDAY_15_UTC))
                .containsExactly("friend", "stranger");
    }

    @Test
    void shouldExcludeABlockedBuyerWhenTheCampaignIsPrivateAndAlsoAllowsIt() {
        CampaignConfig privateCampaign = campaign(1_000, 500).setMarketplace(MarketplaceMode.PRIVATE)
                .setAllowedBuyers(List.of("friend", "frenemy")).setBlockedBuyers(List.of("frenemy")).build();

        assertThat(BuyerEligibility.eligibleBuyers(lead(), privateCampaign,
                List.of(buyer("friend").build(), buyer("frenemy").build()), WEDNESDAY_15_UTC))
                .containsExactly("friend");
    }

    @Test
    void shouldStillApplyTheBuyersOwnFiltersWhenTheCampaignIsPrivate() {
        CampaignConfig privateCampaign = campaign(1_000, 500).setMarketplace(MarketplaceMode.PRIVATE)
                .setAllowedBuyers(List.of("ohio", "any")).build();

        assertThat(BuyerEligibility.eligibleBuyers(lead(), privateCampaign,
                List.of(buyer("ohio").setStates(List.of("OH")).build(), buyer("any").build()), WEDNESDAY_15_UTC))
                .containsExactly("any");
    }

    @Test
    void shouldUseTheStateFloorWhenTheCampaignHasOneForTheLeadsState() {
        CampaignConfig floors = campaign(1_000, 500).setStateFloorsCents(Map.of("TX", 1_750L, "CA", 2_000L)).build();
        Lead texas = lead();
        Lead ohio = MarketFixtures.lead("L2", 0).build();
        ohio.getProfile().setState("OH");

        assertThat(BuyerEligibility.floorCents(floors, texas)).isEqualTo(1_750L);
        assertThat(BuyerEligibility.floorCents(floors, ohio)).isEqualTo(1_000L);
        assertThat(BuyerEligibility.floorCents(campaign, texas)).isEqualTo(1_000L);
    }

    @Test
    void shouldOfferOnlyTheBuyersTheConsentNamesWhenConsentIsOneToOne() {
        Lead lead = lead();
        lead.getConsent().setNamedBuyers(List.of("ACME  insurance", "globex"));

        assertThat(eligible(lead, buyer("acme").setName("Acme Insurance").build(), buyer("globex").build(),
                buyer("initech").build())).containsExactly("acme", "globex");
    }

    @Test
    void shouldLeaveTheChoiceToTheOtherRulesWhenConsentNamesNobody() {
        Lead lead = lead();
        lead.getConsent().setNamedBuyers(List.of(" "));

        assertThat(eligible(lead, buyer("acme").build(), buyer("globex").build())).containsExactly("acme", "globex");
    }
}
