package io.leadmkt.launcher;

import io.leadmkt.launcher.secure.LocalCertificates;
import io.leadmkt.schema.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) in this JVM, on loopback.
 * Internal topics are sized for one node (replication factor 1, one partition) and consumer groups
 * start without the initial rebalance delay, so demos and tests do not wait.
 *
 * <p>{@link #secured()} starts it as a production cluster would be: no PLAINTEXT listener, clients
 * on SASL_SSL with SCRAM-SHA-512 ({@link #scramClients}) or on mutual TLS ({@link #mtlsClients}), the
 * controller and the broker's own connections on mutual TLS, and KRaft's {@code StandardAuthorizer}
 * denying whatever no ACL allows. Its certificates come from a throwaway CA made at start in its
 * temporary directory ({@link LocalCertificates}); the broker's own principal {@code User:broker}
 * is the one super user, and {@link #clients()} / {@link #admin()} act as it (to create topics,
 * users and ACLs).
 */
public final class EmbeddedKafkaBroker implements LocalKafka {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String LOOPBACK = KafkaNode.LOOPBACK;
    /** The secured broker's own principal (its certificate's CN), its one super user. */
    public static final String SUPER_USER = "broker";
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private final KafkaNode node;
    /** What close() deletes: the temporary log dir, or (secured) the directory holding it and the certificates. */
    private final Path temporary;
    /** Secured only: the mutual-TLS listener's port, and the certificates; 0 and null otherwise. */
    private final int mtlsPort;
    private final LocalCertificates certificates;
    private final Map<String, String> scramPasswords = new ConcurrentHashMap<>();

    private EmbeddedKafkaBroker(Path logDir, Path temporary, int brokerPort, int controllerPort, int mtlsPort,
                                LocalCertificates certificates) {
        this.node = new KafkaNode(NODE_ID, logDir, brokerPort, controllerPort);
        this.temporary = temporary;
        this.mtlsPort = mtlsPort;
        this.certificates = certificates;
    }

    /** A broker on free ports with a temporary log dir that {@link #close()} deletes. */
    public static EmbeddedKafkaBroker onFreePorts() {
        return create(0, null);
    }

    /**
     * @param port   the PLAINTEXT port, or 0 for a free one
     * @param logDir a log dir to keep (formatted on first use, reused afterwards), or null for a temporary one
     */
    public static EmbeddedKafkaBroker create(int port, Path logDir) {
        try {
            boolean temporary = logDir == null;
            Path dir = temporary ? Files.createTempDirectory("leadmkt-kafka-") : logDir.toAbsolutePath();
            Files.createDirectories(dir);
            int brokerPort = port == 0 ? ListenerPorts.free() : port;
            int controllerPort = ListenerPorts.free();
            return new EmbeddedKafkaBroker(dir, temporary ? dir : null, brokerPort, controllerPort, 0, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's log dir", e);
        }
    }

    /**
     * A secured broker on free ports (SASL_SSL with SCRAM-SHA-512, mutual TLS, ACLs enforced) with a
     * temporary directory, holding its log dir and its throwaway CA, that {@link #close()} deletes.
     */
    public static EmbeddedKafkaBroker secured() {
        try {
            Path root = Files.createTempDirectory("leadmkt-kafka-secure-");
            Path dir = Files.createDirectories(root.resolve("log"));
            LocalCertificates certificates = LocalCertificates.create(root.resolve("tls"));
            certificates.keystore(SUPER_USER);
            return new EmbeddedKafkaBroker(dir, root, ListenerPorts.free(), ListenerPorts.free(), ListenerPorts.free(), certificates);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's directories", e);
        }
    }

    /** Formats the log dir when needed, starts the broker and returns once it serves metadata. */
    public synchronized EmbeddedKafkaBroker start(Duration timeout) {
        if (node.running()) {
            return this;
        }
        long started = System.nanoTime();
        Map<String, Object> props = brokerProperties();
        try {
            node.formatIfNew(Uuid.randomUuid().toString());
            node.start(props);
            try (Admin admin = admin()) {
                KafkaNode.awaitNodes(admin, nodes -> !nodes.isEmpty(), timeout, "broker did not list a node");
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded Kafka broker failed to start: " + e.getMessage(), e);
        }
        log.info("Kafka broker up at {} in {} ms (log dir {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), node.logDir());
        return this;
    }

    public EmbeddedKafkaBroker start() {
        return start(Duration.ofSeconds(60));
    }

    /** Where clients connect: the PLAINTEXT listener, or the secured broker's SASL_SSL one. */
    @Override
    public String bootstrapServers() {
        return node.address();
    }

    /** One node, one replica of everything. */
    @Override
    public short replicationFactor() {
        return 1;
    }

    public boolean isSecured() {
        return certificates != null;
    }

    /** What clients of {@link #bootstrapServers()} speak: PLAINTEXT, or SASL_SSL when secured. */
    public String securityProtocol() {
        return isSecured() ? "SASL_SSL" : "PLAINTEXT";
    }

    public Path logDir() {
        return node.logDir();
    }

    /** How clients reach this broker; when secured, as its super user (over mutual TLS). */
    @Override
    public KafkaClients clients() {
        return isSecured() ? mtlsClients(SUPER_USER) : KafkaClients.to(bootstrapServers());
    }

    /**
     * Clients of the secured broker authenticated as SCRAM user {@code user} (principal
     * {@code User:user}) on the SASL_SSL listener: the user is created with a random password on first
     * use. They may do only what ACLs grant {@code User:user}.
     */
    public KafkaClients scramClients(String user) {
        requireSecured();
        String password = scramPasswords.computeIfAbsent(user, this::createScramUser);
        Map<String, String> properties = new HashMap<>(trust());
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", SCRAM_MECHANISM);
        properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return new KafkaClients(bootstrapServers(), properties);
    }

    /**
     * Clients of the secured broker authenticated by a certificate with {@code CN=commonName} (principal
     * {@code User:commonName}, made on first use) on the mutual-TLS listener.
     */
    public KafkaClients mtlsClients(String commonName) {
        requireSecured();
        Map<String, String> properties = new HashMap<>(trust());
        properties.put("security.protocol", "SSL");
        properties.put("ssl.keystore.location", certificates.keystore(commonName).toString());
        properties.put("ssl.keystore.password", certificates.password());
        properties.put("ssl.keystore.type", certificates.storeType());
        return new KafkaClients(LOOPBACK + ":" + mtlsPort, properties);
    }

    private Map<String, String> trust() {
        return Map.of("ssl.truststore.location", certificates.truststore().toString(),
                "ssl.truststore.password", certificates.password(),
                "ssl.truststore.type", certificates.storeType());
    }

    private void requireSecured() {
        if (!isSecured()) {
            throw new IllegalStateException("this broker has a PLAINTEXT listener only: start it with secured()");
        }
    }

    /** Creates SCRAM-SHA-512 credentials for {@code user} and waits until the broker knows them. */
    private String createScramUser(String user) {
        String password = UUID.randomUUID().toString();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS).contains(user)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM user " + user + " not visible within 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create SCRAM user " + user + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating SCRAM user " + user, e);
        }
        return password;
    }

    private Map<String, Object> brokerProperties() {
        Map<String, Object> props = node.properties(node.voter(), 1, 1);
        if (isSecured()) {
            secure(props);
        }
        return props;
    }

    /**
     * Listeners CLIENT (SASL_SSL, SCRAM-SHA-512), MTLS (SSL, client certificate required, also the
     * broker's own listener) and CONTROLLER (SSL, mutual): nothing on the network is unauthenticated.
     * A certificate's principal is its CN; the broker's own ({@value #SUPER_USER}) is the super user,
     * which the controller and broker need to talk to each other under the authorizer.
     */
    private void secure(Map<String, Object> props) {
        props.put("listeners", "CLIENT://" + node.address() + ",MTLS://" + LOOPBACK + ":" + mtlsPort
                + ",CONTROLLER://" + node.controllerAddress());
        props.put("advertised.listeners", "CLIENT://" + node.address() + ",MTLS://" + LOOPBACK + ":" + mtlsPort);
        props.put("listener.security.protocol.map", "CLIENT:SASL_SSL,MTLS:SSL,CONTROLLER:SSL");
        props.put("inter.broker.listener.name", "MTLS");
        props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        props.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("ssl.keystore.location", certificates.keystore(SUPER_USER).toString());
        props.put("ssl.keystore.password", certificates.password());
        props.put("ssl.key.password", certificates.password());
        props.put("ssl.keystore.type", certificates.storeType());
        props.put("ssl.truststore.location", certificates.truststore().toString());
        props.put("ssl.truststore.password", certificates.password());
        props.put("ssl.truststore.type", certificates.storeType());
        props.put("ssl.client.auth", "required");
        // SCRAM authenticates CLIENT's users; a certificate is not asked of them.
        props.put("listener.name.client.ssl.client.auth", "none");
        props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        props.put("authorizer.class.name", AUTHORIZER);
        props.put("super.users", "User:" + SUPER_USER);
        props.put("allow.everyone.if.no.acl.found", "false");
    }

    @Override
    public synchronized void close() {
        node.stop();
        if (temporary != null) {
            KafkaNode.deleteRecursively(temporary);
        }
    }
}
