package io.leadmkt.launcher.secure;

import io.leadmkt.connector.kafka.KafkaBuyerTopics;
import io.leadmkt.streams.privacy.KeyVault;
import io.leadmkt.schema.Topics;
import io.leadmkt.streams.StreamsAppConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege ACLs of every principal of the marketplace, derived from the topic registry
 * ({@link Topics}), the streams app's application id, the connector's group id and the Kafka-native
 * buyers' ids: nothing is listed by hand, so a topic added to the registry is granted where it is used.
 *
 * <ul>
 *   <li>the streams app: the registry's topics (it creates them, reads and writes them), its own
 *       internal topics, consumer group and transactional ids (all prefixed with its application id);</li>
 *   <li>the connector: reads pings, posts and buyer configs, writes bids, post results and dead
 *       letters, owns every buyer's topics ({@value KafkaBuyerTopics#PREFIX}...) and its groups;</li>
 *   <li>config writers ({@code config}, {@code suppress import}, {@code keys}, {@code buyer test}): the
 *       config topics (API keys included) and their own transactional ids;</li>
 *   <li>each Kafka-native buyer B: reads {@code buyer.B.pings} and {@code buyer.B.posts} with groups
 *       named {@code buyer.B.*}, writes {@code buyer.B.bids}, {@code buyer.B.post-results} and
 *       {@code buyer.B.postbacks}; nothing
 *       else, so it can neither see another buyer's leads nor answer in its name.</li>
 * </ul>
 */
public final class AclPlan {

    /** Who the marketplace's components authenticate as. */
    public record Principals(String streams, String connector, String configWriter) {
        public static final Principals DEFAULT = new Principals("leadmkt-streams", "leadmkt-connector", "leadmkt-config");
    }

    /** Operations on one resource. */
    public record Grant(ResourceType type, String name, PatternType pattern, Set<AclOperation> operations) {
        static Grant topic(String name, AclOperation... operations) {
            return new Grant(ResourceType.TOPIC, name, PatternType.LITERAL, ops(operations));
        }

        static Grant prefixed(ResourceType type, String prefix, AclOperation... operations) {
            return new Grant(type, prefix, PatternType.PREFIXED, ops(operations));
        }

        static Grant literal(ResourceType type, String name, AclOperation... operations) {
            return new Grant(type, name, PatternType.LITERAL, ops(operations));
        }

        private static Set<AclOperation> ops(AclOperation... operations) {
            return EnumSet.copyOf(List.of(operations));
        }
    }

    /** One principal ({@code User:<user>}) and what it may do; {@code role} says which part of the market it is. */
    public record PrincipalAcls(String user, String role, List<Grant> grants) {
        public String principal() {
            return "User:" + user;
        }

        /** The grants as Kafka ACL bindings, one per operation, from any host. */
        public List<AclBinding> bindings() {
            List<AclBinding> bindings = new ArrayList<>();
            for (Grant grant : grants) {
                for (AclOperation operation : grant.operations()) {
                    bindings.add(new AclBinding(new ResourcePattern(grant.type(), grant.name(), grant.pattern()),
                            new AccessControlEntry(principal(), "*", operation, AclPermissionType.ALLOW)));
                }
            }
            return bindings;
        }
    }

    /**
     * Transactional-id prefixes of the config commands' writers (their client ids): {@code config apply
     * |delete|suppress|history} use {@code leadmkt-config-*}, {@code suppress import} and {@code buyer test}
     * their own.
     */
    static final List<String> CONFIG_WRITER_IDS = List.of("leadmkt-config-", "leadmkt-suppress-import",
            "leadmkt-buyer-test", "leadmkt-keys");

    private AclPlan() {
    }

    /** Every principal's ACLs: streams app, connector, config writers, then one per Kafka-native buyer. */
    public static List<PrincipalAcls> plan(Topics topics, String applicationId, String connectorGroupId,
                                           Principals principals, List<String> kafkaBuyerIds) {
        List<PrincipalAcls> plan = new ArrayList<>();
        plan.add(streamsApp(topics, applicationId, principals.streams()));
        plan.add(connector(topics, applicationId, connectorGroupId, principals.connector()));
        plan.add(configWriter(topics, principals.configWriter()));
        kafkaBuyerIds.stream().distinct().sorted().forEach(id -> plan.add(buyer(id)));
        return plan;
    }

    /** The principal a Kafka-native buyer authenticates as. */
    public static String buyerUser(String buyerId) {
        return "buyer-" + buyerId;
    }

    static PrincipalAcls streamsApp(Topics topics, String applicationId, String user) {
        List<Grant> grants = new ArrayList<>();
        for (Topics.Topic<?, ?> topic : topics.all()) {
            // The app creates the registry's topics when missing, checks their layout, reads and writes them.
            grants.add(Grant.topic(topic.name(), AclOperation.CREATE, AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.READ, AclOperation.WRITE));
        }
        // A deletion request truncates the sellers' copies of leads still in clear (privacy/Deletions).
        grants.add(Grant.topic(topics.leadsInbound().name(), AclOperation.DELETE));
        // Repartition and changelog topics: created, configured and (on reset) deleted by Streams.
        grants.add(Grant.prefixed(ResourceType.TOPIC, applicationId + "-", AclOperation.ALL));
        grants.add(Grant.literal(ResourceType.GROUP, applicationId, AclOperation.READ, AclOperation.DESCRIBE));
        // The reports' own application (streams.reports.own.instance): its internal topics and transactional
        // ids fall under the prefixes here; its group is a second one.
        grants.add(Grant.literal(ResourceType.GROUP, applicationId + StreamsAppConfig.REPORTS_SUFFIX,
                AclOperation.READ, AclOperation.DESCRIBE));
        // Exactly-once stream threads and the admin API's config writer: <application.id>-...
        grants.add(Grant.prefixed(ResourceType.TRANSACTIONAL_ID, applicationId + "-", AclOperation.WRITE,
                AclOperation.DESCRIBE));
        return new PrincipalAcls(user, "streams app", grants);
    }

    static PrincipalAcls connector(Topics topics, String applicationId, String groupId, String user) {
        List<Grant> grants = new ArrayList<>();
        // The key topic (the streams app's key-vault changelog) unseals posts; deletion notices go out to buyers.
        for (String read : List.of(topics.pings().name(), topics.posts().name(), topics.buyers().name(),
                applicationId + "-" + KeyVault.STORE + "-changelog", topics.privacyNotices().name())) {
            grants.add(Grant.topic(read, AclOperation.READ, AclOperation.DESCRIBE));
        }
        for (String write : List.of(topics.bids().name(), topics.postResults().name(), topics.postbacks().name(),
                topics.eventsDeadletter().name(), topics.privacyDeletionEvents().name())) {
            grants.add(Grant.topic(write, AclOperation.WRITE, AclOperation.DESCRIBE));
        }
        // It creates every Kafka-native buyer's six topics, writes their pings and posts, relays their answers.
        grants.add(Grant.prefixed(ResourceType.TOPIC, KafkaBuyerTopics.PREFIX, AclOperation.CREATE,
                AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE));
        grants.add(Grant.prefixed(ResourceType.GROUP, groupId + "-", AclOperation.READ, AclOperation.DESCRIBE));
        return new PrincipalAcls(user, "buyer connector", grants);
    }

    static PrincipalAcls configWriter(Topics topics, String user) {
        List<Grant> grants = new ArrayList<>();
        // The same config topics ConfigTopics.ensureTopics creates: a command that cannot see one would try to make it.
        for (Topics.Topic<?, ?> topic : List.of(topics.buyers(), topics.campaigns(), topics.suppression(),
                topics.apiKeys(), topics.configChanges())) {
            grants.add(Grant.topic(topic.name(), AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ,
                    AclOperation.WRITE));
        }
        CONFIG_WRITER_IDS.forEach(prefix -> grants.add(Grant.prefixed(ResourceType.TRANSACTIONAL_ID, prefix,
                AclOperation.WRITE, AclOperation.DESCRIBE)));
        return new PrincipalAcls(user, "config writer", grants);
    }

    static PrincipalAcls buyer(String buyerId) {
        List<Grant> grants = new ArrayList<>();
        grants.add(Grant.topic(KafkaBuyerTopics.pings(buyerId), AclOperation.READ, AclOperation.DESCRIBE));
        grants.add(Grant.topic(KafkaBuyerTopics.posts(buyerId), AclOperation.READ, AclOperation.DESCRIBE));
        grants.add(Grant.topic(KafkaBuyerTopics.deletions(buyerId), AclOperation.READ, AclOperation.DESCRIBE));
        grants.add(Grant.topic(KafkaBuyerTopics.bids(buyerId), AclOperation.WRITE, AclOperation.DESCRIBE));
        grants.add(Grant.topic(KafkaBuyerTopics.postResults(buyerId), AclOperation.WRITE, AclOperation.DESCRIBE));
        grants.add(Grant.topic(KafkaBuyerTopics.postbacks(buyerId), AclOperation.WRITE, AclOperation.DESCRIBE));
        grants.add(Grant.prefixed(ResourceType.GROUP, KafkaBuyerTopics.PREFIX + buyerId + ".", AclOperation.READ,
                AclOperation.DESCRIBE));
        return new PrincipalAcls(buyerUser(buyerId), "Kafka-native buyer " + buyerId, grants);
    }

    /** Creates every binding of the plan on the cluster {@code admin} reaches (as a principal allowed to alter ACLs). */
    public static void apply(Admin admin, List<PrincipalAcls> plan) {
        List<AclBinding> bindings = plan.stream().flatMap(acls -> acls.bindings().stream()).toList();
        try {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create ACLs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating ACLs", e);
        }
    }

    /** {@code kafka-acls.sh} command lines, one per principal and resource. */
    public static String kafkaAcls(List<PrincipalAcls> plan) {
        StringBuilder out = new StringBuilder();
        for (PrincipalAcls acls : plan) {
            out.append("# ").append(acls.principal()).append(": ").append(acls.role()).append('\n');
            for (Grant grant : acls.grants()) {
                out.append("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --add")
                        .append(" --allow-principal ").append(acls.principal());
                grant.operations().forEach(op -> out.append(" --operation ").append(camel(op.name())));
                out.append(switch (grant.type()) {
                    case TOPIC -> " --topic ";
                    case GROUP -> " --group ";
                    case TRANSACTIONAL_ID -> " --transactional-id ";
                    default -> throw new IllegalStateException("no kafka-acls option for " + grant.type());
                }).append(shellQuoted(grant.name()));
                if (grant.pattern() == PatternType.PREFIXED) {
                    out.append(" --resource-pattern-type prefixed");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Strimzi {@code KafkaUser} resources (the User Operator creates the SCRAM-SHA-512 or TLS credentials
     * and applies the ACLs), for the Kafka cluster named {@code cluster}.
     */
    public static String strimzi(List<PrincipalAcls> plan, String cluster, String authentication) {
        StringBuilder out = new StringBuilder();
        for (PrincipalAcls acls : plan) {
            out.append("---\n# ").append(acls.role()).append('\n')
                    .append("apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\nmetadata:\n  name: ")
                    .append(acls.user()).append("\n  labels:\n    strimzi.io/cluster: ").append(cluster)
                    .append("\nspec:\n  authentication:\n    type: ").append(authentication)
                    .append("\n  authorization:\n    type: simple\n    acls:\n");
            for (Grant grant : acls.grants()) {
                out.append("      - resource:\n          type: ").append(switch (grant.type()) {
                            case TOPIC -> "topic";
                            case GROUP -> "group";
                            case TRANSACTIONAL_ID -> "transactionalId";
                            default -> throw new IllegalStateException("no Strimzi resource type for " + grant.type());
                        }).append("\n          name: \"").append(grant.name()).append("\"\n          patternType: ")
                        .append(grant.pattern() == PatternType.PREFIXED ? "prefix" : "literal")
                        .append("\n        operations: [")
                        .append(grant.operations().stream().map(op -> camel(op.name())).collect(Collectors.joining(", ")))
                        .append("]\n        host: \"*\"\n");
            }
        }
        return out.toString();
    }

    /** DESCRIBE_CONFIGS -> DescribeConfigs: how kafka-acls and Strimzi spell an operation. */
    private static String camel(String constant) {
        StringBuilder out = new StringBuilder();
        for (String word : constant.split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase());
        }
        return out.toString();
    }

    private static String shellQuoted(String value) {
        return value.matches("[A-Za-z0-9._-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}
