package io.leadmkt.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Every record schema this project writes to a topic or store. The embedded resolver knows a
 * writer's schema id only from this list (or from having written it itself), so a type missing
 * here cannot be read by another instance or after a restart: SchemaCatalogTest checks the list
 * against the .avsc files.
 *
 * <p>The embedded resolver names a schema by its fingerprint, so a record type that gains a field
 * gets a new id: {@link #earlier()} keeps the schemas of earlier releases readable (their records
 * resolve against today's classes, new fields taking their defaults), so what is already on the
 * topics, the compacted config above all, survives an upgrade.
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
                BuyerCapStatus.getClassSchema(), BuyerStats.getClassSchema(),
                ReportFigures.getClassSchema(), ApiKey.getClassSchema(), ErasureRequest.getClassSchema(), KeyErasure.getClassSchema(),
                DeletionNotice.getClassSchema(), DeletionEvent.getClassSchema(), DataKey.getClassSchema(),
                Disclosure.getClassSchema(), DeletionStatus.getClassSchema(), Postback.getClassSchema(),
                PostbackDecision.getClassSchema(), SoldLead.getClassSchema(), ReturnTally.getClassSchema(),
                WhatIfAuction.getClassSchema());
    }

    /** Earlier releases' .avsc files, one folder each: {@code leadmkt/avro-history/<n>/}. */
    static final List<String> HISTORY = List.of("leadmkt/avro-history/1/", "leadmkt/avro-history/2/",
            "leadmkt/avro-history/3/", "leadmkt/avro-history/4/", "leadmkt/avro-history/5/",
            "leadmkt/avro-history/6/", "leadmkt/avro-history/7/");
    private static final List<String> FILES =
            List.of("01-lead.avsc", "02-auction-events.avsc", "03-config.avsc", "04-internal.avsc");

    /** Every top-level record schema of an earlier release that today's catalog still has a type for. */
    public static List<Schema> earlier() {
        Set<String> current = all().stream().map(Schema::getFullName).collect(Collectors.toSet());
        return HISTORY.stream().flatMap(folder -> {
            Schema.Parser parser = new Schema.Parser();
            for (String file : FILES) {
                try (InputStream in = SchemaCatalog.class.getClassLoader().getResourceAsStream(folder + file)) {
                    if (in == null) {
                        throw new IllegalStateException("missing " + folder + file + " on the classpath");
                    }
                    parser.parse(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return parser.getTypes().values().stream().filter(s -> current.contains(s.getFullName()));
        }).toList();
    }
}
