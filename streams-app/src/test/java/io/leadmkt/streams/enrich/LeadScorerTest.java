package io.leadmkt.streams.enrich;

import static io.leadmkt.streams.intake.TestLeads.CREATED_AT;
import static io.leadmkt.streams.intake.TestLeads.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;
import io.leadmkt.streams.intake.LeadNormalizer;
import io.leadmkt.streams.intake.TestLeads;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeadScorerTest {

    private final LeadScorer scorer = new LeadScorer();

    private static Lead complete() {
        return new LeadNormalizer().normalize(TestLeads.raw().build(), NOW).lead();
    }

    /** Phone only, state and vertical only, no consent, no attributes. */
    private static Lead sparse(long createdAt) {
        return Lead.newBuilder()
                .setLeadId("sparse").setSourceId("s").setCampaignId("c").setCreatedAt(createdAt)
                .setContact(Contact.newBuilder().setPhone("+15125550147").build())
                .setProfile(Profile.newBuilder().setVertical("solar").setState("TX").build())
                .build();
    }

    @Test
    void shouldScoreNinetyFourWhenCompleteFreshLeadHasTwoAttributes() {
        // contact 35 + profile 20 + certificate 20 + fresh 15 + 2 attributes 4
        assertThat(scorer.score(complete(), NOW)).isEqualTo(94);
    }

    @Test
    void shouldScoreHundredWhenEverythingIsPresentAndFresh() {
        Lead lead = complete();
        lead.getProfile().setAttributes(Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6"));

        assertThat(scorer.score(lead, NOW)).isEqualTo(100);
    }

    @Test
    void shouldScoreHigherWhenLeadIsCompleteRatherThanSparse() {
        assertThat(scorer.score(complete(), NOW)).isGreaterThan(scorer.score(sparse(CREATED_AT), NOW));
    }

    @Test
    void shouldScoreSparseFreshLeadFromItsPartsWhenLittleIsKnown() {
        // phone 10 + vertical 5 + state 5 + fresh 15
        assertThat(scorer.score(sparse(CREATED_AT), NOW)).isEqualTo(35);
    }

    @Test
    void shouldAddTwentyWhenConsentCertificateIsPresent() {
        Lead without = sparse(CREATED_AT);
        Lead with = sparse(CREATED_AT);
        with.setConsent(Consent.newBuilder().setCertificateId("cert-1").build());

        assertThat(scorer.score(with, NOW) - scorer.score(without, NOW)).isEqualTo(20);
    }

    static Stream<Arguments> ages() {
        long minute = 60_000L;
        return Stream.of(
                Arguments.of(0L, 15), Arguments.of(minute - 1, 15), Arguments.of(minute, 12),
                Arguments.of(5 * minute, 8), Arguments.of(60 * minute, 4), Arguments.of(24 * 60 * minute, 0),
                Arguments.of(-minute, 15));
    }

    @ParameterizedTest
    @MethodSource("ages")
    void shouldGiveFreshnessPointsWhenLeadIsThisOld(long ageMs, int freshness) {
        int base = scorer.score(sparse(CREATED_AT), CREATED_AT + 365L * 24 * 3_600_000L);

        assertThat(scorer.score(sparse(CREATED_AT), CREATED_AT + ageMs) - base).isEqualTo(freshness);
    }

    @Test
    void shouldNeverRiseWhenLeadAges() {
        int[] scores = IntStream.range(0, 48).map(hour -> scorer.score(complete(), CREATED_AT + hour * 1_800_000L)).toArray();

        for (int i = 1; i < scores.length; i++) {
            assertThat(scores[i]).isLessThanOrEqualTo(scores[i - 1]);
        }
    }

    @Test
    void shouldStayWithinZeroToHundredWhenLeadIsEmptyOrOverfull() {
        Lead overfull = complete();
        overfull.getProfile().setAttributes(Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6", "g", "7"));

        assertThat(scorer.score(new Lead(), Long.MAX_VALUE)).isBetween(0, 100);
        assertThat(scorer.score(null, NOW)).isZero();
        assertThat(scorer.score(overfull, NOW)).isBetween(0, 100);
        assertThat(scorer.score(complete(), Long.MIN_VALUE)).isBetween(0, 100);
    }

    @Test
    void shouldGiveSameScoreWhenAskedTwice() {
        assertThat(scorer.score(complete(), NOW)).isEqualTo(scorer.score(complete(), NOW));
    }
}
