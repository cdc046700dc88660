package io.leadmkt.streams;

import io.leadmkt.schema.AnswerRoute;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.BuyerCapStatus;
import io.leadmkt.schema.CapDecision;
import io.leadmkt.schema.CapRequest;
import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionNotice;
import io.leadmkt.schema.KeyErasure;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.Topics;
import io.leadmkt.schema.serde.AvroSerde;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * Stages emit several kinds of event (a ping and its audit record, a rejection and its audit
 * record); each kind has exactly one output topic. (The auction writes a PostResult only as its own
 * TIMEOUT marker for a post whose result never came.) This sends every event to the topic of its
 * type with that topic's serde, so a stage forwards domain records and never names a topic.
 *
 * <p>Being the one door every written event passes, it also hands each to a tap (the app's
 * {@code MarketMetrics}), so outcomes, rejections and audit events are counted in one place without
 * any processor knowing about metrics. The tap runs on the stream thread for every record: it must
 * be cheap and must not throw.
 */
public final class EventRouting implements TopicNameExtractor<String, SpecificRecord> {

    private final Map<Class<?>, Topics.Topic<String, ? extends SpecificRecord>> byType;
    private final Consumer<? super SpecificRecord> tap;

    public EventRouting(Topics topics) {
        this(topics, event -> { });
    }

    /** @param tap told of every event as it is written */
    public EventRouting(Topics topics, Consumer<? super SpecificRecord> tap) {
        this.tap = tap;
        this.byType = Map.ofEntries(
                Map.entry(Rejection.class, topics.leadsRejected()),
                Map.entry(AuditEvent.class, topics.audit()),
                Map.entry(Ping.class, topics.pings()),
                Map.entry(Post.class, topics.posts()),
                Map.entry(PostResult.class, topics.postResults()),
                Map.entry(Outcome.class, topics.outcomes()),
                Map.entry(CapRequest.class, topics.capRequests()),
                Map.entry(CapDecision.class, topics.capDecisions()),
                Map.entry(BuyerCapStatus.class, topics.capStatus()),
                Map.entry(KeyErasure.class, topics.privacyKeyErasures()),
                Map.entry(DeletionNotice.class, topics.privacyNotices()),
                Map.entry(DeletionEvent.class, topics.privacyDeletionEvents()));
    }

    private Topics.Topic<String, ? extends SpecificRecord> topicOf(SpecificRecord value) {
        Topics.Topic<String, ? extends SpecificRecord> topic = byType.get(value.getClass());
        if (topic == null) {
            throw new IllegalArgumentException("no output topic for " + value.getClass().getName());
        }
        return topic;
    }

    @Override
    public String extract(String key, SpecificRecord value, RecordContext recordContext) {
        String topic = topicOf(value).name();
        tap.accept(value);
        return topic;
    }

    /**
     * Produced with a value serializer that writes each record with its own topic's serde, and
     * answers to an auction (its own timeout markers, the cap keeper's decisions) on the partition
     * that auction reads ({@link AnswerRoute}).
     */
    public Produced<String, SpecificRecord> produced(String name) {
        return Produced.<String, SpecificRecord>as(name)
                .withKeySerde(org.apache.kafka.common.serialization.Serdes.String())
                .withValueSerde(org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer(), (t, b) -> {
                    throw new UnsupportedOperationException("routing serde only writes");
                }))
                .withStreamPartitioner(EventRouting::answerPartition);
    }

    /** The auction's partition for an answer that names one; otherwise the default partitioner (by key). */
    static Optional<Set<Integer>> answerPartition(String topic, String key, SpecificRecord value, int partitions) {
        int auctionPartition = value instanceof PostResult result ? result.getAuctionPartition()
                : value instanceof CapDecision decision ? decision.getAuctionPartition() : -1;
        if (auctionPartition < 0) {
            return Optional.empty();
        }
        if (auctionPartition >= partitions) {
            // Cannot happen while the app checks partition counts at start; never guess a partition.
            throw new IllegalStateException(topic + " has " + partitions + " partitions, an answer names partition "
                    + auctionPartition);
        }
        return Optional.of(Set.of(auctionPartition));
    }

    @SuppressWarnings("unchecked")
    private Serializer<SpecificRecord> serializer() {
        return (topic, value) -> value == null ? null
                : ((AvroSerde<SpecificRecord>) topicOf(value).valueSerde()).serialize(topic, value);
    }
}
