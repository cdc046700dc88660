package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.config.SuppressCommand;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.LeadGenerator;
import io.leadmkt.simulator.SimulatedBuyer;
import io.leadmkt.streams.ConfigTables;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.ConfigTopics;
import io.leadmkt.streams.admin.Suppressions;
import io.leadmkt.streams.intake.UsPhoneNumber;
import io.leadmkt.streams.outcome.Rejections;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Consent rules and opt-outs on the real broker, the real streams app, connector and an HTTP buyer:
 * a campaign that requires a TrustedForm certificate rejects a lead without one, naming the field,
 * before the buyer hears of it, and sells one with it (the buyer receiving the certificate); a
 * phone imported with {@code leadmkt suppress import} suppresses a later lead; an entry past its
 * expiry does not.
 */
class ComplianceEndToEndTest {

    private static final Topics TOPICS = Topics.embedded();
    private static final String CERT = "https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567";
    private static final CampaignConfig OPEN = RealMarket.campaign("camp-open", "seller-c", 1_000, 1_000);
    private static final CampaignConfig TRUSTED_FORM = CampaignConfig.newBuilder(
            RealMarket.campaign("camp-tf", "seller-c", 1_000, 1_000))
            .setRequiredConsentEvidence(List.of("trustedFormCertUrl")).build();

    private static RealMarket market;
    private static LeadMarketApp app;
    private static LeadGenerator generator;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        market = RealMarket.start(List.of(BuyerSpec.of("good", BuyerBehaviour.alwaysBids(2_000))),
                List.of(OPEN, TRUSTED_FORM));
        app = LeadMarketApp.start(market.appConfig("compliance"));
        generator = new LeadGenerator(market.producer(), TOPICS, new LeadGenerator.Options(1, 0, 11, List.of(OPEN)));
    }

    @AfterAll
    static void stop() {
        Closing.quietly(app, market);
    }

    private static Lead lead(CampaignConfig campaign) {
        Lead lead = generator.lead(LeadGenerator.Kind.VALID);
        lead.setCampaignId(campaign.getCampaignId());
        return lead;
    }

    private static void send(Lead lead) throws Exception {
        market.producer().send(new ProducerRecord<>(Topics.LEADS_INBOUND, lead.getLeadId(),
                TOPICS.leadsInbound().valueSerde().serializer().serialize(Topics.LEADS_INBOUND, lead))).get();
    }

    private static Rejection rejectionOf(Lead lead) {
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> market.tracker().rejections().containsKey(lead.getLeadId())
                || market.tracker().outcomes().containsKey(lead.getLeadId()));
        assertThat(market.tracker().outcomes()).as("no outcome for a refused lead").doesNotContainKey(lead.getLeadId());
        return market.tracker().rejections().get(lead.getLeadId());
    }

    private static OutcomeStatus outcomeOf(Lead lead) {
        Awaitility.await().atMost(RealMarket.SETTLE).until(() -> market.tracker().outcomes().containsKey(lead.getLeadId())
                || market.tracker().rejections().containsKey(lead.getLeadId()));
        assertThat(market.tracker().rejections()).as("not refused").doesNotContainKey(lead.getLeadId());
        return market.tracker().outcomes().get(lead.getLeadId()).getStatus();
    }

    /** Until this instance's global suppression table holds the hash: config reaches the app asynchronously. */
    private static void awaitOnTheList(String hash) {
        Awaitility.await().atMost(RealMarket.SETTLE).ignoreExceptions().until(() -> app.streams().store(
                StoreQueryParameters.fromNameAndType(ConfigTables.SUPPRESSION_STORE,
                        QueryableStoreTypes.<String, Object>keyValueStore())).get(hash) != null);
    }

    @Test
    void shouldRejectNamingTheFieldBeforeAnyBuyerHearsWhenTheCampaignRequiresTrustedFormAndTheLeadHasNone()
            throws Exception {
        Lead without = lead(TRUSTED_FORM);
        Lead with = lead(TRUSTED_FORM);
        with.getConsent().setTrustedFormCertUrl(CERT);

        send(without);
        send(with);

        Rejection rejection = rejectionOf(without);
        assertThat(rejection.getReasonCode()).isEqualTo(Rejections.CONSENT_EVIDENCE);
        assertThat(rejection.getErrors()).extracting(FieldError::getField).containsExactly("consent.trustedFormCertUrl");
        assertThat(outcomeOf(with)).isEqualTo(OutcomeStatus.SOLD);
        SimulatedBuyer buyer = market.farm().byId().get("good");
        assertThat(RealMarket.leadIdsOf(buyer.pings(), java.util.Set.of(without.getLeadId()))).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> post = (Map<String, Object>) buyer.posts().stream()
                .filter(p -> with.getLeadId().equals(p.get("leadId"))).findFirst().orElseThrow().get("lead");
        assertThat(((Map<?, ?>) post.get("consent")).get("trustedFormCertUrl")).isEqualTo(CERT);
    }

    @Test
    void shouldSuppressALaterLeadWhenItsPhoneWasBulkImportedButNotWhenItsEntryHasExpired() throws Exception {
        Lead listed = lead(OPEN);
        Lead lapsed = lead(OPEN);
        String listedHash = IdentityHash.ofPhone(UsPhoneNumber.toE164(listed.getContact().getPhone()).orElseThrow());
        String lapsedHash = IdentityHash.ofPhone(UsPhoneNumber.toE164(lapsed.getContact().getPhone()).orElseThrow());
        Path list = Files.writeString(dir.resolve("dnc.csv"), "phone,name\n" + listed.getContact().getPhone()
                + ",Listed\n(512) 555-0177,Other\n");
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new SuppressCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(new StringWriter(), true))
                .execute("import", list.toString(), "--expires-in", "31d", "--reason", "DNC",
                        "--bootstrap-servers", market.broker().bootstrapServers(), "--actor", "compliance-test");
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("2 entries from 2 rows: 2 created");
        long now = System.currentTimeMillis();
        try (ConfigTopics topics = new ConfigTopics(market.broker().clients(), TOPICS, "compliance-test")) {
            // A list imported 32 days ago for 31 days: due for a re-scrub, no longer in force.
            topics.suppress(Suppressions.request(lapsed.getContact().getPhone(), null, "DNC", "import",
                            now - Duration.ofDays(1).toMillis(), now - Duration.ofDays(32).toMillis()).entries(),
                    new ConfigChanges.Author("compliance-test", ConfigChanges.VIA_CONFIG_APPLY));
        }
        awaitOnTheList(listedHash);
        awaitOnTheList(lapsedHash);

        send(listed);
        send(lapsed);

        assertThat(rejectionOf(listed).getReasonCode()).isEqualTo(Rejections.SUPPRESSED);
        assertThat(outcomeOf(lapsed)).isEqualTo(OutcomeStatus.SOLD);
    }
}
