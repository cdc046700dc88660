package io.leadmkt.connector.integration;

import io.leadmkt.connector.integration.Integration.Auth;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The headers that prove a request is ours, per the buyer's {@link Auth}. */
public final class RequestAuth {

    private RequestAuth() {
    }

    /**
     * @param signedContent the request body (or query string) an HMAC covers
     * @param epochSeconds  the timestamp an HMAC covers, sent along so the buyer can check freshness
     */
    public static Map<String, String> headers(Auth auth, byte[] signedContent, long epochSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (auth == null) {
            return headers;
        }
        switch (auth.type()) {
            case BASIC -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8)));
            case BEARER -> headers.put("Authorization", "Bearer " + auth.token());
            case HEADER -> headers.put(auth.header(), auth.value());
            case HMAC -> {
                String timestamp = Long.toString(epochSeconds);
                headers.put(auth.timestampHeader(), timestamp);
                headers.put(auth.signatureHeader(), hmacSha256Hex(auth.secret(), timestamp, signedContent));
            }
        }
        return headers;
    }

    /** {@code hex(HMAC-SHA256(secret, timestamp + "." + content))}: what a buyer recomputes to verify us. */
    public static String hmacSha256Hex(String secret, String timestamp, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(content == null ? new byte[0] : content);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
