package io.leadmkt.streams.comply;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.SuppressionEntry;
import org.junit.jupiter.api.Test;

class SuppressionRulesTest {

    private static final long NOW = 1_800_000_000_000L;

    private static SuppressionEntry entry(Long expiresAt) {
        return SuppressionEntry.newBuilder().setHash("h").setKind("phone").setReason("DNC").setAddedAt(NOW - 10)
                .setExpiresAt(expiresAt).build();
    }

    @Test
    void shouldSuppressForeverWhenTheEntryIsPermanent() {
        assertThat(SuppressionRules.inForce(entry(null), NOW)).isTrue();
        assertThat(SuppressionRules.inForce(entry(null), Long.MAX_VALUE)).isTrue();
    }

    @Test
    void shouldSuppressUntilTheExpiryAndNotFromItWhenTheEntryExpires() {
        SuppressionEntry entry = entry(NOW + 1_000);

        assertThat(SuppressionRules.inForce(entry, NOW)).isTrue();
        assertThat(SuppressionRules.inForce(entry, NOW + 999)).isTrue();
        assertThat(SuppressionRules.inForce(entry, NOW + 1_000)).isFalse();
        assertThat(SuppressionRules.inForce(entry, NOW + 86_400_000)).isFalse();
    }

    @Test
    void shouldNotSuppressWhenThereIsNoEntry() {
        assertThat(SuppressionRules.inForce(null, NOW)).isFalse();
    }

    @Test
    void shouldNeverShortenAnEntryInForceWhenAnExpiringOneArrives() {
        assertThat(SuppressionRules.replaces(entry(null), entry(NOW + 1_000), NOW)).as("permanent kept").isFalse();
        assertThat(SuppressionRules.replaces(entry(NOW + 2_000), entry(NOW + 1_000), NOW)).as("later kept").isFalse();
    }

    @Test
    void shouldReplaceWhenTheNewEntryLastsAtLeastAsLong() {
        assertThat(SuppressionRules.replaces(entry(NOW + 1_000), entry(NOW + 2_000), NOW)).as("renewed").isTrue();
        assertThat(SuppressionRules.replaces(entry(NOW + 1_000), entry(null), NOW)).as("made permanent").isTrue();
        assertThat(SuppressionRules.replaces(entry(null), entry(null), NOW)).as("same term").isTrue();
    }

    @Test
    void shouldReplaceWhenTheEntryThereIsAbsentOrExpired() {
        assertThat(SuppressionRules.replaces(null, entry(NOW + 1_000), NOW)).isTrue();
        assertThat(SuppressionRules.replaces(entry(NOW - 1), entry(NOW - 5), NOW)).isTrue();
    }
}
