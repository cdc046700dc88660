package io.leadmkt.launcher.config;

import io.leadmkt.schema.ConfigChange;
import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.ConfigTopics;
import io.leadmkt.streams.admin.Suppressions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code leadmkt config apply | delete | suppress | history}: buyers and campaigns as checked documents
 * on the compacted topics, consumers' opt-outs on the suppression list, every change audited on
 * {@code config.changes}.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Applies buyer and campaign documents to the compacted config topics, deletes one, "
                + "suppresses a consumer, or shows who changed what.",
        subcommands = {ConfigCommand.Apply.class, ConfigCommand.Delete.class, ConfigCommand.Suppress.class,
                ConfigCommand.History.class})
public final class ConfigCommand implements Runnable {

    /** Exit code for documents that do not validate. */
    public static final int INVALID = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The {@code --actor} option of every command that writes config: who, for the audit trail. */
    static final class Actor {
        @Option(names = {"--actor", "--by"}, paramLabel = "<who>", description = "Who makes the change, for the audit trail on "
                + "config.changes (default: the OS user).")
        String given;

        /** --actor (or --by), else the OS user. */
        String name() {
            if (given != null && !given.isBlank()) {
                return given.strip();
            }
            String user = System.getProperty("user.name");
            return user == null || user.isBlank() ? "unknown" : user;
        }
    }

    /** Prints why nothing was written, and the exit code for it. */
    static int invalid(PrintWriter err, String what, List<String> errors) {
        err.println("invalid " + what + ", nothing written (" + errors.size() + " errors):");
        errors.forEach(e -> err.println("  " + e));
        err.flush();
        return INVALID;
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Validates every document (buyer.schema.json, campaign.schema.json, the buyer's integration), "
                    + "then writes what changed to config.buyers / config.campaigns keyed by id, each change "
                    + "with its audit record on config.changes. Nothing is written if any document is invalid.")
    static final class Apply implements Callable<Integer> {
        @Option(names = {"-f", "--file"}, required = true, description = "YAML or JSON file: one document, a list, "
                + "or {buyers: [...], campaigns: [...]} (repeatable).")
        List<Path> files;
        /** Not needed for a --dry-run that only validates. */
        @CommandLine.Mixin
        ClusterOptions cluster;
        @Option(names = "--dry-run", description = "Validate and show what would change; write nothing.")
        boolean dryRun;
        @CommandLine.Mixin
        Actor actor;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ConfigBatch batch = ConfigFiles.read(files);
            if (!batch.ok()) {
                return invalid(err, "config", batch.errors());
            }
            if (!cluster.given()) {
                if (!dryRun) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--bootstrap-servers or --config is required unless --dry-run");
                }
                out.println("valid: " + batch.buyers().size() + " buyers, " + batch.campaigns().size()
                        + " campaigns (no cluster given: not compared with the topics)");
                out.flush();
                return 0;
            }
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-config-apply")) {
                new ConfigApply(topics, actor.name(), out, err).apply(batch, dryRun);
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes one buyer or campaign: writes a tombstone for its id.")
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", description = "buyer or campaign")
        String kind;
        @Parameters(index = "1", description = "its id")
        String id;
        @CommandLine.Mixin
        ClusterOptions cluster;
        @Option(names = "--dry-run", description = "Show what would be deleted; write nothing.")
        boolean dryRun;
        @CommandLine.Mixin
        Actor actor;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!kind.equals("buyer") && !kind.equals("campaign")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "kind must be buyer or campaign: " + kind);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-config-delete")) {
                ConfigApply apply = new ConfigApply(topics, actor.name(), out, err);
                if (kind.equals("buyer")) {
                    apply.deleteBuyer(id, dryRun);
                } else {
                    apply.deleteCampaign(id, dryRun);
                }
            }
            return 0;
        }
    }

    @Command(name = "suppress", mixinStandardHelpOptions = true,
            description = "Puts a consumer on the suppression list (an opt-out or erasure request): the hash of "
                    + "the phone (E.164) and/or the email (lower case), as intake computes them, to "
                    + "config.suppression, each with its audit record on config.changes. New leads of that "
                    + "consumer are rejected SUPPRESSED; open auctions end UNSOLD SUPPRESSED. Prints the "
                    + "hashes only; an entry already there with the same reason is not written again.")
    static final class Suppress implements Callable<Integer> {
        @Option(names = "--phone", description = "The consumer's US phone number, any common notation.")
        String phone;
        @Option(names = "--email", description = "The consumer's email address.")
        String email;
        @Option(names = "--reason", description = "Why, for the audit trail (default: "
                + Suppressions.DEFAULT_REASON + ").")
        String reason;
        @CommandLine.Mixin
        ClusterOptions cluster;
        @CommandLine.Mixin
        Actor actor;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Suppressions.Parsed request = Suppressions.request(phone, email, reason, System.currentTimeMillis());
            if (!request.ok()) {
                return invalid(err, "suppression", request.errors());
            }
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-config-suppress")) {
                new ConfigApply(topics, actor.name(), out, err).suppress(request.entries());
            }
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Prints applied config changes from config.changes, oldest first, one line each: "
                    + "time (UTC), actor, via, kind/id, action, then each changed path as before -> after "
                    + "(JSON; 'absent' when there was none; integration secrets as \"***\").")
    static final class History implements Callable<Integer> {
        @CommandLine.Mixin
        ClusterOptions cluster;
        @Option(names = "--id", description = "Only changes of this buyer or campaign id, suppression hash or key id.")
        String id;
        @Option(names = "--kind", description = "Only changes of this kind: buyer, campaign, suppression or apikey.")
        String kind;
        @Option(names = "--limit", description = "Only the most recent N matching changes (default: all).")
        Integer limit;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (kind != null && !List.of("buyer", "campaign", "suppression", "apikey").contains(kind)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--kind must be buyer, campaign, suppression or apikey: " + kind);
            }
            if (limit != null && limit < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1: " + limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            List<ConfigChange> changes;
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-config-history")) {
                changes = topics.history().stream()
                        .filter(c -> id == null || c.getId().equals(id))
                        .filter(c -> kind == null || c.getKind().equals(kind))
                        .toList();
            }
            int from = limit == null ? 0 : Math.max(0, changes.size() - limit);
            changes.subList(from, changes.size()).forEach(c -> out.println(ConfigChanges.describe(c)));
            out.flush();
            return 0;
        }
    }
}
