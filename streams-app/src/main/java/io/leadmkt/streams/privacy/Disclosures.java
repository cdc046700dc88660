package io.leadmkt.streams.privacy;

import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.BuyerContact;
import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Disclosure;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.report.LeadStatusProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Who was told what about a lead, as the audit trail says it: the qualified lead's hashes, campaign
 * and consent evidence (carried on its {@code QUALIFIED} event, so no topic or repartition is added),
 * the buyers its rounds pinged (a PII-free preview) and those posted the full lead, with when and
 * their answer. Pure: the {@link DisclosureProcessor} stores what these return.
 */
public final class Disclosures {
    static final String IDENTITY = "identityHash";
    static final String PHONE = "phoneHash";
    static final String EMAIL = "emailHash";
    static final String CAMPAIGN = "campaign";
    static final String SOURCE = "source";
    static final String CONSENT = "consent.";

    private Disclosures() {
    }

    /**
     * What the {@code QUALIFIED} audit event carries for disclosures: hashes, campaign, source and the
     * consent evidence's references (method, certificate, TrustedForm URL, LeadiD token, disclosure
     * version and hash, capture time). No PII: the consumer's IP, user agent and page URL stay out.
     */
    public static Map<String, String> qualifiedDetail(Lead lead) {
        Map<String, String> detail = new LinkedHashMap<>();
        Enrichment enrichment = lead.getEnrichment();
        put(detail, IDENTITY, enrichment.getIdentityHash());
        put(detail, PHONE, enrichment.getPhoneHash());
        put(detail, EMAIL, enrichment.getEmailHash());
        put(detail, CAMPAIGN, lead.getCampaignId());
        put(detail, SOURCE, lead.getSourceId());
        Consent consent = lead.getConsent();
        if (consent != null) {
            put(detail, CONSENT + "method", consent.getMethod());
            put(detail, CONSENT + "certificateId", consent.getCertificateId());
            put(detail, CONSENT + "trustedFormCertUrl", consent.getTrustedFormCertUrl());
            put(detail, CONSENT + "leadIdToken", consent.getLeadIdToken());
            put(detail, CONSENT + "disclosureVersion", consent.getDisclosureVersion());
            put(detail, CONSENT + "disclosureHash", consent.getDisclosureHash());
            put(detail, CONSENT + "capturedAt", consent.getCapturedAt() == null ? null : consent.getCapturedAt().toString());
        }
        return detail;
    }

    /** A new disclosure from a {@code QUALIFIED} event; empty when it does not carry the hashes (older records). */
    static Optional<Disclosure> qualified(AuditEvent event) {
        Map<String, String> detail = event.getDetail();
        String identity = detail.get(IDENTITY);
        if (identity == null) {
            return Optional.empty();
        }
        Map<String, String> consent = new LinkedHashMap<>();
        detail.forEach((key, value) -> {
            if (key.startsWith(CONSENT)) {
                consent.put(key.substring(CONSENT.length()), value);
            }
        });
        return Optional.of(Disclosure.newBuilder().setLeadId(event.getLeadId()).setIdentityHash(identity)
                .setPhoneHash(detail.get(PHONE)).setEmailHash(detail.get(EMAIL)).setCampaignId(detail.get(CAMPAIGN))
                .setSourceId(detail.get(SOURCE)).setQualifiedAt(event.getAt()).setConsent(consent)
                .setPinged(List.of()).setPosted(List.of()).build());
    }

    /** The disclosure after {@code event}: pings and posts added, a post's answer set; other events change nothing. */
    static Disclosure after(Disclosure disclosure, AuditEvent event) {
        switch (event.getType()) {
            case PINGED -> {
                List<BuyerContact> pinged = new ArrayList<>(disclosure.getPinged());
                for (String buyer : event.getDetail().getOrDefault("buyers", "").split(",")) {
                    if (!buyer.isBlank()) {
                        pinged.add(contact(buyer, event.getAt(), 0, null));
                    }
                }
                disclosure.setPinged(pinged);
            }
            case POSTED -> {
                List<BuyerContact> posted = new ArrayList<>(disclosure.getPosted());
                posted.add(contact(event.getBuyerId(), event.getAt(), attempt(event), null));
                disclosure.setPosted(posted);
            }
            case POST_RESULT -> {
                List<BuyerContact> posted = new ArrayList<>(disclosure.getPosted());
                for (int i = 0; i < posted.size(); i++) {
                    BuyerContact post = posted.get(i);
                    if (post.getBuyerId().equals(event.getBuyerId()) && post.getAttempt() == attempt(event)) {
                        posted.set(i, contact(post.getBuyerId(), post.getAt(), post.getAttempt(), event.getStatus()));
                    }
                }
                disclosure.setPosted(posted);
            }
            default -> {
                return disclosure;
            }
        }
        return disclosure;
    }

    /**
     * Whether the stored disclosure already holds the lead's pings and posts. While a lead is open only
     * its QUALIFIED part is stored (one write per lead, not one per event); its pings and posts are
     * folded in from its timeline when it ends ({@link #current}).
     */
    static boolean settled(Disclosure stored) {
        return !stored.getPinged().isEmpty() || !stored.getPosted().isEmpty();
    }

    /** The disclosure as it stands: an open lead's stored part with the pings and posts of its timeline folded in. */
    static Disclosure current(Disclosure stored, ReadOnlyKeyValueStore<String, AuditEvent> timelines) {
        if (stored == null || settled(stored)) {
            return stored;
        }
        Disclosure folded = Disclosure.newBuilder(stored).build();
        for (AuditEvent event : LeadStatusProcessor.timeline(timelines, stored.getLeadId())) {
            if (matters(event) && event.getType() != io.leadmkt.schema.AuditType.QUALIFIED) {
                folded = after(folded, event);
            }
        }
        return folded;
    }

    /** Whether {@code event} changes a disclosure (the others are not worth a store read). */
    static boolean matters(AuditEvent event) {
        return switch (event.getType()) {
            case QUALIFIED, PINGED, POSTED, POST_RESULT -> true;
            default -> false;
        };
    }

    /** The hashes a consumer's leads are found by: phone, email and identity, each once. */
    static List<String> hashes(Disclosure disclosure) {
        List<String> hashes = new ArrayList<>();
        for (String hash : new String[] {disclosure.getPhoneHash(), disclosure.getEmailHash(), disclosure.getIdentityHash()}) {
            if (hash != null && !hashes.contains(hash)) {
                hashes.add(hash);
            }
        }
        return hashes;
    }

    private static BuyerContact contact(String buyerId, long at, int attempt, String status) {
        return BuyerContact.newBuilder().setBuyerId(buyerId).setAt(at).setAttempt(attempt).setStatus(status).build();
    }

    private static int attempt(AuditEvent event) {
        return event.getAttempt() == null ? 0 : event.getAttempt();
    }

    private static void put(Map<String, String> detail, String key, String value) {
        if (value != null && !value.isBlank()) {
            detail.put(key, value);
        }
    }
}
