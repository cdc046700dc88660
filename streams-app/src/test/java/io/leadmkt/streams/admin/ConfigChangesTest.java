package io.leadmkt.streams.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.ConfigAction;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.FieldChange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConfigChanges.Author ALICE = new ConfigChanges.Author("alice", ConfigChanges.VIA_CONFIG_APPLY);
    private final ConfigDocuments documents = new ConfigDocuments(IntegrationCheck.OBJECT_ONLY);

    private BuyerConfig buyer(String yaml) {
        ConfigBatch batch = documents.read(null, yaml);
        assertThat(batch.errors()).isEmpty();
        return batch.buyers().get(0);
    }

    private static FieldChange field(String path, String before, String after) {
        return new FieldChange(path, before, after);
    }

    @Test
    void shouldListEachChangedLeafAsAJsonPointerWhenABuyerIsUpdated() {
        BuyerConfig before = buyer("{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " caps: [{period: day, leads: 100}], states: [TX]}");
        BuyerConfig after = buyer("{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q', name: Acme,"
                + " caps: [{period: day, leads: 150}, {period: week, spend: '900'}], states: [TX], minScore: 20}");

        Optional<ConfigChange> change = ConfigChanges.change("buyer", "a", ConfigChanges.document(before),
                ConfigChanges.document(after), ALICE, 1_764_339_559_123L);

        assertThat(change).isPresent();
        assertThat(change.get().getAction()).isEqualTo(ConfigAction.UPDATED);
        assertThat(change.get().getActor()).isEqualTo("alice");
        assertThat(change.get().getVia()).isEqualTo("config-apply");
        assertThat(change.get().getAt()).isEqualTo(1_764_339_559_123L);
        assertThat(change.get().getChanges()).containsExactlyInAnyOrder(
                field("/name", null, "\"Acme\""),
                field("/minScore", "0", "20"),
                field("/caps/0/leads", "100", "150"),
                field("/caps/1", null, "{\"period\":\"week\",\"spend\":\"900.00\"}"));
        assertThat(ConfigChanges.fields(change.get())).containsExactlyInAnyOrder("name", "minScore", "caps");
    }

    @Test
    void shouldWriteNothingWhenTheDocumentIsUnchanged() {
        BuyerConfig buyer = buyer("{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q', integration: {a: 1}}");
        // The same document, written differently: equal once read.
        BuyerConfig again = buyer("buyerId: a\npingUrl: 'http://a/p'\npostUrl: 'http://a/q'\nintegration:\n  a: 1\n");

        assertThat(ConfigChanges.change("buyer", "a", ConfigChanges.document(buyer), ConfigChanges.document(again),
                ALICE, 0L)).isEmpty();
    }

    @Test
    void shouldListEveryFieldWhenADocumentIsCreatedOrDeleted() {
        JsonNode doc = ConfigChanges.document(buyer("{buyerId: a, delivery: kafka}"));

        ConfigChange created = ConfigChanges.change("buyer", "a", null, doc, ALICE, 0L).orElseThrow();
        ConfigChange deleted = ConfigChanges.change("buyer", "a", doc, null, ALICE, 0L).orElseThrow();

        assertThat(created.getAction()).isEqualTo(ConfigAction.CREATED);
        assertThat(created.getChanges()).hasSize(doc.size()).contains(field("/buyerId", null, "\"a\""),
                field("/delivery", null, "\"kafka\""));
        assertThat(deleted.getAction()).isEqualTo(ConfigAction.DELETED);
        assertThat(deleted.getChanges()).hasSize(doc.size()).contains(field("/buyerId", "\"a\"", null));
    }

    @Test
    void shouldMaskIntegrationSecretsWhenTheyChangeOrAppear() throws Exception {
        BuyerConfig before = buyer("""
                buyerId: a
                pingUrl: 'http://a/p'
                postUrl: 'http://a/q'
                integration:
                  ping:
                    auth: {type: basic, username: u, password: old-pass}
                    headers: {X-Api-Key: k1, Accept: text/xml}
                """);
        BuyerConfig after = buyer("""
                buyerId: a
                pingUrl: 'http://a/p'
                postUrl: 'http://a/q'
                integration:
                  ping:
                    auth: {type: basic, username: v, password: new-pass}
                    headers: {X-Api-Key: k2, Accept: text/json}
                  post:
                    auth: {type: header, header: X-Token, value: hunter2}
                    token: t0k3n
                """);

        ConfigChange change = ConfigChanges.change("buyer", "a", ConfigChanges.document(before),
                ConfigChanges.document(after), ALICE, 0L).orElseThrow();

        assertThat(change.getChanges()).containsExactlyInAnyOrder(
                field("/integration/ping/auth/username", "\"u\"", "\"v\""),
                field("/integration/ping/auth/password", "\"***\"", "\"***\""),
                field("/integration/ping/headers/X-Api-Key", "\"***\"", "\"***\""),
                field("/integration/ping/headers/Accept", "\"text/xml\"", "\"text/json\""),
                field("/integration/post", null, "{\"auth\":{\"type\":\"header\",\"header\":\"X-Token\",\"value\":\"***\"},\"token\":\"***\"}"));
        assertThat(change.toString()).doesNotContain("old-pass", "new-pass", "k1", "k2", "hunter2", "t0k3n");
    }

    @Test
    void shouldMaskThePostbackSecretWhenItChangesOrAppears() {
        BuyerConfig without = buyer("{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q'}");
        BuyerConfig with = buyer("{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " postbacks: {secret: first-secret-0123456789}}");
        BuyerConfig changed = buyer("{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " postbacks: {secret: second-secret-0123456789}}");

        ConfigChange added = ConfigChanges.change("buyer", "a", ConfigChanges.document(without),
                ConfigChanges.document(with), ALICE, 0L).orElseThrow();
        ConfigChange rotated = ConfigChanges.change("buyer", "a", ConfigChanges.document(with),
                ConfigChanges.document(changed), ALICE, 0L).orElseThrow();

        assertThat(added.getChanges()).containsExactly(
                field("/postbacks", null, "{\"secret\":\"***\",\"conversionWindow\":\"30d\"}"));
        assertThat(rotated.getChanges()).as("a rotated secret is still a change")
                .containsExactly(field("/postbacks/secret", "\"***\"", "\"***\""));
        assertThat(added + " " + rotated).doesNotContain("first-secret", "second-secret");
    }

    @Test
    void shouldMaskTheWholeIntegrationWhenANewBuyerHasOne() {
        BuyerConfig buyer = buyer("{buyerId: a, pingUrl: 'http://a/p', postUrl: 'http://a/q',"
                + " integration: {ping: {auth: {type: bearer, token: abc123}, url: 'http://x'}}}");

        ConfigChange change = ConfigChanges.change("buyer", "a", null, ConfigChanges.document(buyer), ALICE, 0L)
                .orElseThrow();

        assertThat(change.getChanges()).contains(field("/integration", null,
                "{\"ping\":{\"auth\":{\"type\":\"bearer\",\"token\":\"***\"},\"url\":\"http://x\"}}"));
    }

    @Test
    void shouldEscapeJsonPointerSegmentsWhenKeysHoldSlashesOrTildes() throws Exception {
        List<FieldChange> changes = ConfigChanges.diff(JSON.readTree("{\"a/b\":{\"c~d\":1}}"),
                JSON.readTree("{\"a/b\":{\"c~d\":2}}"));

        assertThat(changes).containsExactly(field("/a~1b/c~0d", "1", "2"));
    }

    @Test
    void shouldDescribeAChangeOnOneLineWhenPrintedForHistory() {
        ConfigChange change = ConfigChange.newBuilder().setKind("buyer").setId("acme").setAction(ConfigAction.UPDATED)
                .setActor("alice").setVia("config-apply").setAt(1_764_339_559_123L)
                .setChanges(List.of(field("/minScore", "0", "30"), field("/name", null, "\"Acme\"")))
                .build();

        assertThat(ConfigChanges.describe(change)).isEqualTo("2025-11-28T14:19:19.123Z alice config-apply buyer/acme"
                + " UPDATED /minScore: 0 -> 30, /name: absent -> \"Acme\"");
    }
}
