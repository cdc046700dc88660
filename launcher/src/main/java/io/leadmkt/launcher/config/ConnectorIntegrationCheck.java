package io.leadmkt.launcher.config;

import io.leadmkt.connector.integration.IntegrationParser;
import io.leadmkt.connector.integration.InvalidIntegrationException;
import io.leadmkt.streams.admin.IntegrationCheck;
import java.util.List;

/**
 * The buyer-connector's own parser as the integration check: a document that passes here is one
 * the connector will use, not refuse with BAD_INTEGRATION at the first lead.
 */
public final class ConnectorIntegrationCheck implements IntegrationCheck {

    public static final ConnectorIntegrationCheck INSTANCE = new ConnectorIntegrationCheck();

    private ConnectorIntegrationCheck() {
    }

    @Override
    public List<String> errors(String json) {
        try {
            IntegrationParser.parse(json);
            return List.of();
        } catch (InvalidIntegrationException e) {
            return e.errors();
        } catch (RuntimeException e) {
            return List.of("$: " + e.getMessage());
        }
    }
}
