package io.leadmkt.streams.dashboard;

import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills {@link RecentAuctions} from the outcomes and audit topics with a plain consumer of its own:
 * every partition assigned (no group, nothing committed), read committed, starting a little before
 * the end so a dashboard opened after a run still shows its last auctions.
 *
 * <p>Why a consumer and not a hook in the topology: the stream threads stay as they are (no extra
 * work or state per lead on the hot path), and every instance sees every partition's auctions, so
 * the live stream is the whole market's whichever instance a browser reaches. It costs nothing until
 * the first dashboard request starts it ({@link #ensureRunning}); from then on one fetch session
 * per instance and the decoding of one outcome and a few audit records per lead.
 */
public final class AuctionFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuctionFeed.class);
    /** Audit records a lead leaves at most, about: how far back the audit is read for the backfill's answers. */
    static final int AUDIT_RECORDS_PER_LEAD = 12;

    private final KafkaClients kafka;
    private final Topics topics;
    private final String clientId;
    private final RecentAuctions into;
    private Thread poller;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean closed;

    /**
     * @param into where the auctions go; its capacity is also how many ended auctions are read back
     *             from before the end when the feed starts
     */
    public AuctionFeed(KafkaClients kafka, Topics topics, String clientId, RecentAuctions into) {
        this.kafka = kafka;
        this.topics = topics;
        this.clientId = clientId;
        this.into = into;
    }

    /** Starts reading, the first time only; the backfill arrives shortly after. */
    public synchronized void ensureRunning() {
        if (poller != null || closed) {
            return;
        }
        poller = new Thread(this::run, "dashboard-feed");
        poller.setDaemon(true);
        poller.start();
    }

    private void run() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(kafka.consumer(props),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = reader;
            if (closed) {
                return;
            }
            List<TopicPartition> outcomes = partitions(reader, topics.outcomes().name());
            List<TopicPartition> audit = partitions(reader, topics.audit().name());
            List<TopicPartition> all = new ArrayList<>(outcomes);
            all.addAll(audit);
            reader.assign(all);
            // Offsets count transaction markers too (about one per record at low rates): read twice as far.
            int perPartition = 2 * ((into.capacity() + outcomes.size() - 1) / Math.max(1, outcomes.size()));
            rewind(reader, outcomes, perPartition);
            rewind(reader, audit, perPartition * AUDIT_RECORDS_PER_LEAD);
            while (!closed) {
                handle(reader.poll(Duration.ofMillis(500)));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.warn("dashboard feed stopped: {}", e.toString(), e);
        }
    }

    /** Each record on its own: audit before outcomes, so a lead whose last round and outcome came together has its answers. */
    private void handle(ConsumerRecords<String, byte[]> records) {
        String auditTopic = topics.audit().name();
        for (ConsumerRecord<String, byte[]> record : records.records(auditTopic)) {
            decode(record, () -> into.audit(topics.audit().valueSerde().deserializer().deserialize(auditTopic,
                    record.value())));
        }
        String outcomeTopic = topics.outcomes().name();
        for (ConsumerRecord<String, byte[]> record : records.records(outcomeTopic)) {
            decode(record, () -> into.outcome(topics.outcomes().valueSerde().deserializer().deserialize(outcomeTopic,
                    record.value())));
        }
    }

    private static void decode(ConsumerRecord<String, byte[]> record, Runnable use) {
        if (record.value() == null) {
            return;
        }
        try {
            use.run();
        } catch (RuntimeException e) {
            // A record this build cannot read only leaves a gap in a live view; the reports are unaffected.
            log.debug("dashboard feed skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.toString());
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> reader, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : reader.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    private static void rewind(KafkaConsumer<String, byte[]> reader, List<TopicPartition> partitions, long records) {
        Map<TopicPartition, Long> start = reader.beginningOffsets(partitions);
        reader.endOffsets(partitions).forEach((partition, end) ->
                reader.seek(partition, Math.max(start.get(partition), end - records)));
    }

    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            thread = poller;
        }
        KafkaConsumer<String, byte[]> reader = consumer;
        if (reader != null) {
            reader.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
