package io.leadmkt.connector.privacy;

import io.leadmkt.connector.CompactedTopicFeed;
import io.leadmkt.schema.DataKey;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.PiiSeal;
import io.leadmkt.schema.SealedPii;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumers' data keys as the key topic has them (the streams app's key vault writes it: one
 * record per new identity, a tombstone per erasure), for unsealing a post's lead just before it goes
 * to the buyer that won it. A key that is not here yet (a brand-new consumer whose key record the
 * feed has not read) is waited for until the feed has read everything written before the post; a
 * key still missing then was erased, and the lead is not delivered.
 */
public final class KeyRing {
    /** How long a post waits for its consumer's key to be read. */
    static final Duration CATCH_UP = Duration.ofSeconds(5);

    private final Map<String, DataKey> keys = new ConcurrentHashMap<>();
    private CompactedTopicFeed<DataKey> feed;

    /** Follows the key topic through {@code feed} (which must apply its records to {@link #apply}). */
    public void followedBy(CompactedTopicFeed<DataKey> feed) {
        this.feed = feed;
    }

    /** One record of the key topic: a key, or null (erased). */
    public void apply(String identityHash, DataKey key) {
        if (key == null) {
            keys.remove(identityHash);
        } else {
            keys.put(identityHash, key);
        }
    }

    /**
     * The lead with its PII restored, as its winning buyer must receive it; an unsealed lead as it is.
     *
     * @throws ErasedException when the consumer's key was erased (or never reached us)
     */
    public Lead unseal(Lead lead) {
        SealedPii sealed = lead.getSealed();
        if (sealed == null) {
            return lead;
        }
        DataKey key = feed == null ? current(sealed) : feed.readThrough(() -> current(sealed), CATCH_UP);
        if (key == null) {
            throw new ErasedException(lead.getLeadId());
        }
        return PiiSeal.unseal(lead, key);
    }

    private DataKey current(SealedPii sealed) {
        DataKey key = keys.get(sealed.getKeyId());
        return key != null && key.getCreatedAt() == sealed.getKeyCreatedAt() ? key : null;
    }

    /** The lead's consumer asked to be deleted: its PII can no longer be read, by us or anyone. */
    public static final class ErasedException extends RuntimeException {
        public ErasedException(String leadId) {
            super("the PII of lead " + leadId + " was erased");
        }
    }
}
