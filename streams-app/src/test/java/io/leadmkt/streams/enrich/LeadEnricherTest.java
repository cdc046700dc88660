package io.leadmkt.streams.enrich;

import static io.leadmkt.streams.intake.TestLeads.CREATED_AT;
import static io.leadmkt.streams.intake.TestLeads.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.intake.LeadNormalizer;
import io.leadmkt.streams.intake.TestLeads;
import org.junit.jupiter.api.Test;

class LeadEnricherTest {

    private final LeadNormalizer normalizer = new LeadNormalizer();
    private final LeadEnricher enricher = new LeadEnricher();

    private Lead normalised(Lead.Builder raw) {
        return normalizer.normalize(raw.build(), NOW).lead();
    }

    @Test
    void shouldHashNormalisedPhoneAndEmailWhenBothPresent() {
        Enrichment enrichment = enricher.enrich(normalised(TestLeads.raw()), NOW).getEnrichment();

        assertThat(enrichment.getPhoneHash()).isEqualTo(IdentityHash.ofPhone("+15125550147"));
        assertThat(enrichment.getEmailHash()).isEqualTo(IdentityHash.ofEmail("ada.lovelace@example.com"));
        assertThat(enrichment.getIdentityHash()).isEqualTo(enrichment.getPhoneHash());
    }

    @Test
    void shouldHashSamePersonOneWayWhenPhoneWrittenDifferently() {
        Lead dotted = normalised(TestLeads.raw().setContact(contact("512.555.0147", null)));
        Lead international = normalised(TestLeads.raw().setContact(contact("+1 512 555 0147", null)));

        assertThat(enricher.enrich(dotted, NOW).getEnrichment().getIdentityHash())
                .isEqualTo(enricher.enrich(international, NOW).getEnrichment().getIdentityHash());
    }

    @Test
    void shouldFallBackToEmailHashWhenPhoneIsAbsent() {
        Lead lead = normalised(TestLeads.raw().setContact(contact(null, " ADA@example.com ")));

        Enrichment enrichment = enricher.enrich(lead, NOW).getEnrichment();

        assertThat(enrichment.getPhoneHash()).isNull();
        assertThat(enrichment.getEmailHash()).isEqualTo(IdentityHash.ofEmail("ada@example.com"));
        assertThat(enrichment.getIdentityHash()).isEqualTo(enrichment.getEmailHash());
    }

    @Test
    void shouldStampReceivedAtAndAgeWhenEnriching() {
        Enrichment enrichment = enricher.enrich(normalised(TestLeads.raw()), NOW).getEnrichment();

        assertThat(enrichment.getReceivedAt()).isEqualTo(NOW);
        assertThat(enrichment.getLeadAgeMs()).isEqualTo(NOW - CREATED_AT);
        assertThat(enrichment.getScore()).isEqualTo(new LeadScorer().score(normalised(TestLeads.raw()), NOW));
    }

    @Test
    void shouldClampAgeToZeroWhenCreatedAtIsAheadOfOurClock() {
        Lead lead = normalised(TestLeads.raw().setCreatedAt(NOW + 60_000L));

        assertThat(enricher.enrich(lead, NOW).getEnrichment().getLeadAgeMs()).isZero();
    }

    @Test
    void shouldKeepEverythingElseAndLeaveInputUntouchedWhenEnriching() {
        Lead lead = normalised(TestLeads.raw());

        Lead enriched = enricher.enrich(lead, NOW);

        assertThat(lead.getEnrichment()).isNull();
        assertThat(enriched.getLeadId()).isEqualTo(lead.getLeadId());
        assertThat(enriched.getSourceId()).isEqualTo(lead.getSourceId());
        assertThat(enriched.getSubId()).isEqualTo(lead.getSubId());
        assertThat(enriched.getCampaignId()).isEqualTo(lead.getCampaignId());
        assertThat(enriched.getCreatedAt()).isEqualTo(lead.getCreatedAt());
        assertThat(enriched.getContact()).isEqualTo(lead.getContact());
        assertThat(enriched.getProfile()).isEqualTo(lead.getProfile());
        assertThat(enriched.getConsent()).isEqualTo(lead.getConsent());
    }

    @Test
    void shouldRefuseLeadWhenItHasNoPhoneOrEmail() {
        Lead lead = normalised(TestLeads.raw());
        lead.setContact(null);

        assertThatThrownBy(() -> enricher.enrich(lead, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    private static io.leadmkt.schema.Contact contact(String phone, String email) {
        return io.leadmkt.schema.Contact.newBuilder().setPhone(phone).setEmail(email).build();
    }
}
