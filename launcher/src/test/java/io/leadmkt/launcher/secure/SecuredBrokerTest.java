package io.leadmkt.launcher.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.launcher.EmbeddedKafkaBroker;
import io.leadmkt.schema.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The secured embedded broker: TLS everywhere, SCRAM and certificate principals, ACLs enforced. */
class SecuredBrokerTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.secured().start();
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldProduceOverSaslSslWhenAclAllowsTheUser() throws Exception {
        allowWrite("User:writer", "secured");
        try (KafkaProducer<String, String> producer = producer(broker.scramClients("writer"))) {
            assertThat(producer.send(new ProducerRecord<>("secured", "k", "v")).get(30, TimeUnit.SECONDS).offset())
                    .isNotNegative();
        }
    }

    @Test
    void shouldProduceOverMutualTlsWhenAclAllowsTheCertificatesName() throws Exception {
        allowWrite("User:cert-writer", "secured");
        try (KafkaProducer<String, String> producer = producer(broker.mtlsClients("cert-writer"))) {
            assertThat(producer.send(new ProducerRecord<>("secured", "k", "v")).get(30, TimeUnit.SECONDS).offset())
                    .isNotNegative();
        }
    }

    @Test
    void shouldRefuseProducerWhenTheUserHasNoAcl() {
        try (KafkaProducer<String, String> producer = producer(broker.scramClients("nobody"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secured", "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseConnectionWhenThePasswordIsWrong() {
        KafkaClients scram = broker.scramClients("writer");
        Map<String, String> wrong = new java.util.HashMap<>(scram.passThrough());
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"writer\" password=\"not-it\";");
        try (Admin admin = Admin.create(new KafkaClients(scram.bootstrapServers(), wrong).admin(Map.of()))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
        }
    }

    private static void allowWrite(String principal, String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", AclOperation.WRITE, AclPermissionType.ALLOW)))).all().get();
        }
    }

    private static KafkaProducer<String, String> producer(KafkaClients clients) {
        return new KafkaProducer<>(clients.producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)),
                new StringSerializer(), new StringSerializer());
    }
}
