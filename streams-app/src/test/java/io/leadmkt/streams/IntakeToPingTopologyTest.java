package io.leadmkt.streams;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.serde.AvroSerde;
import io.leadmkt.streams.comply.IdentityPartition;
import io.leadmkt.streams.outcome.Rejections;
import io.leadmkt.streams.report.LeadStatusProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Everything before the auction: what reaches a buyer, and what never does. */
class IntakeToPingTopologyTest {
    private MarketHarness market;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(1_000, 500).build());
        market.buyer(buyer("alpha").build());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    private Rejection onlyRejection() {
        List<Rejection> all = market.rejected.readValuesToList();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private void assertGoodLeadStillFlows() {
        market.submit(lead("good-after", market.now()).build());
        assertThat(market.pings.readValuesToList()).extracting(Ping::getLeadId).containsExactly("good-after");
    }

    /** A fresh lead whose consumer's identity partition is 0 (the one the driver reads every input from) or not. */
    private Lead leadWhoseIdentityIs(boolean onPartitionZero) {
        for (int i = 0; ; i++) {
            Lead lead = lead("route-" + i, market.now()).build();
            int partition = IdentityPartition.ofRaw(lead, 3, market.now()).getAsInt();
            if ((partition == 0) == onPartitionZero) {
                return lead;
            }
        }
    }

    private TestOutputTopic<String, Lead> crossing() {
        return market.outputTopic(LeadMarketTopology.leadsByIdentityTopic("leadmkt"), market.topics().leadsInbound());
    }

    @Test
    void shouldPingWithoutCrossingWhenTheLeadArrivesOnItsIdentitysPartition() {
        TestOutputTopic<String, Lead> crossing = crossing();
        Lead lead = leadWhoseIdentityIs(true);

        market.submit(lead);

        assertThat(crossing.isEmpty()).isTrue();
        assertThat(market.onlyPing().getLeadId()).isEqualTo(lead.getLeadId());
    }

    @Test
    void shouldCrossToItsIdentitysPartitionThenPingWhenTheLeadArrivesElsewhere() {
        TestOutputTopic<String, Lead> crossing = crossing();
        Lead lead = leadWhoseIdentityIs(false);

        market.submit(lead);

        List<org.apache.kafka.streams.test.TestRecord<String, Lead>> crossed = crossing.readRecordsToList();
        assertThat(crossed).hasSize(1);
        assertThat(crossed.get(0).getValue().getLeadId()).isEqualTo(lead.getLeadId());
        assertThat(crossed.get(0).getKey()).isEqualTo(crossed.get(0).getValue().getEnrichment().getIdentityHash());
        assertThat(market.onlyPing().getLeadId()).isEqualTo(lead.getLeadId());
    }

    @Test
    void shouldRejectAndDeadLetterWhenBytesAreNotAvro() {
        byte[] garbage = "{\"leadId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        market.inboundBytes.pipeInput("bad-1", garbage);

        Rejection rejection = onlyRejection();
        assertThat(rejection.getReasonCode()).isEqualTo(Rejections.UNDECODABLE);
        assertThat(rejection.getLeadId()).isEqualTo("bad-1");
        assertThat(rejection.getOrigin()).startsWith("leads.inbound-0@");
        assertThat(market.deadletter.readValue()).isEqualTo(garbage);
        assertGoodLeadStillFlows();
    }

    @Test
    void shouldRejectWhenRecordHasAnotherSchema() {
        AvroSerde<Bid> bids = market.topics().serde(Bid.class);
        market.inboundBytes.pipeInput("bad-2", bids.serialize("leads.inbound", Bid.newBuilder().setLeadId("bad-2")
                .setBuyerId("b").setStatus(BidStatus.PASS).setRespondedAt(1).build()));

        assertThat(onlyRejection().getReasonCode()).isEqualTo(Rejections.WRONG_SCHEMA);
        assertGoodLeadStillFlows();
    }

    @Test
    void shouldRejectWhenSchemaIdIsUnknown() {
        byte[] bytes = market.topics().leadsInbound().valueSerde().serializer()
                .serialize("leads.inbound", lead("bad-3", market.now()).build());
        bytes[1] = 0x7e;
        market.inboundBytes.pipeInput("bad-3", bytes);

        assertThat(onlyRejection().getReasonCode()).isEqualTo(Rejections.UNKNOWN_SCHEMA);
        assertGoodLeadStillFlows();
    }

    @Test
    void shouldRejectNamingEachFieldWhenFieldsAreMissingOrMalformed() {
        market.submit(lead("bad-4", market.now())
                .setContact(Contact.newBuilder().setPhone("555-12").setEmail("not-an-email").build())
                .setProfile(io.leadmkt.schema.Profile.newBuilder().setVertical("auto_insurance").setState("ZZ")
                        .setZip("7500").build())
                .build());

        Rejection rejection = onlyRejection();
        assertThat(rejection.getReasonCode()).isEqualTo(Rejections.INVALID);
        assertThat(rejection.getErrors()).extracting(FieldError::getField)
                .contains("contact.phone", "contact.email", "profile.state", "profile.zip");
        assertThat(market.pings.isEmpty()).isTrue();
        assertGoodLeadStillFlows();
    }

    @Test
    void shouldRejectWhenContactAndProfileAreAbsent() {
        market.submit(lead("bad-5", market.now()).setContact(null).setProfile(null).build());

        assertThat(onlyRejection().getErrors()).extracting(FieldError::getField).contains("contact", "profile");
        assertGoodLeadStillFlows();
    }

    @Test
    void shouldRejectWithoutPingWhenConsentEvidenceIsMissing() {
        market.submit(lead("bad-6", market.now()).setConsent(null).build());

        assertThat(onlyRejection().getReasonCode()).isEqualTo(Rejections.NO_CONSENT);
        assertThat(market.pings.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectWhenConsumerIsSuppressed() {
        Lead lead = lead("bad-7", market.now()).build();
        market.suppressPhoneOf(lead, "do-not-call request");

        market.submit(lead);

        assertThat(onlyRejection().getReasonCode()).isEqualTo(Rejections.SUPPRESSED);
        assertThat(market.pings.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectWhenTheConsumerAskedForErasureWithThePhoneWrittenAnotherWay() {
        Lead lead = lead("erased-1", market.now()).build();
        String digits = lead.getContact().getPhone().replaceAll("\\D", "");
        // what an operator types from the consumer's letter, not what the seller's form sent
        market.suppress("+1 " + digits.substring(0, 3) + " " + digits.substring(3, 6) + " " + digits.substring(6),
                null, null);

        market.submit(lead);

        assertThat(onlyRejection().getReasonCode()).isEqualTo(Rejections.SUPPRESSED);
        assertThat(market.pings.isEmpty()).isTrue();
        assertGoodLeadStillFlows();
    }

    @Test
    void shouldRejectWhenTheConsumerAskedForErasureByEmailOnly() {
        Lead lead = lead("erased-2", market.now()).build();
        market.suppress(null, "  " + lead.getContact().getEmail().toUpperCase() + " ", "opt-out");

        market.submit(lead);

        assertThat(onlyRejection().getReasonCode()).isEqualTo(Rejections.SUPPRESSED);
        assertThat(market.pings.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectNamingEachFieldBeforeAnyPingWhenTheLeadLacksEvidenceItsCampaignRequires() {
        market.campaign(campaign(1_000, 500).setRequiredConsentEvidence(List.of("trustedFormCertUrl", "userAgent"))
                .build());
        Lead lead = lead("no-cert", market.now()).build();
        lead.getConsent().setUserAgent("Mozilla/5.0");

        market.submit(lead);

        Rejection rejection = onlyRejection();
        assertThat(rejection.getReasonCode()).isEqualTo(Rejections.CONSENT_EVIDENCE);
        assertThat(rejection.getErrors()).extracting(FieldError::getField, FieldError::getCode)
                .containsExactly(org.assertj.core.api.Assertions.tuple("consent.trustedFormCertUrl", "MISSING"));
        assertThat(market.pings.isEmpty()).isTrue();
    }

    @Test
    void shouldPingOnlyTheBuyersTheConsentNamesWhenTheCampaignTakesOneToOneConsent() {
        market.campaign(campaign(1_000, 500).setOneToOneConsent(true).build());
        market.buyer(buyer("beta").build());
        market.buyer(buyer("gamma").setName("Gamma Insurance").build());
        Lead unnamed = lead("unnamed", market.now()).build();
        Lead named = lead("named", market.now()).build();
        named.getConsent().setNamedBuyers(List.of("gamma insurance", "Alpha"));

        market.submit(unnamed);
        market.submit(named);

        assertThat(onlyRejection()).satisfies(r -> {
            assertThat(r.getLeadId()).isEqualTo("unnamed");
            assertThat(r.getReasonCode()).isEqualTo(Rejections.CONSENT_EVIDENCE);
            assertThat(r.getErrors()).extracting(FieldError::getField).containsExactly("consent.namedBuyers");
        });
        assertThat(market.onlyPing().getBuyers()).containsExactlyInAnyOrder("alpha", "gamma");
    }

    @Test
    void shouldOfferTheLeadWhenItsConsumersSuppressionHasExpiredButNotWhileInForce() {
        Lead lapsed = lead("lapsed", market.now()).build();
        Lead listed = lead("listed", market.now()).build();
        market.suppressUntil(lapsed.getContact().getPhone(), null, "DNC", market.now() + 60_000);
        market.suppressUntil(listed.getContact().getPhone(), null, "DNC", market.now() + 3_600_000);
        market.advance(Duration.ofMinutes(2));

        market.submit(lead("lapsed", market.now()).setContact(lapsed.getContact()).build());
        market.submit(lead("listed", market.now()).setContact(listed.getContact()).build());

        assertThat(onlyRejection()).satisfies(r -> {
            assertThat(r.getLeadId()).isEqualTo("listed");
            assertThat(r.getReasonCode()).isEqualTo(Rejections.SUPPRESSED);
        });
        assertThat(market.pings.readValuesToList()).extracting(Ping::getLeadId).containsExactly("lapsed");
    }

    @Test
    void shouldRejectSecondLeadWhenSameConsumerArrivesWithinWindow() {
        Lead first = lead("dup-1", market.now()).build();
        Lead second = Lead.newBuilder(first).setLeadId("dup-2").build();

        market.submit(first);
        market.submit(second);

        assertThat(market.pings.readValuesToList()).extracting(Ping::getLeadId).containsExactly("dup-1");
        var rejected = market.rejected.readKeyValuesToList();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).key).as("keyed by lead id like every lead-keyed topic").isEqualTo("dup-2");
        assertThat(rejected.get(0).value.getReasonCode()).isEqualTo(Rejections.DUPLICATE);
        assertThat(market.status("dup-2").getStage()).isEqualTo("rejected");
    }

    @Test
    void shouldAcceptSameConsumerAgainWhenWindowHasPassed() {
        Lead first = lead("again-1", market.now()).build();
        market.submit(first);
        market.advance(Duration.ofHours(25));

        market.submit(Lead.newBuilder(first).setLeadId("again-2").setCreatedAt(market.now()).build());

        assertThat(market.pings.readValuesToList()).extracting(Ping::getLeadId).contains("again-1", "again-2");
    }

    @Test
    void shouldRejectWhenCampaignIsUnknown() {
        market.submit(lead("bad-8", market.now()).setCampaignId("nope").build());

        assertThat(onlyRejection().getReasonCode()).isEqualTo(Rejections.UNKNOWN_CAMPAIGN);
    }

    @Test
    void shouldCarryNoPiiInPingWhenLeadIsPinged() {
        Lead lead = lead("L1", market.now()).build();
        market.submit(lead);
        Ping ping = market.onlyPing();

        String text = ping.toString();
        Contact contact = lead.getContact();
        for (String pii : List.of(contact.getFirstName(), contact.getLastName(), contact.getEmail().toLowerCase(),
                contact.getStreetAddress(), contact.getIpAddress(), "+1" + contact.getPhone().replaceAll("\\D", ""))) {
            assertThat(text).doesNotContain(pii);
        }
        assertThat(fieldNames(Ping.getClassSchema()))
                .doesNotContain("contact", "firstName", "lastName", "email", "phone", "streetAddress", "ipAddress");
        assertThat(ping.getPreview().getState()).isEqualTo("TX");
        assertThat(ping.getPreview().getScore()).isBetween(0, 100);
    }

    @Test
    void shouldPingOnlyBuyersWhoseFiltersMatchWhenRulesDiffer() {
        market.buyer(buyer("texas-only").setStates(List.of("TX")).build());
        market.buyer(buyer("ohio-only").setStates(List.of("OH")).build());
        market.buyer(buyer("solar-only").setVerticals(List.of("solar")).build());
        market.buyer(buyer("picky").setMinScore(101).build());
        market.buyer(buyer("other-campaign").setCampaigns(List.of("elsewhere")).build());
        market.buyer(buyer("paused").setActive(false).build());
        market.buyer(buyer("blocked").build());
        market.campaign(campaign(1_000, 500).setBlockedBuyers(List.of("blocked")).build());

        market.submit(lead("L1", market.now()).build());

        assertThat(market.onlyPing().getBuyers()).containsExactly("alpha", "texas-only");
    }

    @Test
    void shouldTrackStageAndOutcomeWhenLeadIsSold() {
        market.submit(lead("L1", market.now()).build());
        assertThat(market.status("L1").getStage()).isEqualTo("bidding");
        market.bid("L1", "alpha", 1_500);
        Post post = market.posts.readValue();
        assertThat(market.status("L1").getStage()).isEqualTo("posting");
        market.postResult(post, PostStatus.ACCEPTED);

        LeadStatus status = market.status("L1");
        assertThat(status.getStage()).isEqualTo("sold");
        assertThat(status.getOutcome().getPriceCents()).isEqualTo(1_500);
        assertThat(status.getTimeline()).extracting(e -> e.getType().name())
                .containsSubsequence("QUALIFIED", "PINGED", "AUCTION_CLOSED", "POSTED", "POST_RESULT", "SOLD");
        assertThat(status.getTimeline()).filteredOn(e -> e.getType().name().equals("AUCTION_CLOSED")).singleElement()
                .satisfies(closed -> assertThat(closed.getAnswers()).extracting(a -> a.getBuyerId() + " " + a.getStatus())
                        .contains("alpha BID"));
        assertThat(status.toString()).doesNotContain("Lovelace");
    }

    @Test
    void shouldTrackRejectionWhenLeadIsRefused() {
        market.submit(lead("bad-9", market.now()).setConsent(null).build());

        LeadStatus status = market.status("bad-9");
        assertThat(status.getStage()).isEqualTo("rejected");
        assertThat(status.getRejection().getReasonCode()).isEqualTo(Rejections.NO_CONSENT);
    }

    @Test
    void shouldKeepPiiOutOfAuditOutcomesRejectionsAndStatusWhenLeadsAreSoldOrRefused() {
        Lead sold = lead("L-sold", market.now()).build();
        Lead refused = lead("L-refused", market.now()).setConsent(null).build();
        Lead duplicate = Lead.newBuilder(sold).setLeadId("L-dup").build();
        market.submit(sold);
        market.submit(refused);
        market.submit(duplicate);
        market.bid("L-sold", "alpha", 1_500);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);

        List<String> piiFree = new java.util.ArrayList<>();
        market.audit.readValuesToList().forEach(e -> piiFree.add(e.toString()));
        market.outcomes.readValuesToList().forEach(o -> piiFree.add(o.toString()));
        market.rejected.readValuesToList().forEach(r -> piiFree.add(r.toString()));
        market.pings.readValuesToList().forEach(p -> piiFree.add(p.toString()));
        for (String id : List.of("L-sold", "L-refused", "L-dup")) {
            piiFree.add(market.status(id).toString());
        }
        assertThat(piiFree).hasSizeGreaterThan(10);
        for (Lead lead : List.of(sold, refused)) {
            Contact c = lead.getContact();
            for (String pii : List.of(c.getFirstName(), c.getLastName(), c.getEmail(), c.getEmail().toLowerCase(),
                    c.getStreetAddress(), c.getIpAddress(), "+1" + c.getPhone().replaceAll("\\D", ""))) {
                assertThat(piiFree).noneMatch(text -> text.contains(pii));
            }
        }
    }

    @Test
    void shouldPostExactlyWhatWasPingedWhenSourceResendsLeadWithOtherData() {
        Lead original = lead("L-frozen", market.now()).build();
        market.submit(original);
        Ping ping = market.onlyPing();
        // the source re-sends the same lead id with other qualifying data while the auction runs
        market.submit(Lead.newBuilder(original).setProfile(io.leadmkt.schema.Profile.newBuilder(original.getProfile())
                .setZip("73301").setAttributes(java.util.Map.of("homeowner", "false")).build()).build());
        market.bid("L-frozen", "alpha", 1_500);

        Post post = market.posts.readValue();
        Lead posted = post.getLead();
        assertThat(posted.getProfile().getState()).isEqualTo(ping.getPreview().getState());
        assertThat(posted.getProfile().getZip()).isEqualTo(ping.getPreview().getZip()).isEqualTo("75001");
        assertThat(posted.getProfile().getVertical()).isEqualTo(ping.getPreview().getVertical());
        assertThat(posted.getProfile().getAttributes()).isEqualTo(ping.getPreview().getAttributes());
        assertThat(posted.getEnrichment().getScore()).isEqualTo(ping.getPreview().getScore());
        assertThat(posted.getSourceId()).isEqualTo(ping.getPreview().getSourceId());
        assertThat(market.pings.isEmpty()).as("the re-sent lead opens no second auction").isTrue();
    }

    private static Set<String> fieldNames(Schema schema) {
        return schema.getFields().stream()
                .flatMap(f -> {
                    Schema s = f.schema();
                    if (s.getType() == Schema.Type.RECORD) {
                        return java.util.stream.Stream.concat(java.util.stream.Stream.of(f.name()), fieldNames(s).stream());
                    }
                    return java.util.stream.Stream.of(f.name());
                })
                .collect(Collectors.toSet());
    }

    @Test
    void shouldWorkOutTheStageFromTheTimelineWhenTheLeadIsStillOpen() {
        market.submit(lead("L1", market.now()).build());

        assertThat(market.status("L1").getStage()).isEqualTo("bidding");
        assertThat(market.<LeadStatus>store(LeadStatusProcessor.STORE).get("L1").getStage())
                .as("stored when first seen, not rewritten at every stage").isEqualTo("received");

        market.bid("L1", "alpha", 1_500);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
        assertThat(market.<LeadStatus>store(LeadStatusProcessor.STORE).get("L1").getStage())
                .as("stored again when it ends").isEqualTo("sold");
    }
}
