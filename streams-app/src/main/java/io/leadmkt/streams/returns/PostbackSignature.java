package io.leadmkt.streams.returns;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a postback URL, for platforms that can only fire a URL: the lowercase hex
 * HMAC-SHA256, under the buyer's postback secret, of every query parameter but {@code sig}, sorted by
 * name, as {@code name=value} joined by {@code &}, values as decoded (not percent-encoded). For
 * {@code ?type=RETURN&leadId=L1&reason=BAD_PHONE} that is the HMAC of
 * {@code leadId=L1&reason=BAD_PHONE&type=RETURN}. The buyer id is in the path, and each buyer has
 * its own secret, so a URL signed for one buyer is worthless for another; a replayed URL changes
 * nothing (one decision per lead and type).
 */
public final class PostbackSignature {
    public static final String PARAMETER = "sig";

    private PostbackSignature() {
    }

    /** The text that is signed: the parameters but {@value #PARAMETER}, sorted by name. */
    public static String canonical(Map<String, String> parameters) {
        return new TreeMap<>(parameters).entrySet().stream()
                .filter(e -> !e.getKey().equals(PARAMETER))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    /** The lowercase hex signature of {@code parameters} under {@code secret}. */
    public static String sign(String secret, Map<String, String> parameters) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonical(parameters).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} (hex, any case) signs {@code parameters} under {@code secret}; in constant time. */
    public static boolean verify(String secret, Map<String, String> parameters, String signature) {
        if (secret == null || signature == null) {
            return false;
        }
        byte[] expected = sign(secret, parameters).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
