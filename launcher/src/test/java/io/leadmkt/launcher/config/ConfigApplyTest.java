package io.leadmkt.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.launcher.EmbeddedKafkaBroker;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.ConfigChange;
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
        topics = new ConfigTopics(broker.clients(), Topics.embedded(), "config-apply-test");
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

    /** Runs {@code leadmkt suppress ...}. */
    private Run suppress(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SuppressCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
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

    private static List<ConfigChange> history(String id) {
        return topics.history().stream().filter(c -> c.getId().equals(id)).toList();
    }

    @Test
    void shouldAuditEveryWrittenChangeWhenABuyerIsCreatedUpdatedAndDeleted() throws Exception {
        Path v1 = file("audit-v1.yaml", "{buyerId: audit-a, pingUrl: 'http://a/ping', postUrl: 'http://a/post'}");
        Path v2 = file("audit-v2.yaml", "{buyerId: audit-a, pingUrl: 'http://a/ping', postUrl: 'http://a/post',"
                + " minScore: 30, caps: [{period: day, leads: 100, spend: '2500'}]}");
        String servers = broker.bootstrapServers();

        assertThat(config("apply", "-f", v1.toString(), "--bootstrap-servers", servers, "--actor", "alice").exit()).isZero();
        assertThat(config("apply", "-f", v1.toString(), "--bootstrap-servers", servers, "--actor", "alice").exit()).isZero();
        assertThat(config("apply", "-f", v2.toString(), "--bootstrap-servers", servers, "--actor", "alice").out())
                .contains("buyer audit-a: updated (minScore, caps)");
        assertThat(config("delete", "buyer", "audit-a", "--bootstrap-servers", servers, "--actor", "bob").exit()).isZero();
        config("delete", "buyer", "audit-a", "--bootstrap-servers", servers, "--actor", "bob");

        List<ConfigChange> changes = history("audit-a");
        assertThat(changes).extracting(c -> c.getAction().name()).containsExactly("CREATED", "UPDATED", "DELETED");
        assertThat(changes).extracting(ConfigChange::getActor).containsExactly("alice", "alice", "bob");
        assertThat(changes).allSatisfy(c -> {
            assertThat(c.getVia()).isEqualTo("config-apply");
            assertThat(c.getKind()).isEqualTo("buyer");
            assertThat(c.getAt()).isPositive();
        });
        assertThat(changes.get(1).getChanges()).containsExactlyInAnyOrder(
                new io.leadmkt.schema.FieldChange("/minScore", "0", "30"),
                new io.leadmkt.schema.FieldChange("/caps/0", null, "{\"period\":\"day\",\"leads\":100,\"spend\":\"2500.00\"}"));
        assertThat(changes.get(2).getChanges()).contains(new io.leadmkt.schema.FieldChange("/buyerId", "\"audit-a\"", null));
    }

    @Test
    void shouldPrintOneLinePerChangeWhenHistoryIsAskedFor() throws Exception {
        Path v1 = file("hist-v1.yaml", "{buyerId: hist-a, delivery: kafka}");
        Path v2 = file("hist-v2.yaml", "{buyerId: hist-a, delivery: kafka, priority: 7}");
        Path campaign = file("hist-c.yaml", "{campaignId: hist-a, vertical: solar, routing: tiers}");
        String servers = broker.bootstrapServers();
        config("apply", "-f", v1.toString(), "-f", campaign.toString(), "--bootstrap-servers", servers, "--actor", "carol");
        config("apply", "-f", v2.toString(), "--bootstrap-servers", servers, "--actor", "dave");

        Run all = config("history", "--bootstrap-servers", servers, "--id", "hist-a");
        Run buyers = config("history", "--bootstrap-servers", servers, "--id", "hist-a", "--kind", "buyer");
        Run last = config("history", "--bootstrap-servers", servers, "--id", "hist-a", "--limit", "1");
        Run bad = config("history", "--bootstrap-servers", servers, "--kind", "seller");

        assertThat(all.exit()).isZero();
        assertThat(all.out().lines()).hasSize(3);
        assertThat(all.out()).contains(" carol config-apply buyer/hist-a CREATED /buyerId: absent -> \"hist-a\"")
                .contains(" carol config-apply campaign/hist-a CREATED ")
                .contains("/routing: absent -> \"tiers\"");
        assertThat(buyers.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains(" buyer/hist-a "));
        assertThat(last.out().lines()).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z dave config-apply buyer/hist-a UPDATED /priority: 100 -> 7");
        assertThat(bad.exit()).isNotZero();
    }

    @Test
    void shouldRecordTheOsUserWhenNoActorIsGiven() throws Exception {
        Path buyer = file("os.yaml", "{buyerId: os-a, delivery: kafka}");

        Run run = config("apply", "-f", buyer.toString(), "--bootstrap-servers", broker.bootstrapServers());

        assertThat(run.out()).contains("appliedBy=" + System.getProperty("user.name"));
        assertThat(history("os-a")).singleElement()
                .extracting(ConfigChange::getActor).isEqualTo(System.getProperty("user.name"));
    }

    @Test
    void shouldAuditAdminApiChangesWithTheActorAndMaskedSecretsWhenPutOnARealBroker() throws Exception {
        io.leadmkt.streams.admin.AdminApi admin = new io.leadmkt.streams.admin.AdminApi(ConfigFiles.documents(),
                new io.leadmkt.streams.admin.StreamsConfigStore(topics, () -> null, io.leadmkt.streams.access.ApiKeyTable.of()));
        try (io.leadmkt.streams.api.LeadApi api = new io.leadmkt.streams.api.LeadApi(0,
                new io.leadmkt.streams.access.Access(true, "t0ken", io.leadmkt.streams.access.ApiKeyTable.of()),
                lead -> java.util.concurrent.CompletableFuture.completedFuture(null), id -> java.util.Optional.empty(),
                java.util.Map::of, admin).start()) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String body = """
                    {"pingUrl":"http://a/ping","postUrl":"http://a/post",
                     "integration":{"auth":{"type":"bearer","token":"sup3r-s3cret"},
                                    "ping":{"response":{"price":{"path":"$.price"}}},
                                    "post":{"response":{"success":{"path":"$.ok","equals":"true"}}}}}""";
            java.util.function.Supplier<java.net.http.HttpRequest> put = () -> java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + api.port() + "/v1/admin/buyers/admin-audit"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .header("Authorization", "Bearer t0ken").header("X-Actor", "erin").build();

            java.net.http.HttpResponse<String> first = http.send(put.get(), java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpResponse<String> again = http.send(put.get(), java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(topics.currentBuyers()).containsKey("admin-audit");
            List<ConfigChange> changes = history("admin-audit");
            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.getActor()).isEqualTo("erin");
                assertThat(c.getVia()).isEqualTo("admin-api");
                assertThat(c.getAction()).isEqualTo(io.leadmkt.schema.ConfigAction.CREATED);
            });
            assertThat(changes.get(0).toString()).doesNotContain("sup3r-s3cret").contains("***");
        }
    }

    @Test
    void shouldValidateTheRulesExampleWhenReadAsItIs() {
        ConfigBatch batch = ConfigFiles.read(List.of(Path.of("..", "deploy", "config", "rules.example.yaml")));

        assertThat(batch.errors()).isEmpty();
        assertThat(batch.buyers()).extracting(BuyerConfig::getBuyerId).containsExactly("capped-auto", "fixed-price-auto");
        assertThat(batch.buyers().get(0).getCaps()).hasSize(3);
        assertThat(batch.buyers().get(1).getFixedPriceByStateCents()).containsEntry("CA", 3_000L);
        assertThat(batch.buyers().get(0).getReturns().getMaxPercentBasisPoints()).isEqualTo(1_000);
        assertThat(batch.campaigns()).singleElement().extracting(c -> c.getRouting().name()).isEqualTo("WATERFALL");
        assertThat(batch.campaigns().get(0).getClawbackOnReturn()).isTrue();
    }

    @Test
    void shouldWriteTheHashesWithTheirAuditOnceWhenAConsumerIsSuppressedTwice() throws Exception {
        String servers = broker.bootstrapServers();
        String phoneHash = io.leadmkt.schema.IdentityHash.ofPhone("+15125550123");
        String emailHash = io.leadmkt.schema.IdentityHash.ofEmail("erase.me@example.com");

        Run first = config("suppress", "--phone", "(512) 555-0123",
                "--email", " Erase.Me@Example.com", "--bootstrap-servers", servers, "--actor", "alice");
        Run again = config("suppress", "--phone", "512.555.0123", "--email", "erase.me@example.com",
                "--bootstrap-servers", servers, "--actor", "alice");
        Run history = config("history", "--bootstrap-servers", servers, "--kind", "suppression");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("phone suppression " + phoneHash + ": created",
                "email suppression " + emailHash + ": created", "2 created, 0 updated, 0 deleted, 0 unchanged; appliedBy=alice");
        assertThat(first.out() + first.err()).doesNotContainIgnoringCase("555-0123").doesNotContainIgnoringCase("erase.me");
        assertThat(topics.currentSuppressions().get(phoneHash)).satisfies(e -> {
            assertThat(e.getKind()).isEqualTo("phone");
            assertThat(e.getReason()).isEqualTo("erasure request");
        });
        assertThat(topics.currentSuppressions().get(emailHash).getKind()).isEqualTo("email");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("0 created, 0 updated, 0 deleted, 2 unchanged");
        assertThat(again.err()).doesNotContain("config change");

        List<ConfigChange> changes = history(phoneHash);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.getKind()).isEqualTo("suppression");
            assertThat(c.getAction()).isEqualTo(io.leadmkt.schema.ConfigAction.CREATED);
            assertThat(c.getActor()).isEqualTo("alice");
            assertThat(c.getVia()).isEqualTo("config-apply");
            assertThat(c.getChanges()).containsExactly(new io.leadmkt.schema.FieldChange("/kind", null, "\"phone\""),
                    new io.leadmkt.schema.FieldChange("/reason", null, "\"erasure request\""),
                    new io.leadmkt.schema.FieldChange("/source", null, "\"admin\""));
        });
        assertThat(history(emailHash)).hasSize(1);
        assertThat(history.exit()).isZero();
        assertThat(history.out().lines())
                .anySatisfy(l -> assertThat(l).contains(" alice config-apply suppression/" + phoneHash + " CREATED "))
                .anySatisfy(l -> assertThat(l).contains(" alice config-apply suppression/" + emailHash + " CREATED "))
                .allSatisfy(l -> assertThat(l).contains(" suppression/"));
        assertThat(history.out()).doesNotContainIgnoringCase("555-0123").doesNotContainIgnoringCase("erase.me");
    }

    @Test
    void shouldRecordTheNewReasonWhenAConsumerIsSuppressedAgainForAnother() throws Exception {
        String servers = broker.bootstrapServers();
        String hash = io.leadmkt.schema.IdentityHash.ofPhone("+15125550124");
        config("suppress", "--phone", "512-555-0124", "--bootstrap-servers", servers, "--actor", "alice");

        Run run = config("suppress", "--phone", "512-555-0124", "--reason", "litigator", "--bootstrap-servers", servers,
                "--actor", "bob");

        assertThat(run.out()).contains("phone suppression " + hash + ": updated (reason)");
        assertThat(topics.currentSuppressions().get(hash).getReason()).isEqualTo("litigator");
        assertThat(history(hash)).extracting(c -> c.getAction().name()).containsExactly("CREATED", "UPDATED");
        assertThat(history(hash).get(1).getChanges())
                .containsExactly(new io.leadmkt.schema.FieldChange("/reason", "\"erasure request\"", "\"litigator\""));
    }

    @Test
    void shouldWriteNothingAndNameTheFieldWhenTheSuppressionIsInvalid() {
        Run bad = config("suppress", "--phone", "555-0199", "--bootstrap-servers", broker.bootstrapServers());
        Run none = config("suppress", "--reason", "opt-out", "--bootstrap-servers", broker.bootstrapServers());

        assertThat(bad.exit()).isEqualTo(ConfigCommand.INVALID);
        assertThat(bad.err()).contains("nothing written", "phone: not a US phone number").doesNotContain("555-0199");
        assertThat(none.exit()).isEqualTo(ConfigCommand.INVALID);
        assertThat(none.err()).contains("one of phone or email is required");
    }

    @Test
    void shouldWriteNothingAndNameEveryBadLineWhenTheImportedListHasBadRowsUnlessPartial() throws Exception {
        Path list = file("litigators.csv", "512-555-0301\n555-0302\nlit@example.com\nnot@\n");
        String good = io.leadmkt.schema.IdentityHash.ofPhone("+15125550301");

        Run refused = suppress("import", list.toString(), "--bootstrap-servers", broker.bootstrapServers());
        assertThat(refused.exit()).isEqualTo(ConfigCommand.INVALID);
        assertThat(refused.err()).contains("nothing written", "line 2: column 1: not a US phone number",
                "line 4: column 1: not an email address").doesNotContain("555-0302", "not@");
        assertThat(topics.currentSuppressions()).doesNotContainKey(good);

        Run partial = suppress("import", list.toString(), "--partial", "--reason", "litigator",
                "--bootstrap-servers", broker.bootstrapServers(), "--actor", "alice");
        assertThat(partial.exit()).isZero();
        assertThat(partial.out()).contains("2 entries from 4 rows: 2 created, 0 updated, 0 unchanged; 2 bad rows skipped");
        assertThat(topics.currentSuppressions().get(good)).satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("litigator");
            assertThat(e.getExpiresAt()).as("permanent").isNull();
        });
    }

    @Test
    void shouldImportAHundredThousandRowsOnceAndNameEachBadLineWhenTheListIsLongAndImportedAgain() throws Exception {
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < 100_000; i++) {
            // every 10,000th row is a number without an area code
            csv.append(i % 10_000 == 1 ? "555-0100" : String.format("(713) 6%02d-%04d", i / 10_000, i % 10_000))
                    .append('\n');
        }
        Path list = file("dnc.csv", csv.toString());
        String[] args = {"import", list.toString(), "--expires-in", "31d", "--reason", "DNC", "--partial",
                "--bootstrap-servers", broker.bootstrapServers()};

        long start = System.nanoTime();
        Run first = suppress(args);
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        Run again = suppress(args);
        long againMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("suppress import of 100,000 rows: %d ms, again %d ms%n", firstMs, againMs);

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("read 10,000 rows", "read 100,000 rows", "10 bad rows skipped",
                "line 3: phone: not a US phone number", "line 90003: phone: not a US phone number",
                "writing 99,990 entries from 100,000 rows");
        assertThat(first.out()).contains("99990 entries from 100000 rows: 99990 created, 0 updated, 0 unchanged;"
                + " 10 bad rows skipped");
        assertThat(again.out()).contains("99990 entries from 100000 rows: 0 created, 0 updated, 99990 unchanged");
        assertThat(topics.currentSuppressions().get(io.leadmkt.schema.IdentityHash.ofPhone("+17136000000"))
                .getExpiresAt()).isGreaterThan(System.currentTimeMillis() + java.time.Duration.ofDays(31).toMillis());
    }
}
