package io.leadmkt.schema;

import java.util.Set;

/**
 * Reasons on a {@link PostResult} that say the platform, not the buyer, failed to deliver the post or
 * to hear its answer. The connector and the auction write them; the auction, the buyers' acceptance
 * rates, the reports and the what-if read them, so the one meaning lives here, as {@link BidReasons}
 * does for pings. Such a result is no verdict on the buyer, and a lead left unsold after one ends
 * {@code STALE} (the platform was behind), not {@code ALL_REJECTED}.
 *
 * <p>Two kinds. The connector's own word that it never sent the post ({@link #neverSent}) is ours
 * whoever the buyer is. The auction's marker that no result came ({@link #NO_POST_RESULT}) is ours for
 * a webhook buyer, since the connector answers for every post it reads, but may be a Kafka-native
 * buyer's own silence: only a reader that knows the buyer's delivery can tell ({@link
 * #platformWasBehind}).
 */
public final class PostReasons {
    /** TIMEOUT: the connector read the post after its {@code sendBy} (it was behind or gone): not sent. */
    public static final String DEADLINE_PASSED = "DEADLINE_PASSED";
    /** ERROR: the call waited behind the connector's own concurrency cap for the buyer's whole timeout: never sent. */
    public static final String NOT_SENT = "NOT_SENT";
    /**
     * TIMEOUT the auction writes itself when no result came by {@code sendBy} plus the budget and grace:
     * for a webhook buyer the connector never answered for the post (it was gone); a Kafka-native buyer
     * answers on its own, so for it this may be its own silence.
     */
    public static final String NO_POST_RESULT = "NO_POST_RESULT";

    private static final Set<String> NEVER_SENT = Set.of(DEADLINE_PASSED, NOT_SENT);

    private PostReasons() {
    }

    /** Whether the connector says it never sent the post: our lag or queue, whoever the buyer is. */
    public static boolean neverSent(PostResult result) {
        return neverSent(result.getStatus(), result.getReason());
    }

    /** The same, for a result as the audit trail keeps it: its status and reason. */
    public static boolean neverSent(PostStatus status, String reason) {
        return (status == PostStatus.TIMEOUT || status == PostStatus.ERROR) && reason != null
                && NEVER_SENT.contains(reason);
    }

    /**
     * Whether a post result says our side failed to deliver the post or hear its answer, for a buyer
     * that answers on Kafka itself ({@code answersOnKafka}) or through the connector.
     */
    public static boolean platformWasBehind(PostStatus status, String reason, boolean answersOnKafka) {
        return neverSent(status, reason)
                || (!answersOnKafka && status == PostStatus.TIMEOUT && NO_POST_RESULT.equals(reason));
    }
}
