package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.streams.StreamsAppConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
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
}
