package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.stack.CustomResourceInvoker.Delivery;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events CloudFormation really sends when things go wrong, played against the packaged
 * functions: the rollback Update of a rejected update, the Delete with a made-up id after a Create
 * whose answer never arrived, and Lambda's duplicate delivery. No stack ends stuck, nothing leaks.
 */
@ExtendWith(MotoExtension.class)
class LifecycleIT {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private MotoClients clients;

    @BeforeEach
    void setUp(Moto moto) {
        clients = new MotoClients(moto);
    }

    private void print(String line) {
        events.add(line);
        System.out.println(line);
    }

    private static Map<String, Object> parameters(String cidrs) {
        return new HashMap<>(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", cidrs, "E6dataBucketNames", SampleCluster.BUCKET));
    }

    @Test
    void aRejectedUpdateRollsBackToUpdateRollbackCompleteAndTheStackStaysUsable(Moto moto, @TempDir Path calls) {
        SampleCluster cluster = SampleCluster.seed(clients);
        StackIT.CustomerState before = StackIT.CustomerState.read(clients, cluster);
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-rollback", this::print, calls)) {
            assertThat(stack.deploy(parameters(SampleCluster.E6DATA_CIDR)).status()).isEqualTo("CREATE_COMPLETE");
            StackIT.CustomerState deployed = StackIT.CustomerState.read(clients, cluster);

            EmulatedStack.Result rejected = stack.update(parameters("10.99.0.1/16"));

            assertThat(rejected.status()).as(rejected.reason()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
            assertThat(rejected.reason()).contains("ClusterIngressRules").contains("10.99.0.1/16").contains("host bits");
            assertThat(events).anyMatch(line -> line.contains("UPDATE_COMPLETE") && line.contains("ClusterIngressRules") && line.contains("rollback"));
            assertThat(StackIT.CustomerState.read(clients, cluster)).isEqualTo(deployed);

            EmulatedStack.Result fixed = stack.update(parameters(SampleCluster.E6DATA_CIDR + ",10.99.0.0/16"));
            assertThat(fixed.status()).as(fixed.reason()).isEqualTo("UPDATE_COMPLETE");
            assertThat(stack.delete().status()).isEqualTo("DELETE_COMPLETE");
            assertThat(StackIT.CustomerState.read(clients, cluster)).isEqualTo(before);
            assertThat(Leftovers.of(clients, stack.stackId(), List.of(SampleCluster.BUCKET))).isEmpty();
        }
    }

    @Test
    void aTypoInAParameterStopsTheStackBeforeAnythingIsCreated(Moto moto, @TempDir Path calls) {
        SampleCluster cluster = SampleCluster.seed(clients);
        StackIT.CustomerState before = StackIT.CustomerState.read(clients, cluster);
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-typo", this::print, calls)) {
            Map<String, Object> typo = parameters("10.200.0.0/33");

            EmulatedStack.Result result = stack.deploy(typo);

            assertThat(result.status()).isEqualTo("ValidationError");
            assertThat(result.reason()).startsWith("Parameter 'E6dataVpcCidrs' must match pattern").contains("IPv4 CIDR ranges like 10.200.0.0/16");
            assertThat(stack.resourceTypes()).isEmpty();
            assertThat(moto.strict().recordedCalls()).isEmpty();
            assertThat(StackIT.CustomerState.read(clients, cluster)).isEqualTo(before);
        }
    }

    @Test
    void aCreateWhoseAnswerNeverArrivedIsCleanedUpByTheDeleteWithTheIdCloudFormationMadeUp(Moto moto, @TempDir Path calls) {
        SampleCluster.seedBare(clients);
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-timeout", this::print, calls)) {
            stack.deliverNext("OidcProvider", "Create", Delivery.ANSWER_LOST);

            EmulatedStack.Result created = stack.deploy(parameters(SampleCluster.E6DATA_CIDR));

            assertThat(created.status()).as(created.reason()).isEqualTo("ROLLBACK_COMPLETE");
            assertThat(created.reason()).startsWith("OidcProvider: CloudFormation did not receive a response");
            assertThat(events).anyMatch(line -> line.contains("DELETE_COMPLETE") && line.contains("OidcProvider"));
            assertThat(clients.iam().listOpenIDConnectProviders().openIDConnectProviderList())
                    .as("the provider the lost Create made is deleted by the Delete with a made-up id").isEmpty();
            assertThat(Leftovers.of(clients, stack.stackId(), List.of(SampleCluster.BUCKET))).isEmpty();
        }
    }

    @Test
    void lambdaDeliveringEveryCreateTwiceMakesEachThingOnce(Moto moto, @TempDir Path calls) {
        SampleCluster cluster = SampleCluster.seedBare(clients);
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-twice", this::print, calls)) {
            for (String id : List.of("OidcProvider", "ClusterIngressRules", "S3GatewayEndpoint", "BucketPolicyStatement", "EniTargets")) {
                stack.deliverNext(id, "Create", Delivery.TWICE);
            }

            EmulatedStack.Result created = stack.deploy(parameters(SampleCluster.E6DATA_CIDR));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            assertThat(clients.iam().listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(1);
            assertThat(clients.ec2().describeVpcEndpoints().vpcEndpoints()).hasSize(1);
            assertThat(clients.ec2().describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(cluster.clusterSecurityGroupId)))
                    .securityGroupRules()).filteredOn(rule -> SampleCluster.E6DATA_CIDR.equals(rule.cidrIpv4())).hasSize(1);
            stack.deliverNext("OidcProvider", "Delete", Delivery.TWICE);
            stack.deliverNext("S3GatewayEndpoint", "Delete", Delivery.TWICE);
            assertThat(stack.delete().status()).isEqualTo("DELETE_COMPLETE");
            assertThat(Leftovers.of(clients, stack.stackId(), List.of(SampleCluster.BUCKET))).isEmpty();
        }
    }
}
