package io.leadmkt.streams.enrich;

import io.leadmkt.schema.Contact;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.Lead;

/**
 * Adds what intake knows about a lead beyond what the source sent: the identity hashes that
 * dedupe and suppression match on (so those stages never need the phone or email itself), when
 * we received it, how old it was then, and its {@link LeadScorer score}. Thread-safe.
 */
public final class LeadEnricher {

    private final LeadScorer scorer;

    public LeadEnricher() {
        this(new LeadScorer());
    }

    public LeadEnricher(LeadScorer scorer) {
        this.scorer = scorer;
    }

    /**
     * A copy of {@code normalized} with its Enrichment set: phoneHash/emailHash via IdentityHash,
     * identityHash = phone hash else email hash, receivedAt = nowMs, leadAgeMs = max(0, now -
     * createdAt), score 0..100. The input is not modified; the copy shares its contact, profile
     * and consent records.
     *
     * @throws IllegalArgumentException if the lead has neither phone nor email, which
     *     {@link io.leadmkt.streams.intake.LeadNormalizer} never lets through: enriching an
     *     un-normalised lead would hash the same consumer two ways.
     */
    public Lead enrich(Lead normalized, long nowMs) {
        return enrich(normalized, nowMs, nowMs);
    }

    /**
     * As {@link #enrich(Lead, long)}, with {@code arrivedAtMs} the moment the lead entered the
     * marketplace (its {@code leads.inbound} record time): its time to decision counts from there, so a
     * lead that queued behind our own backlog is known to be that old. Never later than now.
     */
    public Lead enrich(Lead normalized, long arrivedAtMs, long nowMs) {
        Contact contact = normalized.getContact();
        String phoneHash = phoneHash(contact);
        String emailHash = emailHash(contact);
        String identityHash = identityHash(normalized);
        Enrichment enrichment = new Enrichment(phoneHash, emailHash, identityHash, nowMs,
                Math.max(0L, nowMs - normalized.getCreatedAt()), scorer.score(normalized, nowMs),
                arrivedAtMs <= 0 ? nowMs : Math.min(arrivedAtMs, nowMs));
        // Not Lead.newBuilder(lead): its deep copy asks Avro's class-security check to load our
        // nested record classes, which only passes once a serde has trusted our package.
        return new Lead(normalized.getLeadId(), normalized.getSourceId(), normalized.getSubId(),
                normalized.getCampaignId(), normalized.getCreatedAt(), normalized.getContact(),
                normalized.getProfile(), normalized.getConsent(), enrichment, normalized.getSealed());
    }

    /**
     * The consumer's identity: the phone's hash, else the email's, of a normalised lead.
     *
     * @throws IllegalArgumentException if the lead has neither (intake never lets one through)
     */
    public static String identityHash(Lead normalized) {
        String phoneHash = phoneHash(normalized.getContact());
        String identityHash = phoneHash != null ? phoneHash : emailHash(normalized.getContact());
        if (identityHash == null) {
            throw new IllegalArgumentException("lead " + normalized.getLeadId()
                    + " has neither phone nor email: normalise it before enriching");
        }
        return identityHash;
    }

    private static String phoneHash(Contact contact) {
        return contact == null || contact.getPhone() == null ? null : IdentityHash.ofPhone(contact.getPhone());
    }

    private static String emailHash(Contact contact) {
        return contact == null || contact.getEmail() == null ? null : IdentityHash.ofEmail(contact.getEmail());
    }
}
