package io.e6link.stack;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoServer;
import io.e6link.testing.Template;
import io.e6link.testing.aws.AwsClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * See the product work without an AWS account ({@code ./scripts/deploy --local}): starts moto, seeds a
 * sample EKS account, deploys template.yaml printing stack events, has "e6data" request a connection
 * and the scheduled acceptance take it, prints the outputs, then deletes the stack ({@code --keep}
 * waits for Enter first), and ends with the honest timeline: how long the same Create would take on
 * AWS's clock and e6link's own share of it ({@link AwsTimeline}). Everything is EMULATED and says so; nothing reaches AWS.
 *
 * <p>The emulated world never reads the user's AWS configuration: this JVM's SDK is pointed at empty
 * config and credentials files (system properties win over {@code AWS_PROFILE} and the files in
 * ~/.aws), the emulator's clients carry fixed credentials, and moto_server and the packaged functions
 * start without the caller's {@code AWS_*} variables.
 */
public final class LocalDeploy {
    static final String BANNER = "EMULATED deploy: template.yaml against moto (emulated AWS) on this machine; nothing is deployed to AWS.";

    private LocalDeploy() {
    }

    /**
     * Always ends the JVM with the deploy's status, and prints a failure here. An exception escaping
     * under {@code exec:java} would leave the plugin waiting for the front door's non-daemon HTTP
     * dispatcher thread, and the plugin closes the project's class loader before it renders the
     * exception, which then fails with NoClassDefFoundError (SdkDiagnostics) instead of the reason.
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Throwable e) { // includes the AssertionError of a packaged function that gave no answer
            System.err.println("EMULATED deploy failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args) throws Exception {
        boolean keep = false;
        for (String arg : args) {
            switch (arg) {
                case "--keep" -> keep = true;
                case "--local" -> {
                    // what scripts/deploy was given; this is the local mode
                }
                default -> {
                    System.err.println("Unknown option '" + arg + "'. Usage: ./scripts/deploy --local [--keep]");
                    return 2;
                }
            }
        }
        ignoreAwsConfiguration();
        System.out.println(BANNER);
        Moto moto = MotoServer.start();
        if (moto == null) {
            System.err.println(MotoServer.unavailableReason() + " Install it with: pip install 'moto[server]'");
            return 2;
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
                System.err.println("EMULATED stack creation failed: " + created.reason());
                return 1;
            }
            String serviceId = stack.physicalId("EndpointService");
            System.out.println();
            System.out.println("e6data (account " + SampleCluster.E6DATA_ACCOUNT + ") requests a connection; the scheduled acceptance runs:");
            stack.requestConnection(serviceId, SampleCluster.E6DATA_ACCOUNT);
            stack.runScheduled("ConnectionAcceptanceFunction");
            stack.connections().forEach(c -> System.out.println("  " + c.endpointId() + " from " + c.owner() + ": " + c.state()));
            System.out.println();
            System.out.println("Outputs (EMULATED, moto on this machine; not an AWS account):");
            stack.outputs().forEach((name, value) -> System.out.printf("  %-24s %s%n", name, value));
            System.out.println();
            // The honest timeline, printed last: the same Create on AWS's clock, and e6link's own share of it.
            List<String> timeline = new ArrayList<>();
            for (AwsClock aws : List.of(AwsClock.standard(), AwsClock.fast())) {
                timeline.addAll(stack.awsTimeline(aws).report());
            }
            if (keep) {
                System.out.println("--keep: press Enter to delete the EMULATED stack and stop moto.");
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            EmulatedStack.Result deleted = stack.delete();
            System.out.println(deleted.ok() ? "EMULATED stack deleted; the customer's own OIDC provider, endpoint, rule and policy statement remain."
                    : "EMULATED stack deletion failed: " + deleted.reason());
            System.out.println();
            System.out.println("The same deployment on AWS (timings from testing/test-support/.../aws-clock.json; the EMULATED run took seconds):");
            timeline.forEach(line -> System.out.println("  " + line));
            return deleted.ok() ? 0 : 1;
        }
    }

    /**
     * Points this JVM's AWS SDK at empty configuration: the SDK's system properties take precedence over
     * {@code AWS_PROFILE}, {@code AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE} and ~/.aws.
     */
    public static void ignoreAwsConfiguration() {
        String nothing = Path.of(System.getProperty("java.io.tmpdir"), "e6link-no-aws-configuration", "none").toString();
        System.setProperty("aws.configFile", nothing);
        System.setProperty("aws.sharedCredentialsFile", nothing);
        System.setProperty("aws.profile", "default");
    }
}
