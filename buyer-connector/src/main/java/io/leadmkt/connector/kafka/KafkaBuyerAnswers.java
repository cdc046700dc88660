package io.leadmkt.connector.kafka;

import io.leadmkt.connector.AckedSend;
import io.leadmkt.schema.AnswerRoute;
import io.leadmkt.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;

/**
 * Relays Kafka-native buyers' answers from their own topics ({@code buyer.B.bids},
 * {@code buyer.B.post-results}, {@code buyer.B.postbacks}) to the shared {@code bids} /
 * {@code post-results} the auction reads and the {@code postbacks} the returns desk reads.
 * Only the connector may write the shared topics; a buyer may write only its own answer topics (the
 * broker's ACLs enforce both), so the topic an answer was written to proves who wrote it. An answer
 * whose {@code buyerId} names anyone else is a forgery: it goes to {@code events.deadletter} with the
 * reason in the {@value #ERROR_HEADER} header and never reaches the auction. Bytes that cannot be read
 * are passed on as they are: the auction dead-letters unreadable answers itself, and they name no buyer.
 */
public final class KafkaBuyerAnswers {
    /** The header naming why a relayed answer was refused. */
    public static final String ERROR_HEADER = "leadmkt.error";

    /**
     * One record read from a buyer's answer topic; {@code claimedBuyerId} null when unreadable.
     * {@code carriesOthers}: a bid with {@code roundAnswers}, which only the connector may write (a
     * buyer answers for itself alone).
     */
    public record Answer(String topic, String leadId, byte[] raw, String claimedBuyerId, boolean carriesOthers) {
    }

    private final Topics topics;
    private final Producer<String, byte[]> producer;
    private final Runnable onForged;
    private final AnswerRoutes routes;

    /** @param delivery the delivery of the pings and posts these answer: it knows their auctions' partitions */
    public KafkaBuyerAnswers(Topics topics, Producer<String, byte[]> producer, Runnable onForged,
                             KafkaBuyerDelivery delivery) {
        this.topics = topics;
        this.producer = producer;
        this.onForged = onForged;
        this.routes = delivery.routes();
    }

    /** Reads the buyer an answer claims to be from; an unreadable one claims nobody. */
    public Answer read(ConsumerRecord<String, byte[]> record) {
        String claimed;
        boolean carriesOthers = false;
        try {
            if (KafkaBuyerTopics.isBids(record.topic())) {
                io.leadmkt.schema.Bid bid = topics.bids().valueSerde().deserializer().deserialize(record.topic(), record.value());
                claimed = bid.getBuyerId();
                carriesOthers = bid.getRoundAnswers() != null && !bid.getRoundAnswers().isEmpty();
            } else if (KafkaBuyerTopics.isPostbacks(record.topic())) {
                claimed = topics.postbacks().valueSerde().deserializer().deserialize(record.topic(), record.value())
                        .getBuyerId().toString();
            } else {
                claimed = topics.postResults().valueSerde().deserializer().deserialize(record.topic(), record.value())
                        .getBuyerId();
            }
        } catch (RuntimeException e) {
            claimed = null;
        }
        return new Answer(record.topic(), record.key(), record.value(), claimed, carriesOthers);
    }

    /** Produces the answer to its shared topic, or a forged one to the dead letters; completes on ack. */
    public CompletableFuture<Void> relay(Answer answer) {
        String shared = KafkaBuyerTopics.isBids(answer.topic()) ? Topics.BIDS
                : KafkaBuyerTopics.isPostbacks(answer.topic()) ? Topics.POSTBACKS : Topics.POST_RESULTS;
        Optional<String> refusal = answer.carriesOthers()
                ? Optional.of("FORGED_BUYER: an answer on " + answer.topic() + " carries other answers (roundAnswers)")
                : refusal(answer.topic(), answer.claimedBuyerId());
        if (refusal.isEmpty() && shared.equals(Topics.POSTBACKS)) {
            // No auction waits for a postback: the returns desk reads it by its buyer, whatever its partition.
            return AckedSend.send(producer, new ProducerRecord<>(shared, answer.leadId(), answer.raw()));
        }
        if (refusal.isEmpty()) {
            Optional<Integer> partition = answer.leadId() == null ? Optional.empty() : routes.partitionOf(answer.leadId());
            if (partition.isPresent() || answer.leadId() == null) {
                return AckedSend.send(producer, new ProducerRecord<>(shared, partition.orElse(null), answer.leadId(),
                        answer.raw()));
            }
            return broadcast(shared, answer);
        }
        onForged.run();
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.EVENTS_DEADLETTER, answer.leadId(), answer.raw());
        dead.headers().add(ERROR_HEADER, refusal.get().getBytes(StandardCharsets.UTF_8));
        dead.headers().add("leadmkt.source.topic", answer.topic().getBytes(StandardCharsets.UTF_8));
        return AckedSend.send(producer, dead);
    }

    /**
     * The auction of the answer's lead is on a partition no longer known here (this connector restarted
     * after delivering the request): every partition gets a copy, marked, and only the auction that
     * knows the lead counts it ({@link AnswerRoute}).
     */
    private CompletableFuture<Void> broadcast(String shared, Answer answer) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (PartitionInfo partition : producer.partitionsFor(shared)) {
            ProducerRecord<String, byte[]> copy = new ProducerRecord<>(shared, partition.partition(), answer.leadId(),
                    answer.raw());
            copy.headers().add(AnswerRoute.BROADCAST_HEADER, new byte[] {1});
            acks.add(AckedSend.send(producer, copy));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /**
     * Why an answer read from {@code topic} must not count, if it must not: it claims to be from a
     * buyer other than the one whose topic it is. An unreadable answer ({@code claimedBuyerId} null)
     * claims nobody and is passed on.
     */
    public static Optional<String> refusal(String topic, String claimedBuyerId) {
        Optional<String> owner = KafkaBuyerTopics.answerer(topic);
        if (owner.isEmpty()) {
            return Optional.of("FORGED_BUYER: " + topic + " is not a buyer's answer topic");
        }
        if (claimedBuyerId != null && !claimedBuyerId.equals(owner.get())) {
            return Optional.of("FORGED_BUYER: an answer on " + topic + " claims buyer " + claimedBuyerId);
        }
        return Optional.empty();
    }
}
