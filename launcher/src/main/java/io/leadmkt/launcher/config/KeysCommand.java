package io.leadmkt.launcher.config;

import io.leadmkt.schema.ApiKey;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.streams.access.ApiKeys;
import io.leadmkt.streams.admin.ConfigChanges;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code leadmkt keys create | list | revoke}: the HTTP API's keys on {@code config.apikeys}, each
 * create and revoke audited on {@code config.changes} (who, when, role, key id; never the key).
 * Every instance of the streams app follows the topic, so a key works, or stops working, everywhere
 * within a second.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes HTTP API keys (roles seller, buyer, analyst, privacy, admin).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a key and prints it once: only its SHA-256 is stored, it cannot be shown again.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--role", required = true, description = "seller, buyer, analyst, privacy or admin.")
        String role;
        @Option(names = "--source", description = "A seller key's source id (repeatable; at least one for a seller).")
        List<String> sources = new java.util.ArrayList<>();
        @Option(names = "--buyer", description = "A buyer key's buyer id.")
        String buyer;
        @Option(names = "--label", description = "What the key is for, e.g. the partner's system.")
        String label;
        @CommandLine.Mixin
        ClusterOptions cluster;
        @CommandLine.Mixin
        ConfigCommand.Actor actor;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ApiKeys.Parsed request = ApiKeys.request(role, sources, buyer, label);
            if (!request.ok()) {
                return ConfigCommand.invalid(spec.commandLine().getErr(), "key", request.errors());
            }
            ApiKeys.Minted minted = ApiKeys.mint(request.request(), actor.name(), System.currentTimeMillis());
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-keys")) {
                topics.putApiKey(minted.record(), new ConfigChanges.Author(actor.name(), ConfigChanges.VIA_KEYS_COMMAND));
            }
            out.println("created " + describe(minted.record()));
            out.println("key (shown once; send it as Authorization: Bearer <key>):");
            out.println(minted.key());
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the keys in force, oldest first: id, role, parties, label, who created it when. Never a key.")
    static final class ListKeys implements Callable<Integer> {
        @CommandLine.Mixin
        ClusterOptions cluster;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-keys")) {
                topics.currentApiKeys().values().stream()
                        .sorted(Comparator.comparingLong(ApiKey::getCreatedAt).thenComparing(ApiKey::getKeyId))
                        .forEach(key -> out.println(describe(key)));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a key by its id: every instance refuses it (401) within a second.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", description = "The key id (k_...), as keys list shows it.")
        String keyId;
        @CommandLine.Mixin
        ClusterOptions cluster;
        @CommandLine.Mixin
        ConfigCommand.Actor actor;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Optional<ConfigChange> revoked;
            try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-keys")) {
                revoked = topics.revokeApiKey(keyId, new ConfigChanges.Author(actor.name(), ConfigChanges.VIA_KEYS_COMMAND));
            }
            if (revoked.isEmpty()) {
                spec.commandLine().getErr().println("no key " + keyId + " in force: nothing revoked");
                spec.commandLine().getErr().flush();
                return ConfigCommand.INVALID;
            }
            spec.commandLine().getOut().println("revoked " + keyId);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code k_... seller sources=S1,S2 label="web form" created 2026-...Z by alice}. */
    static String describe(ApiKey key) {
        StringBuilder line = new StringBuilder(key.getKeyId()).append(' ').append(key.getRole());
        if (!key.getSourceIds().isEmpty()) {
            line.append(" sources=").append(String.join(",", key.getSourceIds()));
        }
        if (key.getBuyerId() != null) {
            line.append(" buyer=").append(key.getBuyerId());
        }
        if (key.getLabel() != null) {
            line.append(" label=\"").append(key.getLabel()).append('"');
        }
        return line.append(" created ").append(java.time.Instant.ofEpochMilli(key.getCreatedAt()))
                .append(" by ").append(key.getCreatedBy()).toString();
    }
}
