package io.leadmkt.streams.access;

import io.javalin.security.RouteRole;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who an API key speaks for. A route names the roles it serves; {@link #ADMIN} is served everywhere.
 * Which leads, reports and opt-outs a seller or a buyer may touch is decided per request by
 * {@link AccessRules}, on the parties its key is bound to.
 */
public enum Role implements RouteRole {
    /** A lead source: submits leads for, and reads the leads and report rows of, the sources its key names. */
    SELLER,
    /** A buyer: reads the leads it bought and its own report rows; posts opt-outs back. */
    BUYER,
    /** Reads every lead and every report row; changes nothing. */
    ANALYST,
    /** Handles consumers' privacy requests: opt-outs. */
    PRIVACY,
    /** Everything, including config and keys. */
    ADMIN;

    /** Its name in commands, documents and the audit: {@code seller}, {@code buyer}, ... */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> ofPath(String path) {
        return Arrays.stream(values()).filter(r -> r.path().equals(path)).findFirst();
    }

    /** For error messages: {@code seller, buyer, analyst, privacy, admin}. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Role::path).toList());
    }
}
