package io.leadmkt.launcher.config;

import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@code leadmkt config apply}: compares a checked batch with the current compacted topics, writes
 * only what differs, and tells who changed what. The audit trail of config changes proper is
 * issue 4's; until then each change is one line on stderr and {@code appliedBy} in the summary.
 */
public final class ConfigApply {

    private final ConfigTopics topics;
    private final String appliedBy;
    private final PrintWriter out;
    private final PrintWriter err;

    public ConfigApply(ConfigTopics topics, String appliedBy, PrintWriter out, PrintWriter err) {
        this.topics = topics;
        this.appliedBy = appliedBy;
        this.out = out;
        this.err = err;
    }

    /** What applying {@code batch} would change; nothing is written. */
    public List<ConfigChange> plan(ConfigBatch batch) {
        if (!batch.ok()) {
            throw new IllegalArgumentException("invalid batch");
        }
        List<ConfigChange> changes = new ArrayList<>();
        if (!batch.buyers().isEmpty()) {
            changes.addAll(compare("buyer", batch.buyers(), topics.currentBuyers(), BuyerConfig::getBuyerId));
        }
        if (!batch.campaigns().isEmpty()) {
            changes.addAll(compare("campaign", batch.campaigns(), topics.currentCampaigns(), CampaignConfig::getCampaignId));
        }
        return changes;
    }

    /** Writes the created and updated records (all or nothing is checked before: the batch is valid), prints the summary. */
    public List<ConfigChange> apply(ConfigBatch batch, boolean dryRun) {
        List<ConfigChange> changes = plan(batch);
        if (!dryRun && changes.stream().anyMatch(ConfigChange::writes)) {
            topics.ensureTopics();
            List<BuyerConfig> buyers = batch.buyers().stream()
                    .filter(b -> writes(changes, "buyer", b.getBuyerId())).toList();
            List<CampaignConfig> campaigns = batch.campaigns().stream()
                    .filter(c -> writes(changes, "campaign", c.getCampaignId())).toList();
            topics.putAll(buyers, campaigns);
        }
        report(changes, dryRun);
        return changes;
    }

    /** Writes a tombstone for the buyer, if it exists. */
    public ConfigChange deleteBuyer(String buyerId, boolean dryRun) {
        return delete("buyer", buyerId, topics.currentBuyers().containsKey(buyerId), topics::deleteBuyer, dryRun);
    }

    /** Writes a tombstone for the campaign, if it exists. */
    public ConfigChange deleteCampaign(String campaignId, boolean dryRun) {
        return delete("campaign", campaignId, topics.currentCampaigns().containsKey(campaignId),
                topics::deleteCampaign, dryRun);
    }

    private ConfigChange delete(String kind, String id, boolean present, java.util.function.Consumer<String> tombstone,
                                boolean dryRun) {
        ConfigChange change = new ConfigChange(kind, id,
                present ? ConfigChange.Action.DELETED : ConfigChange.Action.ABSENT, List.of());
        if (present && !dryRun) {
            tombstone.accept(id);
        }
        report(List.of(change), dryRun);
        return change;
    }

    private void report(List<ConfigChange> changes, boolean dryRun) {
        Instant at = Instant.now();
        for (ConfigChange change : changes) {
            out.println(change);
            if (change.writes() && !dryRun) {
                err.println("config change by " + appliedBy + " at " + at + ": " + change);
            }
        }
        out.printf("%s%d created, %d updated, %d deleted, %d unchanged; appliedBy=%s at %s%n",
                dryRun ? "dry run, nothing written: " : "",
                count(changes, ConfigChange.Action.CREATED), count(changes, ConfigChange.Action.UPDATED),
                count(changes, ConfigChange.Action.DELETED), count(changes, ConfigChange.Action.UNCHANGED),
                appliedBy, at);
        out.flush();
    }

    private static long count(List<ConfigChange> changes, ConfigChange.Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    private static boolean writes(List<ConfigChange> changes, String kind, String id) {
        return changes.stream().anyMatch(c -> c.kind().equals(kind) && c.id().equals(id) && c.writes());
    }

    private static <V extends SpecificRecord> List<ConfigChange> compare(String kind, List<V> wanted,
                                                                         Map<String, V> current, Function<V, String> id) {
        List<ConfigChange> changes = new ArrayList<>();
        for (V record : wanted) {
            V now = current.get(id.apply(record));
            if (now == null) {
                changes.add(new ConfigChange(kind, id.apply(record), ConfigChange.Action.CREATED, List.of()));
                continue;
            }
            List<String> differ = new ArrayList<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                if (!Objects.equals(String.valueOf(record.get(field.pos())), String.valueOf(now.get(field.pos())))) {
                    differ.add(field.name());
                }
            }
            changes.add(new ConfigChange(kind, id.apply(record),
                    differ.isEmpty() ? ConfigChange.Action.UNCHANGED : ConfigChange.Action.UPDATED, differ));
        }
        return changes;
    }
}
