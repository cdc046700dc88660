package io.leadmkt.connector;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live table of buyers, buyerId to config, as last read from the compacted
 * {@code config.buyers} topic (see {@link CompactedTopicFeed}). Reads are lock-free, so a config
 * change is effective for the next ping the moment the feed applies it.
 */
public final class BuyerDirectory {

    /** How long a lookup of a buyer that is not here waits for the feed to read what was written before it. */
    static final Duration CATCH_UP = Duration.ofSeconds(5);

    private final Map<String, BuyerConfig> buyers = new ConcurrentHashMap<>();
    private volatile CompactedTopicFeed<BuyerConfig> feed;

    /** Follows {@code config.buyers} through {@code feed} (which must apply its records to {@link #apply}). */
    public void followedBy(CompactedTopicFeed<BuyerConfig> feed) {
        this.feed = feed;
    }

    /** Applies one record of the config topic: a null config deletes the buyer. */
    public void apply(String buyerId, BuyerConfig config) {
        if (buyerId == null) {
            return;
        }
        if (config == null) {
            buyers.remove(buyerId);
        } else {
            buyers.put(buyerId, config);
        }
    }

    /**
     * The buyer's config. One not here yet is waited for until the feed has read everything written
     * before this call: a ping read just after start-up, or naming a buyer created a moment ago, must not
     * find the buyer unknown (an ERROR answer, or a second answer for a buyer that answers on Kafka).
     */
    public Optional<BuyerConfig> find(String buyerId) {
        if (buyerId == null) {
            return Optional.empty();
        }
        CompactedTopicFeed<BuyerConfig> following = feed;
        return Optional.ofNullable(following == null ? buyers.get(buyerId)
                : following.readThrough(() -> buyers.get(buyerId), CATCH_UP));
    }

    public int size() {
        return buyers.size();
    }

    /**
     * True when the buyer answers on the bids topic itself: the connector leaves it alone, as any
     * event it produced would be a second answer.
     */
    public static boolean answersOnKafka(BuyerConfig buyer) {
        return buyer.getDelivery() == Delivery.KAFKA;
    }
}
