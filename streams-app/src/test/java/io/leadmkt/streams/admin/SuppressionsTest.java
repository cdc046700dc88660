package io.leadmkt.streams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.MarketFixtures;
import io.leadmkt.streams.enrich.LeadEnricher;
import io.leadmkt.streams.intake.IntakeResult;
import io.leadmkt.streams.intake.LeadNormalizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SuppressionsTest {

    private static final long NOW = 1_800_000_000_000L;

    /** The hashes intake computes for a lead with this phone and email (normalise, then enrich). */
    private static Enrichment intakeHashes(String phone, String email) {
        Lead raw = MarketFixtures.lead("supp-1", NOW).build();
        raw.getContact().setPhone(phone);
        raw.getContact().setEmail(email);
        IntakeResult normalized = new LeadNormalizer().normalize(raw, NOW);
        assertThat(normalized.errors()).isEmpty();
        return new LeadEnricher().enrich(normalized.lead(), NOW).getEnrichment();
    }

    private static SuppressionEntry only(Suppressions.Parsed parsed) {
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.entries()).hasSize(1);
        return parsed.entries().get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(512) 555-0123", "+1 512 555 0123", "512.555.0123", " 1-512-555-0123 "})
    void shouldHashThePhoneAsIntakeDoesWhenWrittenInAnyCommonNotation(String written) {
        String intake = intakeHashes("(512) 555-0123", null).getPhoneHash();

        SuppressionEntry entry = only(Suppressions.request(written, null, null, NOW));

        assertThat(entry.getHash()).isEqualTo(intake);
        assertThat(entry.getKind()).isEqualTo("phone");
        assertThat(entry.getReason()).isEqualTo(Suppressions.DEFAULT_REASON);
        assertThat(entry.getAddedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldHashTheEmailAsIntakeDoesWhenItDiffersInCaseAndSpace() {
        String intake = intakeHashes(null, "Ada.Lovelace@Example.COM").getEmailHash();

        SuppressionEntry entry = only(Suppressions.request(null, "  ada.lovelace@example.com\t", "opt-out", NOW));

        assertThat(entry.getHash()).isEqualTo(intake);
        assertThat(entry.getKind()).isEqualTo("email");
        assertThat(entry.getReason()).isEqualTo("opt-out");
    }

    @Test
    void shouldGivePhoneThenEmailWhenBothAreGiven() {
        Enrichment intake = intakeHashes("512-555-0123", "a@b.com");

        Suppressions.Parsed parsed = Suppressions.request("(512) 555-0123", "A@B.com", "  ", NOW);

        assertThat(parsed.ok()).isTrue();
        assertThat(parsed.entries()).extracting(SuppressionEntry::getKind).containsExactly("phone", "email");
        assertThat(parsed.entries()).extracting(SuppressionEntry::getHash)
                .containsExactly(intake.getPhoneHash(), intake.getEmailHash());
        assertThat(parsed.entries()).extracting(SuppressionEntry::getReason)
                .containsOnly(Suppressions.DEFAULT_REASON);
    }

    @Test
    void shouldNameEveryBadFieldWithoutItsValueWhenTheRequestIsInvalid() {
        Suppressions.Parsed parsed = Suppressions.request("555-0123", "not-an-email", "x".repeat(300), NOW);

        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.entries()).isEmpty();
        assertThat(parsed.errors()).containsExactly("reason: at most 255 characters",
                "phone: not a US phone number", "email: not an email address");
        assertThat(String.join(" ", parsed.errors())).doesNotContain("555-0123", "not-an-email");
    }

    @Test
    void shouldRequireAPhoneOrAnEmailWhenBothAreBlank() {
        assertThat(Suppressions.request(null, " ", "opt-out", NOW).errors())
                .containsExactly("one of phone or email is required");
    }

    @Test
    void shouldReadTheAdminApiBodyWhenItIsAJsonObject() {
        String intake = intakeHashes("(512) 555-0123", null).getPhoneHash();

        assertThat(only(Suppressions.request("{\"phone\":\"512.555.0123\"}", NOW)).getHash()).isEqualTo(intake);
        assertThat(Suppressions.request("{\"phone\":5125550123,\"fax\":\"x\"}", NOW).errors())
                .containsExactlyInAnyOrder("fax: unknown field (expected phone, email, reason)", "phone: must be a string");
        assertThat(Suppressions.request("[1]", NOW).errors()).containsExactly("$: must be an object");
        assertThat(Suppressions.request("{", NOW).errors()).containsExactly("$: not valid JSON");
        assertThat(Suppressions.request("{}", NOW).errors()).isEqualTo(List.of("one of phone or email is required"));
    }

    @Test
    void shouldRecordTheReporterAsSourceWhenABuyerPostsAnOptOut() {
        Suppressions.Parsed parsed = Suppressions.optOut("{\"phone\":\"512-555-0123\",\"buyerId\":\"acme\"}", NOW);

        SuppressionEntry entry = only(parsed);
        assertThat(entry.getSource()).isEqualTo("buyer:acme");
        assertThat(entry.getReason()).isEqualTo(Suppressions.DEFAULT_OPT_OUT_REASON);
        assertThat(entry.getExpiresAt()).as("an opt-out is permanent").isNull();
        assertThat(entry.getHash()).isEqualTo(io.leadmkt.schema.IdentityHash.ofPhone("+15125550123"));
        assertThat(only(Suppressions.optOut("{\"email\":\"a@b.co\",\"sellerId\":\"s-1\",\"reason\":\"STOP\"}", NOW)))
                .satisfies(e -> assertThat(e.getSource()).isEqualTo("seller:s-1"))
                .satisfies(e -> assertThat(e.getReason()).isEqualTo("STOP"));
    }

    @Test
    void shouldNameEachBadFieldWhenAnOptOutIsInvalid() {
        assertThat(Suppressions.optOut("{\"phone\":\"555-0123\"}", NOW).errors()).containsExactly(
                "buyerId: one of buyerId or sellerId is required (who reports the opt-out)",
                "phone: not a US phone number");
        assertThat(Suppressions.optOut("{\"email\":\"a@b.co\",\"buyerId\":\"a\",\"sellerId\":\"b\"}", NOW).errors())
                .containsExactly("sellerId: give buyerId or sellerId, not both");
        assertThat(Suppressions.optOut("{\"email\":\"a@b.co\",\"buyerId\":\"no spaces\"}", NOW).errors())
                .containsExactly("buyerId: at most 64 letters, digits and . _ -");
        assertThat(Suppressions.optOut("{\"email\":7,\"buyerId\":\"a\",\"why\":\"x\"}", NOW).errors())
                .containsExactly("why: unknown field (expected phone, email, reason, buyerId, sellerId)",
                        "email: must be a string");
        assertThat(Suppressions.optOut("[]", NOW).errors()).containsExactly("$: must be an object");
    }

    @Test
    void shouldExpireAtTheEndOfTheLastDayInUtcWhenAListLastsDays() {
        long addedAt = java.time.Instant.parse("2026-11-01T10:15:00Z").toEpochMilli();

        assertThat(java.time.Instant.ofEpochMilli(Suppressions.expiresAt(addedAt, 31)))
                .isEqualTo(java.time.Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(Suppressions.expiresAt(addedAt + 3_600_000, 31)).as("same day, same expiry")
                .isEqualTo(Suppressions.expiresAt(addedAt, 31));
    }

    @Test
    void shouldReadDaysWhenWrittenWithOrWithoutTheUnit() {
        assertThat(Suppressions.days("31d")).contains(31);
        assertThat(Suppressions.days(" 31 ")).contains(31);
        assertThat(Suppressions.days("0d")).isEmpty();
        assertThat(Suppressions.days("2h")).isEmpty();
        assertThat(Suppressions.days("36501d")).isEmpty();
        assertThat(Suppressions.days(null)).isEmpty();
    }

    @Test
    void shouldHashAClearPhoneAndTakeAGivenEmailHashWhenADeletionIsRequested() {
        String emailHash = io.leadmkt.schema.IdentityHash.ofEmail("ada@example.com");
        Suppressions.Parsed parsed = Suppressions.deletion("{\"phone\":\"(512) 555-0123\",\"emailHash\":\""
                + emailHash + "\"}", NOW);

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.entries()).extracting(e -> e.getHash())
                .containsExactly(io.leadmkt.schema.IdentityHash.ofPhone("+15125550123"), emailHash);
        assertThat(parsed.entries()).allSatisfy(e -> {
            assertThat(e.getSource()).isEqualTo(Suppressions.PRIVACY_SOURCE);
            assertThat(e.getExpiresAt()).isNull();
        });
    }

    @Test
    void shouldNameEveryBadFieldWithoutItsValueWhenADeletionRequestIsInvalid() {
        Suppressions.Parsed parsed = Suppressions.deletion("{\"phone\":\"call me\",\"phoneHash\":\"ABC\",\"fax\":\"1\"}", NOW);

        assertThat(parsed.entries()).isEmpty();
        assertThat(String.join("; ", parsed.errors())).contains("fax: unknown field");
        assertThat(Suppressions.deletion("{\"phone\":\"call me\",\"phoneHash\":\"ABC\"}", NOW).errors())
                .containsExactly("phone: not a US phone number", "phoneHash: not a SHA-256 hash (64 lower-case hex digits)");
        assertThat(Suppressions.deletion("{}", NOW).errors())
                .containsExactly("one of phone, email, phoneHash or emailHash is required");
    }
}
