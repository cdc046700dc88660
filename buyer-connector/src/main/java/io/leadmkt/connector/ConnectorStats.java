package io.leadmkt.connector;

import java.util.List;

/**
 * Running totals since start, for progress lines and dashboards.
 *
 * @param pings           pings consumed (with a readable value)
 * @param bids            bid events produced, by status: bid, pass, timeout, error
 * @param posts           posts consumed (with a readable value)
 * @param postResults     post-result events produced, by status: accepted, rejected, timeout, error
 * @param skippedRecords  records whose value could not be read, logged and skipped
 * @param buyers          buyers currently in the directory
 * @param inFlightHttp    HTTP calls running or queued right now
 * @param bidsThrottled   ERROR bids of buyers not called for being over their concurrency or rate limit
 * @param bidsPaused      ERROR bids of buyers not called for being paused
 * @param pausedBuyers    buyers not pinged right now (paused, or waiting on their half-open probe)
 */
public record ConnectorStats(long pings, long bids, long bidsBid, long bidsPass, long bidsTimeout, long bidsError,
                             long posts, long postResults, long postsAccepted, long postsRejected, long postsTimeout,
                             long postsError, long skippedRecords, int buyers, int inFlightHttp,
                             long bidsThrottled, long bidsPaused, List<String> pausedBuyers) {

    /** Paused buyers named in a progress line; beyond this only their number. */
    private static final int NAMED_PAUSED = 5;

    public ConnectorStats {
        pausedBuyers = List.copyOf(pausedBuyers);
    }

    public String progressLine() {
        return String.format("connector: pings=%d bids=%d (bid=%d pass=%d timeout=%d error=%d) posts=%d "
                        + "(accepted=%d rejected=%d timeout=%d error=%d) skipped=%d buyers=%d inflight=%d "
                        + "throttled=%d paused-bids=%d paused=%d%s",
                pings, bids, bidsBid, bidsPass, bidsTimeout, bidsError, posts, postsAccepted, postsRejected,
                postsTimeout, postsError, skippedRecords, buyers, inFlightHttp, bidsThrottled, bidsPaused,
                pausedBuyers.size(), pausedNames());
    }

    private String pausedNames() {
        if (pausedBuyers.isEmpty()) {
            return "";
        }
        String named = String.join(",", pausedBuyers.subList(0, Math.min(NAMED_PAUSED, pausedBuyers.size())));
        return " [" + named + (pausedBuyers.size() > NAMED_PAUSED ? ",…" : "") + "]";
    }
}
