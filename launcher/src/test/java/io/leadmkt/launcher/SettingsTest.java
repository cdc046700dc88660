package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.schema.serde.ConfluentRegistryResolver;
import io.leadmkt.schema.serde.EmbeddedSchemaIdResolver;
import io.leadmkt.schema.serde.SchemaRegistryConfig;
import io.leadmkt.streams.StreamsAppConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SettingsTest {

    @Test
    void shouldKeepComponentDefaultsWhenFileIsEmpty() {
        StreamsAppConfig streams = Settings.empty().streamsConfig("b:9092", null, null);
        StreamsAppConfig defaults = StreamsAppConfig.defaults("b:9092", Settings.DEFAULT_STATE_DIR);

        assertThat(streams).isEqualTo(defaults);
        assertThat(Settings.empty().connectorConfig("b:9092")).isEqualTo(ConnectorConfig.defaults("b:9092"));
    }

    @Test
    void shouldRunTheDemoOnOnePartitionWhenNoPartitionsAreGiven() {
        assertThat(Demo.ONE_INSTANCE.apply(Settings.empty()).streamsConfig("b:9092", null, null).partitions()).isEqualTo(1);
        assertThat(Demo.ONE_INSTANCE.apply(settings("streams.partitions", " ")).streamsConfig("b:9092", null, null)
                .partitions()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheGivenPartitionsWhenTheDemoIsToldHowMany() {
        Settings given = Settings.empty().with(Map.of("streams.partitions", "3", "streams.commit.interval.ms", "50"));

        StreamsAppConfig demo = Demo.ONE_INSTANCE.apply(given).streamsConfig("b:9092", null, null);

        assertThat(demo.partitions()).isEqualTo(3);
        assertThat(demo.commitIntervalMs()).isEqualTo(50);
    }

    @Test
    void shouldMapEveryKeyAndLetFlagsWinWhenBothAreGiven() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "file:9092");
        p.setProperty("streams.application.id", "app2");
        p.setProperty("streams.http.port", "9999");
        p.setProperty("streams.state.dir", "/var/lib/leadmkt");
        p.setProperty("streams.processing.guarantee", "at_least_once");
        p.setProperty("streams.commit.interval.ms", "50");
        p.setProperty("streams.partitions", "6");
        p.setProperty("connector.group.id", "conn2");
        p.setProperty("connector.max.price.cents", "5000");
        Settings settings = new Settings(p);

        StreamsAppConfig fromFile = settings.streamsConfig(null, null, null);
        StreamsAppConfig overridden = settings.streamsConfig("flag:9092", 0, Path.of("/tmp/s"));
        ConnectorConfig connector = settings.connectorConfig(null);

        assertThat(fromFile.kafka().bootstrapServers()).isEqualTo("file:9092");
        assertThat(fromFile.applicationId()).isEqualTo("app2");
        assertThat(fromFile.httpPort()).isEqualTo(9999);
        assertThat(fromFile.stateDir()).isEqualTo(Path.of("/var/lib/leadmkt"));
        assertThat(fromFile.processingGuarantee()).isEqualTo("at_least_once");
        assertThat(fromFile.commitIntervalMs()).isEqualTo(50);
        assertThat(fromFile.partitions()).isEqualTo(6);
        assertThat(overridden.kafka().bootstrapServers()).isEqualTo("flag:9092");
        assertThat(overridden.httpPort()).isZero();
        assertThat(overridden.stateDir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(connector.groupId()).isEqualTo("conn2");
        assertThat(connector.maxPriceCents()).isEqualTo(5000);
    }

    @Test
    void shouldRefuseUnknownKeyWhenFileHasTypo() {
        Properties p = new Properties();
        p.setProperty("streams.comit.interval.ms", "5");

        assertThatThrownBy(() -> new Settings(p)).hasMessageContaining("streams.comit.interval.ms");
    }

    @Test
    void shouldRequireBootstrapServersWhenNeitherFlagNorFileHasThem() {
        assertThatThrownBy(() -> Settings.empty().connectorConfig(null)).hasMessageContaining("bootstrap");
    }

    @Test
    void shouldAcceptDocumentedExampleWhenLoaded() {
        Path example = Path.of("..", "deploy", "config", "leadmkt.properties");
        Settings settings = Settings.load(example);

        assertThat(settings.streamsConfig(null, null, null).kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.connectorConfig(null)).isEqualTo(ConnectorConfig.defaults("127.0.0.1:9092"));
    }

    @Test
    void shouldLoadFileWhenPathIsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.properties");
        Files.writeString(file, "bootstrap.servers=h:1\nconnector.producer.linger.ms=40\n");

        assertThat(Settings.load(file).connectorConfig(null).producerLingerMs()).isEqualTo(40);
    }

    @Test
    void shouldRefuseValueNotAllowedWhenFileSetsIt() {
        assertThatThrownBy(() -> settings("streams.partitions", "0")).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration streams.partitions: Value must be at least 1");
        assertThatThrownBy(() -> settings("streams.processing.guarantee", "maybe")).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value maybe for configuration streams.processing.guarantee: "
                        + "String must be one of: exactly_once_v2, at_least_once");
        assertThatThrownBy(() -> settings("connector.max.concurrent.requests", "many")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("connector.max.concurrent.requests").hasMessageContaining("INT");
        assertThatThrownBy(() -> settings("streams.http.advertised.host", "10.0.0.7:8080")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.http.advertised.host").hasMessageContaining("without a port");
    }

    @Test
    void shouldKeepDefaultWhenValueIsBlankAndReadGroupedDigitsWhenNumberHasUnderscores() {
        Settings settings = settings("streams.application.id", "  ", "streams.dedupe.window.ms", "86_400_001");

        assertThat(settings.streamsConfig("b:1", null, null).applicationId()).isEqualTo("leadmkt");
        assertThat(settings.streamsConfig("b:1", null, null).dedupeWindowMs()).isEqualTo(86_400_001L);
    }

    @Test
    void shouldHandSharedPropertiesToEveryComponentAndLetItsOwnWinWhenBothAreSet() {
        Settings settings = settings(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.request.timeout.ms", "10000",
                "streams.kafka.request.timeout.ms", "20000",
                "connector.kafka.request.timeout.ms", "30000",
                "streams.kafka.num.standby.replicas", "1",
                "streams.kafka.group.instance.id", "leadmkt-0",
                "streams.kafka.main.consumer.max.poll.records", "100",
                "streams.kafka.topic.min.insync.replicas", "2",
                "streams.kafka.client.tag.zone", "eu-1");

        Map<String, String> streams = settings.streamsConfig("b:1", null, null).kafka().passThrough();
        Map<String, String> connector = settings.connectorConfig("b:1").kafka().passThrough();
        Map<String, String> commands = settings.clients("b:1").passThrough();

        assertThat(streams).containsEntry("security.protocol", "SASL_SSL").containsEntry("request.timeout.ms", "20000")
                .containsEntry("num.standby.replicas", "1").containsEntry("group.instance.id", "leadmkt-0")
                .containsEntry("main.consumer.max.poll.records", "100").containsEntry("topic.min.insync.replicas", "2")
                .containsEntry("client.tag.zone", "eu-1");
        assertThat(connector).containsOnly(Map.entry("security.protocol", "SASL_SSL"), Map.entry("request.timeout.ms", "30000"));
        assertThat(commands).containsOnly(Map.entry("security.protocol", "SASL_SSL"), Map.entry("request.timeout.ms", "10000"));
    }

    @Test
    void shouldRefusePassThroughWhenKafkaDoesNotAllowItsValue() {
        assertThatThrownBy(() -> settings("kafka.security.protocol", "NOPE")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value NOPE for configuration kafka.security.protocol: String must be one of")
                .hasMessageContaining("SASL_SSL");
        assertThatThrownBy(() -> settings("streams.kafka.producer.batch.size", "big")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.kafka.producer.batch.size");
    }

    @Test
    void shouldRefusePassThroughWhenKafkaDoesNotKnowIt() {
        assertThatThrownBy(() -> settings("kafka.securty.protocol", "SSL")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.securty.protocol").hasMessageContaining("not a Kafka");
        assertThatThrownBy(() -> settings("connector.kafka.num.standby.replicas", "1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("connector.kafka.num.standby.replicas");
        assertThatThrownBy(() -> settings("kafka.producer.linger.ms", "1")).as("Streams' prefixes are for streams.kafka. only")
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRefusePassThroughWhenTheMarketplaceSetsThatPropertyItself() {
        assertThatThrownBy(() -> settings("streams.kafka.producer.linger.ms", "50")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams.kafka.producer.linger.ms").hasMessageContaining("set streams.producer.linger.ms");
        assertThatThrownBy(() -> settings("kafka.bootstrap.servers", "x:1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("set bootstrap.servers");
        assertThatThrownBy(() -> settings("connector.kafka.isolation.level", "read_uncommitted"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("guarantees");
        assertThatThrownBy(() -> settings("streams.kafka.processing.guarantee", "at_least_once"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set streams.processing.guarantee");
    }

    @Test
    void shouldResolveFileReferenceWhenValueNamesAKeyOfAFile(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("kafka-secrets.properties");
        Files.writeString(secrets, "password=s3cret\ngroup=conn-from-file\n");
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"leadmkt\" "
                + "password=\"${file:" + secrets + ":password}\";";

        Settings settings = settings("kafka.sasl.jaas.config", jaas, "connector.group.id", "${file:" + secrets + ":group}");
        ConnectorConfig connector = settings.connectorConfig("b:1");

        assertThat(connector.groupId()).isEqualTo("conn-from-file");
        assertThat(connector.kafka().passThrough().get("sasl.jaas.config")).endsWith("password=\"s3cret\";");
        assertThat(connector.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldResolveEnvironmentReferenceWhenVariableIsSet() {
        String home = System.getenv("HOME");
        assumeTrue(home != null && !home.isBlank(), "HOME is set");

        Settings settings = settings("streams.state.dir", "${env:HOME}/leadmkt-state");

        assertThat(settings.streamsConfig("b:1", null, null).stateDir()).isEqualTo(Path.of(home + "/leadmkt-state"));
    }

    @Test
    void shouldRefuseReferenceWhenItResolvesToNothing(@TempDir Path dir) {
        assertThatThrownBy(() -> settings("kafka.sasl.jaas.config", "x password=\"${env:LEADMKT_SURELY_UNSET_4711}\";"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sasl.jaas.config").hasMessageContaining("${env:LEADMKT_SURELY_UNSET_4711}");
        assertThatThrownBy(() -> settings("connector.group.id", "${file:" + dir.resolve("missing.properties") + ":group}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.properties");
    }

    /** Settings from alternating keys and values. */
    private static Settings settings(String... keysAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Settings(p);
    }

    @Test
    void shouldParseHumanDurationsWhenGivenOnCommandLine() {
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationConverter.parse("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> DurationConverter.parse("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void shouldParseDemoOptionsWhenGiven() {
        CommandLine cli = LeadMkt.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("demo", "--duration", "10s", "--rate", "50", "--buyers", "6",
                "--port", "0", "--seed", "7", "--bad-fraction", "0.1");
        LeadMkt.DemoCommand demo = (LeadMkt.DemoCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(demo.duration).isEqualTo(Duration.ofSeconds(10));
        assertThat(demo.rate).isEqualTo(50);
        assertThat(demo.buyers).isEqualTo(6);
        assertThat(demo.port).isZero();
        assertThat(demo.seed).isEqualTo(7);
        assertThat(demo.badFraction).isEqualTo(0.1);
        assertThat(demo.mode).as("default").isEqualTo(io.leadmkt.schema.RoutingMode.PARALLEL);
        assertThat(demo.dailyCap).as("no caps by default").isZero();
    }

    @Test
    void shouldParseRoutingModeCaseInsensitivelyWhenDemoIsAskedForAWaterfall() {
        CommandLine.ParseResult parsed = LeadMkt.commandLine().parseArgs("demo", "--mode", "waterfall");
        LeadMkt.DemoCommand demo = (LeadMkt.DemoCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(demo.mode).isEqualTo(io.leadmkt.schema.RoutingMode.WATERFALL);
    }

    @Test
    void shouldParseCapacityOptionsWhenBenchIsAskedForCapacity() {
        CommandLine.ParseResult parsed = LeadMkt.commandLine().parseArgs("bench", "--capacity", "--rates", "50,100,200",
                "--step", "20s");
        LeadMkt.BenchCommand bench = (LeadMkt.BenchCommand) parsed.subcommand().commandSpec().userObject();

        assertThat(bench.capacity).isTrue();
        assertThat(bench.rates).containsExactly(50.0, 100.0, 200.0);
        assertThat(bench.step).isEqualTo(Duration.ofSeconds(20));
        assertThat(bench.warmup).as("chosen per bench when not given").isNull();
    }

    @Test
    void shouldGiveEveryComponentTheSameRegistryWhenTheUrlIsSet() {
        Settings settings = settings("schema.registry.url", "https://registry.internal:8081",
                "schema.registry.basic.auth.user.info", "leadmkt:s3cret", "schema.registry.timeout.ms", "2500");

        SchemaRegistryConfig streams = settings.streamsConfig("b:1", null, null).kafka().schemaRegistry();

        assertThat(streams.url()).isEqualTo(URI.create("https://registry.internal:8081"));
        assertThat(streams.userInfo().value()).isEqualTo("leadmkt:s3cret");
        assertThat(streams.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.connectorConfig("b:1").kafka().schemaRegistry()).isEqualTo(streams);
        assertThat(settings.clients("b:1").schemaRegistry()).isEqualTo(streams);
        assertThat(streams.resolver()).isInstanceOf(ConfluentRegistryResolver.class);
        assertThat(settings.clients("b:1").toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldKeepTheEmbeddedResolverWhenNoRegistryIsSet() {
        assertThat(Settings.empty().clients("b:1").schemaRegistry()).isEqualTo(SchemaRegistryConfig.NONE);
        assertThat(Settings.empty().clients("b:1").schemaRegistry().resolver()).isInstanceOf(EmbeddedSchemaIdResolver.class);
    }

    @Test
    void shouldRefuseRegistrySettingsNamingTheKeyWhenTheyCannotWork() {
        assertThatThrownBy(() -> settings("schema.registry.url", "registry:8081").clients("b:1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> settings("schema.registry.url", "http://r:8081",
                "schema.registry.basic.auth.user.info", "no-colon").clients("b:1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.basic.auth.user.info")
                .hasMessageNotContaining("no-colon");
    }
}
