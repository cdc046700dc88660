package io.leadmkt.launcher.sandbox;

import io.leadmkt.launcher.config.ClusterOptions;
import io.leadmkt.launcher.config.ConfigFiles;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Money;
import io.leadmkt.streams.admin.ConfigBatch;
import io.leadmkt.streams.admin.ConfigTopics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code leadmkt buyer test}: the sandbox for onboarding one buyer. */
@Command(name = "buyer", mixinStandardHelpOptions = true, description = "Buyer onboarding tools.",
        subcommands = {BuyerCommand.Test.class})
public final class BuyerCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Renders the exact ping and post HTTP requests the connector would send a buyer for a "
                    + "sample lead (the ping PII-free), sends them unless --dry-run, and prints the parsed bid and "
                    + "post result.")
    static final class Test implements Callable<Integer> {
        @Parameters(index = "0", description = "The buyer's id.")
        String buyerId;
        @Option(names = "--lead", required = true, description = "Sample lead as JSON (POST /v1/leads layout), "
                + "e.g. deploy/config/sample-lead.json.")
        Path lead;
        @Option(names = "--config-file", description = "Buyer documents to take the buyer from (YAML/JSON, repeatable).")
        List<Path> configFiles;
        /** Take the buyer from config.buyers on this cluster. */
        @CommandLine.Mixin
        ClusterOptions cluster;
        @Option(names = "--floor", defaultValue = "0.00", description = "The seller's floor on the ping (default ${DEFAULT-VALUE}).")
        String floor;
        @Option(names = "--dry-run", description = "Render the requests only; send nothing.")
        boolean dryRun;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if ((configFiles == null) != cluster.given()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give either --config-file, or the cluster (--bootstrap-servers and/or --config)");
            }
            long floorCents = Money.parseCents(floor).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), "--floor must be an amount like 5.00: " + floor));
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<BuyerConfig> buyer;
            if (configFiles != null) {
                ConfigBatch batch = ConfigFiles.read(configFiles);
                if (!batch.ok()) {
                    err.println("invalid config:");
                    batch.errors().forEach(e -> err.println("  " + e));
                    err.flush();
                    return 1;
                }
                buyer = batch.buyers().stream().filter(b -> b.getBuyerId().equals(buyerId)).findFirst();
            } else {
                try (ConfigTopics topics = ConfigTopics.on(cluster.clients(), "leadmkt-buyer-test")) {
                    buyer = Optional.ofNullable(topics.currentBuyers().get(buyerId));
                }
            }
            if (buyer.isEmpty()) {
                err.println("no buyer " + buyerId);
                err.flush();
                return 1;
            }
            try (BuyerSandbox sandbox = new BuyerSandbox(out)) {
                sandbox.run(buyer.get(), Files.readAllBytes(lead), floorCents, dryRun);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                err.flush();
                return 1;
            }
            return 0;
        }
    }
}
