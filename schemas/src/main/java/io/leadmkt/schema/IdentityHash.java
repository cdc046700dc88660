package io.leadmkt.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 hex of a consumer identifier, so dedupe, suppression, audit and reports can match a
 * consumer without holding the identifier. Inputs must already be normalised (E.164 phone,
 * trimmed lower-case email), as intake does, or the same person hashes two ways.
 */
public final class IdentityHash {
    private IdentityHash() {
    }

    public static String ofPhone(String e164) {
        return sha256Hex("phone:" + e164);
    }

    public static String ofEmail(String email) {
        return sha256Hex("email:" + email.trim().toLowerCase(Locale.ROOT));
    }

    static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
