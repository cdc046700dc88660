package io.leadmkt.launcher.config;

import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.schema.KafkaClients;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.ConfigTopics;
import io.leadmkt.streams.admin.SuppressionImport;
import io.leadmkt.streams.admin.Suppressions;
import io.leadmkt.streams.privacy.Deletions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code leadmkt privacy delete --file FILE}: deletion requests in bulk, e.g. a DROP download of hashed identifiers. */
@Command(name = "privacy", mixinStandardHelpOptions = true,
        description = "Consumers' privacy requests: deletions in bulk.",
        subcommands = {PrivacyCommand.Delete.class})
public final class PrivacyCommand implements Runnable {
    /** Hashes per deletion request: a request is one Kafka record on every partition, kept well under 1 MB. */
    static final int HASHES_PER_REQUEST = 1_000;
    /** The {@code via} of deletions requested by this command. */
    static final String VIA = "privacy-delete";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes every consumer of a CSV (phones and/or emails, or their hashes as a DROP download "
                    + "gives them, in the suppression import's format): each is suppressed, their data keys erased "
                    + "(every copy of their PII unreadable at once), and every buyer that received one of their leads "
                    + "is told. Prints one deletion id per 1,000 identifiers: GET /v1/privacy/deletions/{id} says "
                    + "where each is. A file with bad rows (reported by line) deletes nothing unless --partial.")
    static final class Delete implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The CSV file (UTF-8).")
        Path file;
        @Option(names = "--reason", description = "Why, for the audit trail (default: " + Suppressions.DELETION_REASON + ").")
        String reason;
        @Option(names = "--partial", description = "Delete the consumers of the good rows of a file that has bad ones.")
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
            SuppressionImport.Terms terms = new SuppressionImport.Terms(
                    reason == null || reason.isBlank() ? Suppressions.DELETION_REASON : reason.strip(),
                    Suppressions.PRIVACY_SOURCE, null, now);
            SuppressionImport.Result read = SuppressCommand.readList(file, terms, partial, "deletion list", err);
            if (read == null) {
                return ConfigCommand.INVALID;
            }
            StreamsAppConfig app = cluster.streams();
            ConfigChanges.Author author = new ConfigChanges.Author(actor.name(), VIA);
            List<SuppressionEntry> entries = read.entries();
            KafkaClients kafka = cluster.clients();
            Topics topics = Topics.of(kafka);
            try (ConfigTopics config = new ConfigTopics(kafka, topics, "leadmkt-privacy-delete");
                 Deletions deletions = new Deletions(kafka, config, topics, app.partitions(),
                         app.applicationId())) {
                for (int from = 0; from < entries.size(); from += HASHES_PER_REQUEST) {
                    List<SuppressionEntry> chunk = entries.subList(from, Math.min(entries.size(), from + HASHES_PER_REQUEST));
                    Deletions.Accepted accepted = deletions.request(chunk, author, now);
                    out.printf("deletion %s: %d identifiers%n", accepted.deletionId(), accepted.hashes().size());
                    out.flush();
                }
            }
            out.printf("%d identifiers from %d rows in %d deletion requests; %d bad rows%s; requestedBy=%s%n",
                    entries.size(), read.rows(), (entries.size() + HASHES_PER_REQUEST - 1) / HASHES_PER_REQUEST,
                    read.badRows(), read.ok() ? "" : " skipped", actor.name());
            return 0;
        }
    }
}
