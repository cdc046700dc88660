package io.leadmkt.connector.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.leadmkt.connector.Fixtures;
import io.leadmkt.connector.integration.Integration.AuthType;
import io.leadmkt.connector.integration.Integration.Format;
import io.leadmkt.connector.limits.BuyerLimits;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IntegrationParserTest {

    private static List<Path> examples() throws IOException, URISyntaxException {
        Path dir = Path.of(IntegrationParserTest.class.getClassLoader().getResource("integrations").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void shouldValidateEveryExampleDocumentWhenCheckedAgainstThePublishedSchema() throws Exception {
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(6);
        for (Path example : examples) {
            String document = Files.readString(example);
            assertThat(IntegrationParser.schemaErrors(document)).as(example.getFileName().toString()).isEmpty();
            assertThat(IntegrationParser.parse(document)).as(example.getFileName().toString()).isNotNull();
        }
    }

    @Test
    void shouldRefusePingTemplateWhenItNamesContactEmail() {
        InvalidIntegrationException refused = catchThrowableOfType(InvalidIntegrationException.class,
                () -> IntegrationParser.parse(Fixtures.resource("invalid-integrations/ping-names-email.json")));

        assertThat(refused.errors()).anySatisfy(error -> assertThat(error).startsWith("$.ping.fields[1].from:"));
    }

    @Test
    void shouldNameThePathWhenPingPriceIsMissing() {
        InvalidIntegrationException refused = catchThrowableOfType(InvalidIntegrationException.class,
                () -> IntegrationParser.parse(Fixtures.resource("invalid-integrations/missing-price.json")));

        assertThat(refused.errors()).contains("$.ping.response.price: required");
    }

    @Test
    void shouldRefuseRegexExtractsWhenTheyHaveNoGroupOrUseAPath() {
        InvalidIntegrationException refused = catchThrowableOfType(InvalidIntegrationException.class,
                () -> IntegrationParser.parse(Fixtures.resource("invalid-integrations/regex-without-group.json")));

        assertThat(refused.errors()).containsExactlyInAnyOrder(
                "$.ping.response.price.pattern: needs one capture group",
                "$.post.response.token.pattern: required for a regex answer");
    }

    @Test
    void shouldRefuseDocumentWhenItIsNotJsonOrYaml() {
        assertThatThrownBy(() -> IntegrationParser.parse("{\"ping\": {")).isInstanceOf(InvalidIntegrationException.class)
                .hasMessageContaining("$: not JSON or YAML");
        assertThatThrownBy(() -> IntegrationParser.parse("{\"ping\": {\"response\": {\"price\": {\"path\": \"$.p\"}}},"
                + " \"post\": {\"response\": {}}, \"extra\": 1}"))
                .isInstanceOf(InvalidIntegrationException.class).hasMessageContaining("extra");
    }

    @Test
    void shouldReadTheSameModelWhenTheDocumentIsYamlOrJson() throws Exception {
        String yaml = Fixtures.resource("integrations/leadconduit.yaml");
        String json = new ObjectMapper().writeValueAsString(new YAMLMapper().readTree(yaml));

        Integration fromYaml = IntegrationParser.parse(yaml);

        assertThat(fromYaml).isEqualTo(IntegrationParser.parse(json));
        assertThat(fromYaml.auth().type()).isEqualTo(AuthType.BASIC);
        assertThat(fromYaml.ping().format()).isEqualTo(Format.JSON);
        assertThat(fromYaml.ping().method()).isEqualTo("POST");
        assertThat(fromYaml.ping().fields()).hasSize(3);
    }

    @Test
    void shouldDefaultToGetWhenTheFormatIsQuery() {
        Integration integration = IntegrationParser.parse(Fixtures.resource("integrations/query-hmac.json"));

        assertThat(integration.ping().method()).isEqualTo("GET");
        assertThat(integration.post().method()).isEqualTo("PUT");
        assertThat(integration.auth().signatureHeader()).isEqualTo("X-Leadmkt-Signature");
    }

    @Test
    void shouldFillInDefaultLimitsWhenDocumentLeavesThemOut() {
        Integration onlyLimits = IntegrationParser.parse("{\"limits\": {\"maxConcurrent\": 4, \"pauseAfterErrors\": 3}}");
        Integration withTemplates = IntegrationParser.parse(Fixtures.resource("integrations/px.json"));

        assertThat(onlyLimits.hasTemplates()).isFalse();
        assertThat(onlyLimits.buyerLimits()).isEqualTo(new BuyerLimits(4, BuyerLimits.DEFAULTS.pingsPerSecond(), 3,
                BuyerLimits.DEFAULTS.pauseForMs()));
        assertThat(withTemplates.buyerLimits()).isEqualTo(BuyerLimits.DEFAULTS);
        assertThat(IntegrationParser.parse(Fixtures.resource("integrations/leadconduit.yaml")).buyerLimits())
                .isEqualTo(new BuyerLimits(50, 200, 20, 30_000));
    }

    @Test
    void shouldRefuseLimitsWhenTheyAreOutOfRangeOrUnknown() {
        InvalidIntegrationException refused = catchThrowableOfType(InvalidIntegrationException.class,
                () -> IntegrationParser.parse("{\"limits\": {\"maxConcurrent\": 0, \"pingsPerSecond\": -1,"
                        + " \"pauseForMs\": \"soon\", \"burst\": 3}}"));

        assertThat(refused.errors()).anySatisfy(e -> assertThat(e).startsWith("$.limits.maxConcurrent:"))
                .anySatisfy(e -> assertThat(e).startsWith("$.limits.pingsPerSecond:"))
                .anySatisfy(e -> assertThat(e).startsWith("$.limits.pauseForMs:"))
                .anySatisfy(e -> assertThat(e).startsWith("$.limits").contains("burst"));
    }

    @Test
    void shouldRequireBothTemplatesWhenDocumentHasOne() {
        InvalidIntegrationException refused = catchThrowableOfType(InvalidIntegrationException.class,
                () -> IntegrationParser.parse("{\"post\": {\"response\": {}}}"));

        assertThat(refused.errors()).containsExactly("$.ping: required when post is present");
    }
}
