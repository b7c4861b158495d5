package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import io.e6link.testing.TestTiers;
import org.junit.jupiter.api.Tag;

/**
 * The real-account mode's own code paths with the AWS SDK against moto: the CloudFormation driver
 * (create, outputs, physical ids, update, delete, the run's tag on the stack) on a template uploaded the
 * way the local build is uploaded, and e6data's side (consumer VPC, subnet, security group, interface
 * endpoint to the customer's endpoint service), every object recorded in the ledger and gone after its
 * cleanup, the leak scan by tag then empty.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class RealModeAgainstMotoTest {
    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Metadata:
              Artifact:
                CodeUri: build/probe.zip
            Parameters:
              VpcId: {Type: String}
              Description: {Type: String, Default: first}
            Resources:
              Group:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: !Ref Description
                  VpcId: !Ref VpcId
            Outputs:
              GroupId:
                Value: !Ref Group
            """;

    @TempDir
    Path dir;

    @Test
    void theCloudFormationDriverCreatesUpdatesAndDeletesATaggedStackFromTheUploadedLocalBuild(Moto moto) throws Exception {
        Clients clients = clients(moto);
        Path template = Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        Files.createDirectories(dir.resolve("build"));
        Files.write(dir.resolve("build/probe.zip"), AwsWorld.zip("index.py", "print('hi')"));
        clients.s3().createBucket(b -> b.bucket("e6link-acc-run-artifacts"));
        String url = CloudFormationStack.uploadLocalBuild(clients, "us-east-1", "e6link-acc-run-artifacts", template);
        assertThat(url).isEqualTo("https://e6link-acc-run-artifacts.s3.us-east-1.amazonaws.com/template.yaml");
        String uploaded = clients.s3().getObjectAsBytes(b -> b.bucket("e6link-acc-run-artifacts").key("template.yaml")).asUtf8String();
        assertThat(uploaded).contains("CodeUri: s3://e6link-acc-run-artifacts/code/probe.zip").doesNotContain("build/probe.zip");
        assertThat(clients.s3().getObjectAsBytes(b -> b.bucket("e6link-acc-run-artifacts").key("code/probe.zip")).asByteArray())
                .isEqualTo(Files.readAllBytes(dir.resolve("build/probe.zip")));

        String vpc = clients.ec2().createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        CloudFormationStack stack = new CloudFormationStack(clients, "e6link-acc-run-a", Map.of(Ledger.RUN_TAG, "run"), url, progress());
        assertThat(stack.delete().status()).as("deleting a stack never created").isEqualTo("DELETE_COMPLETE");

        StackDriver.Outcome created = stack.create(Map.of("VpcId", vpc));
        assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
        String group = stack.outputs().get("GroupId");
        assertThat(group).startsWith("sg-").isEqualTo(stack.physicalId("Group"));
        assertThat(clients.cloudFormation().describeStacks(b -> b.stackName(stack.stackId())).stacks().get(0).tags())
                .anyMatch(t -> t.key().equals(Ledger.RUN_TAG) && t.value().equals("run"));

        StackDriver.Outcome updated = stack.update(Map.of("Description", "second"));
        assertThat(updated.status()).as(updated.reason()).isEqualTo("UPDATE_COMPLETE");
        assertThat(clients.cloudFormation().describeStacks(b -> b.stackName(stack.stackId())).stacks().get(0).parameters())
                .anyMatch(p -> p.parameterKey().equals("VpcId") && p.parameterValue().equals(vpc));

        assertThat(stack.delete().status()).isEqualTo("DELETE_COMPLETE");
        assertThat(clients.ec2().describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(vpc))).securityGroups())
                .noneMatch(g -> g.groupId().equals(group));
    }

    @Test
    void aTemplateWhoseZipIsNotBuiltIsRefused(Moto moto) throws Exception {
        Clients clients = clients(moto);
        Path template = Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        clients.s3().createBucket(b -> b.bucket("e6link-acc-run-artifacts"));
        assertThatThrownBy(() -> CloudFormationStack.uploadLocalBuild(clients, "us-east-1", "e6link-acc-run-artifacts", template))
                .isInstanceOf(Refusal.class).hasMessageContaining("names build/probe.zip, which is not built");
    }

    @Test
    void e6datasSideIsCreatedTaggedAndLedgeredAndTheCleanupLeavesNothing(Moto moto) {
        Clients clients = clients(moto);
        var ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String nlb = clients.elb().createLoadBalancer(b -> b.name("customer-nlb").type("network").scheme("internal").subnets(subnet))
                .loadBalancers().get(0).loadBalancerArn();
        var service = ec2.createVpcEndpointServiceConfiguration(b -> b.networkLoadBalancerArns(nlb).acceptanceRequired(true)).serviceConfiguration();

        Options options = Options.parse("--customer-profile", "c", "--e6data-profile", "e", "--region", "us-east-1", "--cluster", "analytics",
                "--template-url", "https://example.com/template.yaml");
        Progress progress = progress();
        Ledger ledger = new Ledger(progress);
        AwsWorld world = new AwsWorld(options, progress, Region.US_EAST_1, clients, clients, "123456789012", "111122223333",
                new ClusterFacts("analytics", vpc, null, "https://oidc.example/id/1", List.of(subnet), "https://abc.eks.amazonaws.com", "", "1.33"));
        world.stack("e6link-acc-run1-a", Map.of(Ledger.RUN_TAG, "run1"), ledger);

        String endpoint = world.requestConnection(service.serviceName(), service.serviceId(), "10.50.0.0/16", ledger);

        assertThat(endpoint).startsWith("vpce-");
        assertThat(world.endpointState(endpoint)).isNotEqualTo("missing");
        assertThat(ledger.pending()).extracting(Ledger.Entry::kind).containsExactly("interface endpoint", "security group", "subnet", "VPC");
        // One emulated account plays both here, so each object is found once as the customer's and once as e6data's.
        assertThat(world.taggedWithRun("run1").stream().map(line -> line.substring(line.indexOf(": ") + 2)).distinct())
                .containsExactlyInAnyOrder("vpc " + ledger.pending().get(3).id(), "subnet " + ledger.pending().get(2).id(),
                        "security-group " + ledger.pending().get(1).id(), "vpc-endpoint " + endpoint);

        List<Ledger.Outcome> outcomes = ledger.cleanUp();

        assertThat(outcomes).allMatch(Ledger.Outcome::cleaned);
        assertThat(world.endpointState(endpoint)).matches("(?i)deleted|missing");
        assertThat(world.taggedWithRun("run1")).isEmpty();
    }

    private static Clients clients(Moto moto) {
        MotoClients motoClients = new MotoClients(moto);
        return Clients.build(motoClients::configure, Region.AWS_GLOBAL, b -> b.forcePathStyle(true));
    }

    private static Progress progress() {
        return new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC());
    }
}
