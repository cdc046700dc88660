package io.leadmkt.streams.privacy;

import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionEventType;
import io.leadmkt.schema.ErasureRequest;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.KeyErasure;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.LeadMarketTopology;
import io.leadmkt.streams.admin.ConfigChanges.Author;
import io.leadmkt.streams.admin.ConfigTopics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a consumer's deletion request, from the privacy API or {@code leadmkt privacy delete}: in one
 * transaction with the consumer's suppression entries (so they are suppressed from then on, audited on
 * {@code config.changes}), a copy of the request on every partition of {@code privacy.deletions} (each
 * task of the disclosures searches its own leads), a key erasure for each hash (a lead of theirs the
 * disclosures do not know yet is still sealed under one of them) and the {@code REQUESTED} event.
 *
 * <p>Then the copies that are still in clear are deleted: what sellers wrote to {@code leads.inbound}
 * (they arrive in clear) and the {@code leads-by-identity} repartition (the lead on its way to the key
 * vault, which Kafka Streams purges only every 30 s). Every partition of both is truncated up to what
 * the streams app has committed, so only leads it has finished with go, and every earlier lead of this
 * consumer with them. A lead still unread then is read after the suppression and rejected
 * {@code SUPPRESSED}.
 */
public final class Deletions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deletions.class);

    private final ConfigTopics config;
    private final Topics topics;
    private final int partitions;
    private final String applicationId;
    private final Admin admin;

    /** What was written: the request's id, the hashes searched for, and where each truncated partition now starts. */
    public record Accepted(String deletionId, List<String> hashes, Map<TopicPartition, Long> truncatedTo) {
    }

    public Deletions(KafkaClients kafka, ConfigTopics config, Topics topics, int partitions, String applicationId) {
        this.config = config;
        this.topics = topics;
        this.partitions = partitions;
        this.applicationId = applicationId;
        this.admin = Admin.create(kafka.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, applicationId + "-privacy")));
    }

    /** Writes the request (see the class comment); returns once it is committed and leads.inbound truncated. */
    public Accepted request(List<SuppressionEntry> entries, Author author, long now) {
        String deletionId = UUID.randomUUID().toString();
        List<String> hashes = new ArrayList<>(new LinkedHashSet<>(entries.stream().map(SuppressionEntry::getHash).toList()));
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        ErasureRequest request = ErasureRequest.newBuilder().setDeletionId(deletionId).setHashes(hashes)
                .setRequestedBy(author.actor()).setRequestedAt(now).setPartitions(partitions).build();
        for (int partition = 0; partition < partitions; partition++) {
            records.add(new ProducerRecord<>(Topics.PRIVACY_DELETIONS, partition, deletionId,
                    topics.privacyDeletions().valueSerde().serializer().serialize(Topics.PRIVACY_DELETIONS, request)));
        }
        for (String hash : hashes) {
            KeyErasure erasure = KeyErasure.newBuilder().setIdentityHash(hash).setDeletionId(deletionId).setAt(now).build();
            records.add(new ProducerRecord<>(Topics.PRIVACY_KEY_ERASURES, hash,
                    topics.privacyKeyErasures().valueSerde().serializer().serialize(Topics.PRIVACY_KEY_ERASURES, erasure)));
        }
        DeletionEvent requested = DeletionEvent.newBuilder().setDeletionId(deletionId)
                .setType(DeletionEventType.REQUESTED).setAt(now).setHashes(hashes).setRequestedBy(author.actor())
                .setCount(partitions).setDetail(Map.of("via", author.via())).build();
        records.add(new ProducerRecord<>(Topics.PRIVACY_DELETION_EVENTS, deletionId,
                topics.privacyDeletionEvents().valueSerde().serializer().serialize(Topics.PRIVACY_DELETION_EVENTS, requested)));
        config.suppress(entries, author, records);
        return new Accepted(deletionId, hashes, truncateClearCopies());
    }

    /** Deletes every record of the topics holding leads in clear that the streams app has committed past. */
    Map<TopicPartition, Long> truncateClearCopies() {
        List<String> clear = List.of(Topics.LEADS_INBOUND,
                LeadMarketTopology.leadsByIdentityTopic(applicationId));
        Map<TopicPartition, Long> startsAt = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, RecordsToDelete> delete = new java.util.HashMap<>();
            committed.forEach((partition, offset) -> {
                if (clear.contains(partition.topic()) && offset != null) {
                    delete.put(partition, RecordsToDelete.beforeOffset(offset.offset()));
                    startsAt.put(partition, offset.offset());
                }
            });
            admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while truncating " + clear, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot truncate " + clear + ": " + e.getMessage(), e);
        }
        log.info("privacy: leads in clear truncated to the streams app's committed offsets {}", startsAt);
        return startsAt;
    }

    @Override
    public void close() {
        admin.close();
    }
}
