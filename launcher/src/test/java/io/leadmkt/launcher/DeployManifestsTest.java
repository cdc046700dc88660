package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.connector.ConnectorConfig;
import io.leadmkt.launcher.secure.AclPlan;
import io.leadmkt.ops.OpsRoutes;
import io.leadmkt.schema.TopicProvisioner;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.StreamsAppConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The deploy manifests cannot be applied here (no Docker, no Kubernetes), so they are checked against the
 * code instead: every YAML file parses, every resource has what its kind requires, and the names, ports,
 * probe paths, settings keys, topics and ACLs they use are the ones the code declares.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final Path COMPOSE = DEPLOY.resolve("compose");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([^}]+)}");
    /** Kubernetes' own $(VAR) expansion in env values: any value stands in for it here. */
    private static final Pattern K8S_EXPANSION = Pattern.compile("\\$\\(([^)]+)\\)");

    @Test
    void shouldParseEveryYamlFileWhenReadAsYaml() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            List<Path> yaml = files.filter(f -> f.toString().matches(".*\\.ya?ml")).toList();
            assertThat(yaml).hasSizeGreaterThanOrEqualTo(8);
            for (Path file : yaml) {
                assertThat(documents(file)).as(file.toString()).isNotEmpty().doesNotContainNull();
            }
        }
    }

    @Test
    void shouldGiveEveryKubernetesResourceWhatItsKindRequiresWhenManifestsAreRead() throws IOException {
        List<Map<String, Object>> resources = kubernetes();
        assertThat(resources).extracting(r -> r.get("kind")).contains("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser",
                "StatefulSet", "Deployment", "Service", "PodDisruptionBudget", "ConfigMap");
        for (Map<String, Object> resource : resources) {
            String kind = (String) resource.get("kind");
            String where = kind + " " + at(resource, "metadata.name");
            assertThat(resource.get("apiVersion")).as(where).isNotNull();
            assertThat(at(resource, "metadata.name")).as(where).isInstanceOf(String.class);
            if (kind.startsWith("Kafka") && !kind.equals("Kafka")) {
                assertThat(at(resource, "metadata.labels.strimzi.io/cluster")).as(where).isEqualTo("leadmkt");
            }
            switch (kind) {
                case "StatefulSet", "Deployment" -> {
                    Map<String, Object> matchLabels = map(at(resource, "spec.selector.matchLabels"));
                    assertThat(map(at(resource, "spec.template.metadata.labels"))).as(where).containsAllEntriesOf(matchLabels);
                    for (Map<String, Object> container : containers(resource)) {
                        assertThat(container).as(where).containsKeys("name", "image");
                    }
                    if (kind.equals("StatefulSet")) {
                        assertThat(resources).as(where + ": its headless Service").anyMatch(r -> "Service".equals(r.get("kind"))
                                && at(r, "metadata.name").equals(at(resource, "spec.serviceName")) && "None".equals(at(r, "spec.clusterIP")));
                    }
                }
                case "Service" -> {
                    assertThat(list(at(resource, "spec.ports"))).as(where).isNotEmpty();
                    assertThat(workloadLabels(resources)).as(where + " selects a workload").contains(map(at(resource, "spec.selector")));
                }
                case "PodDisruptionBudget" -> {
                    assertThat(map(at(resource, "spec"))).as(where).containsAnyOf(Map.entry("maxUnavailable", 1), Map.entry("minAvailable", 1));
                    assertThat(workloadLabels(resources)).as(where).contains(map(at(resource, "spec.selector.matchLabels")));
                }
                case "ConfigMap" -> assertThat(map(at(resource, "data"))).as(where).isNotEmpty();
                case "KafkaTopic" -> assertThat(map(at(resource, "spec"))).as(where).containsKeys("topicName", "partitions", "replicas");
                case "KafkaUser" -> assertThat(map(at(resource, "spec"))).as(where).containsKeys("authentication", "authorization");
                case "KafkaNodePool" -> assertThat(map(at(resource, "spec"))).as(where).containsKeys("replicas", "roles", "storage");
                case "Kafka" -> assertThat(list(at(resource, "spec.kafka.listeners"))).as(where).isNotEmpty();
                default -> throw new AssertionError("a kind this test does not know: " + where);
            }
        }
    }

    @Test
    void shouldAcceptTheSettingsFileWhenEachPodsEnvironmentResolvesItsReferences() throws IOException {
        String properties = (String) map(at(only(kubernetes(), "ConfigMap", "leadmkt-config"), "data")).get("leadmkt.properties");
        for (Map<String, Object> workload : List.of(only(kubernetes(), "StatefulSet", "leadmkt-streams"),
                only(kubernetes(), "Deployment", "leadmkt-connector"))) {
            Settings settings = settings(properties, kubernetesEnv(containers(workload).get(0)));
            assertThat(settings.getString(Settings.BOOTSTRAP_SERVERS)).startsWith("leadmkt-kafka-bootstrap:");
        }
        Map<String, Object> compose = composeFile();
        String composeProperties = Files.readString(COMPOSE.resolve("leadmkt.properties"));
        for (String service : List.of("streams-1", "streams-2", "connector")) {
            Map<String, String> env = new TreeMap<>();
            map(at(compose, "services." + service + ".environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
            settings(composeProperties, env);
        }
    }

    @Test
    void shouldRunTheStreamsAppAsItsSettingsSayWhenDeployedAsAStatefulSet() throws IOException {
        Settings settings = kubernetesSettings();
        Map<String, Object> streams = only(kubernetes(), "StatefulSet", "leadmkt-streams");
        Map<String, Object> container = containers(streams).get(0);
        int port = settings.getInt(StreamsAppConfig.HTTP_PORT);
        assertThat(list(container.get("ports"))).extracting(p -> map(p).get("containerPort")).containsExactly(port);
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo(OpsRoutes.READY);
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo(OpsRoutes.LIVE);
        assertThat(mountPath(container, "state")).isEqualTo(settings.getString(StreamsAppConfig.STATE_DIR));
        assertThat(list(at(streams, "spec.volumeClaimTemplates"))).extracting(t -> at(map(t), "metadata.name")).containsExactly("state");
        assertThat(settings.originalsStrings()).containsEntry("streams.kafka.num.standby.replicas", "1")
                .containsEntry("streams.kafka.acceptable.recovery.lag", "1000")
                .containsEntry("streams.kafka.probing.rebalance.interval.ms", "60000");
        assertThat(kubernetesEnv(container)).containsEntry("LEADMKT_INSTANCE_ID", "leadmkt-streams-0")
                .containsEntry("LEADMKT_ADVERTISED_HOST", "leadmkt-streams-0.leadmkt-streams.leadmkt.svc.cluster.local");
        assertThat(settings.originalsStrings()).containsEntry("streams.kafka.group.instance.id", "leadmkt-streams-0");
        assertThat(settings.getString(StreamsAppConfig.HTTP_ADVERTISED_HOST)).endsWith("." + at(streams, "spec.serviceName") + ".leadmkt.svc.cluster.local");
        assertThat(containers(streams).get(0).get("args")).asList().containsExactly("streams", "--config", "/etc/leadmkt/leadmkt.properties");
    }

    @Test
    void shouldLetARestartedPodWarmBeforeTheNextStopsWhenARollingUpdateRuns() throws IOException {
        // A restarted instance takes its tasks back on a cold JVM (README, Operations: A restart).
        assertThat((Integer) at(only(kubernetes(), "StatefulSet", "leadmkt-streams"), "spec.minReadySeconds"))
                .isGreaterThanOrEqualTo(30);
        assertThat((Integer) at(only(kubernetes(), "Deployment", "leadmkt-connector"), "spec.minReadySeconds"))
                .isGreaterThanOrEqualTo(30);
    }

    @Test
    void shouldProbeTheConnectorOnItsStatusPortWhenDeployed() throws IOException {
        Map<String, Object> container = containers(only(kubernetes(), "Deployment", "leadmkt-connector")).get(0);
        List<Object> args = list(container.get("args"));
        int port = Integer.parseInt((String) args.get(args.indexOf("--port") + 1));
        assertThat(port).isEqualTo(Integer.parseInt(connectorPortDefault()));
        assertThat(list(container.get("ports"))).extracting(p -> map(p).get("containerPort")).containsExactly(port);
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo(OpsRoutes.READY);
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo(OpsRoutes.LIVE);
        assertThat(kubernetesEnv(container)).containsEntry("KAFKA_USER", AclPlan.Principals.DEFAULT.connector());
    }

    @Test
    void shouldListEveryRegistryTopicAsTheAppMakesItWhenManagedByStrimzi() throws IOException {
        Settings settings = kubernetesSettings();
        int partitions = settings.getInt(StreamsAppConfig.PARTITIONS);
        short replication = settings.getShort(StreamsAppConfig.REPLICATION_FACTOR);
        Map<String, Map<String, Object>> expected = new TreeMap<>();
        for (Topics.Topic<?, ?> topic : Topics.embedded().all()) {
            NewTopic made = TopicProvisioner.newTopic(topic, partitions, replication);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("topicName", made.name());
            spec.put("partitions", made.numPartitions());
            spec.put("replicas", (int) made.replicationFactor());
            if (made.configs() != null && !made.configs().isEmpty()) {
                spec.put("config", new TreeMap<>(made.configs()));
            }
            expected.put(made.name(), spec);
        }
        Map<String, Map<String, Object>> listed = new TreeMap<>();
        for (Map<String, Object> topic : kinds(kubernetes(), "KafkaTopic")) {
            Map<String, Object> spec = new LinkedHashMap<>(map(topic.get("spec")));
            spec.computeIfPresent("config", (k, config) -> {
                Map<String, Object> strings = new TreeMap<>();
                map(config).forEach((key, value) -> strings.put(key, String.valueOf(value)));
                return strings;
            });
            listed.put((String) spec.get("topicName"), spec);
        }
        assertThat(listed).isEqualTo(expected);
    }

    @Test
    void shouldHoldTheDefaultPrincipalsAclsWhenComparedWithTheAclsCommand() throws IOException {
        Settings settings = kubernetesSettings();
        String generated = AclPlan.strimzi(AclPlan.plan(Topics.embedded(), settings.getString(StreamsAppConfig.APPLICATION_ID),
                settings.getString(ConnectorConfig.GROUP_ID), AclPlan.Principals.DEFAULT, List.of()), "leadmkt", "scram-sha-512");
        List<Object> expected = new ArrayList<>();
        new Yaml().loadAll(generated).forEach(expected::add);
        assertThat(documents(K8S.resolve("kafka-users.yaml"))).isEqualTo(expected);
        List<String> users = kinds(kubernetes(), "KafkaUser").stream().map(u -> (String) at(u, "metadata.name")).toList();
        for (Map<String, Object> workload : kinds(kubernetes(), "StatefulSet", "Deployment")) {
            Map<String, String> env = kubernetesEnv(containers(workload).get(0));
            assertThat(users).as("the KafkaUser of " + at(workload, "metadata.name")).contains(env.get("KAFKA_USER"));
            assertThat(secretOf(containers(workload).get(0), "KAFKA_PASSWORD")).isEqualTo(env.get("KAFKA_USER"));
        }
    }

    @Test
    void shouldRunThreeReplicatedBrokersAndScrapeEveryPieceWhenComposed() throws IOException {
        Map<String, Object> services = map(composeFile().get("services"));
        List<String> brokers = services.keySet().stream().filter(s -> s.startsWith("kafka-")).toList();
        assertThat(brokers).hasSize(3);
        for (String broker : brokers) {
            Map<String, Object> env = map(at(services, broker + ".environment"));
            assertThat(at(services, broker + ".image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
            assertThat(env).containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", 3).containsEntry("KAFKA_MIN_INSYNC_REPLICAS", 2)
                    .containsEntry("KAFKA_NODE_ID", Integer.parseInt(broker.substring("kafka-".length())))
                    .containsKey("CLUSTER_ID").containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        }
        Settings settings = settings(Files.readString(COMPOSE.resolve("leadmkt.properties")),
                Map.of("LEADMKT_ADVERTISED_HOST", "streams-1", "LEADMKT_INSTANCE_ID", "streams-1"));
        assertThat(settings.getString(Settings.BOOTSTRAP_SERVERS)).isEqualTo(String.join(",", brokers.stream().map(b -> b + ":9092").toList()));
        assertThat(settings.getShort(StreamsAppConfig.REPLICATION_FACTOR)).isEqualTo((short) 3);
        assertThat(settings.originalsStrings()).containsEntry("streams.kafka.num.standby.replicas", "1")
                .containsEntry("streams.kafka.acceptable.recovery.lag", "1000")
                .containsEntry("streams.kafka.probing.rebalance.interval.ms", "60000");
        // What deploy/prometheus/prometheus.yml scrapes is what compose runs, on the ports the pieces listen on.
        List<String> targets = new ArrayList<>();
        for (Object job : list(documents(DEPLOY.resolve("prometheus").resolve("prometheus.yml")).get(0).get("scrape_configs"))) {
            assertThat(map(job).get("metrics_path")).isEqualTo(OpsRoutes.METRICS);
            list(map(list(map(job).get("static_configs")).get(0)).get("targets")).forEach(t -> targets.add((String) t));
        }
        int streamsPort = settings.getInt(StreamsAppConfig.HTTP_PORT);
        assertThat(targets).containsExactlyInAnyOrder("streams-1:" + streamsPort, "streams-2:" + streamsPort,
                "connector:" + connectorPortDefault());
        assertThat(services).containsKeys("prometheus", "grafana");
    }

    @Test
    void shouldStartTheLauncherWhenTheImageRuns() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("..").resolve("Dockerfile"));
        String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        assertThat(entrypoint).contains(LeadMkt.class.getName(), "$LEADMKT_JAVA_OPTS", "/opt/leadmkt/lib/*");
        assertThat(dockerfile).contains("USER 10001", "VOLUME /var/lib/leadmkt/state", "FROM eclipse-temurin:17-jre");
    }

    // --- reading the manifests ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        // SnakeYAML (what Jackson's YAML module reads with) also resolves the anchors and merge keys compose files use.
        new Yaml().loadAll(Files.readString(file)).forEach(d -> documents.add((Map<String, Object>) d));
        return documents;
    }

    private static List<Map<String, Object>> kubernetes() throws IOException {
        List<Map<String, Object>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.sorted().toList()) {
                resources.addAll(documents(file));
            }
        }
        return resources;
    }

    private static Map<String, Object> composeFile() throws IOException {
        return documents(COMPOSE.resolve("compose.yaml")).get(0);
    }

    private static List<Map<String, Object>> kinds(List<Map<String, Object>> resources, String... kinds) {
        return resources.stream().filter(r -> List.of(kinds).contains(r.get("kind"))).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> resources, String kind, String name) {
        return kinds(resources, kind).stream().filter(r -> name.equals(at(r, "metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return list(at(workload, "spec.template.spec.containers")).stream().map(DeployManifestsTest::map).toList();
    }

    private static List<Map<String, Object>> workloadLabels(List<Map<String, Object>> resources) {
        return kinds(resources, "StatefulSet", "Deployment").stream().map(w -> map(at(w, "spec.selector.matchLabels"))).toList();
    }

    private static String mountPath(Map<String, Object> container, String volume) {
        return list(container.get("volumeMounts")).stream().map(DeployManifestsTest::map).filter(m -> volume.equals(m.get("name")))
                .map(m -> (String) m.get("mountPath")).findFirst().orElseThrow();
    }

    private static String secretOf(Map<String, Object> container, String variable) {
        return list(container.get("env")).stream().map(DeployManifestsTest::map).filter(e -> variable.equals(e.get("name")))
                .map(e -> (String) at(e, "valueFrom.secretKeyRef.name")).findFirst().orElseThrow();
    }

    /**
     * A container's environment as the pod would see it: literal values with Kubernetes' $(VAR) expanded,
     * values from the pod's fields or Secrets as samples (a pod named leadmkt-streams-0 in namespace leadmkt).
     */
    private static Map<String, String> kubernetesEnv(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object entry : list(container.get("env"))) {
            Map<String, Object> variable = map(entry);
            String name = (String) variable.get("name");
            Object fieldPath = at(variable, "valueFrom.fieldRef.fieldPath");
            String value = variable.containsKey("value") ? (String) variable.get("value")
                    : "metadata.name".equals(fieldPath) ? "leadmkt-streams-0"
                    : "metadata.namespace".equals(fieldPath) ? "leadmkt"
                    : "status.podIP".equals(fieldPath) ? "10.0.0.7" : "secret-" + name;
            Matcher expansion = K8S_EXPANSION.matcher(value);
            env.put(name, expansion.replaceAll(m -> Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())))); 
        }
        return env;
    }

    private static Settings kubernetesSettings() throws IOException {
        String properties = (String) map(at(only(kubernetes(), "ConfigMap", "leadmkt-config"), "data")).get("leadmkt.properties");
        return settings(properties, kubernetesEnv(containers(only(kubernetes(), "StatefulSet", "leadmkt-streams")).get(0)));
    }

    /** The settings file read by the launcher's own {@link Settings}, its ${env:...} references resolved from {@code env}. */
    private static Settings settings(String properties, Map<String, String> env) throws IOException {
        Matcher reference = ENV_REFERENCE.matcher(properties);
        String resolved = reference.replaceAll(m -> {
            assertThat(env).as("the environment that resolves ${env:" + m.group(1) + "}").containsKey(m.group(1));
            return Matcher.quoteReplacement(env.get(m.group(1)));
        });
        Properties loaded = new Properties();
        loaded.load(new StringReader(resolved));
        return new Settings(loaded);
    }

    private static String connectorPortDefault() {
        return new CommandLine(new LeadMkt()).getSubcommands().get("connector").getCommandSpec().findOption("--port").defaultValue();
    }

    /** A value by its dotted path; a key with dots of its own (strimzi.io/cluster) is matched whole when it is last. */
    private static Object at(Map<String, Object> root, String path) {
        Object node = root;
        String rest = path;
        while (!rest.isEmpty()) {
            Map<String, Object> here = map(node);
            if (here.containsKey(rest)) {
                return here.get(rest);
            }
            int dot = rest.indexOf('.');
            String key = dot < 0 ? rest : rest.substring(0, dot);
            node = here.get(key);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }
}
