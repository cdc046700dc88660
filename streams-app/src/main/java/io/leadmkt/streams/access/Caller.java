package io.leadmkt.streams.access;

import io.leadmkt.schema.ApiKey;
import java.util.Objects;
import java.util.Set;

/**
 * Who made a request, as its key says: the key's id (never the key), its role and the parties it is
 * bound to (a seller's sources, a buyer's id).
 *
 * @param keyId     the key's public id, or {@value #ADMIN_TOKEN_ID} / {@value #UNCHECKED_ID}
 * @param role      what it may do
 * @param sourceIds a seller's sources; empty for every other role
 * @param buyerId   a buyer's id; null for every other role
 */
public record Caller(String keyId, Role role, Set<String> sourceIds, String buyerId) {

    /** The key id recorded for requests made with the admin token ({@code LEADMKT_ADMIN_TOKEN}). */
    public static final String ADMIN_TOKEN_ID = "admin-token";
    /** The key id recorded for requests served with {@code http.auth.required=false}. */
    public static final String UNCHECKED_ID = "auth-off";

    public static final Caller ADMIN_TOKEN = new Caller(ADMIN_TOKEN_ID, Role.ADMIN, Set.of(), null);
    /** Everyone, when enforcement is off for local development. */
    public static final Caller UNCHECKED = new Caller(UNCHECKED_ID, Role.ADMIN, Set.of(), null);

    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(role, "role");
        sourceIds = Set.copyOf(sourceIds);
    }

    /** The caller a stored key stands for; empty when its role is not one this release knows. */
    static java.util.Optional<Caller> of(ApiKey key) {
        return Role.ofPath(key.getRole()).map(role -> new Caller(key.getKeyId(), role,
                Set.copyOf(key.getSourceIds()), key.getBuyerId()));
    }
}
