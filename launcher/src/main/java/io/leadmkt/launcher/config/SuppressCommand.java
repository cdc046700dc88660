package io.leadmkt.launcher.config;

import io.leadmkt.schema.ConfigAction;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.ConfigTopics;
import io.leadmkt.streams.admin.SuppressionImport;
import io.leadmkt.streams.admin.Suppressions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code leadmkt suppress import FILE}: a whole suppression list at once (one consumer at a time is {@code config suppress}). */
@Command(name = "suppress", mixinStandardHelpOptions = true,
        description = "Bulk opt-outs: imports a suppression list (CSV) to config.suppression.",
        subcommands = {SuppressCommand.Import.class})
public final class SuppressCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A list of consumers (the suppression import's CSV), progress and bad rows (by line) on {@code err};
     * null when it has bad rows and {@code partial} was not asked for: nothing may be written then.
     */
    static SuppressionImport.Result readList(Path file, SuppressionImport.Terms terms, boolean partial, String what,
                                             PrintWriter err) throws IOException {
        SuppressionImport.Result read;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read = SuppressionImport.read(in, terms, rows -> {
                err.printf("read %,d rows%n", rows);
                err.flush();
            });
        }
        if (!read.ok()) {
            if (!partial) {
                ConfigCommand.invalid(err, what + " (" + read.badRows() + " bad rows of " + read.rows()
                        + "; --partial takes the good ones)", read.errors());
                return null;
            }
            err.println(read.badRows() + " bad rows skipped (--partial):");
            read.errors().forEach(e -> err.println("  " + e));
        }
        return read;
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Imports a CSV of phones and/or emails (or identifiers already hashed as intake hashes "
                    + "them) as suppression entries: hashes only, each with its audit record on config.changes, all in "
                    + "one transaction. Re-importing the same file changes nothing; an entry never shortens one in "
                    + "force. Every bad row is reported by line number, and a file with bad rows writes nothing "
                    + "unless --partial. Rows: one consumer each; a header naming phone, email, phone_hash, "
                    + "email_hash or hash columns, or cells recognised one by one; 'area code,number' rows of the "
                    + "federal registry's flat file are one phone.")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (UTF-8).")
        Path file;
        @Option(names = "--expires-in", paramLabel = "<days>", description = "The entries stop suppressing after "
                + "this many days, to the end of the last day in UTC (e.g. 31d for a do-not-call re-scrub cycle). "
                + "Default: permanent.")
        String expiresIn;
        @Option(names = "--reason", description = "Why, for the audit trail (default: " + AdminApi.IMPORT_REASON + ").")
        String reason;
        @Option(names = "--source", description = "Where the list comes from, e.g. dnc-2026-11 (default: "
                + AdminApi.IMPORT_SOURCE + ").")
        String source;
        @Option(names = "--partial", description = "Write the good rows of a file that has bad ones.")
        boolean partial;
        @CommandLine.Mixin
        ClusterOptions cluster;
        @CommandLine.Mixin
        ConfigCommand.Actor actor;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long now = System.currentTimeMillis();
            Long expiresAt = null;
            if (expiresIn != null) {
                Optional<Integer> days = Suppressions.days(expiresIn);
                if (days.isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--expires-in must be a number of days, e.g. 31d: " + expiresIn);
                }
                expiresAt = Suppressions.expiresAt(now, days.get());
            }
            SuppressionImport.Terms terms = new SuppressionImport.Terms(
                    reason == null || reason.isBlank() ? AdminApi.IMPORT_REASON : reason.strip(),
                    source == null || source.isBlank() ? AdminApi.IMPORT_SOURCE : source.strip(), expiresAt, now);
            SuppressionImport.Result read = readList(file, terms, partial, "suppression list", err);
            if (read == null) {
                return ConfigCommand.INVALID;
            }
            err.printf("writing %,d entries from %,d rows%n", read.entries().size(), read.rows());
            err.flush();
            List<ConfigChange> changes;
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-suppress-import")) {
                changes = topics.suppress(read.entries(),
                        new ConfigChanges.Author(actor.name(), ConfigChanges.VIA_CONFIG_APPLY));
            }
            long created = changes.stream().filter(c -> c.getAction() == ConfigAction.CREATED).count();
            out.printf("%d entries from %d rows: %d created, %d updated, %d unchanged; %d bad rows%s; appliedBy=%s%n",
                    read.entries().size(), read.rows(), created, changes.size() - created,
                    read.entries().size() - changes.size(), read.badRows(), read.ok() ? "" : " skipped", actor.name());
            out.flush();
            return 0;
        }
    }
}
