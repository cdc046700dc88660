package io.leadmkt.streams.dashboard;

import io.leadmkt.schema.AuditAnswer;
import io.leadmkt.schema.BidReasons;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.Outcome;
import java.util.List;

/**
 * One auction as the dashboard shows it: how the lead ended (its {@link Outcome}) and every answer
 * the auction judged on its way there (the answers of its {@code AUCTION_CLOSED} rounds). No PII:
 * ids, statuses, prices and times only.
 *
 * @param buyerId the buyer it was sold to; null when unsold, or when the viewer may not know ({@link AuctionView})
 * @param buyersPinged how many buyers were pinged, {@code bidsReceived} bid and {@code postAttempts} posts were
 *                made; null when the viewer may not know
 * @param answers every pinged buyer's answer over all rounds; a buyer that never answered is a
 *                {@code TIMEOUT} without a latency
 */
public record RecentAuction(String leadId, String status, String reason, String buyerId, Long priceCents,
                            String campaignId, String sourceId, String state, long receivedAt, long decidedAt,
                            Integer buyersPinged, Integer bidsReceived, Integer postAttempts, List<Answer> answers) {

    /**
     * A buyer's answer to a ping.
     *
     * @param buyerId    who answered; null when the viewer may see the answer but not whose it is
     * @param priceCents what the buyer bid (before any source adjustment); null unless a BID
     * @param latencyMs  from the ping to the answer, as the connector measured it; null when it never answered,
     *                   or when our side never got the ping to it or never heard it ({@link BidReasons}): no
     *                   answer time of the buyer's
     */
    public record Answer(String buyerId, String status, Long priceCents, Integer latencyMs) {
        static Answer of(AuditAnswer answer) {
            Long bid = answer.getRawPriceCents() != null ? answer.getRawPriceCents() : answer.getPriceCents();
            boolean notReached = BidReasons.platformWasBehind(BidStatus.valueOf(answer.getStatus()), answer.getReason());
            return new Answer(answer.getBuyerId(), answer.getStatus(), "BID".equals(answer.getStatus()) ? bid : null,
                    notReached ? null : answer.getLatencyMs());
        }

        static Answer unanswered(String buyerId) {
            return new Answer(buyerId, "TIMEOUT", null, null);
        }

        public boolean isBid() {
            return "BID".equals(status) && priceCents != null;
        }
    }

    public RecentAuction {
        answers = List.copyOf(answers);
    }

    public static RecentAuction of(Outcome outcome, List<Answer> answers) {
        return new RecentAuction(outcome.getLeadId(), outcome.getStatus().name(), outcome.getReason(),
                outcome.getBuyerId(), outcome.getPriceCents(), outcome.getCampaignId(), outcome.getSourceId(),
                outcome.getState(), outcome.getReceivedAt(), outcome.getDecidedAt(), outcome.getBuyersPinged(),
                outcome.getBidsReceived(), outcome.getPostAttempts(), answers);
    }

    /** From intake to the final decision: what the seller waited. */
    public long decisionMs() {
        return Math.max(0, decidedAt - receivedAt);
    }

    public boolean sold() {
        return "SOLD".equals(status);
    }
}
