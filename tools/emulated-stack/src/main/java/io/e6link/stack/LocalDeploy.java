package io.e6link.stack;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * See the product work without an AWS account: starts moto, seeds a sample EKS account, deploys
 * template.yaml printing stack events, has "e6data" request a connection and the scheduled
 * acceptance take it, prints the outputs, then deletes the stack ({@code --keep} leaves it).
 */
public final class LocalDeploy {
    private LocalDeploy() {
    }

    public static void main(String[] args) throws Exception {
        boolean keep = List.of(args).contains("--keep");
        Moto moto = MotoExtension.start();
        if (moto == null) {
            System.err.println("moto_server is not available on PATH; install it with: pip install 'moto[server]'");
            System.exit(2);
        }
        System.out.println("moto_server (emulated AWS) at " + moto.endpointUrl());
        SampleCluster cluster = SampleCluster.seed(new MotoClients(moto));
        System.out.println("Seeded EKS cluster '" + SampleCluster.NAME + "' in " + cluster.vpcId
                + " with an existing OIDC provider, S3 gateway endpoint, 443 rule and bucket policy.");
        Path calls = Files.createTempDirectory("e6link-api-calls");
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-" + SampleCluster.NAME, System.out::println, calls)) {
            EmulatedStack.Result created = stack.deploy(Map.of(
                    "ClusterName", SampleCluster.NAME,
                    "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                    "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR,
                    "E6dataBucketNames", SampleCluster.BUCKET));
            if (!created.ok()) {
                System.err.println("Stack creation failed: " + created.reason());
                System.exit(1);
            }
            String serviceId = stack.physicalId("EndpointService");
            System.out.println();
            System.out.println("e6data (account " + SampleCluster.E6DATA_ACCOUNT + ") requests a connection; the scheduled acceptance runs:");
            stack.requestConnection(serviceId, SampleCluster.E6DATA_ACCOUNT);
            stack.runScheduled("ConnectionAcceptanceFunction");
            stack.connections().forEach(c -> System.out.println("  " + c.endpointId() + " from " + c.owner() + ": " + c.state()));
            System.out.println();
            System.out.println("Outputs:");
            stack.outputs().forEach((name, value) -> System.out.printf("  %-24s %s%n", name, value));
            System.out.println();
            if (keep) {
                System.out.println("--keep: press Enter to delete the stack and stop moto.");
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            EmulatedStack.Result deleted = stack.delete();
            System.out.println(deleted.ok() ? "Stack deleted; the customer's own OIDC provider, endpoint, rule and policy statement remain."
                    : "Stack deletion failed: " + deleted.reason());
            System.exit(deleted.ok() ? 0 : 1);
        }
    }
}
