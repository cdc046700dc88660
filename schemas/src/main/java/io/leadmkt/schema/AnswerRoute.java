package io.leadmkt.schema;

/**
 * Where an answer to the auction is written. Auctions run on the partition where the lead was
 * deduplicated (its consumer identity's), not on its lead id's: that saves the lead a repartition
 * and an exactly-once hop. So every request the auction writes (a ping, a post, a cap hold) names
 * its {@code auctionPartition}, and whoever answers (the connector, the cap keeper, the auction's own
 * timeout markers) writes the answer to that partition number of {@code bids},
 * {@code post-results} or {@code caps.decisions}, keyed by lead id as before.
 *
 * <p>A Kafka-native buyer answers on its own topic, keyed by lead id only; the connector relays the
 * answer to the partition of the ping or post it delivered. When it no longer knows it (it restarted
 * in between), it writes the answer to every partition with {@link #BROADCAST_HEADER}: the one auction
 * that knows the lead counts it, the others ignore it without a {@code LATE_EVENT}.
 */
public final class AnswerRoute {
    /** On a relayed answer written to every partition because its auction's partition was not known. */
    public static final String BROADCAST_HEADER = "leadmkt.answer.broadcast";

    private AnswerRoute() {
    }

    /**
     * The partition to write an answer to, for a {@code ProducerRecord}: {@code null} (the lead id's
     * partition, by the default partitioner) for requests written before auctions named theirs.
     */
    public static Integer partition(int auctionPartition) {
        return auctionPartition >= 0 ? auctionPartition : null;
    }
}
