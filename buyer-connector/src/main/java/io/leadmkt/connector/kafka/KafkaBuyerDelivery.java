package io.leadmkt.connector.kafka;

import io.leadmkt.connector.AckedSend;
import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Topics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Hands pings and posts to Kafka-native buyers: a buyer {@code B} named in a ping gets a copy of
 * it naming only {@code B} on {@link KafkaBuyerTopics#pings}, and a post to {@code B} goes to
 * {@link KafkaBuyerTopics#posts}, keyed by lead id in the marketplace's Avro wire format. No bid
 * and no post result is produced for such a buyer: it answers on {@code bids} and
 * {@code post-results} itself, and the auction validates its answers.
 *
 * <p>A buyer's topic is passed to {@code ensureTopic} once per process before its first record
 * (the connector creates it when missing).
 */
public final class KafkaBuyerDelivery {
    private final BuyerDirectory directory;
    private final Topics topics;
    private final Producer<String, byte[]> producer;
    private final Consumer<String> ensureTopic;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    public KafkaBuyerDelivery(BuyerDirectory directory, Topics topics, Producer<String, byte[]> producer,
                              Consumer<String> ensureTopic) {
        this.directory = directory;
        this.topics = topics;
        this.producer = producer;
        this.ensureTopic = ensureTopic;
    }

    /** Produces the ping to every Kafka-native buyer it names; one future per record, completing on ack. */
    public List<CompletableFuture<Void>> deliverPing(Ping ping) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String buyerId : new LinkedHashSet<>(ping.getBuyers())) {
            if (!isKafkaBuyer(buyerId)) {
                continue;
            }
            Ping own = Ping.newBuilder()
                    .setLeadId(ping.getLeadId())
                    .setCampaignId(ping.getCampaignId())
                    .setFloorCents(ping.getFloorCents())
                    .setPingedAt(ping.getPingedAt())
                    .setDeadlineAt(ping.getDeadlineAt())
                    .setBuyers(List.of(buyerId))
                    .setPreview(ping.getPreview())
                    .build();
            String topic = KafkaBuyerTopics.pings(buyerId);
            acks.add(send(topic, ping.getLeadId(), () -> topics.pings().valueSerde().serializer().serialize(topic, own)));
        }
        return acks;
    }

    /** Produces the post when its buyer is Kafka-native; empty otherwise (a webhook buyer). */
    public Optional<CompletableFuture<Void>> deliverPost(Post post) {
        if (!isKafkaBuyer(post.getBuyerId())) {
            return Optional.empty();
        }
        String topic = KafkaBuyerTopics.posts(post.getBuyerId());
        return Optional.of(send(topic, post.getLeadId(),
                () -> topics.posts().valueSerde().serializer().serialize(topic, post)));
    }

    private boolean isKafkaBuyer(String buyerId) {
        Optional<BuyerConfig> buyer = directory.find(buyerId);
        return buyer.isPresent() && BuyerDirectory.answersOnKafka(buyer.get());
    }

    private CompletableFuture<Void> send(String topic, String key, java.util.function.Supplier<byte[]> value) {
        try {
            if (ensured.add(topic)) {
                try {
                    ensureTopic.accept(topic);
                } catch (RuntimeException e) {
                    ensured.remove(topic);
                    throw e;
                }
            }
            return AckedSend.send(producer, new ProducerRecord<>(topic, key, value.get()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
