package io.leadmkt.streams.access;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling, checked before every route that names roles ({@code /health/*} and
 * {@code /metrics} name none and stay open): the key from {@code Authorization: Bearer <key>} or
 * {@code X-Api-Key: <key>}, looked up in the {@link ApiKeyTable}, or the admin token. No usable key:
 * 401; a role the route does not serve: 403. The caller is then on the request for the route to
 * check its parties ({@link #caller}). With enforcement off ({@code http.auth.required=false}, local
 * development only) every request is served as {@link Caller#UNCHECKED}, an admin.
 *
 * <p>Neither a key nor any part of one is ever logged.
 */
public final class Access {
    public static final String API_KEY_HEADER = "X-Api-Key";
    /** How long a client waits before asking again while this instance is still reading the keys. */
    public static final long KEYS_LOADING_RETRY_SECONDS = 1;
    private static final String CALLER = "leadmkt.caller";
    /** A key longer than this is not looked up: no key is, and hashing megabytes would be work for nothing. */
    private static final int MAX_KEY_LENGTH = 256;
    private static final Logger log = LoggerFactory.getLogger(Access.class);

    private final boolean required;
    private final byte[] adminToken;
    private final ApiKeyTable keys;

    /**
     * @param required   whether keys are checked at all ({@code http.auth.required})
     * @param adminToken the {@code LEADMKT_ADMIN_TOKEN}, an admin's key that is not on the topic; null or blank: none
     * @param keys       the keys in force
     */
    public Access(boolean required, String adminToken, ApiKeyTable keys) {
        this.required = required;
        this.adminToken = adminToken == null || adminToken.isBlank() ? null
                : adminToken.strip().getBytes(StandardCharsets.UTF_8);
        this.keys = keys;
    }

    /** No checks: every request is an admin's. For local development and tests of other things. */
    public static Access unchecked() {
        return new Access(false, null, new ApiKeyTable());
    }

    public boolean required() {
        return required;
    }

    /** Javalin's before-matched handler: authenticates, checks the route's roles, remembers the caller. */
    public void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            return; // an open route: health and metrics
        }
        Caller caller = authenticate(ctx.header("Authorization"), ctx.header(API_KEY_HEADER));
        if (!AccessRules.admits(roles, caller)) {
            log.debug("{} {} refused to key {} ({})", ctx.method(), ctx.path(), caller.keyId(), caller.role().path());
            throw AccessDenied.forbidden();
        }
        ctx.attribute(CALLER, caller);
    }

    /** The caller {@link #check} let through; on an open route, an unchecked one. */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no caller on " + ctx.path() + ": the route names no roles");
        }
        return caller;
    }

    /** The caller a request's headers name; throws {@link AccessDenied} 401 (or 503 while keys load). */
    public Caller authenticate(String authorization, String apiKey) {
        if (!required) {
            return Caller.UNCHECKED;
        }
        String key = key(authorization, apiKey).orElseThrow(AccessDenied::unauthorized);
        // Constant time: the comparison must not tell an attacker how much of a guess was right.
        if (adminToken != null && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), adminToken)) {
            return Caller.ADMIN_TOKEN;
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw AccessDenied.unauthorized();
        }
        Optional<Caller> found = keys.find(key);
        if (found.isPresent()) {
            return found.get();
        }
        if (!keys.loaded()) {
            throw new AccessDenied(503, AccessDenied.KEYS_LOADING);
        }
        throw AccessDenied.unauthorized();
    }

    /**
     * The request's key as an {@code Authorization} header value ({@code Bearer <key>}), for calls
     * made on the caller's behalf to other instances (a report fanned out), which check it alike.
     */
    public static Optional<String> credentials(Context ctx) {
        return key(ctx.header("Authorization"), ctx.header(API_KEY_HEADER)).map(key -> "Bearer " + key);
    }

    /** {@code Authorization: Bearer <key>} (the scheme in any case), else {@code X-Api-Key: <key>}. */
    static Optional<String> key(String authorization, String apiKey) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorization.substring(7).strip();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        }
        if (apiKey != null && !apiKey.isBlank()) {
            return Optional.of(apiKey.strip());
        }
        return Optional.empty();
    }
}
