package io.leadmkt.streams.enrich;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.Profile;

/**
 * A 0..100 quality score buyers can filter on ({@code minScore}) and price by. Deterministic: the
 * same lead at the same instant always scores the same, so a replayed lead is judged as before.
 *
 * <p>Points, which sum to at most 100:
 * <ul>
 *   <li>contact, up to 35: phone 10, email 10, first name 5, last name 5, street address 5 —
 *       more ways to reach the consumer is what a buyer pays for;</li>
 *   <li>profile, up to 20: vertical 5, state 5, zip 5, city 5;</li>
 *   <li>consent certificate present, 20 — a TrustedForm/Jornaya style token is the evidence a
 *       buyer needs if the contact is ever disputed;</li>
 *   <li>freshness, up to 15, by age (now minus createdAt): under 1 minute 15, under 5 minutes 12,
 *       under 1 hour 8, under 24 hours 4, older 0 — contact rates fall fast with age;</li>
 *   <li>qualifying attributes, 2 each, up to 10 (five attributes).</li>
 * </ul>
 * Thread-safe. Expects a normalised lead, but tolerates missing parts (they score nothing).
 */
public final class LeadScorer {

    static final long MINUTE_MS = 60_000L;
    static final long HOUR_MS = 60 * MINUTE_MS;

    public LeadScorer() {
    }

    public int score(Lead normalized, long nowMs) {
        if (normalized == null) {
            return 0;
        }
        int score = contact(normalized.getContact())
                + profile(normalized.getProfile())
                + consent(normalized.getConsent())
                + freshness(nowMs - normalized.getCreatedAt())
                + attributes(normalized.getProfile());
        return Math.max(0, Math.min(100, score));
    }

    private static int contact(Contact contact) {
        if (contact == null) {
            return 0;
        }
        return points(contact.getPhone(), 10)
                + points(contact.getEmail(), 10)
                + points(contact.getFirstName(), 5)
                + points(contact.getLastName(), 5)
                + points(contact.getStreetAddress(), 5);
    }

    private static int profile(Profile profile) {
        if (profile == null) {
            return 0;
        }
        return points(profile.getVertical(), 5)
                + points(profile.getState(), 5)
                + points(profile.getZip(), 5)
                + points(profile.getCity(), 5);
    }

    private static int consent(Consent consent) {
        return consent == null ? 0 : points(consent.getCertificateId(), 20);
    }

    /** A createdAt slightly ahead of our clock (allowed skew) counts as brand new. */
    private static int freshness(long ageMs) {
        if (ageMs < MINUTE_MS) {
            return 15;
        } else if (ageMs < 5 * MINUTE_MS) {
            return 12;
        } else if (ageMs < HOUR_MS) {
            return 8;
        } else if (ageMs < 24 * HOUR_MS) {
            return 4;
        }
        return 0;
    }

    private static int attributes(Profile profile) {
        if (profile == null || profile.getAttributes() == null) {
            return 0;
        }
        return 2 * Math.min(5, profile.getAttributes().size());
    }

    private static int points(String value, int points) {
        return value == null || value.isBlank() ? 0 : points;
    }
}
