package io.leadmkt.connector;

import io.leadmkt.connector.limits.BuyerGate;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.PostStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ConnectorStats}; updated from poll and HTTP threads alike. */
final class ConnectorCounters {

    final LongAdder pings = new LongAdder();
    final LongAdder posts = new LongAdder();
    final LongAdder skipped = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder paused = new LongAdder();
    private final Map<BidStatus, LongAdder> bids = new EnumMap<>(BidStatus.class);
    private final Map<PostStatus, LongAdder> postResults = new EnumMap<>(PostStatus.class);

    ConnectorCounters() {
        for (BidStatus s : BidStatus.values()) {
            bids.put(s, new LongAdder());
        }
        for (PostStatus s : PostStatus.values()) {
            postResults.put(s, new LongAdder());
        }
    }

    void bid(BidStatus status, String reason) {
        bids.get(status).increment();
        if (BuyerGate.THROTTLED.equals(reason)) {
            throttled.increment();
        } else if (BuyerGate.PAUSED.equals(reason)) {
            paused.increment();
        }
    }

    void postResult(PostStatus status) {
        postResults.get(status).increment();
    }

    ConnectorStats snapshot(int buyers, int inFlightHttp, List<String> pausedBuyers) {
        long bid = bids.get(BidStatus.BID).sum();
        long pass = bids.get(BidStatus.PASS).sum();
        long timeout = bids.get(BidStatus.TIMEOUT).sum();
        long error = bids.get(BidStatus.ERROR).sum();
        long accepted = postResults.get(PostStatus.ACCEPTED).sum();
        long rejected = postResults.get(PostStatus.REJECTED).sum();
        long postTimeout = postResults.get(PostStatus.TIMEOUT).sum();
        long postError = postResults.get(PostStatus.ERROR).sum();
        return new ConnectorStats(pings.sum(), bid + pass + timeout + error, bid, pass, timeout, error, posts.sum(),
                accepted + rejected + postTimeout + postError, accepted, rejected, postTimeout, postError,
                skipped.sum(), buyers, inFlightHttp, throttled.sum(), paused.sum(), pausedBuyers);
    }
}
