package io.leadmkt.launcher.config;

import io.leadmkt.schema.ConfigAction;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.ConfigChanges.Author;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code leadmkt config apply}: compares a checked batch with the current compacted topics, writes
 * only what differs, and tells who changed what. The writing and the audit trail are
 * {@link ConfigTopics}' (shared with the admin API): each written document comes with its
 * {@code ConfigChange} on {@code config.changes}, by {@code appliedBy} via {@code config-apply}.
 * The same goes for {@code leadmkt config suppress}: suppression-list entries, audited alike.
 */
public final class ConfigApply {

    private final ConfigTopics topics;
    private final String appliedBy;
    private final Author author;
    private final PrintWriter out;
    private final PrintWriter err;

    public ConfigApply(ConfigTopics topics, String appliedBy, PrintWriter out, PrintWriter err) {
        this.topics = topics;
        this.appliedBy = appliedBy;
        this.author = new Author(appliedBy, ConfigChanges.VIA_CONFIG_APPLY);
        this.out = out;
        this.err = err;
    }

    /** What applying {@code batch} would change; nothing is written. */
    public List<ConfigChange> plan(ConfigBatch batch) {
        if (!batch.ok()) {
            throw new IllegalArgumentException("invalid batch");
        }
        return summary(batch, topics.plan(batch.buyers(), batch.campaigns(), author));
    }

    /** Writes the created and updated records with their changes (the batch is valid: all or nothing), prints the summary. */
    public List<ConfigChange> apply(ConfigBatch batch, boolean dryRun) {
        List<ConfigChange> changes;
        if (dryRun) {
            changes = plan(batch);
        } else {
            if (!batch.ok()) {
                throw new IllegalArgumentException("invalid batch");
            }
            topics.ensureTopics();
            changes = summary(batch, topics.apply(batch.buyers(), batch.campaigns(), author));
        }
        report(changes, dryRun);
        return changes;
    }

    /** Writes a tombstone for the buyer, if it exists. */
    public ConfigChange deleteBuyer(String buyerId, boolean dryRun) {
        return delete("buyer", buyerId, dryRun ? topics.currentBuyers().containsKey(buyerId)
                : topics.deleteBuyer(buyerId, author).isPresent(), dryRun);
    }

    /** Writes a tombstone for the campaign, if it exists. */
    public ConfigChange deleteCampaign(String campaignId, boolean dryRun) {
        return delete("campaign", campaignId, dryRun ? topics.currentCampaigns().containsKey(campaignId)
                : topics.deleteCampaign(campaignId, author).isPresent(), dryRun);
    }

    /**
     * Puts the entries on the suppression list with their changes (see {@link ConfigTopics#suppress});
     * prints one line per entry, {@code phone suppression <hash>: created | updated (reason) | unchanged},
     * so only hashes reach the terminal and the logs.
     */
    public List<ConfigChange> suppress(List<SuppressionEntry> entries) {
        Map<String, io.leadmkt.schema.ConfigChange> byHash = new HashMap<>();
        topics.suppress(entries, author).forEach(c -> byHash.put(c.getId(), c));
        List<ConfigChange> changes = new ArrayList<>();
        for (SuppressionEntry entry : entries) {
            io.leadmkt.schema.ConfigChange change = byHash.get(entry.getHash());
            String kind = entry.getKind() + " " + ConfigChanges.SUPPRESSION;
            changes.add(change == null ? new ConfigChange(kind, entry.getHash(), ConfigChange.Action.UNCHANGED, List.of())
                    : change.getAction() == ConfigAction.CREATED
                    ? new ConfigChange(kind, entry.getHash(), ConfigChange.Action.CREATED, List.of())
                    : new ConfigChange(kind, entry.getHash(), ConfigChange.Action.UPDATED, ConfigChanges.fields(change)));
        }
        report(changes, false);
        return changes;
    }

    private ConfigChange delete(String kind, String id, boolean present, boolean dryRun) {
        ConfigChange change = new ConfigChange(kind, id,
                present ? ConfigChange.Action.DELETED : ConfigChange.Action.ABSENT, List.of());
        report(List.of(change), dryRun);
        return change;
    }

    /** One line per document of the batch: its change, or unchanged. */
    private static List<ConfigChange> summary(ConfigBatch batch, List<io.leadmkt.schema.ConfigChange> applied) {
        Map<String, io.leadmkt.schema.ConfigChange> byKey = new HashMap<>();
        applied.forEach(c -> byKey.put(c.getKind() + "/" + c.getId(), c));
        List<ConfigChange> changes = new ArrayList<>();
        batch.buyers().forEach(b -> changes.add(summary(ConfigChanges.BUYER, b.getBuyerId(), byKey)));
        batch.campaigns().forEach(c -> changes.add(summary(ConfigChanges.CAMPAIGN, c.getCampaignId(), byKey)));
        return changes;
    }

    private static ConfigChange summary(String kind, String id, Map<String, io.leadmkt.schema.ConfigChange> byKey) {
        io.leadmkt.schema.ConfigChange change = byKey.get(kind + "/" + id);
        if (change == null) {
            return new ConfigChange(kind, id, ConfigChange.Action.UNCHANGED, List.of());
        }
        return change.getAction() == ConfigAction.CREATED
                ? new ConfigChange(kind, id, ConfigChange.Action.CREATED, List.of())
                : new ConfigChange(kind, id, ConfigChange.Action.UPDATED, ConfigChanges.fields(change));
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
}
