package io.leadmkt.streams.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadmkt.schema.ApiKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldStoreOnlyTheHashWhenAKeyIsMinted() {
        ApiKeys.Minted minted = ApiKeys.mint(ApiKeys.request("seller", List.of("S1"), null, "web form").request(),
                "alice", 42L);
        ApiKey record = minted.record();

        assertThat(minted.key()).startsWith(ApiKeys.KEY_PREFIX).hasSize(ApiKeys.KEY_PREFIX.length() + 43);
        assertThat(record.getKeyId()).matches(ApiKeys.KEY_ID);
        assertThat(record.getKeyHash()).isEqualTo(ApiKeys.hash(minted.key())).hasSize(64)
                .doesNotContain(minted.key().substring(ApiKeys.KEY_PREFIX.length()));
        assertThat(record.toString()).doesNotContain(minted.key());
        assertThat(ApiKeys.document(record, true).toString()).doesNotContain(minted.key(), record.getKeyHash())
                .contains("\"role\":\"seller\"", "\"sourceIds\":[\"S1\"]", "\"createdBy\":\"alice\"");
        assertThat(record.getCreatedAt()).isEqualTo(42L);
    }

    @Test
    void shouldMintADifferentKeyAndIdEachTime() {
        ApiKeys.Request request = ApiKeys.request("analyst", List.of(), null, null).request();
        ApiKeys.Minted a = ApiKeys.mint(request, "x", 0);
        ApiKeys.Minted b = ApiKeys.mint(request, "x", 0);

        assertThat(a.key()).isNotEqualTo(b.key());
        assertThat(a.record().getKeyId()).isNotEqualTo(b.record().getKeyId());
    }

    @Test
    void shouldNameTheFieldWhenARequestDoesNotFitItsRole() {
        assertThat(ApiKeys.request(null, List.of(), null, null).errors()).containsExactly(
                "role: required, one of seller, buyer, analyst, privacy, admin");
        assertThat(ApiKeys.request("root", List.of(), null, null).errors()).containsExactly(
                "role: must be one of seller, buyer, analyst, privacy, admin");
        assertThat(ApiKeys.request("seller", List.of(), null, null).errors()).containsExactly(
                "sourceIds: a seller key needs at least one source it speaks for");
        assertThat(ApiKeys.request("seller", List.of("S1"), "B1", null).errors()).containsExactly(
                "buyerId: only a buyer key is bound to a buyer");
        assertThat(ApiKeys.request("buyer", List.of(), " ", null).errors()).containsExactly(
                "buyerId: a buyer key needs the buyer it is");
        assertThat(ApiKeys.request("analyst", List.of("S1"), null, null).errors()).containsExactly(
                "sourceIds: only a seller key is bound to sources");
        assertThat(ApiKeys.request("seller", List.of("../etc"), null, null).errors()).first().asString()
                .startsWith("sourceIds: each at most 64 letters");
        assertThat(ApiKeys.request("buyer", List.of(), "b".repeat(65), null).errors()).first().asString()
                .startsWith("buyerId: at most 64");
        assertThat(ApiKeys.request("admin", List.of(), null, "x".repeat(101)).errors()).containsExactly(
                "label: at most 100 printable characters");
    }

    @Test
    void shouldNameUnknownFieldsAndWrongTypesWhenTheRequestIsJson() throws Exception {
        assertThat(ApiKeys.request(JSON.readTree("{\"role\":\"seller\",\"sources\":[\"S1\"]}")).errors())
                .containsExactly("sources: unknown field (expected role, sourceIds, buyerId, label)");
        assertThat(ApiKeys.request(JSON.readTree("{\"role\":7,\"sourceIds\":\"S1\"}")).errors())
                .containsExactly("role: must be a string", "sourceIds: must be an array of source ids");
        assertThat(ApiKeys.request(JSON.readTree("{\"role\":\"seller\",\"sourceIds\":[1]}")).errors())
                .containsExactly("sourceIds: must be an array of source ids (strings)");
        assertThat(ApiKeys.request(JSON.readTree("[]")).errors()).first().asString().startsWith("$: must be a JSON object");
        ApiKeys.Parsed ok = ApiKeys.request(JSON.readTree("{\"role\":\"buyer\",\"buyerId\":\"B1\"}"));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.request().buyerId()).isEqualTo("B1");
    }

    @Test
    void shouldFindACallerByItsKeyUntilTheKeyIsRevoked() {
        ApiKeys.Minted minted = ApiKeys.mint(ApiKeys.request("buyer", List.of(), "B1", null).request(), "x", 0);
        ApiKeyTable table = ApiKeyTable.of(minted.record());

        assertThat(table.find(minted.key())).hasValueSatisfying(caller -> {
            assertThat(caller.role()).isEqualTo(Role.BUYER);
            assertThat(caller.buyerId()).isEqualTo("B1");
            assertThat(caller.keyId()).isEqualTo(minted.record().getKeyId());
        });
        assertThat(table.find(minted.key() + "x")).isEmpty();
        table.put(minted.record().getKeyId(), null);
        assertThat(table.find(minted.key())).isEmpty();
        assertThat(table.all()).isEmpty();
    }
}
