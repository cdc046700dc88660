package io.leadmkt.connector.adapter;

import io.leadmkt.connector.http.BuyerRequest;
import io.leadmkt.connector.http.HttpAnswer;
import io.leadmkt.schema.Bid;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;

/**
 * Speaks one buyer API format. Adapters are pure mappers (the prebid-server split): they build
 * requests and read answers, while deadlines, connections and failures belong to the shared
 * executor and the dispatchers. Implementations must not throw for any answer a buyer can send:
 * garbage maps to an ERROR event with a reason code.
 */
public interface BuyerAdapter {

    /** The ping request: built from the PII-free ping only. */
    BuyerRequest pingRequest(Ping ping, BuyerConfig buyer, long timeoutMs);

    /** The buyer's answer to a ping, as a BID, PASS or ERROR bid (price ceiling not yet applied). */
    Bid toBid(Ping ping, BuyerConfig buyer, HttpAnswer answer);

    /** The post request, carrying the full lead to the winner. */
    BuyerRequest postRequest(Post post, BuyerConfig buyer);

    /** The buyer's answer to a post, as ACCEPTED, REJECTED or ERROR. */
    PostResult toPostResult(Post post, HttpAnswer answer);
}
