package io.leadmkt.streams.access;

import java.util.List;

/**
 * One key per role for API tests, minted like real ones and held in a loaded {@link ApiKeyTable}:
 * a seller of {@value #SOURCE} (the source of {@code TestLeads}), a buyer {@value #BUYER}, an
 * analyst, a privacy officer and an admin; plus a seller and a buyer of other parties.
 */
public final class TestKeys {
    public static final String SOURCE = "src-1";
    public static final String BUYER = "buyer-a";
    public static final String ADMIN_TOKEN = "admin-token-for-tests";

    public static final ApiKeys.Minted SELLER = mint("seller", List.of(SOURCE), null);
    public static final ApiKeys.Minted OTHER_SELLER = mint("seller", List.of("src-2"), null);
    public static final ApiKeys.Minted BUYER_KEY = mint("buyer", List.of(), BUYER);
    public static final ApiKeys.Minted OTHER_BUYER = mint("buyer", List.of(), "buyer-b");
    public static final ApiKeys.Minted ANALYST = mint("analyst", List.of(), null);
    public static final ApiKeys.Minted PRIVACY = mint("privacy", List.of(), null);
    public static final ApiKeys.Minted ADMIN = mint("admin", List.of(), null);

    private TestKeys() {
    }

    /** A loaded table of every key above. */
    public static ApiKeyTable table() {
        return ApiKeyTable.of(SELLER.record(), OTHER_SELLER.record(), BUYER_KEY.record(), OTHER_BUYER.record(),
                ANALYST.record(), PRIVACY.record(), ADMIN.record());
    }

    /** Keys required, those above and the {@value #ADMIN_TOKEN} known. */
    public static Access access() {
        return new Access(true, ADMIN_TOKEN, table());
    }

    private static ApiKeys.Minted mint(String role, List<String> sources, String buyer) {
        ApiKeys.Parsed request = ApiKeys.request(role, sources, buyer, "test " + role);
        if (!request.ok()) {
            throw new IllegalArgumentException(request.errors().toString());
        }
        return ApiKeys.mint(request.request(), "tests", 1_000L);
    }
}
