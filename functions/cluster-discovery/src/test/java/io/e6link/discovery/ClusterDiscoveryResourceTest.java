package io.e6link.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.e6link.kit.CustomResourceFunction;
import io.e6link.testing.CallCounter;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.ResponseRecorder.Put;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ClusterStatus;
import software.amazon.awssdk.services.eks.model.DescribeClusterRequest;
import software.amazon.awssdk.services.eks.model.DescribeClusterResponse;

@ExtendWith(MotoExtension.class)
class ClusterDiscoveryResourceTest {
    private static final String EVENT = "eks-cluster-discovery/create.json";

    private final CallCounter calls = new CallCounter();
    private Ec2Client ec2;
    private EksClient eks;
    private ClusterScenario scenario;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        MotoClients clients = new MotoClients(moto, calls);
        ec2 = clients.ec2();
        eks = clients.eks();
        scenario = new ClusterScenario(ec2, eks);
        harness = new CustomResourceHarness(function(eks, ec2));
        calls.clear();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static CustomResourceFunction function(EksClient eks, Ec2Client ec2) {
        return new CustomResourceFunction(ClusterDiscoveryResource.TYPE, () -> new ClusterDiscoveryResource(eks, ec2)) { };
    }

    @Test
    void createDiscoversTheNetworkWithOnePrivateSubnetPerRemainingZoneInSixCalls() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e")));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo("arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assertThat(created.data())
                .containsEntry("VpcId", scenario.vpcId)
                .containsEntry("VpcCidr", "10.0.0.0/16")
                .containsEntry("ClusterSecurityGroupId", scenario.securityGroupId)
                .containsEntry("EndpointPrivateAccess", "true")
                // us-east-1a: the lower id of its two private subnets; us-east-1b: the main-table subnet;
                // us-east-1c is public only; us-east-1e is excluded.
                .containsEntry("SubnetIds", ClusterScenario.lower(scenario.privateA1, scenario.privateA2) + "," + scenario.mainTableB)
                .containsEntry("AvailabilityZones", "us-east-1a,us-east-1b")
                // Only the two "Amazon EKS prod" ENIs in cluster subnets: not prod-2, not the node subnet, not the other VPC.
                .containsEntry("EniIps", String.join(",", scenario.eniIps));
        assertThat(created.data().get("RouteTableIds").split(","))
                .containsExactlyInAnyOrder(scenario.privateTableA, scenario.mainTable, scenario.privateTableE);
        assertThat(created.data().get("OidcIssuerUrl")).startsWith("https://oidc.eks.us-east-1.amazonaws.com/id/");
        assertThat(calls.calls()).containsExactly("eks:DescribeCluster", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                "ec2:DescribeRouteTables", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups");
    }

    @Test
    void callBudgetDoesNotGrowWithTheNumberOfSubnets() {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(scenario.subnet("10.0." + (100 + i) + ".0/24", "us-east-1" + "abcdf".charAt(i % 5)));
        }
        eks.createCluster(r -> r.name("wide").roleArn("arn:aws:iam::123456789012:role/eks").resourcesVpcConfig(v -> v.subnetIds(many)));
        for (String subnet : many) {
            scenario.eni(subnet, "Amazon EKS wide");
        }
        scenario.ec2.createSecurityGroup(r -> r.groupName("eks-cluster-sg-wide-1").description("x").vpcId(scenario.vpcId)
                .tagSpecifications(ClusterScenario.tags(software.amazon.awssdk.services.ec2.model.ResourceType.SECURITY_GROUP,
                        "aws:eks:cluster-name", "wide")));
        calls.clear();

        Put created = harness.create(EVENT, Map.of("ClusterName", "wide", "ExcludedAvailabilityZones", List.of()));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.data().get("EniIps").split(",")).hasSize(12);
        assertThat(created.data().get("AvailabilityZones")).isEqualTo("us-east-1a,us-east-1b,us-east-1c,us-east-1d,us-east-1f");
        assertThat(calls.count()).isEqualTo(6);
    }

    @Test
    void excludedZonesMatchByZoneIdAndUpdateRediscovers() {
        String zoneIdOfA = ec2.describeSubnets(r -> r.subnetIds(scenario.privateA1)).subnets().get(0).availabilityZoneId();
        harness.create(EVENT, Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e")));

        Put updated = harness.update(EVENT, "arn:aws:eks:us-east-1:123456789012:cluster/prod",
                Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", zoneIdOfA.toUpperCase() + ", us-east-1e"),
                Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e")));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo("arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assertThat(updated.data()).containsEntry("SubnetIds", scenario.mainTableB).containsEntry("AvailabilityZones", "us-east-1b");
        // Route tables serve the S3 endpoint for every private subnet, excluded zones included.
        assertThat(updated.data().get("RouteTableIds").split(",")).hasSize(3);
    }

    @Test
    void aSubnetWithoutRoomForTheLoadBalancerIsPassedOverInItsZone() {
        String roomy = scenario.subnet("10.0.20.0/24", "us-east-1d");
        String crowded = scenario.subnet("10.0.21.0/28", "us-east-1d");
        for (int i = 0; i < 5; i++) {
            scenario.eni(crowded, "node " + i);
        }
        eks.createCluster(r -> r.name("small").roleArn("arn:aws:iam::123456789012:role/eks").resourcesVpcConfig(v -> v.subnetIds(crowded, roomy)));
        scenario.eni(roomy, "Amazon EKS small");
        scenario.ec2.createSecurityGroup(r -> r.groupName("eks-cluster-sg-small-1").description("x").vpcId(scenario.vpcId)
                .tagSpecifications(ClusterScenario.tags(software.amazon.awssdk.services.ec2.model.ResourceType.SECURITY_GROUP,
                        "aws:eks:cluster-name", "small")));

        Put created = harness.create(EVENT, Map.of("ClusterName", "small"));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("SubnetIds", roomy);
    }

    @Test
    void noPrivateSubnetLeftFailsListingTheZonesSeenAndExcluded() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "prod",
                "ExcludedAvailabilityZones", List.of("us-east-1a", "us-east-1b", "use1-az3")));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason())
                .startsWith("No private subnet of EKS cluster 'prod' is left for the NLB")
                .contains("only public subnets in us-east-1c")
                .contains("excluded by ExcludedAvailabilityZones=us-east-1a,us-east-1b,use1-az3")
                .contains("us-east-1e (use1-az3)")
                .contains("Remove a zone from ExcludedAvailabilityZones");
    }

    @Test
    void malformedZoneListFailsNamingTheProperty() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", "us-east-1e us-east-1f"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains("ExcludedAvailabilityZones").contains("'us-east-1e us-east-1f' is neither");
        assertThat(calls.count()).isZero();
    }

    @Test
    void missingClusterFailsWithItsNameAndRegion() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "staging"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("EKS cluster 'staging' was not found in region us-east-1; "
                + "check the ClusterName parameter and deploy the stack in the cluster's region.");
    }

    @Test
    void clusterWithoutControlPlaneEnisFails() {
        eks.createCluster(r -> r.name("empty").roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(scenario.privateA1)));

        Put created = harness.create(EVENT, Map.of("ClusterName", "empty"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("No control-plane network interfaces described 'Amazon EKS empty' were found");
    }

    @Test
    void clusterThatIsNotActiveFailsWithItsState() {
        // moto creates clusters ACTIVE at once: Mockito stands in for EKS.
        EksClient creating = mock(EksClient.class);
        when(creating.describeCluster(any(DescribeClusterRequest.class))).thenReturn(DescribeClusterResponse.builder()
                .cluster(Cluster.builder().name("prod").status(ClusterStatus.CREATING).build()).build());
        try (CustomResourceHarness mocked = new CustomResourceHarness(function(creating, ec2))) {
            Put created = mocked.create(EVENT, Map.of("ClusterName", "prod"));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).isEqualTo("EKS cluster 'prod' is CREATING, not ACTIVE; wait until it is ACTIVE, then retry the stack operation.");
        }
        verify(creating).describeCluster(any(DescribeClusterRequest.class));
        verifyNoMoreInteractions(creating);
        assertThat(calls.count()).isZero();
    }

    @Test
    void reportedClusterSecurityGroupAndVpcArePreferredOverTheTaggedGroup() {
        // Real clusters report clusterSecurityGroupId and vpcId; moto's do not, so Mockito stands in for EKS.
        EksClient real = mock(EksClient.class);
        when(real.describeCluster(any(DescribeClusterRequest.class))).thenReturn(DescribeClusterResponse.builder()
                .cluster(Cluster.builder().name("prod").arn("arn:aws:eks:us-east-1:123456789012:cluster/prod").status(ClusterStatus.ACTIVE)
                        .resourcesVpcConfig(v -> v.vpcId(scenario.vpcId).subnetIds(scenario.clusterSubnets)
                                .clusterSecurityGroupId("sg-0123456789abcdef0").endpointPrivateAccess(false))
                        .identity(i -> i.oidc(o -> o.issuer("https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE")))
                        .build()).build());
        try (CustomResourceHarness mocked = new CustomResourceHarness(function(real, ec2))) {
            Put created = mocked.create(EVENT, Map.of("ClusterName", "prod"));

            assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
            assertThat(created.data())
                    .containsEntry("ClusterSecurityGroupId", "sg-0123456789abcdef0")
                    .containsEntry("EndpointPrivateAccess", "false")
                    .containsEntry("OidcIssuerUrl", "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE")
                    .containsEntry("EniIps", String.join(",", scenario.eniIps));
        }
        verify(real).describeCluster(any(DescribeClusterRequest.class));
        verifyNoMoreInteractions(real);
        assertThat(calls.calls()).doesNotContain("ec2:DescribeSecurityGroups").hasSize(4);
    }

    @Test
    void deleteReadsNothingAndSucceedsEvenWhenTheClusterIsGone() {
        Put deleted = harness.delete(EVENT, "arn:aws:eks:us-east-1:123456789012:cluster/deleted-long-ago", Map.of("ClusterName", "deleted-long-ago"));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo("arn:aws:eks:us-east-1:123456789012:cluster/deleted-long-ago");
        assertThat(calls.count()).isZero();
    }
}
