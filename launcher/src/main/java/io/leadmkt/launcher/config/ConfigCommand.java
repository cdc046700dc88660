package io.leadmkt.launcher.config;

import io.leadmkt.schema.Topics;
import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code leadmkt config apply | delete}: buyers and campaigns as checked documents on the compacted topics. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Applies buyer and campaign documents to the compacted config topics, or deletes one.",
        subcommands = {ConfigCommand.Apply.class, ConfigCommand.Delete.class})
public final class ConfigCommand implements Runnable {

    /** Exit code for documents that do not validate. */
    public static final int INVALID = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Who applies: --by, else $USER. */
    static String appliedBy(String by) {
        if (by != null && !by.isBlank()) {
            return by;
        }
        String user = System.getenv("USER");
        return user == null || user.isBlank() ? "unknown" : user;
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Validates every document (buyer.schema.json, campaign.schema.json, the buyer's integration), "
                    + "then writes what changed to config.buyers / config.campaigns keyed by id. Nothing is written "
                    + "if any document is invalid.")
    static final class Apply implements Callable<Integer> {
        @Option(names = {"-f", "--file"}, required = true, description = "YAML or JSON file: one document, a list, "
                + "or {buyers: [...], campaigns: [...]} (repeatable).")
        List<Path> files;
        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (not needed for a --dry-run "
                + "that only validates).")
        String bootstrapServers;
        @Option(names = "--dry-run", description = "Validate and show what would change; write nothing.")
        boolean dryRun;
        @Option(names = "--by", description = "Who applies, for the audit line (default: $USER).")
        String by;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ConfigBatch batch = ConfigFiles.read(files);
            if (!batch.ok()) {
                err.println("invalid config, nothing written (" + batch.errors().size() + " errors):");
                batch.errors().forEach(e -> err.println("  " + e));
                err.flush();
                return INVALID;
            }
            if (bootstrapServers == null) {
                if (!dryRun) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--bootstrap-servers is required unless --dry-run");
                }
                out.println("valid: " + batch.buyers().size() + " buyers, " + batch.campaigns().size()
                        + " campaigns (no --bootstrap-servers: not compared with the topics)");
                out.flush();
                return 0;
            }
            try (ConfigTopics topics = new ConfigTopics(bootstrapServers, Topics.embedded(), "leadmkt-config-apply")) {
                new ConfigApply(topics, appliedBy(by), out, err).apply(batch, dryRun);
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
        @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
        String bootstrapServers;
        @Option(names = "--dry-run", description = "Show what would be deleted; write nothing.")
        boolean dryRun;
        @Option(names = "--by", description = "Who deletes, for the audit line (default: $USER).")
        String by;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!kind.equals("buyer") && !kind.equals("campaign")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "kind must be buyer or campaign: " + kind);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (ConfigTopics topics = new ConfigTopics(bootstrapServers, Topics.embedded(), "leadmkt-config-delete")) {
                ConfigApply apply = new ConfigApply(topics, appliedBy(by), out, err);
                if (kind.equals("buyer")) {
                    apply.deleteBuyer(id, dryRun);
                } else {
                    apply.deleteCampaign(id, dryRun);
                }
            }
            return 0;
        }
    }
}
