package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.schema.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.onFreePorts().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldReturnOnlyOnceEveryPartitionHasALeaderWhenTopicsAreProvisioned() throws Exception {
        try (Admin admin = broker.admin()) {
            TopicProvisioner.ensureTopics(admin, List.of(new NewTopic("led-a", 3, (short) 1),
                    new NewTopic("led-b", 2, (short) 1)));

            assertThat(admin.describeTopics(List.of("led-a", "led-b")).allTopicNames().get().values())
                    .flatExtracting(TopicDescription::partitions)
                    .hasSize(5)
                    .allSatisfy(p -> assertThat(p.leader()).isNotNull().matches(leader -> !leader.isEmpty()));
        }
    }

    @Test
    void shouldDescribeTopicsOnceTheBrokerAskedKnowsThemWhenItDidNotAtFirst() throws Exception {
        try (Admin admin = broker.admin()) {
            TopicProvisioner.ensureTopics(admin, List.of(new NewTopic("known-late", 2, (short) 1)));
            // What a 3-node cluster did in CI: the broker asked had not learnt of the topic yet.
            AtomicInteger asked = new AtomicInteger();
            try (Admin lagging = new ForwardingAdmin(Map.of("bootstrap.servers", broker.bootstrapServers())) {
                @Override
                public DescribeTopicsResult describeTopics(TopicCollection topics, DescribeTopicsOptions options) {
                    if (asked.incrementAndGet() <= 3) {
                        KafkaFutureImpl<TopicDescription> unknown = new KafkaFutureImpl<>();
                        unknown.completeExceptionally(new UnknownTopicOrPartitionException("not known here yet"));
                        return new DescribeTopicsResult(null, Map.of("known-late", unknown)) {
                        };
                    }
                    return super.describeTopics(topics, options);
                }
            }) {
                Map<String, TopicDescription> described =
                        TopicProvisioner.describe(lagging, List.of("known-late"), Duration.ofSeconds(30));

                assertThat(asked).hasValue(4);
                assertThat(described.get("known-late").partitions()).hasSize(2);
            }
        }
    }

    @Test
    void shouldNameTheTopicsWhenTheyGetNoLeaderInTime() throws Exception {
        try (Admin admin = broker.admin()) {
            assertThatThrownBy(() -> TopicProvisioner.awaitLeaders(admin, List.of("never-created"),
                    Duration.ofMillis(300)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("never-created");
        }
    }

    @Test
    void shouldRoundTripRecordWhenTopicIsCreated() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("round-trip", 1, (short) 1))).all().get();
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("round-trip", "k", "hello")).get();
        }

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("round-trip", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("k");
            assertThat(record.value()).isEqualTo("hello");
        });
    }

    @Test
    void shouldSupportTransactionsWhenSingleNode() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("transactional", 1, (short) 1))).all().get();
        }
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactional", "k", "v"));
            producer.commitTransaction();
        }
    }

    @Test
    void shouldDeleteTemporaryLogDirWhenClosed() throws Exception {
        Path dir;
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.onFreePorts().start()) {
            dir = second.logDir();
            assertThat(dir).isDirectory();
            try (Admin admin = second.admin()) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(1);
            }
        }
        assertThat(Files.exists(dir)).isFalse();
    }
}
