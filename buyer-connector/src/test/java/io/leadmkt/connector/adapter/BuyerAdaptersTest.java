package io.leadmkt.connector.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.limits.BuyerLimits;
import io.leadmkt.schema.BuyerConfig;
import org.junit.jupiter.api.Test;

class BuyerAdaptersTest {

    private final BuyerAdapters adapters = BuyerAdapters.json();

    @Test
    void shouldUseTheJsonProtocolWhenBuyerHasNoIntegration() {
        assertThat(adapters.forBuyer(Fixtures.buyer("b", "http://localhost/b"))).isInstanceOf(JsonBuyerAdapter.class);
    }

    @Test
    void shouldParseEachDocumentOnceWhenManyConfigsCarryTheSameIntegration() {
        BuyerAdapter first = adapters.forBuyer(Fixtures.buyer("a", "http://localhost/a", "px.json"));
        BuyerAdapter again = adapters.forBuyer(Fixtures.buyer("a", "http://localhost/a", "px.json"));
        BuyerAdapter other = adapters.forBuyer(Fixtures.buyer("c", "http://localhost/c", "leadbyte.json"));

        assertThat(first).isInstanceOf(TemplateBuyerAdapter.class).isSameAs(again);
        assertThat(other).isInstanceOf(TemplateBuyerAdapter.class).isNotSameAs(first);
    }

    @Test
    void shouldRefuseRequestsWithBadIntegrationWhenTheDocumentDoesNotValidate() {
        BuyerConfig buyer = BuyerConfig.newBuilder(Fixtures.buyer("x", "http://localhost/x"))
                .setIntegration("{\"ping\": {}}").build();

        BuyerAdapter adapter = adapters.forBuyer(buyer);

        assertThat(adapter).isSameAs(adapters.forBuyer(buyer));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> adapter.pingRequest(
                        Fixtures.ping("L-1", System.currentTimeMillis() + 1000, "x"), buyer, 100))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(BuyerAdapters.BAD_INTEGRATION))
                .hasMessageContaining("$.ping.response: required")
                .hasMessageContaining("$.post: required");
    }

    @Test
    void shouldKeepTheJsonProtocolWithItsLimitsWhenDocumentHoldsOnlyLimits() {
        BuyerConfig buyer = Fixtures.buyerWithLimits("b", "http://localhost/b", "{\"pingsPerSecond\": 5}");

        assertThat(adapters.forBuyer(buyer)).isInstanceOf(JsonBuyerAdapter.class);
        assertThat(adapters.limits(buyer).pingsPerSecond()).isEqualTo(5);
        assertThat(adapters.limits(Fixtures.buyer("c", "http://localhost/c"))).isEqualTo(BuyerLimits.DEFAULTS);
    }
}
