package io.leadmkt.connector;

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
 */
public record ConnectorStats(long pings, long bids, long bidsBid, long bidsPass, long bidsTimeout, long bidsError,
                             long posts, long postResults, long postsAccepted, long postsRejected, long postsTimeout,
                             long postsError, long skippedRecords, int buyers, int inFlightHttp) {

    public String progressLine() {
        return String.format("connector: pings=%d bids=%d (bid=%d pass=%d timeout=%d error=%d) posts=%d "
                        + "(accepted=%d rejected=%d timeout=%d error=%d) skipped=%d buyers=%d inflight=%d",
                pings, bids, bidsBid, bidsPass, bidsTimeout, bidsError, posts, postsAccepted, postsRejected,
                postsTimeout, postsError, skippedRecords, buyers, inFlightHttp);
    }
}
