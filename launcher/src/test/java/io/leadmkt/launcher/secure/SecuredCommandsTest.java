package io.leadmkt.launcher.secure;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.EmbeddedKafkaBroker;
import io.leadmkt.launcher.LeadMkt;
import io.leadmkt.launcher.Settings;
import io.leadmkt.schema.BidStatus;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.PostStatus;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.Topics;
import io.leadmkt.simulator.BuyerBehaviour;
import io.leadmkt.simulator.BuyerSpec;
import io.leadmkt.simulator.SimulatedBuyer;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator's commands on a secured cluster (SASL_SSL, ACLs enforced), configured as the README
 * tells an operator to: a settings file with {@code bootstrap.servers} and the shared {@code kafka.*}
 * client properties. {@code config apply}, {@code keys create} and {@code buyer test} run as the config writers' principal
 * with only {@link AclPlan}'s ACLs; a principal without ACLs is refused with the reason.
 */
class SecuredCommandsTest {
    private static final Path SAMPLE_LEAD = Path.of("..", "deploy", "config", "sample-lead.json");

    private static EmbeddedKafkaBroker broker;
    private static SimulatedBuyer buyer;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        broker = EmbeddedKafkaBroker.secured().start();
        SecureMarket.grant(broker, Settings.empty());
        try (Admin admin = broker.admin()) {
            TopicProvisioner.ensureTopics(admin, Topics.embedded(), 3, (short) 1);
        }
        buyer = SimulatedBuyer.start(BuyerSpec.of("secured-web", BuyerBehaviour.alwaysBids(1_250)));
    }

    @AfterAll
    static void stop() {
        if (buyer != null) {
            buyer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run leadmkt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LeadMkt()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A settings file as an operator writes it for this principal: its client properties under {@code kafka.}. */
    private Path settingsFor(KafkaClients clients, String name) throws Exception {
        String kafka = new TreeMap<>(clients.passThrough()).entrySet().stream()
                .map(e -> "kafka." + e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n"));
        return Files.writeString(dir.resolve(name + ".properties"),
                "bootstrap.servers=" + clients.bootstrapServers() + "\n" + kafka + "\n");
    }

    private Path buyers() throws Exception {
        return Files.writeString(dir.resolve("buyers.yaml"), """
                buyers:
                  - buyerId: secured-web
                    pingUrl: %s
                    postUrl: %s
                """.formatted(buyer.pingUrl(), buyer.postUrl()));
    }

    @Test
    void shouldApplyConfigAndTestTheBuyerFromTheClusterWhenRunAsTheConfigWriter() throws Exception {
        Path settings = settingsFor(SecureMarket.configWriter(broker), "config-writer");

        Run apply = leadmkt("config", "apply", "-f", buyers().toString(), "--config", settings.toString());
        Run test = leadmkt("buyer", "test", "secured-web", "--lead", SAMPLE_LEAD.toString(),
                "--config", settings.toString());
        Run key = leadmkt("keys", "create", "--role", "buyer", "--buyer", "secured-web", "--config", settings.toString());

        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(key.exit()).as(key.err()).isZero();
        try (ConfigTopics topics = new ConfigTopics(broker.clients(), Topics.embedded(), "secured-commands-check")) {
            assertThat(topics.currentBuyers()).containsKey("secured-web");
            assertThat(topics.currentApiKeys().values()).anySatisfy(k -> assertThat(k.getBuyerId()).isEqualTo("secured-web"));
        }
        assertThat(test.exit()).as(test.err()).isZero();
        assertThat(test.out()).contains("status=" + BidStatus.BID + " price=12.50", "status=" + PostStatus.ACCEPTED);
    }

    @Test
    void shouldRefuseWithTheAuthorizationErrorWhenThePrincipalHasNoAcls() throws Exception {
        Path settings = settingsFor(broker.scramClients("no-acls"), "no-acls");

        Run apply = leadmkt("config", "apply", "-f", buyers().toString(), "--config", settings.toString());

        assertThat(apply.exit()).isNotZero();
        assertThat(apply.err()).containsIgnoringCase("authoriz");
    }
}
