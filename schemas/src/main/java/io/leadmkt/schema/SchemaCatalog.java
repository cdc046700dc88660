package io.leadmkt.schema;

import java.util.List;
import org.apache.avro.Schema;

/**
 * Every record schema this project writes to a topic or store. The embedded resolver knows a
 * writer's schema id only from this list (or from having written it itself), so a type missing
 * here cannot be read by another instance or after a restart: SchemaCatalogTest checks the list
 * against the .avsc files.
 */
public final class SchemaCatalog {
    private SchemaCatalog() {
    }

    public static List<Schema> all() {
        return List.of(
                Lead.getClassSchema(), Ping.getClassSchema(), Bid.getClassSchema(), Post.getClassSchema(),
                PostResult.getClassSchema(), Outcome.getClassSchema(), Rejection.getClassSchema(),
                AuditEvent.getClassSchema(), BuyerConfig.getClassSchema(), CampaignConfig.getClassSchema(),
                SuppressionEntry.getClassSchema(), QualifiedLead.getClassSchema(), AuctionState.getClassSchema(),
                LeadStatus.getClassSchema(), ConfigChange.getClassSchema(), CapRequest.getClassSchema(),
                CapDecision.getClassSchema(), CapUsage.getClassSchema(), CapReservation.getClassSchema(),
                BuyerCapStatus.getClassSchema(), BuyerStats.getClassSchema());
    }
}
