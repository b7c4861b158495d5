package io.e6link.eksclusterdiscovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/** The packaged zip plus the kit layer, run by the Lambda runtime interface client against moto. */
@ExtendWith(MotoExtension.class)
class EksClusterDiscoveryFunctionIT {

    @Test
    void packagedFunctionDiscoversTheClusterAndKeepsTheNlbSubnetsOnUpdateWithReadOnlyCallsAsLambdaRunsIt(Moto moto) throws IOException {
        MotoClients clients = new MotoClients(moto);
        ClusterScenario scenario = new ClusterScenario(clients.ec2(), clients.eks());
        Path apiCalls = Files.createTempFile("discovery-calls", ".log");
        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("DiscoveryFunction").endpoint(moto).recordApiCallsTo(apiCalls).start()) {
            PackagedFunction.Invocation create = function.invoke(Events.json(Events.prepare("eks-cluster-discovery/create.json", recorder.newUrl(), Map.of())));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.data())
                    .containsEntry("VpcId", scenario.vpcId)
                    .containsEntry("ClusterSecurityGroupId", scenario.securityGroupId)
                    .containsEntry("SubnetIds", ClusterScenario.lower(scenario.privateA1, scenario.privateA2) + "," + scenario.mainTableB)
                    .containsEntry("EniIps", String.join(",", scenario.eniIps));

            // What the function's IAM policy must allow, and nothing more: Create's calls here, Update's below.
            assertThat(Files.readAllLines(apiCalls)).containsExactly("eks:DescribeCluster", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                    "ec2:DescribeRouteTables", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups");

            // Update once the stack's NLB exists (CloudFormation's two tags): its subnets come back unchanged.
            String subnetIds = created.data().get("SubnetIds");
            clients.elb().createLoadBalancer(r -> r.name("e6link-nlb").type(LoadBalancerTypeEnum.NETWORK)
                    .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(List.of(subnetIds.split(",")))
                    .tags(Tag.builder().key("aws:cloudformation:stack-id").value((String) Events.load("eks-cluster-discovery/update.json").get("StackId")).build(),
                            Tag.builder().key("aws:cloudformation:logical-id").value("LoadBalancer").build()))
                    .loadBalancers();
            Files.writeString(apiCalls, "");
            Map<String, Object> updateEvent = Events.prepare("eks-cluster-discovery/update.json", recorder.newUrl(), Map.of());
            updateEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(updateEvent));
            ResponseRecorder.Put updated = recorder.await(Duration.ofSeconds(5));
            assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
            assertThat(updated.data()).containsEntry("SubnetIds", subnetIds)
                    .containsEntry("AvailabilityZoneIds", created.data().get("AvailabilityZoneIds"));
            assertThat(Files.readAllLines(apiCalls)).containsExactly("eks:DescribeCluster", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                    "ec2:DescribeRouteTables", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTags",
                    "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups");

            Map<String, Object> deleteEvent = Events.prepare("eks-cluster-discovery/delete.json", recorder.newUrl(), Map.of());
            deleteEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(deleteEvent));
            assertThat(recorder.await(Duration.ofSeconds(5)).status()).isEqualTo("SUCCESS");
            assertThat(function.logs()).contains("\"message\":\"Discovered EKS cluster network\"").doesNotContain("X-Amz-Signature");
        }
    }

    @Test
    void aZoneWhoseOnlyClusterSubnetIsPublicGetsAnotherSubnetOfTheVpcForItsControlPlaneEni(Moto moto) throws IOException {
        MotoClients clients = new MotoClients(moto);
        ClusterScenario scenario = new ClusterScenario(clients.ec2(), clients.eks());
        // EKS moved a control-plane ENI into us-east-1c, where the cluster's only subnet is public.
        scenario.eniIps.add(scenario.eni(scenario.publicC, "Amazon EKS " + ClusterScenario.CLUSTER));
        scenario.eniIps.sort(String::compareTo);
        // Not a cluster subnet, on the main table (no internet gateway): private.
        String privateC = scenario.subnet("10.0.7.0/24", "us-east-1c");
        Path apiCalls = Files.createTempFile("discovery-calls", ".log");
        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("DiscoveryFunction").endpoint(moto).recordApiCallsTo(apiCalls).start()) {
            function.invoke(Events.json(Events.prepare("eks-cluster-discovery/create.json", recorder.newUrl(), Map.of())));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.data())
                    .containsEntry("SubnetIds", String.join(",", ClusterScenario.lower(scenario.privateA1, scenario.privateA2), scenario.mainTableB, privateC))
                    .containsEntry("AvailabilityZones", "us-east-1a,us-east-1b,us-east-1c")
                    .containsEntry("EniIps", String.join(",", scenario.eniIps))
                    .doesNotContainKey("RoleArn"); // the EniChanged rule no longer names the cluster role (design-notes 26)
            // One more DescribeSubnets, for the uncovered zone only.
            assertThat(Files.readAllLines(apiCalls)).containsExactly("eks:DescribeCluster", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                    "ec2:DescribeRouteTables", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups");
            assertThat(function.logs()).contains("\"eniZonesFilled\":[\"us-east-1c");
        }
    }
}
