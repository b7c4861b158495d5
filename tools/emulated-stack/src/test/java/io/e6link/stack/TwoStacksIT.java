package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * Two clusters, one account (issue 21): two stacks for two EKS clusters in one VPC share the VPC's S3
 * gateway endpoint and e6data's bucket. Deleting one leaves the other exactly working: its bucket
 * statement, the endpoint's routes, its 443 rules and its NLB targets are as they were.
 */
@ExtendWith(MotoExtension.class)
class TwoStacksIT {
    private static Map<String, Object> parameters(String cluster) {
        return Map.of("ClusterName", cluster, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET);
    }

    @Test
    void deletingOneStackLeavesTheOthersStatementRoutesRulesAndTargetsUntouched(Moto moto, @TempDir Path calls) {
        MotoClients clients = new MotoClients(moto);
        SampleCluster cluster = SampleCluster.seed(clients);
        SampleCluster.OtherCluster other = cluster.addCluster(clients.eks(), "reporting", "10.0.1.30", "10.0.2.30");

        try (EmulatedStack first = new EmulatedStack(Template.load(), moto, "e6link-one", System.out::println, calls.resolve("one"));
             EmulatedStack second = new EmulatedStack(Template.load(), moto, "e6link-two", System.out::println, calls.resolve("two"))) {
            EmulatedStack.Result one = first.deploy(parameters(SampleCluster.NAME));
            EmulatedStack.Result two = second.deploy(parameters(other.name()));

            assertThat(one.status()).as(one.reason()).isEqualTo("CREATE_COMPLETE");
            assertThat(two.status()).as(two.reason()).isEqualTo("CREATE_COMPLETE");
            assertThat(second.outputs().get("S3GatewayEndpointId")).as("one S3 endpoint for the VPC, shared")
                    .isEqualTo(first.outputs().get("S3GatewayEndpointId")).isEqualTo(cluster.customerS3EndpointId);
            assertThat(statementSids(clients)).hasSize(3).contains("CustomerReadOnly");
            String secondsView = view(clients, second, other);
            assertThat(secondsView).contains(other.eniIps().toArray(String[]::new));

            EmulatedStack.Result deleted = first.delete();

            assertThat(deleted.status()).as(deleted.reason()).isEqualTo("DELETE_COMPLETE");
            assertThat(view(clients, second, other)).as("the second stack's statement, routes, rules and targets").isEqualTo(secondsView);
            assertThat(statementSids(clients)).hasSize(2).contains("CustomerReadOnly", statementId(second));
            assertThat(endpoint(clients, cluster).routeTableIds()).containsExactlyInAnyOrder(cluster.explicitPrivateRouteTableId, cluster.mainRouteTableId);
            assertThat(second.runScheduled("ReconcilerFunction").error()).as("the second stack's reconciler still converges").isFalse();
            assertThat(view(clients, second, other)).isEqualTo(secondsView);
        }
    }

    /** What the second stack depends on: its bucket statement, the endpoint's routes, its 443 rules and its targets. */
    @SuppressWarnings("unchecked")
    private static String view(MotoClients clients, EmulatedStack stack, SampleCluster.OtherCluster cluster) {
        Map<String, Object> policy = Json.readObject(clients.s3().getBucketPolicy(b -> b.bucket(SampleCluster.BUCKET)).policy());
        Object statement = ((List<Map<String, Object>>) policy.get("Statement")).stream()
                .filter(s -> statementId(stack).equals(s.get("Sid"))).findFirst().orElse(null);
        VpcEndpoint endpoint = clients.ec2().describeVpcEndpoints(b -> b.vpcEndpointIds(stack.outputs().get("S3GatewayEndpointId"))).vpcEndpoints().get(0);
        TreeSet<String> rules = new TreeSet<>();
        clients.ec2().describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(cluster.securityGroupId()))).securityGroupRules()
                .forEach(rule -> rules.add(rule.securityGroupRuleId() + " " + rule.isEgress() + " " + rule.fromPort() + " " + rule.cidrIpv4() + " " + rule.tags()));
        TreeSet<String> targets = new TreeSet<>();
        clients.elb().describeTargetHealth(b -> b.targetGroupArn(stack.physicalId("TargetGroup"))).targetHealthDescriptions()
                .forEach(target -> targets.add(target.target().id() + ":" + target.target().port()));
        return "statement=" + statement + "\nroutes=" + new TreeSet<>(endpoint.routeTableIds()) + " " + endpoint.stateAsString()
                + "\nrules=" + rules + "\ntargets=" + targets;
    }

    private static String statementId(EmulatedStack stack) {
        String uuid = stack.stackId().substring(stack.stackId().lastIndexOf('/') + 1);
        return "E6link" + uuid.replace("-", "");
    }

    @SuppressWarnings("unchecked")
    private static List<String> statementSids(MotoClients clients) {
        Map<String, Object> policy = Json.readObject(clients.s3().getBucketPolicy(b -> b.bucket(SampleCluster.BUCKET)).policy());
        return ((List<Map<String, Object>>) policy.get("Statement")).stream().map(s -> String.valueOf(s.get("Sid"))).toList();
    }

    private static VpcEndpoint endpoint(MotoClients clients, SampleCluster cluster) {
        return clients.ec2().describeVpcEndpoints(b -> b.vpcEndpointIds(cluster.customerS3EndpointId)).vpcEndpoints().get(0);
    }
}
