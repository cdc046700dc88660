package io.leadmkt.connector.adapter;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.PostStatus;

/** Builds the connector's output events, so adapters and dispatchers word them the same way. */
public final class Answers {

    /** Buyer-supplied reasons are cut here: they end up in events and audit, not in novels. */
    static final int MAX_REASON_CHARS = 200;

    private Answers() {
    }

    public static Bid bid(String leadId, String buyerId, BidStatus status, Long priceCents, String token, String reason,
                          long respondedAt, long latencyMs) {
        return Bid.newBuilder()
                .setLeadId(leadId)
                .setBuyerId(buyerId)
                .setStatus(status)
                .setPriceCents(priceCents)
                .setPingToken(token)
                .setReason(shorten(reason))
                .setRespondedAt(respondedAt)
                .setLatencyMs(clampToInt(latencyMs))
                .build();
    }

    public static Bid failedBid(String leadId, String buyerId, BidStatus status, String reason, long respondedAt,
                                long latencyMs) {
        return bid(leadId, buyerId, status, null, null, reason, respondedAt, latencyMs);
    }

    public static PostResult postResult(Post post, PostStatus status, String buyerLeadId, String reason,
                                        long respondedAt, long latencyMs) {
        return PostResult.newBuilder()
                .setLeadId(post.getLeadId())
                .setBuyerId(post.getBuyerId())
                .setAttempt(post.getAttempt())
                .setStatus(status)
                .setBuyerLeadId(shorten(buyerLeadId))
                .setReason(shorten(reason))
                .setRespondedAt(respondedAt)
                .setLatencyMs(clampToInt(latencyMs))
                .setAuctionPartition(post.getAuctionPartition()) // back to the auction that posted
                .build();
    }

    static String shorten(String text) {
        return text == null || text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS);
    }

    private static int clampToInt(long value) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, value));
    }
}
