package io.leadmkt.streams.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadmkt.streams.api.JsonFields;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How API keys are made, checked when asked for, and stored: one place for the {@code keys} command
 * and {@code POST /v1/admin/keys}.
 *
 * <p>A key is {@value #KEY_PREFIX} and 32 random bytes (base64url): shown once to whoever creates
 * it, stored only as its SHA-256. A plain hash is enough because the key is not a password: with 256
 * bits of randomness there is nothing to guess, so a slow, salted hash (bcrypt, Argon2) would buy no
 * safety against a stolen topic and would cost milliseconds on every request. The prefix lets secret
 * scanners spot a leaked key. Its public id ({@code k_} and 16 hex digits) is what lists, audits and
 * revocations name.
 */
public final class ApiKeys {

    public static final String KEY_PREFIX = "lmk_";
    /** A source, buyer or seller id as parties are named in keys and postbacks. */
    public static final Pattern PARTY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** A key id as {@link #mint} makes it. */
    public static final Pattern KEY_ID = Pattern.compile("k_[0-9a-f]{16}");
    static final int MAX_SOURCES = 100;
    static final int MAX_LABEL_LENGTH = 100;
    /** The fields of a key request, in {@code POST /v1/admin/keys} and in listings. */
    static final List<String> FIELDS = List.of("role", "sourceIds", "buyerId", "label");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ApiKeys() {
    }

    /** What a new key is to be: its role and the parties it is bound to. */
    public record Request(Role role, List<String> sourceIds, String buyerId, String label) {
    }

    /** A request, or why it cannot be one: each error names its field ({@code sourceIds: ...}). */
    public record Parsed(Request request, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** A key just made: the secret, to be shown once, and the record stored without it. */
    public record Minted(String key, ApiKey record) {
    }

    /**
     * Checks a request as the command gives it: a role; a seller bound to at least one source and no
     * buyer; a buyer bound to one buyer and no sources; the other roles to neither.
     */
    public static Parsed request(String role, List<String> sourceIds, String buyerId, String label) {
        List<String> errors = new ArrayList<>();
        Optional<Role> known = role == null ? Optional.empty() : Role.ofPath(role.strip());
        if (role == null || role.isBlank()) {
            errors.add("role: required, one of " + Role.names());
        } else if (known.isEmpty()) {
            errors.add("role: must be one of " + Role.names());
        }
        Set<String> sources = new LinkedHashSet<>();
        for (String source : sourceIds == null ? List.<String>of() : sourceIds) {
            if (source == null || !PARTY_ID.matcher(source).matches()) {
                errors.add("sourceIds: each at most 64 letters, digits and . _ -, starting with a letter or digit");
                break;
            }
            sources.add(source);
        }
        if (sources.size() > MAX_SOURCES) {
            errors.add("sourceIds: at most " + MAX_SOURCES);
        }
        String buyer = buyerId == null || buyerId.isBlank() ? null : buyerId.strip();
        if (buyer != null && !PARTY_ID.matcher(buyer).matches()) {
            errors.add("buyerId: at most 64 letters, digits and . _ -, starting with a letter or digit");
        }
        known.ifPresent(r -> {
            if (r == Role.SELLER && sources.isEmpty()) {
                errors.add("sourceIds: a seller key needs at least one source it speaks for");
            }
            if (r != Role.SELLER && !sources.isEmpty()) {
                errors.add("sourceIds: only a seller key is bound to sources");
            }
            if (r == Role.BUYER && buyer == null) {
                errors.add("buyerId: a buyer key needs the buyer it is");
            }
            if (r != Role.BUYER && buyer != null) {
                errors.add("buyerId: only a buyer key is bound to a buyer");
            }
        });
        String named = label == null || label.isBlank() ? null : label.strip();
        if (named != null && (named.length() > MAX_LABEL_LENGTH || !named.chars().allMatch(c -> c >= 0x20 && c != 0x7f))) {
            errors.add("label: at most " + MAX_LABEL_LENGTH + " printable characters");
        }
        return errors.isEmpty() ? new Parsed(new Request(known.get(), List.copyOf(sources), buyer, named), List.of())
                : new Parsed(null, errors);
    }

    /**
     * Checks a request as {@code POST /v1/admin/keys} gives it: a JSON object of {@link #FIELDS} only,
     * {@code role}, {@code buyerId} and {@code label} strings, {@code sourceIds} an array of strings.
     */
    public static Parsed request(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Parsed(null, List.of("$: must be a JSON object with role, sourceIds, buyerId, label"));
        }
        List<String> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(name + ": unknown field (expected " + String.join(", ", FIELDS) + ")");
            }
        });
        String role = JsonFields.text(body, "role", errors);
        String buyerId = JsonFields.text(body, "buyerId", errors);
        String label = JsonFields.text(body, "label", errors);
        List<String> sources = new ArrayList<>();
        JsonNode given = body.get("sourceIds");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                errors.add("sourceIds: must be an array of source ids");
            } else {
                for (JsonNode source : given) {
                    if (!source.isTextual()) {
                        errors.add("sourceIds: must be an array of source ids (strings)");
                        break;
                    }
                    sources.add(source.textValue());
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return request(role, sources, buyerId, label);
    }

    /** A new random key for {@code request}, and the record to store (its hash, never the key). */
    public static Minted mint(Request request, String createdBy, long now) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey record = ApiKey.newBuilder()
                .setKeyId("k_" + HexFormat.of().formatHex(id))
                .setKeyHash(hash(key))
                .setRole(request.role().path())
                .setSourceIds(request.sourceIds())
                .setBuyerId(request.buyerId())
                .setLabel(request.label())
                .setCreatedAt(now)
                .setCreatedBy(createdBy)
                .build();
        return new Minted(key, record);
    }

    /** SHA-256 hex of the key as sent: what the table is looked up by. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * A key as listed and audited: {@code {role, sourceIds, buyerId, label}}, plus {@code keyId},
     * {@code createdAt} and {@code createdBy} when {@code listing}. Never the key, nor its hash.
     */
    public static ObjectNode document(ApiKey key, boolean listing) {
        ObjectNode json = JSON.objectNode();
        if (listing) {
            json.put("keyId", key.getKeyId());
        }
        json.put("role", key.getRole());
        if (!key.getSourceIds().isEmpty()) {
            key.getSourceIds().forEach(json.putArray("sourceIds")::add);
        }
        if (key.getBuyerId() != null) {
            json.put("buyerId", key.getBuyerId());
        }
        if (key.getLabel() != null) {
            json.put("label", key.getLabel());
        }
        if (listing) {
            json.put("createdAt", Instant.ofEpochMilli(key.getCreatedAt()).toString());
            json.put("createdBy", key.getCreatedBy());
        }
        return json;
    }
}
