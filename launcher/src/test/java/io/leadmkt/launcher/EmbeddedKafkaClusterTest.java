package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaClusterTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    /**
     * The cluster is what it says (three brokers, three voters, replication 3 with min ISR 2), and a
     * node that leads partitions can crash while writes go on: every acknowledged record is there
     * after it comes back, and it catches up to be in sync again.
     */
    @Test
    void shouldKeepEveryAcknowledgedRecordWhenANodeCrashesAndComesBack() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.onFreePorts(3).start();
             Admin admin = cluster.admin()) {
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(admin.describeMetadataQuorum().quorumInfo().get().voters()).hasSize(3);
            admin.createTopics(List.of(new NewTopic("replicated", 3, cluster.replicationFactor()))).all().get();
            Config brokerConfig = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                    .all().get().values().iterator().next();
            assertThat(brokerConfig.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(describe(admin).partitions()).allSatisfy(p -> assertThat(p.isr()).hasSize(3));

            Map<String, Object> producerProps = cluster.clients().producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000));
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                send(producer, sent, 0, 50);
                int leaderOfZero = describe(admin).partitions().get(0).leader().id();
                cluster.stopNode(leaderOfZero);
                assertThat(cluster.isRunning(leaderOfZero)).isFalse();
                send(producer, sent, 50, 100);
                Awaitility.await().atMost(SETTLE).untilAsserted(() -> assertThat(describe(admin).partitions())
                        .allSatisfy(p -> assertThat(p.isr()).extracting(Node::id).doesNotContain(leaderOfZero)));

                cluster.startNode(leaderOfZero);
                send(producer, sent, 100, 150);
                cluster.awaitFullyReplicated(SETTLE);
                assertThat(describe(admin).partitions()).allSatisfy(p -> assertThat(p.isr()).hasSize(3));
            }
            assertThat(readAll(cluster)).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void shouldRefuseNodeIdsOutsideTheCluster() {
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.onFreePorts(3);
        try {
            assertThatThrownBy(() -> cluster.stopNode(4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("node ids are 1 to 3");
            assertThatThrownBy(() -> EmbeddedKafkaCluster.onFreePorts(0)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            cluster.close();
        }
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated");
    }

    /** Sends values {@code from} to {@code to} (exclusive), each acknowledged before the next. */
    private static void send(KafkaProducer<String, String> producer, List<String> sent, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String value = "record-" + i;
            producer.send(new ProducerRecord<>("replicated", value, value)).get(60, TimeUnit.SECONDS);
            sent.add(value);
        }
    }

    private static List<String> readAll(EmbeddedKafkaCluster cluster) {
        Map<String, Object> props = cluster.clients().consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition("replicated", p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await().atMost(SETTLE).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        Set<String> unique = values.stream().collect(Collectors.toSet());
        assertThat(unique).as("records read once each").hasSameSizeAs(values);
        return values;
    }
}
