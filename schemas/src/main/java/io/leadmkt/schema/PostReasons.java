package io.leadmkt.schema;

import java.util.Set;

/**
 * Reasons on a {@link PostResult} that say the platform, not the buyer, failed to deliver the post or
 * to hear its answer. The connector and the auction write them; the auction, the buyers' acceptance
 * rates and the what-if read them, so the one meaning lives here, as {@link BidReasons} does for pings.
 * Such a result is no verdict on the buyer: it does not count against its acceptance rate, and a lead
 * left unsold after one ends {@code STALE} (the platform was behind), not {@code ALL_REJECTED}.
 */
public final class PostReasons {
    /** TIMEOUT: the connector read the post after its {@code sendBy} (it was behind or gone): not sent. */
    public static final String DEADLINE_PASSED = "DEADLINE_PASSED";
    /** ERROR: the call waited behind the connector's own concurrency cap for the buyer's whole timeout: never sent. */
    public static final String NOT_SENT = "NOT_SENT";
    /**
     * TIMEOUT the auction writes itself when no result came by {@code sendBy} plus the budget and grace:
     * the connector (or a Kafka-native buyer's copy) never answered for the post, so nobody knows
     * whether the buyer saw it.
     */
    public static final String NO_POST_RESULT = "NO_POST_RESULT";

    private static final Set<String> PLATFORM_WAS_BEHIND = Set.of(DEADLINE_PASSED, NOT_SENT, NO_POST_RESULT);

    private PostReasons() {
    }

    /** Whether a post result says our side failed to deliver the post or hear its answer, rather than how the buyer answered. */
    public static boolean platformWasBehind(PostResult result) {
        return platformWasBehind(result.getStatus(), result.getReason());
    }

    /** The same, for a result as the audit trail keeps it: its status and reason. */
    public static boolean platformWasBehind(PostStatus status, String reason) {
        return (status == PostStatus.TIMEOUT || status == PostStatus.ERROR) && reason != null
                && PLATFORM_WAS_BEHIND.contains(reason);
    }
}
