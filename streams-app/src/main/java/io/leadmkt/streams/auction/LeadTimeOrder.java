package io.leadmkt.streams.auction;

import io.leadmkt.schema.AnswerRoute;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The time of an answer (a round's bids, a post result) as the auction's task sees it: the time of the
 * lead it answers when the connector wrote it ({@link AnswerRoute#LEAD_TIME_HEADER}), else the broker's.
 *
 * <p>Why: a task takes its next record from whichever input holds the oldest one. The answer topics are
 * broker-timed, so an answer written now sorted behind every lead that arrived before it; when leads
 * queue (a slow stretch, a burst above capacity), a lead waited out the queue three times: for its
 * ping, again for its bids to be read, again for its post result. Ordered by its lead's time, an
 * answer goes ahead of every lead that came after its own, so the task finishes the auctions it opened
 * before it opens newer ones, and a lead waits for the queue once.
 *
 * <p>Never later than the broker's time: the header only moves an answer forward. The auction judges
 * an answer's lateness by the later of its {@code respondedAt} and this time, so for the connector's
 * answers by {@code respondedAt}, which the connector sets when the buyer answered; answers anyone
 * else writes keep the broker's time (on a secured cluster only the connector may write answers).
 */
public final class LeadTimeOrder implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long written = record.timestamp();
        return Math.min(written, AnswerRoute.leadTime(record.headers()).orElse(written));
    }
}
