package io.leadmkt.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.EmbeddedKafkaBroker;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigApplyTest {

    private static EmbeddedKafkaBroker broker;
    private static ConfigTopics topics;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.onFreePorts().start();
        topics = new ConfigTopics(broker.bootstrapServers(), Topics.embedded(), "config-apply-test");
    }

    @AfterAll
    static void stopBroker() {
        topics.close();
        broker.close();
    }

    /** Runs {@code leadmkt config ...}; returns exit code, stdout and stderr. */
    private record Run(int exit, String out, String err) {
    }

    private Run config(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ConfigCommand())
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shouldWriteRecordsThenReportUnchangedWhenAppliedTwice() throws Exception {
        Path buyers = file("buyers.yaml", """
                buyers:
                  - {buyerId: apply-a, pingUrl: 'http://a/ping', postUrl: 'http://a/post', states: [TX]}
                  - {buyerId: apply-k, delivery: kafka}
                """);
        Path campaigns = file("campaigns.json", "[{\"campaignId\":\"apply-c\",\"vertical\":\"solar\",\"floor\":\"7.25\"}]");

        Run first = config("apply", "-f", buyers.toString(), "-f", campaigns.toString(),
                "--bootstrap-servers", broker.bootstrapServers(), "--by", "alice");
        Run second = config("apply", "-f", buyers.toString(), "-f", campaigns.toString(),
                "--bootstrap-servers", broker.bootstrapServers(), "--by", "alice");

        assertThat(first.exit()).isZero();
        assertThat(first.out()).contains("buyer apply-a: created", "buyer apply-k: created", "campaign apply-c: created",
                "3 created, 0 updated, 0 deleted, 0 unchanged; appliedBy=alice");
        assertThat(first.err()).contains("config change by alice at ").contains("buyer apply-a: created");
        assertThat(topics.currentBuyers().get("apply-a").getStates()).containsExactly("TX");
        assertThat(topics.currentCampaigns().get("apply-c").getFloorCents()).isEqualTo(725L);
        assertThat(second.exit()).isZero();
        assertThat(second.out()).contains("buyer apply-a: unchanged", "0 created, 0 updated, 0 deleted, 3 unchanged");
        assertThat(second.err()).doesNotContain("config change");
    }

    @Test
    void shouldNameTheChangedFieldsWhenABuyerIsUpdated() throws Exception {
        Path v1 = file("v1.yaml", "{buyerId: upd-a, pingUrl: 'http://a/ping', postUrl: 'http://a/post'}");
        Path v2 = file("v2.yaml", "{buyerId: upd-a, pingUrl: 'http://a/ping', postUrl: 'http://a/post', minScore: 30}");
        config("apply", "-f", v1.toString(), "--bootstrap-servers", broker.bootstrapServers());

        Run dry = config("apply", "-f", v2.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--dry-run");
        assertThat(dry.out()).contains("buyer upd-a: updated (minScore)", "dry run, nothing written");
        assertThat(topics.currentBuyers().get("upd-a").getMinScore()).isZero();

        Run real = config("apply", "-f", v2.toString(), "--bootstrap-servers", broker.bootstrapServers());
        assertThat(real.out()).contains("buyer upd-a: updated (minScore)");
        assertThat(topics.currentBuyers().get("upd-a").getMinScore()).isEqualTo(30);
    }

    @Test
    void shouldWriteNothingWhenAnyDocumentIsInvalid() throws Exception {
        Path good = file("good.yaml", "{buyerId: invalid-good, pingUrl: 'http://g/ping', postUrl: 'http://g/post'}");
        Path bad = file("bad.yaml", """
                buyers:
                  - {buyerId: invalid-ok, pingUrl: 'http://o/ping', postUrl: 'http://o/post'}
                  - {buyerId: invalid-x, pingUrl: 'http://x/ping', postUrl: 'http://x/post'}
                  - {buyerId: invalid-y, pingUrl: 'http://y/ping', postUrl: 'http://y/post', pingTimeoutMs: 5}
                """);

        Run run = config("apply", "-f", good.toString(), "-f", bad.toString(),
                "--bootstrap-servers", broker.bootstrapServers());

        assertThat(run.exit()).isEqualTo(ConfigCommand.INVALID);
        assertThat(run.err()).contains("nothing written").contains("bad.yaml: buyers[2].pingTimeoutMs: ");
        assertThat(topics.currentBuyers()).doesNotContainKeys("invalid-good", "invalid-ok", "invalid-x", "invalid-y");
    }

    @Test
    void shouldCheckTheIntegrationWithTheConnectorsParserWhenABuyerHasOne() throws Exception {
        Path bad = file("integration.yaml", """
                buyerId: integ-a
                pingUrl: http://a/ping
                postUrl: http://a/post
                integration:
                  ping: {response: {kind: regex, price: {path: $.price}}}
                  post: {response: {}}
                """);

        Run run = config("apply", "-f", bad.toString(), "--dry-run");

        assertThat(run.exit()).isEqualTo(ConfigCommand.INVALID);
        assertThat(run.err()).contains("integration.yaml: integration.ping.response.price.pattern: required for a regex answer");
    }

    @Test
    void shouldWriteATombstoneWhenABuyerIsDeleted() throws Exception {
        Path buyer = file("del.yaml", "{buyerId: del-a, pingUrl: 'http://a/ping', postUrl: 'http://a/post'}");
        config("apply", "-f", buyer.toString(), "--bootstrap-servers", broker.bootstrapServers());
        assertThat(topics.currentBuyers()).containsKey("del-a");

        Run run = config("delete", "buyer", "del-a", "--bootstrap-servers", broker.bootstrapServers(), "--by", "bob");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("buyer del-a: deleted", "appliedBy=bob");
        assertThat(topics.currentBuyers()).doesNotContainKey("del-a");
        assertThat(config("delete", "buyer", "del-a", "--bootstrap-servers", broker.bootstrapServers()).out())
                .contains("buyer del-a: absent");
    }

    @Test
    void shouldValidateTheShippedExamplesWhenReadAsTheyAre() {
        Path config = Path.of("..", "deploy", "config");
        ConfigBatch batch = ConfigFiles.read(List.of(config.resolve("buyers.example.yaml"),
                config.resolve("campaigns.example.yaml")));
        ConfigBatch json = ConfigFiles.read(List.of(config.resolve("buyers.example.json"),
                config.resolve("campaigns.example.json")));

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.buyers()).extracting(BuyerConfig::getBuyerId)
                .containsExactly("acme-insurance", "pxstyle-auto", "kafka-native-1");
        assertThat(json.errors()).isEmpty();
    }

    @Test
    void shouldLoadTheBuyerFromTheTopicWhenTheSandboxIsGivenABroker() throws Exception {
        Path buyer = file("sandbox.yaml", "{buyerId: sandbox-topic, pingUrl: 'http://127.0.0.1:9/ping', postUrl: 'http://127.0.0.1:9/post'}");
        config("apply", "-f", buyer.toString(), "--bootstrap-servers", broker.bootstrapServers());
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new io.leadmkt.launcher.sandbox.BuyerCommand()).setOut(new PrintWriter(out, true))
                .execute("test", "sandbox-topic", "--lead", Path.of("..", "deploy", "config", "sample-lead.json").toString(),
                        "--bootstrap-servers", broker.bootstrapServers(), "--dry-run");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("POST http://127.0.0.1:9/ping", "POST http://127.0.0.1:9/post");
    }
}
