package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * template.yaml deployed into a participant account of a VPC shared by a network account (AWS RAM,
 * docs/governance.md "Shared VPC"): the strict world answers the stack's functions as AWS answers a
 * participant (docs/aws-rules.md rule 13). Without ExistingS3GatewayEndpointId the S3 step stops with
 * a reason naming the owner account; with it the owner's endpoint is used as is and the bucket
 * statement names it, and delete leaves the owner's endpoint and routes exactly as they were.
 */
@ExtendWith(MotoExtension.class)
class SharedVpcIT {
    private static final String NETWORK_ACCOUNT = "444455556666";

    private static Map<String, Object> parameters(String existingEndpoint) {
        Map<String, Object> values = new HashMap<>(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET));
        if (existingEndpoint != null) {
            values.put("ExistingS3GatewayEndpointId", existingEndpoint);
        }
        return values;
    }

    @Test
    void withoutAGivenEndpointTheStackStopsNamingTheOwnerAccountAndLeavesTheOwnersRoutesAlone(Moto moto, @TempDir Path calls) {
        MotoClients clients = new MotoClients(moto);
        SampleCluster cluster = SampleCluster.seed(clients);
        moto.strict().shareVpc(cluster.vpcId, NETWORK_ACCOUNT);
        String before = ownersView(clients.ec2(), cluster);

        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-ram", System.out::println, calls)) {
            EmulatedStack.Result result = stack.deploy(parameters(null));

            assertThat(result.status()).isEqualTo("ROLLBACK_COMPLETE");
            assertThat(result.reason()).startsWith("S3GatewayEndpoint: ").contains("VPC " + cluster.vpcId + " is shared with this account by account "
                    + NETWORK_ACCOUNT, "set ExistingS3GatewayEndpointId");
            assertThat(ownersView(clients.ec2(), cluster)).isEqualTo(before);
        }
    }

    @Test
    void theOwnersEndpointIsUsedAsIsNamedInTheBucketStatementAndLeftAsItWasOnDelete(Moto moto, @TempDir Path calls) {
        MotoClients clients = new MotoClients(moto);
        SampleCluster cluster = SampleCluster.seed(clients);
        moto.strict().shareVpc(cluster.vpcId, NETWORK_ACCOUNT);
        String before = ownersView(clients.ec2(), cluster);

        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-ram", System.out::println, calls)) {
            EmulatedStack.Result created = stack.deploy(parameters(cluster.customerS3EndpointId));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            assertThat(stack.outputs()).containsEntry("S3GatewayEndpointId", cluster.customerS3EndpointId);
            assertThat(sourceVpces(clients)).contains(cluster.customerS3EndpointId);
            assertThat(ownersView(clients.ec2(), cluster)).as("no route added, no tag written on the owner's endpoint").isEqualTo(before);
            assertThat(stack.functionLogs("DiscoveryFunction")).contains("belong to account " + NETWORK_ACCOUNT);
            IamEvaluation roles = IamEvaluation.of(stack);

            EmulatedStack.Result deleted = stack.delete();

            assertThat(deleted.status()).as(deleted.reason()).isEqualTo("DELETE_COMPLETE");
            assertThat(ownersView(clients.ec2(), cluster)).as("the owner's endpoint and routes are left as they were").isEqualTo(before);
            List<IamEvaluation.Decision> decisions = roles.evaluate(roles.requestsOf(moto.strict().recordedCalls()));
            assertThat(decisions.stream().filter(d -> !d.allowed()).map(IamEvaluation.Decision::describe).toList()).isEmpty();
        }
    }

    /** The owner's endpoint (routes, tags, state) and the VPC's routes, as the owner sees them. */
    private static String ownersView(Ec2Client owner, SampleCluster cluster) {
        VpcEndpoint endpoint = owner.describeVpcEndpoints(b -> b.vpcEndpointIds(cluster.customerS3EndpointId)).vpcEndpoints().get(0);
        List<RouteTable> tables = owner.describeRouteTables(b -> b.filters(f -> f.name("vpc-id").values(cluster.vpcId))).routeTables();
        return endpoint.stateAsString() + " " + endpoint.routeTableIds().stream().sorted().toList() + " " + endpoint.tags() + " "
                + tables.stream().map(t -> t.routeTableId() + t.routes()).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> sourceVpces(MotoClients clients) {
        Map<String, Object> policy = Json.readObject(clients.s3().getBucketPolicy(b -> b.bucket(SampleCluster.BUCKET)).policy());
        return ((List<Map<String, Object>>) policy.get("Statement")).stream()
                .map(s -> (Map<String, Object>) s.get("Condition")).filter(c -> c != null && c.get("StringEquals") != null)
                .map(c -> ((Map<String, Object>) c.get("StringEquals")).get("aws:SourceVpce")).filter(v -> v != null).toList();
    }
}
