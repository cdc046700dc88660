package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.connector.BuyerConnector;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.streams.LeadMarketApp;
import io.leadmkt.streams.StreamsAppConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.JmxReporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Pass-through Kafka properties of the settings file on a real broker: they reach every client the
 * streams app, the connector and a {@code config} command create, and a value Kafka refuses stops a
 * component before it starts, with the setting's name.
 */
class KafkaPassThroughTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.onFreePorts().start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void shouldReachEveryClientOfEveryComponentWhenSetOnce(@TempDir Path dir) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String app = "ptapp-" + suffix;
        String group = "ptconn-" + suffix;
        Path file = dir.resolve("leadmkt.properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=" + broker.bootstrapServers(),
                // One property for all clients, read back from each client the reporter was configured by.
                "kafka.metric.reporters=" + JmxReporter.class.getName() + "," + RecordingMetricsReporter.class.getName(),
                "streams.application.id=" + app,
                "streams.state.dir=" + dir.resolve("state"),
                "streams.http.port=0",
                "streams.kafka.group.instance.id=" + app + "-static",
                "connector.group.id=" + group));
        Settings settings = Settings.load(file);
        RecordingMetricsReporter.drain();

        assertThat(run("config", "history", "--config", file.toString()).exit()).isZero();
        assertThat(RecordingMetricsReporter.drain()).as("clients of config history").isNotEmpty();

        try (LeadMarketApp streams = LeadMarketApp.start(settings.streamsConfig(null, null, null))) {
            Set<String> reached = clientIds(RecordingMetricsReporter.drain());
            assertThat(reached).contains(app + "-http-intake", app + "-provisioner");
            assertThat(reached).anyMatch(id -> id.startsWith(app) && id.endsWith("StreamThread-1-consumer"))
                    .anyMatch(id -> id.startsWith(app) && id.endsWith("StreamThread-1-producer"))
                    .anyMatch(id -> id.startsWith(app) && id.endsWith("-restore-consumer"))
                    .anyMatch(id -> id.startsWith(app) && id.endsWith("-global-consumer"))
                    .anyMatch(id -> id.startsWith(app) && id.endsWith("-admin"));
            assertThat(liveClientIds(app)).as("every live client of the streams app").isNotEmpty().isSubsetOf(reached);
            assertThat(staticMembers(app)).as("streams.kafka.group.instance.id on the group")
                    .isNotEmpty().allMatch(id -> id.startsWith(app + "-static"));

            try (BuyerConnector connector = BuyerConnector.start(settings.connectorConfig(null))) {
                Set<String> connectorReached = clientIds(RecordingMetricsReporter.drain());
                assertThat(connectorReached).contains(group + "-producer", group + "-admin", group + "-buyers",
                        group + "-pings", group + "-posts");
                assertThat(liveClientIds(group)).as("every live client of the connector").isNotEmpty()
                        .isSubsetOf(connectorReached);
            }
        }
    }

    @Test
    void shouldRefuseToStartWhenPassThroughSecurityProtocolIsUnknown(@TempDir Path dir) throws Exception {
        StreamsAppConfig config = StreamsAppConfig.from(
                new KafkaClients(broker.bootstrapServers(), Map.of("security.protocol", "NOPE")),
                new AbstractConfig(StreamsAppConfig.definition(), Map.of(StreamsAppConfig.STATE_DIR,
                        dir.resolve("state").toString(), StreamsAppConfig.HTTP_PORT, "0"), false));
        Path file = dir.resolve("leadmkt.properties");
        Files.writeString(file, "bootstrap.servers=" + broker.bootstrapServers() + "\nkafka.security.protocol=NOPE\n");

        assertThatThrownBy(() -> LeadMarketApp.start(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value NOPE for configuration security.protocol");
        Run command = run("config", "history", "--config", file.toString());
        assertThat(command.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(command.err()).startsWith("invalid settings: Invalid value NOPE for configuration "
                + "kafka.security.protocol: String must be one of").doesNotContain("Exception");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LeadMkt.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Set<String> clientIds(List<Map<String, ?>> configs) {
        return configs.stream().map(c -> c.get(CommonClientConfigs.CLIENT_ID_CONFIG))
                .filter(id -> id != null && !id.toString().isEmpty())
                .map(Object::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The ids of the producers, consumers and admin clients alive in this JVM whose id starts with {@code prefix}. */
    private static Set<String> liveClientIds(String prefix) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (ObjectName name : ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("kafka.*:type=app-info,*"), null)) {
            String id = name.getKeyProperty("id");
            if (id != null && id.startsWith("\"")) {
                id = ObjectName.unquote(id);
            }
            if (id != null && id.startsWith(prefix)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static List<String> staticMembers(String groupId) throws Exception {
        try (Admin admin = broker.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            return group.members().stream().map(MemberDescription::groupInstanceId)
                    .map(id -> id.orElse("(none)")).toList();
        }
    }
}
