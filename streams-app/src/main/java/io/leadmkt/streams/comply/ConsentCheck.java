package io.leadmkt.streams.comply;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import io.leadmkt.streams.outcome.Rejections;
import java.util.ArrayList;
import java.util.List;

/**
 * TCPA-style consent evidence every lead needs, whatever its campaign: how consent was captured,
 * a certificate or token that proves it (a {@code certificateId}, a TrustedForm certificate URL or a
 * Jornaya LeadiD token), and when. A lead without all three never reaches a buyer. What a campaign
 * requires beyond this is {@link ConsentRules}'.
 */
public final class ConsentCheck {
    /** Clocks of lead sources drift; consent captured a little "after" receipt is still plausible. */
    static final long CLOCK_SKEW_MS = 5 * 60 * 1000L;

    private ConsentCheck() {
    }

    public static List<FieldError> check(Lead lead, long nowMs) {
        List<FieldError> errors = new ArrayList<>();
        Consent consent = lead.getConsent();
        if (consent == null) {
            errors.add(Rejections.error("consent", "MISSING", "consent evidence is required"));
            return errors;
        }
        if (blank(consent.getMethod())) {
            errors.add(Rejections.error("consent.method", "MISSING", "how consent was captured is required"));
        }
        if (blank(consent.getCertificateId()) && blank(consent.getTrustedFormCertUrl()) && blank(consent.getLeadIdToken())) {
            errors.add(Rejections.error("consent.certificateId", "MISSING",
                    "a consent certificate or token is required (certificateId, trustedFormCertUrl or leadIdToken)"));
        }
        if (consent.getCapturedAt() == null || consent.getCapturedAt() <= 0) {
            errors.add(Rejections.error("consent.capturedAt", "MISSING", "when consent was captured is required"));
        } else if (consent.getCapturedAt() > nowMs + CLOCK_SKEW_MS) {
            errors.add(Rejections.error("consent.capturedAt", "OUT_OF_RANGE", "consent is dated in the future"));
        }
        return errors;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
