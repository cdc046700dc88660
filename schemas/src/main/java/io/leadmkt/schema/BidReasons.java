package io.leadmkt.schema;

/**
 * Reasons on a TIMEOUT {@link Bid} that say the platform, not the buyer, was behind: the connector
 * writes them and the auction reads them, so the one meaning lives here. A round that ends with
 * nothing to sell and one of these among its answers ends {@code STALE} (shed), never {@code NO_BIDS}.
 */
public final class BidReasons {
    /** The buyer was not called: the lead was past its time to decision ({@code Ping.offerBy}) when read. */
    public static final String STALE = "STALE";
    /**
     * Called, but no answer was heard from any buyer called since — the connector itself was not
     * hearing (a starved core, a GC pause, a cold start) — or never called: the call waited behind the
     * connector's own concurrency cap for the buyer's whole timeout. No verdict on the buyer.
     */
    public static final String NOT_HEARD = "NOT_HEARD";
    /**
     * Called, and let go before its timeout because the lead already had a bid at or above its floor in
     * hand and the buyer was past its usual answer time. No verdict on the lead either: if the bid in
     * hand does not sell (its buyer's cap refuses it, or it rejects the post), the buyer let go was never
     * really heard, and the auction offers it the lead again.
     */
    public static final String OVERDUE = "OVERDUE";

    private BidReasons() {
    }

    /** Whether a bid says the platform could not offer the lead to its buyer, rather than how the buyer answered. */
    public static boolean platformWasBehind(Bid bid) {
        return platformWasBehind(bid.getStatus(), bid.getReason());
    }

    /** The same, for an answer as the audit trail keeps it: its status and reason. */
    public static boolean platformWasBehind(BidStatus status, String reason) {
        return status == BidStatus.TIMEOUT && (STALE.equals(reason) || NOT_HEARD.equals(reason));
    }
}
