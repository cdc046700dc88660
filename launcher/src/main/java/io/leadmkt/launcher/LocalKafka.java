package io.leadmkt.launcher;

import io.leadmkt.schema.KafkaClients;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Kafka running in this JVM, one node ({@link EmbeddedKafkaBroker}) or several
 * ({@link EmbeddedKafkaCluster}): where clients connect, and how many replicas its topics get.
 */
public interface LocalKafka extends AutoCloseable {

    /** Where clients connect. */
    String bootstrapServers();

    /** How clients reach it. */
    KafkaClients clients();

    default Admin admin() {
        return Admin.create(clients().admin(Map.of()));
    }

    /** How many replicas a topic made on it should have: what {@code streams.replication.factor} should be. */
    short replicationFactor();

    @Override
    void close();
}
