package io.leadmkt.launcher.secure;

import io.leadmkt.connector.BuyerDirectory;
import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.launcher.Settings;
import io.leadmkt.launcher.config.ConfigFiles;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.StreamsAppConfig;
import io.leadmkt.streams.admin.ConfigBatch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code leadmkt acls}: prints the least-privilege ACL set of every principal ({@link AclPlan}). */
@Command(name = "acls", mixinStandardHelpOptions = true,
        description = "Prints the least-privilege Kafka ACLs of the streams app, the connector, config writers and "
                + "each Kafka-native buyer, as kafka-acls.sh commands or Strimzi KafkaUser resources, from the topic "
                + "registry, the settings (application id, connector group id) and the buyer documents.")
public final class AclsCommand implements Callable<Integer> {

    enum Format { KAFKA_ACLS, STRIMZI }

    @Option(names = "--format", defaultValue = "kafka-acls", converter = FormatConverter.class,
            description = "kafka-acls (command lines; set BOOTSTRAP and ADMIN_CONFIG) or strimzi (KafkaUser YAML) "
                    + "(default ${DEFAULT-VALUE}).")
    Format format;
    @Option(names = {"-f", "--file"}, description = "Buyer documents (YAML or JSON, as for config apply): every buyer "
            + "with delivery: kafka gets its own principal (repeatable).")
    List<Path> files = new ArrayList<>();
    @Option(names = "--buyer", description = "A Kafka-native buyer id, besides those in the files (repeatable).")
    List<String> buyers = new ArrayList<>();
    @Option(names = "--config", description = "Settings file: streams.application.id and connector.group.id are read from it.")
    Path config;
    @Option(names = "--streams-user", defaultValue = "leadmkt-streams", description = "The streams app's principal (default ${DEFAULT-VALUE}).")
    String streamsUser;
    @Option(names = "--connector-user", defaultValue = "leadmkt-connector", description = "The connector's principal (default ${DEFAULT-VALUE}).")
    String connectorUser;
    @Option(names = "--config-user", defaultValue = "leadmkt-config", description = "The config writers' principal (default ${DEFAULT-VALUE}).")
    String configUser;
    @Option(names = "--cluster", defaultValue = "leadmkt", description = "Strimzi: the Kafka cluster's name (default ${DEFAULT-VALUE}).")
    String cluster;
    @Option(names = "--authentication", defaultValue = "scram-sha-512",
            description = "Strimzi: scram-sha-512 or tls (default ${DEFAULT-VALUE}).")
    String authentication;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!List.of("scram-sha-512", "tls").contains(authentication)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--authentication must be scram-sha-512 or tls");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> kafkaBuyers = new ArrayList<>(buyers);
        if (!files.isEmpty()) {
            ConfigBatch batch = ConfigFiles.read(files);
            if (!batch.ok()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("invalid buyer documents:");
                batch.errors().forEach(e -> err.println("  " + e));
                err.flush();
                return 1;
            }
            batch.buyers().stream().filter(BuyerDirectory::answersOnKafka).map(BuyerConfig::getBuyerId)
                    .forEach(kafkaBuyers::add);
        }
        Settings settings = Settings.load(config);
        List<AclPlan.PrincipalAcls> plan = AclPlan.plan(Topics.embedded(), settings.getString(StreamsAppConfig.APPLICATION_ID),
                settings.getString(ConnectorConfig.GROUP_ID), new AclPlan.Principals(streamsUser, connectorUser, configUser),
                kafkaBuyers);
        out.print(format == Format.STRIMZI ? AclPlan.strimzi(plan, cluster, authentication) : AclPlan.kafkaAcls(plan));
        out.flush();
        return 0;
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value) {
                case "kafka-acls" -> Format.KAFKA_ACLS;
                case "strimzi" -> Format.STRIMZI;
                default -> throw new CommandLine.TypeConversionException("kafka-acls or strimzi, not " + value);
            };
        }
    }
}
