package io.leadmkt.schema;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

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
 *
 * <p>The connector's answers also carry {@link #LEAD_TIME_HEADER}: the time of the lead they answer
 * (the record time of the ping or post, which the auction writes with its lead's time). The answer
 * topics are broker-timed, so without it an answer would be ordered by when it was written, behind
 * every lead that queued meanwhile; with it the auction's task takes the answers of leads it already
 * opened before it opens newer ones (see the auction's {@code LeadTimeOrder}).
 */
public final class AnswerRoute {
    /** On a relayed answer written to every partition because its auction's partition was not known. */
    public static final String BROADCAST_HEADER = "leadmkt.answer.broadcast";
    /** On an answer the connector writes: the record time of the request it answers, 8 bytes big-endian. */
    public static final String LEAD_TIME_HEADER = "leadmkt.answer.lead-time";

    private AnswerRoute() {
    }

    /**
     * The partition to write an answer to, for a {@code ProducerRecord}: {@code null} (the lead id's
     * partition, by the default partitioner) for requests written before auctions named theirs.
     */
    public static Integer partition(int auctionPartition) {
        return auctionPartition >= 0 ? auctionPartition : null;
    }

    /** Marks {@code headers} (an answer's, before it is sent) with the time of the lead it answers. */
    public static void markLeadTime(Headers headers, long leadTime) {
        headers.add(LEAD_TIME_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(leadTime).array());
    }

    /** The time of the lead an answer is for, when the answer says it (and says it readably). */
    public static OptionalLong leadTime(Headers headers) {
        Header header = headers.lastHeader(LEAD_TIME_HEADER);
        return header == null || header.value() == null || header.value().length != Long.BYTES
                ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(header.value()).getLong());
    }
}
