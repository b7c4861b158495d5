package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import io.e6link.kit.CustomResourceFunction;
import io.e6link.testing.CallCounter;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.ResponseRecorder.Put;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.AdditionalAnswers;
import org.mockito.MockMakers;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class EksEniTargetsResourceTest {
    private static final String EVENT = "eks-eni-targets/create.json";

    private final CallCounter calls = new CallCounter();
    private EksClient eks;
    private MotoClients counted;
    private TargetScenario scenario;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        // The scenario reads and writes moto with uncounted clients; only the function's calls are counted.
        MotoClients plain = new MotoClients(moto);
        MotoClients clients = new MotoClients(moto, calls);
        counted = clients;
        eks = plain.eks();
        scenario = new TargetScenario(plain.ec2(), eks, plain.elb());
        ServiceClients service = new ServiceClients(clients.eks(), clients.ec2(), clients.elb());
        harness = new CustomResourceHarness(new CustomResourceFunction(EksEniTargetsResource.TYPE, () -> new EksEniTargetsResource(service)) { });
        calls.clear();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private Map<String, Object> properties(String cluster, int port) {
        return Map.of("ClusterName", cluster, "TargetGroupArn", scenario.targetGroupArn, "Port", String.valueOf(port));
    }

    @Test
    void createRegistersOnlyTheClusterControlPlaneIpsInThreeCalls() {
        Put created = harness.create(EVENT, properties("prod", 443));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo(scenario.targetGroupArn + "|443");
        assertThat(created.data()).containsEntry("RegisteredIps", String.join(",", scenario.currentIps()));
        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));
        assertThat(calls.calls()).containsExactly("eks:DescribeCluster", "ec2:DescribeNetworkInterfaces", "elasticloadbalancing:RegisterTargets");
    }

    @Test
    void aRepeatedCreateDeliveryLeavesTheSameTargets() {
        Put first = harness.create(EVENT, properties("prod", 443));
        Put second = harness.create(EVENT, properties("prod", 443));

        assertThat(second.status()).isEqualTo("SUCCESS");
        assertThat(second.physicalResourceId()).isEqualTo(first.physicalResourceId());
        assertThat(scenario.registered()).hasSize(2);
    }

    @Test
    void deleteDeregistersEveryTargetOnItsPortAndLeavesOtherPortsAlone() {
        Put created = harness.create(EVENT, properties("prod", 443));
        String foreign = scenario.eniIps.get(0);
        scenario.elb.registerTargets(r -> r.targetGroupArn(scenario.targetGroupArn).targets(TargetDescription.builder().id(foreign).port(8443).build()));
        calls.clear();

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), properties("prod", 443));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(scenario.registered()).containsExactly(foreign + ":8443");
        assertThat(calls.calls()).containsExactly("elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DeregisterTargets");
    }

    @Test
    void deleteSucceedsWhenTheTargetGroupIsAlreadyGone() {
        Put created = harness.create(EVENT, properties("prod", 443));
        scenario.elb.deleteTargetGroup(r -> r.targetGroupArn(scenario.targetGroupArn));

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), properties("prod", 443));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo(created.physicalResourceId());
    }

    @Test
    void updateToAnotherPortReturnsANewIdAndDeletingTheOldIdClearsTheOldPort() {
        Put created = harness.create(EVENT, properties("prod", 443));

        Put updated = harness.update(EVENT, created.physicalResourceId(), properties("prod", 6443), properties("prod", 443));
        Put oldDeleted = harness.delete(EVENT, created.physicalResourceId(), properties("prod", 443));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(scenario.targetGroupArn + "|6443");
        assertThat(oldDeleted.status()).isEqualTo("SUCCESS");
        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 6443));
    }

    @Test
    void updateToAnotherClusterKeepsTheIdAndDropsThePreviousClustersTargets() {
        harness.create(EVENT, properties("prod", 443));
        eks.createCluster(r -> r.name("blue").roleArn("arn:aws:iam::123456789012:role/eks").resourcesVpcConfig(v -> v.subnetIds(scenario.subnetC)));
        String blueIp = scenario.ec2.createNetworkInterface(r -> r.subnetId(scenario.subnetC).description("Amazon EKS blue"))
                .networkInterface().privateIpAddress();

        Put updated = harness.update(EVENT, scenario.targetGroupArn + "|443", properties("blue", 443), properties("prod", 443));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(scenario.targetGroupArn + "|443");
        assertThat(updated.data()).containsEntry("RegisteredIps", blueIp);
        assertThat(scenario.registered()).containsExactly(blueIp + ":443");
    }

    @Test
    void createFailsWhenTheClusterHasNoControlPlaneEnis() {
        eks.createCluster(r -> r.name("empty").roleArn("arn:aws:iam::123456789012:role/eks").resourcesVpcConfig(v -> v.subnetIds(scenario.subnetC)));

        Put created = harness.create(EVENT, properties("empty", 443));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("No control-plane network interfaces described 'Amazon EKS empty' were found");
        assertThat(scenario.registered()).isEmpty();
    }

    @Test
    void createIntoAMissingTargetGroupFailsNamingIt() {
        String missing = scenario.targetGroupArn.replace("e6link-eks-api", "deleted-group");

        Put created = harness.create(EVENT, Map.of("ClusterName", "prod", "TargetGroupArn", missing));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("Target group " + missing + " does not exist");
    }

    @Test
    void invalidPropertiesFailNamingThePropertyBeforeAnyCall() {
        Put badPort = harness.create(EVENT, properties("prod", 70000));
        Put badArn = harness.create(EVENT, Map.of("ClusterName", "prod", "TargetGroupArn", "e6link-eks-api"));

        assertThat(badPort.reason()).startsWith("Property Port has invalid value '70000'");
        assertThat(badArn.reason()).startsWith("Property TargetGroupArn has invalid value 'e6link-eks-api'");
        Put badCluster = harness.create(EVENT, Map.of("ClusterName", "prod cluster", "TargetGroupArn", scenario.targetGroupArn));
        assertThat(badCluster.reason()).startsWith("ClusterName has invalid value 'prod cluster': ");
        assertThat(calls.count()).isZero();
        assertThat(new TreeSet<>(List.of(badPort.status(), badArn.status(), badCluster.status()))).isEqualTo(Set.of("FAILED"));
    }

    // ---- CloudFormation's real lifecycle: made-up ids, failed-Create placeholders, redelivery ----

    @Test
    void deleteWithAnIdCloudFormationMadeUpDeregistersTheTargetsOnThePortNamedByTheProperties() {
        harness.create(EVENT, properties("prod", 443));
        String foreign = scenario.eniIps.get(0);
        scenario.elb.registerTargets(r -> r.targetGroupArn(scenario.targetGroupArn).targets(TargetDescription.builder().id(foreign).port(8443).build()));
        calls.clear();

        Put deleted = harness.delete(EVENT, "e6link-EniTargets-ABCDEF123456", properties("prod", 443));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo("e6link-EniTargets-ABCDEF123456");
        assertThat(scenario.registered()).containsExactly(foreign + ":8443");
        assertThat(calls.calls()).containsExactly("elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DeregisterTargets");
    }

    @Test
    void aCreateWhoseRegistrationAnswerWasLostIsCleanedUpByTheRollbackDelete() {
        // ELB registered the targets but the answer never reached the function (connection reset).
        ElasticLoadBalancingV2Client lossy = mock(ElasticLoadBalancingV2Client.class,
                withSettings().mockMaker(MockMakers.SUBCLASS).defaultAnswer(AdditionalAnswers.delegatesTo(counted.elb())));
        doAnswer(call -> {
            scenario.elb.registerTargets(call.<RegisterTargetsRequest>getArgument(0));
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
        }).when(lossy).registerTargets(any(RegisterTargetsRequest.class));
        ServiceClients lossyClients = new ServiceClients(counted.eks(), counted.ec2(), lossy);
        Put created;
        try (CustomResourceHarness lossyHarness = new CustomResourceHarness(
                new CustomResourceFunction(EksEniTargetsResource.TYPE, () -> new EksEniTargetsResource(lossyClients)) { })) {
            created = lossyHarness.create(EVENT, properties("prod", 443));
        }
        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));

        Put rollback = harness.delete(EVENT, created.physicalResourceId(), properties("prod", 443));

        assertThat(rollback.status()).as(rollback.reason()).isEqualTo("SUCCESS");
        assertThat(scenario.registered()).isEmpty();
    }

    @Test
    void aRedeliveredDeleteSucceedsWhenNothingIsLeftToDeregister() {
        Put created = harness.create(EVENT, properties("prod", 443));

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), properties("prod", 443));
        calls.clear();
        Put again = harness.delete(EVENT, created.physicalResourceId(), properties("prod", 443));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(again.status()).as(again.reason()).isEqualTo("SUCCESS");
        assertThat(scenario.registered()).isEmpty();
        assertThat(calls.calls()).containsExactly("elasticloadbalancing:DescribeTargetHealth");
    }
}
