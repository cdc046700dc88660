package io.leadmkt.launcher.secure;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.Topics;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;

class AclPlanTest {
    private static final Topics TOPICS = Topics.embedded();
    private static final List<AclPlan.PrincipalAcls> PLAN =
            AclPlan.plan(TOPICS, "leadmkt", "leadmkt-connector", AclPlan.Principals.DEFAULT, List.of("alice", "bob"));

    @Test
    void shouldGrantBuyerOnlyItsOwnTopicsWhenItIsKafkaNative() {
        AclPlan.PrincipalAcls alice = PLAN.stream().filter(p -> p.user().equals("buyer-alice")).findFirst().orElseThrow();
        assertThat(alice.bindings()).allSatisfy(b -> assertThat(b.pattern().name()).startsWith("buyer.alice."));
        assertThat(operationsOn(alice.bindings(), "buyer.alice.pings")).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
        assertThat(operationsOn(alice.bindings(), "buyer.alice.bids")).containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
        assertThat(alice.bindings()).noneMatch(b -> b.pattern().name().equals(Topics.BIDS));
    }

    @Test
    void shouldGrantStreamsAppEveryRegistryTopicAndItsPrefixedResourcesWhenPlanned() {
        AclPlan.PrincipalAcls streams = PLAN.get(0);
        assertThat(streams.principal()).isEqualTo("User:leadmkt-streams");
        assertThat(streams.bindings()).extracting(b -> b.pattern().name())
                .containsAll(TOPICS.all().stream().map(Topics.Topic::name).toList())
                .contains("leadmkt-", "leadmkt");
        assertThat(streams.bindings()).filteredOn(b -> b.pattern().patternType() == PatternType.PREFIXED)
                .extracting(b -> b.pattern().name()).containsOnly("leadmkt-");
    }

    @Test
    void shouldNotLetConfigWriterWriteOutsideConfigTopicsWhenPlanned() {
        AclPlan.PrincipalAcls writer = PLAN.get(2);
        assertThat(writer.bindings()).filteredOn(b -> b.entry().operation() == AclOperation.WRITE)
                .extracting(b -> b.pattern().name())
                .allSatisfy(name -> assertThat(name).matches("config\\..*|leadmkt-(config-|suppress-import|buyer-test|keys).*"));
    }

    @Test
    void shouldPrintKafkaAclsCommandsAndStrimziUsersWhenFormatted() {
        assertThat(AclPlan.kafkaAcls(PLAN)).contains(
                "--allow-principal User:buyer-bob --operation Write --operation Describe --topic buyer.bob.bids\n",
                "--topic leadmkt- --resource-pattern-type prefixed",
                "--operation DescribeConfigs");
        assertThat(AclPlan.strimzi(PLAN, "prod", "tls")).contains("kind: KafkaUser", "name: buyer-alice",
                "strimzi.io/cluster: prod", "type: tls", "type: transactionalId", "patternType: prefix");
    }

    private static List<AclOperation> operationsOn(List<AclBinding> bindings, String topic) {
        return bindings.stream().filter(b -> b.pattern().name().equals(topic)).map(b -> b.entry().operation()).toList();
    }
}
