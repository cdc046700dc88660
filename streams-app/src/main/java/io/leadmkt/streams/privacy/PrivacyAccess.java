package io.leadmkt.streams.privacy;

import io.javalin.http.Context;

/**
 * Who may use the privacy API. Today the admin token ({@code AdminApi::authorized}); API keys with a
 * {@code privacy} role plug in here. Answers 401/403 itself when it says no.
 */
@FunctionalInterface
public interface PrivacyAccess {
    boolean allows(Context ctx);
}
