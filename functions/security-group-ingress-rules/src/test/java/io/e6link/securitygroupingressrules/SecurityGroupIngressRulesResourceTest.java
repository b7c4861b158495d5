package io.e6link.securitygroupingressrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.withSettings;

import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.Ownership;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Ec2Faults;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.ResponseRecorder.Put;
import io.e6link.testing.aws.Fault;
import io.e6link.testing.aws.SimulatedIamClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.AdditionalAnswers;
import org.mockito.MockMakers;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.Tag;

@org.junit.jupiter.api.Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class SecurityGroupIngressRulesResourceTest {
    private static final String EVENT = "security-group-ingress-rules/create.json";
    private static final String OWNER = Ownership.ownerValue((String) Events.load(EVENT).get("StackId"),
            (String) Events.load(EVENT).get("LogicalResourceId"));
    private static final String E6DATA_A = "10.200.0.0/16";
    private static final String E6DATA_B = "10.201.0.0/16";
    private static final String E6DATA_C = "10.202.0.0/16";

    private Ec2Client ec2;
    private String groupId;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        ec2 = new MotoClients(moto).ec2();
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        groupId = ec2.createSecurityGroup(r -> r.groupName("eks-cluster-sg-demo").description("EKS cluster group").vpcId(vpcId)).groupId();
        harness = new CustomResourceHarness(function(ec2));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static CustomResourceFunction function(Ec2Client client) {
        return new CustomResourceFunction(SecurityGroupIngressRulesResource.TYPE, () -> new SecurityGroupIngressRulesResource(client)) { };
    }

    private Map<String, Object> props(List<String> cidrs) {
        return Map.of("GroupId", groupId, "Cidrs", cidrs, "Port", "443", "Description", "e6data PrivateLink");
    }

    private Set<SecurityGroupRule> rules() {
        return Set.copyOf(ec2.describeSecurityGroupRules(r -> r.filters(f -> f.name("group-id").values(groupId))).securityGroupRules());
    }

    private List<SecurityGroupRule> inboundRulesOnPort(int port) {
        return rules().stream().filter(rule -> !rule.isEgress() && rule.fromPort() == port).toList();
    }

    private void customerRule(String cidr, int port, String description) {
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId)
                .ipPermissions(p -> p.ipProtocol("tcp").fromPort(port).toPort(port).ipRanges(i -> i.cidrIp(cidr).description(description)))
                .tagSpecifications(t -> t.resourceType(software.amazon.awssdk.services.ec2.model.ResourceType.SECURITY_GROUP_RULE).tags(Tag.builder().key("team").value("platform").build())));
    }

    @Test
    void createAuthorizesTaggedRulesAndDeleteLeavesTheGroupExactlyAsBefore() {
        Set<SecurityGroupRule> before = rules();

        Put created = harness.create(EVENT, props(List.of(E6DATA_A, E6DATA_B)));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo(groupId + ":tcp:443");
        assertThat(created.data()).containsEntry("AdoptedCidrs", "");
        List<SecurityGroupRule> added = inboundRulesOnPort(443);
        assertThat(added).extracting(SecurityGroupRule::cidrIpv4).containsExactlyInAnyOrder(E6DATA_A, E6DATA_B);
        assertThat(added).allSatisfy(rule -> {
            assertThat(rule.ipProtocol()).isEqualTo("tcp");
            assertThat(rule.description()).isEqualTo("e6data PrivateLink");
            assertThat(rule.tags()).contains(Tag.builder().key(Ownership.TAG_KEY).value(OWNER).build());
        });
        assertThat(created.data().get("RuleIds").split(","))
                .containsExactlyInAnyOrderElementsOf(added.stream().map(SecurityGroupRule::securityGroupRuleId).toList());

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A, E6DATA_B)));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(rules()).isEqualTo(before);
    }

    @Test
    void anIdenticalCustomerRuleIsAdoptedNeverChangedAndSurvivesDelete() {
        customerRule(E6DATA_A, 443, "customer rule for e6data");
        customerRule("192.168.0.0/16", 22, "ssh");
        Set<SecurityGroupRule> before = rules();

        Put created = harness.create(EVENT, props(List.of(E6DATA_A, E6DATA_B)));
        Put updated = harness.update(EVENT, created.physicalResourceId(),
                Map.of("GroupId", groupId, "Cidrs", List.of(E6DATA_B), "Port", "443", "Description", "renamed"), props(List.of(E6DATA_A, E6DATA_B)));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("AdoptedCidrs", E6DATA_A);
        String adoptedId = inboundRulesOnPort(443).stream().filter(rule -> rule.cidrIpv4().equals(E6DATA_A)).findFirst().orElseThrow().securityGroupRuleId();
        assertThat(created.data().get("RuleIds")).startsWith(adoptedId + ",");
        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.data()).containsEntry("AdoptedCidrs", "");
        assertThat(rules()).containsAll(before);

        Put deleted = harness.delete(EVENT, updated.physicalResourceId(), Map.of("GroupId", groupId, "Cidrs", List.of(E6DATA_B)));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(rules()).isEqualTo(before);
    }

    @Test
    void updateAddsNewCidrsRevokesOnlyRemovedOwnedRulesAndRewritesOwnedDescriptions() {
        Put created = harness.create(EVENT, props(List.of(E6DATA_A, E6DATA_B)));

        Put updated = harness.update(EVENT, created.physicalResourceId(),
                Map.of("GroupId", groupId, "Cidrs", List.of(E6DATA_B, E6DATA_C), "Port", "443", "Description", "e6data v2"),
                props(List.of(E6DATA_A, E6DATA_B)));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(created.physicalResourceId());
        assertThat(inboundRulesOnPort(443)).extracting(SecurityGroupRule::cidrIpv4, SecurityGroupRule::description)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(E6DATA_B, "e6data v2"), org.assertj.core.groups.Tuple.tuple(E6DATA_C, "e6data v2"));
        assertThat(updated.data().get("RuleIds").split(",")).hasSize(2);
    }

    @Test
    void changingThePortReplacesTheResourceAndDeletingTheOldIdRevokesOnlyTheOldRules() {
        Put created = harness.create(EVENT, props(List.of(E6DATA_A)));

        Put updated = harness.update(EVENT, created.physicalResourceId(),
                Map.of("GroupId", groupId, "Cidrs", List.of(E6DATA_A), "Port", "8443"), props(List.of(E6DATA_A)));
        Put oldDeleted = harness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A)));

        assertThat(updated.physicalResourceId()).isEqualTo(groupId + ":tcp:8443");
        assertThat(oldDeleted.status()).isEqualTo("SUCCESS");
        assertThat(inboundRulesOnPort(443)).isEmpty();
        assertThat(inboundRulesOnPort(8443)).extracting(SecurityGroupRule::cidrIpv4).containsExactly(E6DATA_A);
    }

    @Test
    void aRepeatedCreateRequestChangesNothingTheSecondTime() {
        Put first = harness.create(EVENT, props(List.of(E6DATA_A)));
        Put second = harness.create(EVENT, props(List.of(E6DATA_A)));

        assertThat(second.status()).as(second.reason()).isEqualTo("SUCCESS");
        assertThat(second.data()).isEqualTo(first.data());
        assertThat(inboundRulesOnPort(443)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "abc", "2001:db8::/32", "10.0.0.1/16", "0.0.0.0/0"})
    void anInvalidCidrFailsBeforeAnyChangeAndTheRollbackDeleteIsANoOp(String invalid) {
        Set<SecurityGroupRule> before = rules();

        Put created = harness.create(EVENT, props(List.of(E6DATA_A, invalid)));
        Put rollback = harness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A, invalid)));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains("Cidrs").contains(invalid);
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(rollback.status()).isEqualTo("SUCCESS");
        assertThat(rules()).isEqualTo(before);
    }

    @Test
    void anInvalidCidrNamesTheTemplateParameterItCameFrom() {
        Put created = harness.create(EVENT, props(List.of(E6DATA_A, "10.99.0.1/16")));
        Put badGroup = harness.create(EVENT, Map.of("GroupId", "sg-nope", "Cidrs", List.of(E6DATA_A)));
        Put noCidrs = harness.create(EVENT, Map.of("GroupId", groupId, "Cidrs", List.of()));

        assertThat(created.reason()).isEqualTo("E6dataVpcCidrs (property Cidrs) has invalid value '10.99.0.1/16': "
                + "host bits are set (did you mean 10.99.0.0/16).");
        assertThat(badGroup.reason()).isEqualTo("Property GroupId (the security group of the cluster named by ClusterName) has invalid value "
                + "'sg-nope': expected a security group id like sg-0123456789abcdef0.");
        assertThat(noCidrs.reason()).isEqualTo("E6dataVpcCidrs (property Cidrs) has invalid value '[]': at least one item is required.");
    }

    @Test
    void aMissingSecurityGroupFailsWithAReasonNamingGroupId() {
        Put created = harness.create(EVENT, Map.of("GroupId", "sg-0123456789abcdef0", "Cidrs", List.of(E6DATA_A)));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains("sg-0123456789abcdef0").contains("GroupId").contains("does not exist");
    }

    @Test
    void deleteSucceedsWhenTheRulesOrTheGroupAreAlreadyGone() {
        Put created = harness.create(EVENT, props(List.of(E6DATA_A)));
        ec2.revokeSecurityGroupIngress(r -> r.groupId(groupId).securityGroupRuleIds(created.data().get("RuleIds")));

        Put rulesGone = harness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A)));
        Put groupGone = harness.delete(EVENT, "sg-0123456789abcdef0:tcp:443", Map.of("GroupId", "sg-0123456789abcdef0", "Cidrs", List.of(E6DATA_A)));

        assertThat(rulesGone.status()).isEqualTo("SUCCESS");
        assertThat(groupGone.status()).isEqualTo("SUCCESS");
        assertThat(groupGone.physicalResourceId()).isEqualTo("sg-0123456789abcdef0:tcp:443");
    }

    @Test
    void deleteForAnIdCloudFormationMadeUpRevokesOwnedRulesNamedByTheProperties() {
        // A Create whose response was lost: CloudFormation invents an id and later sends Delete with it.
        harness.create(EVENT, props(List.of(E6DATA_A)));
        customerRule(E6DATA_B, 443, "customer");

        Put deleted = harness.delete(EVENT, "e6link-ClusterSecurityGroupIngress-1A2B3C4D5E6F", props(List.of(E6DATA_A, E6DATA_B)));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(inboundRulesOnPort(443)).extracting(SecurityGroupRule::cidrIpv4).containsExactly(E6DATA_B);
    }

    @Test
    void aRuleAddedConcurrentlyIsAdoptedInsteadOfFailingAsADuplicate() {
        Ec2Client racing = Ec2Faults.delegatingMock(ec2);
        doAnswer(invocation -> {
            customerRule(E6DATA_A, 443, "added by a colleague meanwhile");
            throw Ec2Faults.error(400, "InvalidPermission.Duplicate", "the specified rule \"peer: 10.200.0.0/16, TCP, from port: 443, to port: 443, ALLOW\" already exists");
        }).doAnswer(AdditionalAnswers.delegatesTo(ec2)).when(racing).authorizeSecurityGroupIngress(any(AuthorizeSecurityGroupIngressRequest.class));

        try (CustomResourceHarness racingHarness = new CustomResourceHarness(function(racing))) {
            Put created = racingHarness.create(EVENT, props(List.of(E6DATA_A, E6DATA_B)));

            assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
            assertThat(created.data()).containsEntry("AdoptedCidrs", E6DATA_A);
            assertThat(inboundRulesOnPort(443)).hasSize(2);
            verifyCalls(racing, 2, 2);
            verifyNoMoreInteractions(racing);
        }
    }

    @Test
    void rulesThatKeepAppearingAreReadAgainOnTheKitsPollingUntilItsBoundThenFailWithAwsReason() {
        Ec2Client racing = Ec2Faults.delegatingMock(ec2);
        doAnswer(invocation -> {
            throw Ec2Faults.error(400, "InvalidPermission.Duplicate", "the specified rule \"peer: 10.200.0.0/16, TCP, from port: 443, to port: 443, ALLOW\" already exists");
        }).when(racing).authorizeSecurityGroupIngress(any(AuthorizeSecurityGroupIngressRequest.class));
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        List<java.time.Duration> pauses = new java.util.ArrayList<>();
        io.e6link.kit.Polling recorded = new io.e6link.kit.Polling(SecurityGroupIngressRulesResource.RULE_APPEARED, now::get, (deadline, pause) -> {
            pauses.add(pause);
            now.addAndGet(pause.toMillis());
        });
        CustomResourceFunction function = new CustomResourceFunction(SecurityGroupIngressRulesResource.TYPE,
                () -> new SecurityGroupIngressRulesResource(racing, recorded)) { };

        try (CustomResourceHarness racingHarness = new CustomResourceHarness(function)) {
            Put created = racingHarness.create(EVENT, props(List.of(E6DATA_A)));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).contains("InvalidPermission.Duplicate");
            assertThat(pauses).as("pauses of the kit's backoff, up to the 10 s bound").isNotEmpty()
                    .allMatch(pause -> pause.toMillis() <= 2_000);
            assertThat(now.get()).isBetween(1L, 10_000L);
            assertThat(inboundRulesOnPort(443)).isEmpty();
        }
    }

    @Test
    void throttlingThatOutlastsRetriesFailsWithARetryReasonAndChangesNothing(Moto moto) {
        Set<SecurityGroupRule> before = rules();
        moto.strict().injectFault("ec2:AuthorizeSecurityGroupIngress", Fault.THROTTLING, 10);

        try (CustomResourceHarness throttledHarness = new CustomResourceHarness(function(kitClient(moto)))) {
            Put created = throttledHarness.create(EVENT, props(List.of(E6DATA_A)));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).isEqualTo("AWS kept throttling ec2:AuthorizeSecurityGroupIngress on " + groupId
                    + " (RequestLimitExceeded) after retries; retry the stack operation in a few minutes.");
            assertThat(rules()).isEqualTo(before);
        }
    }

    @Test
    void accessDeniedOnRevokeFailsDeleteNamingTheActionAndKeepsTheRule(Moto moto) {
        Put created = harness.create(EVENT, props(List.of(E6DATA_A)));
        moto.strict().injectFault("ec2:RevokeSecurityGroupIngress", Fault.ACCESS_DENIED, 1_000);

        try (CustomResourceHarness deniedHarness = new CustomResourceHarness(function(kitClient(moto)))) {
            Put deleted = deniedHarness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A)));

            assertThat(deleted.status()).isEqualTo("FAILED");
            assertThat(deleted.physicalResourceId()).isEqualTo(created.physicalResourceId());
            assertThat(deleted.reason()).isEqualTo("The function's IAM role was still denied ec2:RevokeSecurityGroupIngress on " + groupId
                    + " (UnauthorizedOperation) after 60 s, longer than IAM takes to apply a policy change; allow it in the role's policy and retry.");
            assertThat(inboundRulesOnPort(443)).hasSize(1);
        }
    }

    /** A client as the function builds it (the kit's factory, which translates AWS failures), on the emulated world. */
    private static Ec2Client kitClient(Moto moto) {
        return new SimulatedIamClock().configure(Ec2Client.builder()).endpointOverride(moto.endpoint()).build();
    }

    @SuppressWarnings("unchecked")
    private static void verifyCalls(Ec2Client client, int reads, int authorizations) {
        verify(client, times(reads)).describeSecurityGroups(any(Consumer.class));
        verify(client, times(reads)).describeSecurityGroupRulesPaginator(any(DescribeSecurityGroupRulesRequest.class));
        verify(client, times(authorizations)).authorizeSecurityGroupIngress(any(AuthorizeSecurityGroupIngressRequest.class));
    }

    // ---- CloudFormation's real lifecycle: made-up ids, failed-Create placeholders, redelivery ----

    @Test
    void deleteWithAMadeUpIdRevokesOnlyThisOwnersRulesAndLeavesAnIdenticalCustomerRuleAndOtherOwnersRules() {
        customerRule(E6DATA_A, 443, "customer rule for e6data");
        String otherOwner = Ownership.ownerValue("arn:aws:cloudformation:us-east-1:123456789012:stack/other/11111111-1111-1111-1111-111111111111",
                "ClusterIngressRules");
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId)
                .ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(i -> i.cidrIp(E6DATA_C).description("other stack")))
                .tagSpecifications(t -> t.resourceType(software.amazon.awssdk.services.ec2.model.ResourceType.SECURITY_GROUP_RULE)
                        .tags(Tag.builder().key(Ownership.TAG_KEY).value(otherOwner).build())));
        Set<SecurityGroupRule> before = rules();
        Put created = harness.create(EVENT, props(List.of(E6DATA_A, E6DATA_B, E6DATA_C)));
        assertThat(created.data()).containsEntry("AdoptedCidrs", E6DATA_A + "," + E6DATA_C);

        Put deleted = harness.delete(EVENT, "e6link-ClusterIngressRules-ABCDEF123456", props(List.of(E6DATA_A, E6DATA_B, E6DATA_C)));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(rules()).isEqualTo(before);
    }

    @Test
    void aCreateThatFailedAfterAuthorizingIsCleanedUpByTheRollbackDelete() {
        customerRule(E6DATA_A, 443, "customer rule for e6data");
        Set<SecurityGroupRule> before = rules();
        // EC2 added the rules but the answer never reached the function (connection reset).
        Ec2Client lossy = Ec2Faults.delegatingMock(ec2);
        doAnswer(invocation -> {
            ec2.authorizeSecurityGroupIngress(invocation.<AuthorizeSecurityGroupIngressRequest>getArgument(0));
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
        }).when(lossy).authorizeSecurityGroupIngress(any(AuthorizeSecurityGroupIngressRequest.class));
        Put created;
        try (CustomResourceHarness lossyHarness = new CustomResourceHarness(function(lossy))) {
            created = lossyHarness.create(EVENT, props(List.of(E6DATA_A, E6DATA_B)));
        }
        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(inboundRulesOnPort(443)).extracting(SecurityGroupRule::cidrIpv4).containsExactlyInAnyOrder(E6DATA_A, E6DATA_B);

        Put rollback = harness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A, E6DATA_B)));

        assertThat(rollback.status()).as(rollback.reason()).isEqualTo("SUCCESS");
        assertThat(rules()).isEqualTo(before);
    }

    @Test
    void aRedeliveredDeleteSucceedsAfterTheRulesAreGone() {
        Set<SecurityGroupRule> before = rules();
        Put created = harness.create(EVENT, props(List.of(E6DATA_A)));

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A)));
        Put again = harness.delete(EVENT, created.physicalResourceId(), props(List.of(E6DATA_A)));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(again.status()).as(again.reason()).isEqualTo("SUCCESS");
        assertThat(rules()).isEqualTo(before);
    }
}
