package io.leadmkt.schema;

import java.util.List;
import org.apache.avro.Schema;

/** Every top-level record schema this project writes to a topic or store. */
public final class SchemaCatalog {
    private SchemaCatalog() {
    }

    public static List<Schema> all() {
        return List.of(
                Lead.getClassSchema(), Ping.getClassSchema(), Bid.getClassSchema(), Post.getClassSchema(),
                PostResult.getClassSchema(), Outcome.getClassSchema(), Rejection.getClassSchema(),
                AuditEvent.getClassSchema(), BuyerConfig.getClassSchema(), CampaignConfig.getClassSchema(),
                SuppressionEntry.getClassSchema(), QualifiedLead.getClassSchema(), AuctionState.getClassSchema(),
                LeadStatus.getClassSchema());
    }
}
