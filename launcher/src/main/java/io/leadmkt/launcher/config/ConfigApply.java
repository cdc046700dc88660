package io.leadmkt.launcher.config;

import io.leadmkt.schema.ConfigAction;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigChanges.Author;
import io.leadmkt.streams.admin.ConfigChanges;
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
    public List<AppliedChange> plan(ConfigBatch batch) {
        if (!batch.ok()) {
            throw new IllegalArgumentException("invalid batch");
        }
        return summary(batch, topics.plan(batch.buyers(), batch.campaigns(), author));
    }

    /** Writes the created and updated records with their changes (the batch is valid: all or nothing), prints the summary. */
    public List<AppliedChange> apply(ConfigBatch batch, boolean dryRun) {
        List<AppliedChange> changes;
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
    public AppliedChange deleteBuyer(String buyerId, boolean dryRun) {
        return delete("buyer", buyerId, dryRun ? topics.currentBuyers().containsKey(buyerId)
                : topics.deleteBuyer(buyerId, author).isPresent(), dryRun);
    }

    /** Writes a tombstone for the campaign, if it exists. */
    public AppliedChange deleteCampaign(String campaignId, boolean dryRun) {
        return delete("campaign", campaignId, dryRun ? topics.currentCampaigns().containsKey(campaignId)
                : topics.deleteCampaign(campaignId, author).isPresent(), dryRun);
    }

    /**
     * Puts the entries on the suppression list with their changes (see {@link ConfigTopics#suppress});
     * prints one line per entry, {@code phone suppression <hash>: created | updated (reason) | unchanged},
     * so only hashes reach the terminal and the logs.
     */
    public List<AppliedChange> suppress(List<SuppressionEntry> entries) {
        Map<String, ConfigChange> byHash = new HashMap<>();
        topics.suppress(entries, author).forEach(c -> byHash.put(c.getId(), c));
        List<AppliedChange> changes = new ArrayList<>();
        for (SuppressionEntry entry : entries) {
            ConfigChange change = byHash.get(entry.getHash());
            String kind = entry.getKind() + " " + ConfigChanges.SUPPRESSION;
            changes.add(change == null ? new AppliedChange(kind, entry.getHash(), AppliedChange.Action.UNCHANGED, List.of())
                    : change.getAction() == ConfigAction.CREATED
                    ? new AppliedChange(kind, entry.getHash(), AppliedChange.Action.CREATED, List.of())
                    : new AppliedChange(kind, entry.getHash(), AppliedChange.Action.UPDATED, ConfigChanges.fields(change)));
        }
        report(changes, false);
        return changes;
    }

    private AppliedChange delete(String kind, String id, boolean present, boolean dryRun) {
        AppliedChange change = new AppliedChange(kind, id,
                present ? AppliedChange.Action.DELETED : AppliedChange.Action.ABSENT, List.of());
        report(List.of(change), dryRun);
        return change;
    }

    /** One line per document of the batch: its change, or unchanged. */
    private static List<AppliedChange> summary(ConfigBatch batch, List<ConfigChange> applied) {
        Map<String, ConfigChange> byKey = new HashMap<>();
        applied.forEach(c -> byKey.put(c.getKind() + "/" + c.getId(), c));
        List<AppliedChange> changes = new ArrayList<>();
        batch.buyers().forEach(b -> changes.add(summary(ConfigChanges.BUYER, b.getBuyerId(), byKey)));
        batch.campaigns().forEach(c -> changes.add(summary(ConfigChanges.CAMPAIGN, c.getCampaignId(), byKey)));
        return changes;
    }

    private static AppliedChange summary(String kind, String id, Map<String, ConfigChange> byKey) {
        ConfigChange change = byKey.get(kind + "/" + id);
        if (change == null) {
            return new AppliedChange(kind, id, AppliedChange.Action.UNCHANGED, List.of());
        }
        return change.getAction() == ConfigAction.CREATED
                ? new AppliedChange(kind, id, AppliedChange.Action.CREATED, List.of())
                : new AppliedChange(kind, id, AppliedChange.Action.UPDATED, ConfigChanges.fields(change));
    }

    private void report(List<AppliedChange> changes, boolean dryRun) {
        Instant at = Instant.now();
        for (AppliedChange change : changes) {
            out.println(change);
            if (change.writes() && !dryRun) {
                err.println("config change by " + appliedBy + " at " + at + ": " + change);
            }
        }
        out.printf("%s%d created, %d updated, %d deleted, %d unchanged; appliedBy=%s at %s%n",
                dryRun ? "dry run, nothing written: " : "",
                count(changes, AppliedChange.Action.CREATED), count(changes, AppliedChange.Action.UPDATED),
                count(changes, AppliedChange.Action.DELETED), count(changes, AppliedChange.Action.UNCHANGED),
                appliedBy, at);
        out.flush();
    }

    private static long count(List<AppliedChange> changes, AppliedChange.Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }
}
