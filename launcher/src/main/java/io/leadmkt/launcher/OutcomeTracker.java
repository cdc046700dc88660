package io.leadmkt.launcher;

import io.leadmkt.schema.Bid;
import io.leadmkt.schema.Outcome;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.PostResult;
import io.leadmkt.schema.Rejection;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.HttpSeller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches where leads end: an {@link Outcome} on {@code outcomes} or a {@link Rejection} on
 * {@code leads.rejected}, read committed (so only what the exactly-once app really committed
 * counts). Keeps the first final answer per lead, every outcome record (to spot a lead decided
 * twice), the revenue, and the latency from a lead's send to its final answer being visible. It reads
 * the pings, bids, posts and post results too, to say which hop that time went to ({@link LeadHops}).
 */
public final class OutcomeTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutcomeTracker.class);

    /** The tracker's consumer, as named in its client threads (benchmarks tell it from the market's clients). */
    public static final String CLIENT_ID = "leadmkt-outcome-tracker";

    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Function<String, OptionalLong> sentAtNanos;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    /** Appended once per outcome record: a copy-on-write list copied itself on each, quadratic in a long bench step. */
    private final Queue<Outcome> outcomeRecords = new ConcurrentLinkedQueue<>();
    private final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    /** Each lead's times on its way, until its outcome is seen (only the poller thread touches it). */
    private final Map<String, LeadHops> inFlight = new HashMap<>();
    /** Where the time goes, per timed outcome: one histogram per hop (see {@link LeadHops}), in ms. */
    private final Map<LeadHops.Hop, Histogram> hopMs = new EnumMap<>(LeadHops.Hop.class);
    /** Leads sent before this {@link System#nanoTime()} are counted but not timed (JIT warm-up). */
    private volatile long timeFromNanos = Long.MIN_VALUE;
    private final Thread poller;
    private volatile boolean running = true;
    private long soldRevenueCents;

    /**
     * @param sentAtNanos the {@link System#nanoTime()} a lead was sent at, when known, for latency
     */
    public OutcomeTracker(KafkaClients kafka, Topics topics, Function<String, OptionalLong> sentAtNanos) {
        this.topics = topics;
        this.sentAtNanos = sentAtNanos;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        this.consumer = new KafkaConsumer<>(kafka.consumer(props), new StringDeserializer(), new ByteArrayDeserializer());
        // Assigned rather than subscribed: no group join to wait for, and every partition from the start.
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.outcomes().name(), topics.leadsRejected().name(), topics.pings().name(),
                topics.bids().name(), topics.posts().name(), topics.postResults().name())) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        for (LeadHops.Hop hop : LeadHops.Hop.values()) {
            hopMs.put(hop, new Histogram(TimeUnit.MINUTES.toMillis(10), 3));
        }
        this.poller = new Thread(this::poll, "outcome-tracker");
        this.poller.setDaemon(true);
    }

    public OutcomeTracker start() {
        poller.start();
        return this;
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("outcome tracker stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        long seenAt = System.nanoTime();
        long seenAtMillis = System.currentTimeMillis();
        String topic = record.topic();
        try {
            if (topic.equals(topics.pings().name())) {
                Ping ping = topics.pings().valueSerde().deserializer().deserialize(topic, record.value());
                hops(ping.getLeadId()).ping(ping.getPingedAt());
            } else if (topic.equals(topics.bids().name())) {
                // Broker-timed (LogAppendTime): the record's time is when the answers were written.
                Bid bid = topics.bids().valueSerde().deserializer().deserialize(topic, record.value());
                long called = bid.getRespondedAt() - bid.getLatencyMs();
                long answered = bid.getRespondedAt();
                for (Bid answer : bid.getRoundAnswers()) {
                    called = Math.min(called, answer.getRespondedAt() - answer.getLatencyMs());
                    answered = Math.max(answered, answer.getRespondedAt());
                }
                hops(bid.getLeadId()).bids(record.timestamp(), called, answered);
            } else if (topic.equals(topics.posts().name())) {
                Post post = topics.posts().valueSerde().deserializer().deserialize(topic, record.value());
                hops(post.getLeadId()).post(post.getPostedAt());
            } else if (topic.equals(topics.postResults().name())) {
                PostResult result = topics.postResults().valueSerde().deserializer().deserialize(topic, record.value());
                hops(result.getLeadId()).postResult(record.timestamp(), result.getRespondedAt() - result.getLatencyMs(),
                        result.getRespondedAt());
            } else if (topic.equals(topics.outcomes().name())) {
                Outcome outcome = topics.outcomes().valueSerde().deserializer().deserialize(topic, record.value());
                String leadId = outcome.getLeadId() != null ? outcome.getLeadId() : record.key();
                outcomeRecords.add(outcome);
                LeadHops hops = inFlight.remove(leadId);
                if (outcomes.putIfAbsent(leadId, outcome) == null && !rejections.containsKey(leadId)) {
                    if (recordLatency(leadId, seenAt)) {
                        recordHops(hops == null ? new LeadHops() : hops, outcome, seenAtMillis);
                    }
                    if (outcome.getStatus() == OutcomeStatus.SOLD && outcome.getPriceCents() != null) {
                        synchronized (this) {
                            soldRevenueCents += outcome.getPriceCents();
                        }
                    }
                }
            } else {
                Rejection rejection = topics.leadsRejected().valueSerde().deserializer().deserialize(topic, record.value());
                // The value names the lead when intake could read it (some steps key by identity hash);
                // for unreadable input the record key is all there is.
                String leadId = rejection.getLeadId() != null ? rejection.getLeadId() : record.key();
                if (leadId != null && rejections.putIfAbsent(leadId, rejection) == null
                        && !outcomes.containsKey(leadId)) {
                    recordLatency(leadId, seenAt);
                }
            }
        } catch (RuntimeException e) {
            log.warn("unreadable record on {} at offset {}: {}", topic, record.offset(), e.toString());
        }
    }

    private boolean recordLatency(String leadId, long seenAt) {
        OptionalLong sent = sentAtNanos.apply(leadId);
        if (sent.isPresent() && sent.getAsLong() >= timeFromNanos) {
            long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(seenAt - sent.getAsLong()));
            synchronized (this) {
                latencyMicros.recordValue(Math.min(micros, latencyMicros.getHighestTrackableValue()));
            }
            return true;
        }
        return false;
    }

    private LeadHops hops(String leadId) {
        return inFlight.computeIfAbsent(leadId, id -> new LeadHops());
    }

    private synchronized void recordHops(LeadHops hops, Outcome outcome, long seenAtMillis) {
        hops.ended(outcome.getCreatedAt(), outcome.getDecidedAt(), seenAtMillis).forEach((hop, ms) -> {
            Histogram histogram = hopMs.get(hop);
            histogram.recordValue(Math.min(ms, histogram.getHighestTrackableValue()));
        });
    }

    /**
     * The HTTP intake refused a lead for good (a 400 naming its bad fields, a 413): nothing reached
     * Kafka, so this is its final answer, a rejection with {@code origin} {@code http} and the reason
     * intake would have given it on Kafka ({@link #doorReason}).
     */
    public void refusedAtDoor(HttpSeller.Refusal refusal) {
        rejections.putIfAbsent(refusal.leadId(), Rejection.newBuilder()
                .setLeadId(refusal.leadId())
                .setReasonCode(doorReason(refusal))
                .setRejectedAt(System.currentTimeMillis())
                .setOrigin(DOOR)
                .build());
    }

    /** The seller gave up on a lead the door kept refusing as overloaded: shed at the door ({@link Summary#OVERLOADED_AT_DOOR}). */
    public void shedAtDoor(String leadId) {
        rejections.putIfAbsent(leadId, Rejection.newBuilder()
                .setLeadId(leadId)
                .setReasonCode(Summary.OVERLOADED_AT_DOOR)
                .setRejectedAt(System.currentTimeMillis())
                .setOrigin(DOOR)
                .build());
    }

    /** The {@code origin} of a rejection the HTTP door gave. */
    static final String DOOR = "http";

    /**
     * The Kafka intake's reason code for what the door refused: {@code UNDECODABLE} for a body that is
     * not JSON, {@code NO_CONSENT} when a named field is the consent's, else {@code INVALID}.
     */
    static String doorReason(HttpSeller.Refusal refusal) {
        String body = refusal.body() == null ? "" : refusal.body();
        if (body.contains("\"malformed_json\"")) {
            return "UNDECODABLE";
        }
        return body.contains("\"field\":\"consent") ? "NO_CONSENT" : "INVALID";
    }

    /** Only leads sent from now on are timed; earlier ones still count. */
    public void timeFromNow() {
        timeFromNanos = System.nanoTime();
    }

    /**
     * {@link #timeFromNow()}, and the latency and hops timed so far are forgotten: a bench that runs phases
     * one after another reports each phase's own percentiles, not ones mixed with earlier phases'.
     */
    public synchronized void restartTiming() {
        timeFromNow();
        latencyMicros.reset();
        hopMs.values().forEach(Histogram::reset);
    }

    /**
     * p50/p99 of each hop of the outcomes timed so far, in ms (one clock: everything runs in one process);
     * {@code overhead} is lead in → outcome visible minus the buyers' own answer times.
     */
    public synchronized String stageReport() {
        return "hops p50/p99 ms: " + Arrays.stream(LeadHops.Hop.values())
                .map(hop -> hop.label() + " " + p(hopMs.get(hop), 50) + "/" + p(hopMs.get(hop), 99))
                .collect(Collectors.joining(" | "));
    }

    /** The timed outcomes' platform overhead (lead in → outcome, minus the buyers' answer times), p50 and p99 in ms. */
    public synchronized LeadHops.Percentiles overheadMs() {
        Histogram overhead = hopMs.get(LeadHops.Hop.OVERHEAD);
        return new LeadHops.Percentiles(p(overhead, 50), p(overhead, 99));
    }

    private static long p(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
    }

    /** Whether the lead has a final answer (an outcome or a rejection). */
    public boolean isAccounted(String leadId) {
        return outcomes.containsKey(leadId) || rejections.containsKey(leadId);
    }

    /** The given leads that have no final answer yet. */
    public Set<String> missing(Collection<String> leadIds) {
        return leadIds.stream().filter(id -> !isAccounted(id)).collect(Collectors.toSet());
    }

    /** The first outcome per lead. */
    public Map<String, Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    /** Every outcome record read, duplicates included. */
    public List<Outcome> outcomeRecords() {
        return List.copyOf(outcomeRecords);
    }

    /** The first rejection per lead, by lead id (the record key when the rejection names no lead). */
    public Map<String, Rejection> rejections() {
        return Map.copyOf(rejections);
    }

    /** Counts over the given leads (those the caller sent), so strays from elsewhere do not count. */
    public synchronized Summary summary(Collection<String> leadIds) {
        double p50 = latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(50) / 1000.0;
        double p99 = latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(99) / 1000.0;
        return Summary.of(leadIds, outcomes, rejections, p50, p99);
    }

    /** Revenue of every SOLD outcome seen, whoever sent the lead. */
    public synchronized long soldRevenueCents() {
        return soldRevenueCents;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
