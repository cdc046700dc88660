package io.leadmkt.connector.kafka;

import io.leadmkt.connector.AckedSend;
import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.ping.PingDispatcher;
import io.leadmkt.connector.post.PostDispatcher;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.DeletionNotice;
import io.leadmkt.schema.Ping;
import io.leadmkt.schema.Post;
import io.leadmkt.schema.Topics;
import java.time.Clock;
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
 * and no post result is produced for such a buyer: it answers on its own answer topics, which
 * {@link KafkaBuyerAnswers} relays in its name, and the auction validates its answers.
 *
 * <p>A buyer's topics (all four, with its first ping) are passed to {@code ensureTopic} once per
 * process before its first record (the connector creates them when missing).
 */
public final class KafkaBuyerDelivery {
    private final BuyerDirectory directory;
    private final Topics topics;
    private final Producer<String, byte[]> producer;
    private final Consumer<String> ensureTopic;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final AnswerRoutes routes = new AnswerRoutes();

    public KafkaBuyerDelivery(BuyerDirectory directory, Topics topics, Producer<String, byte[]> producer,
                              Consumer<String> ensureTopic, Clock clock) {
        this.clock = clock;
        this.directory = directory;
        this.topics = topics;
        this.producer = producer;
        this.ensureTopic = ensureTopic;
    }

    /** Produces the ping to every Kafka-native buyer it names; one future per record, completing on ack. */
    public List<CompletableFuture<Void>> deliverPing(Ping ping) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        long now = clock.millis();
        if (PingDispatcher.tooLateToOffer(ping, now)) {
            // The lead can no longer be decided in time: the auction ends it STALE at its backstop.
            return acks;
        }
        for (String buyerId : new LinkedHashSet<>(ping.getBuyers())) {
            if (!isKafkaBuyer(buyerId)) {
                continue;
            }
            // The buyer's time counts from when its copy becomes readable, which is about now (the
            // producer is not transactional): it gets the whole budget from here, not what our lag left.
            Ping own = Ping.newBuilder()
                    .setLeadId(ping.getLeadId())
                    .setCampaignId(ping.getCampaignId())
                    .setFloorCents(ping.getFloorCents())
                    .setPingedAt(now)
                    .setDeadlineAt(now + PingDispatcher.budgetMs(ping))
                    .setOfferBy(ping.getOfferBy())
                    .setBuyers(List.of(buyerId))
                    .setPreview(ping.getPreview())
                    .build();
            String topic = KafkaBuyerTopics.pings(buyerId);
            try {
                // Its answer topics exist before it is asked: the relay finds them, and it can answer at once.
                KafkaBuyerTopics.all(buyerId).forEach(this::ensure);
            } catch (RuntimeException e) {
                acks.add(CompletableFuture.failedFuture(e));
                continue;
            }
            routes.remember(ping.getLeadId(), ping.getAuctionPartition());
            acks.add(send(topic, ping.getLeadId(), () -> topics.pings().valueSerde().serializer().serialize(topic, own)));
        }
        return acks;
    }

    /**
     * Produces the post when its buyer is Kafka-native; empty otherwise (a webhook buyer). As with pings, the
     * buyer's copy is stamped when it becomes readable ({@code deadlineAt} = now + the post's budget); a post
     * read after its {@code sendBy} is not delivered: the auction may have moved on, and its own timer ends it.
     */
    public Optional<CompletableFuture<Void>> deliverPost(Post post) {
        if (!isKafkaBuyer(post.getBuyerId())) {
            return Optional.empty();
        }
        Optional<Post> readable = buyersCopy(post, clock.millis());
        if (readable.isEmpty()) {
            return Optional.of(CompletableFuture.completedFuture(null)); // the audit shows the auction's NO_POST_RESULT
        }
        Post stamped = readable.get();
        String topic = KafkaBuyerTopics.posts(stamped.getBuyerId());
        routes.remember(stamped.getLeadId(), stamped.getAuctionPartition());
        return Optional.of(send(topic, stamped.getLeadId(),
                () -> topics.posts().valueSerde().serializer().serialize(topic, stamped)));
    }

    /**
     * The buyer's copy of a post read {@code now}: its budget counted from now; empty past its {@code sendBy}.
     * A post written before {@code sendBy} existed goes as it is.
     */
    private static Optional<Post> buyersCopy(Post post, long now) {
        if (post.getSendBy() <= 0) {
            return Optional.of(post);
        }
        long budgetMs = PostDispatcher.budgetMs(post, now);
        return budgetMs <= 0 ? Optional.empty()
                : Optional.of(Post.newBuilder(post).setDeadlineAt(now + budgetMs).build());
    }

    /** Produces the deletion notice when its buyer is Kafka-native; empty otherwise (a webhook buyer). */
    public Optional<CompletableFuture<Void>> deliverDeletion(DeletionNotice notice) {
        if (!isKafkaBuyer(notice.getBuyerId())) {
            return Optional.empty();
        }
        String topic = KafkaBuyerTopics.deletions(notice.getBuyerId());
        return Optional.of(send(topic, notice.getDeletionId(),
                () -> topics.privacyNotices().valueSerde().serializer().serialize(topic, notice)));
    }

    /** Where the answers to the pings and posts delivered here go back to: read by {@link KafkaBuyerAnswers}. */
    AnswerRoutes routes() {
        return routes;
    }

    private boolean isKafkaBuyer(String buyerId) {
        Optional<BuyerConfig> buyer = directory.find(buyerId);
        return buyer.isPresent() && BuyerDirectory.answersOnKafka(buyer.get());
    }

    private void ensure(String topic) {
        if (ensured.add(topic)) {
            try {
                ensureTopic.accept(topic);
            } catch (RuntimeException e) {
                ensured.remove(topic);
                throw e;
            }
        }
    }

    private CompletableFuture<Void> send(String topic, String key, java.util.function.Supplier<byte[]> value) {
        try {
            ensure(topic);
            return AckedSend.send(producer, new ProducerRecord<>(topic, key, value.get()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
