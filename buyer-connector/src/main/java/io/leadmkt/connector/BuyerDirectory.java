package io.leadmkt.connector;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Delivery;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live table of buyers, buyerId to config, as last read from the compacted
 * {@code config.buyers} topic (see {@link CompactedTopicFeed}). Reads are lock-free, so a config
 * change is effective for the next ping the moment the feed applies it.
 */
public final class BuyerDirectory {

    private final Map<String, BuyerConfig> buyers = new ConcurrentHashMap<>();

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

    public Optional<BuyerConfig> find(String buyerId) {
        return buyerId == null ? Optional.empty() : Optional.ofNullable(buyers.get(buyerId));
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
