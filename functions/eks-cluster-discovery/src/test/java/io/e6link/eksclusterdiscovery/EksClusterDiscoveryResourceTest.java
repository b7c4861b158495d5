package io.e6link.eksclusterdiscovery;

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
import io.e6link.testing.TestTiers;
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
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import io.e6link.testing.Events;

@org.junit.jupiter.api.Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class EksClusterDiscoveryResourceTest {
    private static final String EVENT = "eks-cluster-discovery/create.json";

    private final CallCounter calls = new CallCounter();
    private Ec2Client ec2;
    private EksClient eks;
    private ElasticLoadBalancingV2Client elb;
    private ClusterScenario scenario;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        MotoClients clients = new MotoClients(moto, calls);
        ec2 = clients.ec2();
        eks = clients.eks();
        elb = clients.elb();
        scenario = new ClusterScenario(ec2, eks);
        harness = new CustomResourceHarness(function(eks, ec2, elb));
        calls.clear();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static CustomResourceFunction function(EksClient eks, Ec2Client ec2, ElasticLoadBalancingV2Client elb) {
        return new CustomResourceFunction(EksClusterDiscoveryResource.TYPE, () -> new EksClusterDiscoveryResource(eks, ec2, elb)) { };
    }

    @Test
    void createDiscoversTheNetworkWithOnePrivateSubnetPerRemainingZoneInSixCalls() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e")));
        List<String> made = calls.calls();

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo("arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assertThat(created.data())
                .containsEntry("VpcId", scenario.vpcId)
                .containsEntry("VpcCidr", "10.0.0.0/16")
                .containsEntry("VpcOwnerId", MotoClients.ACCOUNT_ID)
                .containsEntry("ClusterSecurityGroupId", scenario.securityGroupId)
                .containsEntry("EndpointPrivateAccess", "true")
                // us-east-1a: the lower id of its two private subnets; us-east-1b: the main-table subnet;
                // us-east-1c is public only; us-east-1e is excluded.
                .containsEntry("SubnetIds", ClusterScenario.lower(scenario.privateA1, scenario.privateA2) + "," + scenario.mainTableB)
                .containsEntry("AvailabilityZones", "us-east-1a,us-east-1b")
                // AZ ids as EC2 reports them on the subnets, in the order of AvailabilityZones.
                .containsEntry("AvailabilityZoneIds", zoneId(scenario.privateA1) + "," + zoneId(scenario.mainTableB))
                // Only the two "Amazon EKS prod" ENIs in cluster subnets: not prod-2, not the node subnet, not the other VPC.
                .containsEntry("EniIps", String.join(",", scenario.eniIps));
        assertThat(created.data().get("RouteTableIds").split(","))
                .containsExactlyInAnyOrder(scenario.privateTableA, scenario.mainTable, scenario.privateTableE);
        assertThat(created.data().get("OidcIssuerUrl")).startsWith("https://oidc.eks.us-east-1.amazonaws.com/id/");
        // Create looks for no load balancer: the stack's NLB does not exist yet.
        assertThat(made).containsExactly("eks:DescribeCluster", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                "ec2:DescribeRouteTables", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups");
        // DescribeCluster's endpoint without https:// and path: the name in the API server's certificate (handed to e6data).
        assertThat(created.data().get("ApiServerEndpointHostname"))
                .isEqualTo(eks.describeCluster(b -> b.name("prod")).cluster().endpoint().replaceFirst("^https://", "").replaceFirst("/$", "").toLowerCase())
                .matches("[a-z0-9]+\\.[a-z0-9]+\\.us-east-1\\.eks\\.amazonaws\\.com");
    }

    @Test
    void namedClusterIsReportedUnderItsNameWithoutListingClusters() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "prod"));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("ClusterName", "prod");
        assertThat(calls.calls()).doesNotContain("eks:ListClusters");
    }

    @Test
    void emptyClusterNameDiscoversTheRegionsOnlyCluster() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "", "ExcludedAvailabilityZones", List.of("us-east-1e")));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo("arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assertThat(created.data()).containsEntry("ClusterName", "prod").containsEntry("VpcId", scenario.vpcId)
                .containsEntry("EniIps", String.join(",", scenario.eniIps));
        assertThat(calls.calls()).startsWith("eks:ListClusters", "eks:DescribeCluster").hasSize(7);
    }

    @Test
    void emptyClusterNameWithSeveralClustersFailsListingThemAndChangesNothing() {
        eks.createCluster(r -> r.name("staging").roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(scenario.privateA1)));
        calls.clear();

        Put created = harness.create(EVENT, Map.of("ClusterName", ""));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("ClusterName is empty, so the stack looks for the only EKS cluster in region us-east-1, "
                + "but there are 2 (prod, staging); set ClusterName to the cluster e6data's compute runs in.");
        assertThat(calls.calls()).containsExactly("eks:ListClusters");
    }

    @Test
    void emptyClusterNameWithNoClusterInTheRegionFails() {
        eks.deleteCluster(r -> r.name("prod"));
        calls.clear();

        Put created = harness.create(EVENT, Map.of("ClusterName", ""));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("ClusterName is empty, so the stack looks for the only EKS cluster in region us-east-1, "
                + "but there is none; deploy the stack in the cluster's account and region, or set ClusterName.");
    }

    @Test
    void updateWithEmptyClusterNameKeepsTheDiscoveredClusterWhenASecondClusterAppears() {
        Put created = harness.create(EVENT, Map.of("ClusterName", ""));
        eks.createCluster(r -> r.name("staging").roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(scenario.privateA1)));

        Put updated = harness.update(EVENT, created.physicalResourceId(), Map.of("ClusterName", ""), Map.of("ClusterName", ""));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(created.physicalResourceId());
        assertThat(updated.data()).containsEntry("ClusterName", "prod");
    }

    @Test
    void invalidClusterNameFailsNamingTheParameterBeforeAnyCall() {
        Put created = harness.create(EVENT, Map.of("ClusterName", "prod cluster"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("ClusterName").contains("prod cluster");
        assertThat(calls.count()).isZero();
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
        calls.clear();

        // No load balancer of this stack exists (yet), so the Create rule decides.
        Put updated = harness.update(EVENT, "arn:aws:eks:us-east-1:123456789012:cluster/prod",
                Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", zoneIdOfA.toUpperCase() + ", us-east-1e"),
                Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e")));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo("arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assertThat(updated.data()).containsEntry("SubnetIds", scenario.mainTableB).containsEntry("AvailabilityZones", "us-east-1b");
        // No network load balancer in the VPC: DescribeTags is not needed.
        assertThat(calls.calls()).contains("elasticloadbalancing:DescribeLoadBalancers").doesNotContain("elasticloadbalancing:DescribeTags");
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
        assertThat(created.reason()).startsWith("ExcludedAvailabilityZones has invalid value").contains("'us-east-1e us-east-1f' is neither");
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
        try (CustomResourceHarness mocked = new CustomResourceHarness(function(creating, ec2, elb))) {
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
        try (CustomResourceHarness mocked = new CustomResourceHarness(function(real, ec2, elb))) {
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

    // ---- An existing NLB keeps its subnets (ELB cannot swap a subnet within a zone) -----------------

    @Test
    void updateKeepsTheLoadBalancersSubnetAfterItFilledUpBelowTheCreateRule() {
        String first = scenario.subnet("10.0.30.0/28", "us-east-1d");
        String second = scenario.subnet("10.0.31.0/28", "us-east-1d");
        eks.createCluster(r -> r.name("tight").roleArn("arn:aws:iam::123456789012:role/eks").resourcesVpcConfig(v -> v.subnetIds(first, second)));
        scenario.eni(second, "Amazon EKS tight");
        scenario.ec2.createSecurityGroup(r -> r.groupName("eks-cluster-sg-tight-1").description("x").vpcId(scenario.vpcId)
                .tagSpecifications(ClusterScenario.tags(software.amazon.awssdk.services.ec2.model.ResourceType.SECURITY_GROUP,
                        "aws:eks:cluster-name", "tight")));
        Put created = harness.create(EVENT, Map.of("ClusterName", "tight"));
        String chosen = ClusterScenario.lower(first, second);
        assertThat(created.data()).containsEntry("SubnetIds", chosen);
        String nlbArn = stackLoadBalancer("tight-nlb", List.of(chosen));
        // Node ENIs fill the NLB's subnet below 8 free addresses: the Create rule would now pick the other subnet.
        while (freeAddresses(chosen) >= SubnetTopology.NLB_MIN_FREE_ADDRESSES) {
            scenario.eni(chosen, "node");
        }
        calls.clear();

        Put updated = harness.update(EVENT, created.physicalResourceId(), Map.of("ClusterName", "tight"), Map.of("ClusterName", "tight"));
        List<String> made = calls.calls();

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.data()).containsEntry("SubnetIds", chosen).containsEntry("AvailabilityZones", "us-east-1d");
        assertThat(updated.data().get("SubnetIds")).isEqualTo(String.join(",", loadBalancerSubnets(nlbArn)));
        assertThat(made).containsExactly("eks:DescribeCluster", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeRouteTables",
                "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTags",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups");
    }

    @Test
    void updateAddsAZoneTheLoadBalancerDoesNotCoverAndFindsItByTheStacksTags() {
        Map<String, Object> withoutB = Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e", "us-east-1b"));
        Put created = harness.create(EVENT, withoutB);
        String a = ClusterScenario.lower(scenario.privateA1, scenario.privateA2);
        String otherA = a.equals(scenario.privateA1) ? scenario.privateA2 : scenario.privateA1;
        assertThat(created.data()).containsEntry("SubnetIds", a);
        String nlbArn = stackLoadBalancer("prod-nlb", List.of(a));
        // Look-alikes that must not be taken for the stack's NLB: another stack's LoadBalancer, another
        // resource of this stack, and this stack's LoadBalancer tags on a load balancer in another VPC.
        loadBalancer("other-stack-nlb", List.of(otherA, scenario.mainTableB),
                "arn:aws:cloudformation:us-east-1:123456789012:stack/other/11111111-2222-3333-4444-555555555555", "LoadBalancer");
        loadBalancer("same-stack-other-nlb", List.of(otherA), stackId(), "OtherLoadBalancer");
        String elsewhereVpc = ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String elsewhere = ec2.createSubnet(r -> r.vpcId(elsewhereVpc).cidrBlock("10.9.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        loadBalancer("elsewhere-nlb", List.of(elsewhere), stackId(), "LoadBalancer");
        calls.clear();

        Put updated = harness.update(EVENT, created.physicalResourceId(),
                Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e")), withoutB);
        List<String> made = calls.calls();

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.data())
                .containsEntry("SubnetIds", a + "," + scenario.mainTableB)
                .containsEntry("AvailabilityZones", "us-east-1a,us-east-1b")
                .containsEntry("AvailabilityZoneIds", zoneId(a) + "," + zoneId(scenario.mainTableB));
        assertThat(loadBalancerSubnets(nlbArn)).containsExactly(a);
        assertThat(made).containsOnlyOnce("elasticloadbalancing:DescribeTags").hasSize(8);
    }

    @Test
    void updateKeepsALoadBalancerSubnetThatIsNoLongerAClusterSubnetWithOneMoreDescribeSubnets() {
        String a = ClusterScenario.lower(scenario.privateA1, scenario.privateA2);
        String formerClusterSubnet = scenario.subnet("10.0.40.0/24", "us-east-1d");
        Put created = harness.create(EVENT, Map.of("ClusterName", "prod"));
        stackLoadBalancer("prod-nlb", List.of(a, formerClusterSubnet));
        calls.clear();

        Put updated = harness.update(EVENT, created.physicalResourceId(), Map.of("ClusterName", "prod"), Map.of("ClusterName", "prod"));
        List<String> made = calls.calls();

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        // us-east-1e is excluded by the event file's default; us-east-1d stays, read from EC2 for its zone id.
        assertThat(updated.data())
                .containsEntry("SubnetIds", a + "," + scenario.mainTableB + "," + formerClusterSubnet)
                .containsEntry("AvailabilityZones", "us-east-1a,us-east-1b,us-east-1d")
                .containsEntry("AvailabilityZoneIds", zoneId(a) + "," + zoneId(scenario.mainTableB) + "," + zoneId(formerClusterSubnet));
        assertThat(made).filteredOn("ec2:DescribeSubnets"::equals).hasSize(2);
        assertThat(made).hasSize(9);
    }

    @Test
    void updateWhoseExclusionsHitAZoneTheLoadBalancerUsesFailsNamingTheZoneAndChangesNothing() {
        Map<String, Object> before = Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e"));
        Put created = harness.create(EVENT, before);
        String a = ClusterScenario.lower(scenario.privateA1, scenario.privateA2);
        String nlbArn = stackLoadBalancer("prod-nlb", List.of(a, scenario.mainTableB));
        String zoneIdOfB = zoneId(scenario.mainTableB);
        calls.clear();

        Put updated = harness.update(EVENT, created.physicalResourceId(),
                Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e", zoneIdOfB)), before);
        List<String> made = calls.calls();

        assertThat(updated.status()).isEqualTo("FAILED");
        assertThat(updated.reason()).isEqualTo("ExcludedAvailabilityZones=us-east-1e," + zoneIdOfB + " excludes us-east-1b (" + zoneIdOfB
                + "), where the stack's Network Load Balancer already has subnet " + scenario.mainTableB
                + "; ELB cannot remove a subnet from a Network Load Balancer that has endpoint connections and this stack never drops"
                + " an NLB subnet, so remove us-east-1b (" + zoneIdOfB + ") from ExcludedAvailabilityZones,"
                + " or delete and recreate the stack to move the NLB.");
        assertThat(loadBalancerSubnets(nlbArn)).containsExactly(a, scenario.mainTableB);
        assertThat(made).isNotEmpty().allMatch(call -> call.contains(":Describe"));

        // CloudFormation's rollback sends the old exclusions again: they succeed with the NLB's subnets.
        Put rolledBack = harness.update(EVENT, created.physicalResourceId(), before,
                Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e", zoneIdOfB)));
        assertThat(rolledBack.status()).as(rolledBack.reason()).isEqualTo("SUCCESS");
        assertThat(rolledBack.data()).containsEntry("SubnetIds", a + "," + scenario.mainTableB);
    }

    private String stackId() {
        return (String) Events.load(EVENT).get("StackId");
    }

    /** A network load balancer as CloudFormation creates the template's LoadBalancer: with its two stack tags. */
    private String stackLoadBalancer(String name, List<String> subnets) {
        return loadBalancer(name, subnets, stackId(), "LoadBalancer");
    }

    private String loadBalancer(String name, List<String> subnets, String stackId, String logicalId) {
        return elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL)
                .subnets(subnets).tags(Tag.builder().key("aws:cloudformation:stack-id").value(stackId).build(),
                        Tag.builder().key("aws:cloudformation:logical-id").value(logicalId).build()))
                .loadBalancers().get(0).loadBalancerArn();
    }

    private List<String> loadBalancerSubnets(String arn) {
        return elb.describeLoadBalancers(r -> r.loadBalancerArns(arn)).loadBalancers().get(0).availabilityZones().stream()
                .sorted(java.util.Comparator.comparing(AvailabilityZone::zoneName)).map(AvailabilityZone::subnetId).toList();
    }

    private String zoneId(String subnetId) {
        return ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).availabilityZoneId();
    }

    private int freeAddresses(String subnetId) {
        return ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).availableIpAddressCount();
    }

    /**
     * A VPC shared by a network account (AWS RAM): this account sees the VPC and its subnets with the
     * owner's account, and none of the owner's route tables (docs/aws-rules.md rule 13). Discovery
     * reports the owner, passes no route table on, and places the internal NLB in the cluster's subnets
     * as they are, because whether a subnet is public cannot be read here.
     */
    @Test
    void inAVpcSharedByAnotherAccountDiscoveryNamesTheOwnerAndPassesNoRouteTables(Moto moto) {
        moto.strict().shareVpc(scenario.vpcId, "111122223333");
        MotoClients participant = new MotoClients(moto).as("DiscoveryFunction");
        try (CustomResourceHarness shared = new CustomResourceHarness(function(participant.eks(), participant.ec2(), participant.elb()))) {
            Put created = shared.create(EVENT, Map.of("ClusterName", "prod", "ExcludedAvailabilityZones", List.of("us-east-1e")));

            assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
            assertThat(created.data()).containsEntry("VpcId", scenario.vpcId).containsEntry("VpcOwnerId", "111122223333")
                    .containsEntry("RouteTableIds", "")
                    .containsEntry("AvailabilityZones", "us-east-1a,us-east-1b,us-east-1c");
        }
    }
}
