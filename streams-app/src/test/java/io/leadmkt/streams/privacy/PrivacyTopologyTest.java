package io.leadmkt.streams.privacy;

import static io.leadmkt.streams.MarketFixtures.buyer;
import static io.leadmkt.streams.MarketFixtures.campaign;
import static io.leadmkt.streams.MarketFixtures.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.BuyerContact;
import io.leadmkt.schema.DataKey;
import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionEventType;
import io.leadmkt.schema.DeletionNotice;
import io.leadmkt.schema.DeletionStatus;
import io.leadmkt.schema.Disclosure;
import io.leadmkt.schema.ErasureRequest;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.MarketHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrivacyTopologyTest {
    private MarketHarness market;
    private TestOutputTopic<String, DeletionNotice> notices;
    private TestOutputTopic<String, DeletionEvent> deletionEvents;

    @BeforeEach
    void setUp() {
        market = new MarketHarness();
        market.campaign(campaign(1_000, 500).build());
        for (String id : List.of("alpha", "bravo", "charlie")) {
            market.buyer(buyer(id).build());
        }
        notices = market.outputTopic(Topics.PRIVACY_NOTICES, market.topics().privacyNotices());
        deletionEvents = market.outputTopic(Topics.PRIVACY_DELETION_EVENTS, market.topics().privacyDeletionEvents());
    }

    @AfterEach
    void tearDown() {
        market.close();
    }

    /** Sells the lead to bravo after alpha rejected it: both were posted the full lead, charlie only pinged. */
    private Lead soldToBravoAfterAlphaRejects(String leadId) {
        Lead lead = lead(leadId, market.now()).build();
        market.submit(Lead.newBuilder(lead).build());
        market.onlyPing();
        market.bid(leadId, "alpha", 3_000);
        market.bid(leadId, "bravo", 2_000);
        market.answer(leadId, "charlie", BidStatus.PASS, null);
        market.postResult(market.posts.readValue(), PostStatus.REJECTED);
        market.postResult(market.posts.readValue(), PostStatus.ACCEPTED);
        return lead;
    }

    private static String phoneHash(Lead lead) {
        String digits = lead.getContact().getPhone().replaceAll("[^0-9]", "");
        return IdentityHash.ofPhone("+1" + digits);
    }

    private static String emailHash(Lead lead) {
        return IdentityHash.ofEmail(lead.getContact().getEmail());
    }

    private ErasureRequest request(String deletionId, String... hashes) {
        return ErasureRequest.newBuilder().setDeletionId(deletionId).setHashes(List.of(hashes))
                .setRequestedBy("privacy-officer").setRequestedAt(market.now()).setPartitions(1).build();
    }

    @Test
    void shouldPostOnlySealedPiiWhenALeadIsSold() {
        Lead lead = lead("L1", market.now()).build();
        market.submit(Lead.newBuilder(lead).build());
        market.onlyPing();
        market.bid("L1", "alpha", 2_000);
        market.answer("L1", "bravo", BidStatus.PASS, null);
        market.answer("L1", "charlie", BidStatus.PASS, null);

        Post post = market.posts.readValue();
        byte[] onTopic = market.topics().posts().valueSerde().serializer().serialize(Topics.POSTS, post);
        assertThat(new String(onTopic, StandardCharsets.ISO_8859_1)).doesNotContain("Lovelace", "Analytical",
                lead.getContact().getEmail(), "203.0.113.9");
        assertThat(post.getLead().getSealed().getKeyId()).isEqualTo(phoneHash(lead));
        assertThat(market.unsealed(post).getContact().getLastName()).isEqualTo("Lovelace");
    }

    @Test
    void shouldIssueOneKeyPerConsumerWhenTheirLeadsArrive() {
        Lead first = lead("L1", market.now()).build();
        market.submit(first);
        market.submit(lead("L2", market.now()).build());
        KeyValueStore<String, DataKey> keys = market.store(KeyVault.STORE);

        assertThat(keys.approximateNumEntries()).isEqualTo(2);
        assertThat(keys.get(phoneHash(first))).isNotNull();
    }

    @Test
    void shouldListEveryBuyerPingedAndPostedWhenALeadIsSold() {
        Lead lead = soldToBravoAfterAlphaRejects("L1");
        KeyValueStore<String, String> index = market.store(DisclosureProcessor.INDEX_STORE);
        KeyValueStore<String, Disclosure> disclosures = market.store(DisclosureProcessor.STORE);

        assertThat(DisclosureProcessor.leadIds(index, emailHash(lead))).containsExactly("L1");
        assertThat(DisclosureProcessor.leadIds(index, phoneHash(lead))).containsExactly("L1");
        Disclosure disclosure = disclosures.get("L1");
        assertThat(disclosure.getPinged()).extracting(BuyerContact::getBuyerId)
                .containsExactlyInAnyOrder("alpha", "bravo", "charlie");
        assertThat(disclosure.getPosted()).extracting(BuyerContact::getBuyerId, BuyerContact::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alpha", "REJECTED"),
                        org.assertj.core.groups.Tuple.tuple("bravo", "ACCEPTED"));
        assertThat(disclosure.getCampaignId()).isEqualTo("auto-tx");
        assertThat(disclosure.getConsent()).containsEntry("certificateId", "cert-L1").containsEntry("method", "web_form");
    }

    @Test
    void shouldStoreAnOpenLeadsDisclosureOnceAndFoldItsPingsInFromTheTimelineWhenRead() {
        Lead lead = lead("L2", market.now()).build();
        market.submit(lead);
        market.onlyPing();
        market.bid("L2", "alpha", 3_000);
        KeyValueStore<String, Disclosure> disclosures = market.store(DisclosureProcessor.STORE);
        KeyValueStore<String, io.leadmkt.schema.AuditEvent> timelines =
                market.store(io.leadmkt.streams.report.LeadStatusProcessor.TIMELINE_STORE);

        // Open: only the QUALIFIED part is written (one store write per lead, not one per event) ...
        assertThat(disclosures.get("L2").getPinged()).isEmpty();
        // ... and what a query shows comes from the timeline.
        assertThat(Disclosures.current(disclosures.get("L2"), timelines).getPinged())
                .extracting(BuyerContact::getBuyerId).containsExactlyInAnyOrder("alpha", "bravo", "charlie");
    }

    @Test
    void shouldEraseTheKeyAndNoticeEveryPostedBuyerWhenTheConsumerAsksByEmailOnly() {
        Lead lead = soldToBravoAfterAlphaRejects("L1");

        market.requestDeletion(request("D1", emailHash(lead)));

        KeyValueStore<String, DataKey> keys = market.store(KeyVault.STORE);
        assertThat(keys.get(phoneHash(lead))).as("sealed under the phone, found by the email").isNull();
        List<DeletionNotice> told = notices.readValuesToList();
        assertThat(told).extracting(DeletionNotice::getBuyerId).containsExactly("alpha", "bravo");
        assertThat(told).allSatisfy(notice -> assertThat(notice.getLeadIds()).containsExactly("L1"));
        List<DeletionEvent> events = deletionEvents.readValuesToList();
        assertThat(events).extracting(DeletionEvent::getType)
                .containsExactly(DeletionEventType.LEADS_FOUND, DeletionEventType.KEY_ERASED);
        DeletionStatus status = market.<DeletionStatus>store(DeletionStatusProcessor.STORE).get("D1");
        assertThat(status.getEvents()).hasSize(2);
        assertThat(this.<Disclosure>store(DisclosureProcessor.STORE).get("L1").getErasedBy()).isEqualTo("D1");
    }

    @Test
    void shouldEraseALeadStillInFlightWhenItQualifiesAfterTheRequest() {
        Lead lead = lead("L9", market.now()).build();
        market.requestDeletion(request("D2", emailHash(lead)));
        deletionEvents.readValuesToList();

        market.submit(lead);

        assertThat(market.<DataKey>store(KeyVault.STORE).get(phoneHash(lead))).isNull();
        assertThat(deletionEvents.readValuesToList()).extracting(DeletionEvent::getType)
                .containsExactly(DeletionEventType.KEY_ERASED);
    }

    private <V> KeyValueStore<String, V> store(String name) {
        return market.store(name);
    }
}
