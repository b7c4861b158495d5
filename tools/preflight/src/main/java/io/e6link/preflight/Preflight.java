package io.e6link.preflight;

import com.fasterxml.jackson.jr.ob.JSON;
import io.e6link.stack.SampleCluster;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * {@code scripts/preflight}: tells, before anything changes, what the e6link stack will do in this
 * account — what it adopts, what it creates, and every blocker it can see, each in one sentence that
 * names the parameter to change. Read-only: every call is a Describe, Get, List or Head.
 *
 * <p>Exit status: 0 no blockers, 1 blockers, 2 usage or login problem.
 */
public final class Preflight {
    /** The outcome of one run: the exit status and what is printed (stdout for 0 and 1, stderr for 2). */
    public record Result(int exitCode, String output) {
    }

    private final AwsAccess aws;
    private final Options options;

    private Preflight(AwsAccess aws, Options options) {
        this.aws = aws;
        this.options = options;
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--local")) {
            // As the local deploy does: the seeding clients of the emulated world never read the user's AWS configuration.
            String nothing = Path.of(System.getProperty("java.io.tmpdir"), "e6link-no-aws-configuration", "none").toString();
            System.setProperty("aws.configFile", nothing);
            System.setProperty("aws.sharedCredentialsFile", nothing);
            System.setProperty("aws.profile", "default");
        }
        Result result = run(Arrays.asList(args), System.getenv());
        PrintStream stream = new PrintStream(result.exitCode() == 2 ? System.err : System.out, true, StandardCharsets.UTF_8);
        stream.print(result.output());
        stream.flush();
        System.exit(result.exitCode());
    }

    /** The whole command: parse, log in, check, render. Never throws; every outcome is an exit status and its text. */
    public static Result run(List<String> args, Map<String, String> env) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException usage) {
            return new Result(2, usage.getMessage() + "\n\n" + Options.USAGE);
        }
        if (options.help()) {
            return new Result(0, Options.USAGE);
        }
        String note = null;
        Map<String, String> environment = env;
        if (options.local()) {
            Moto moto = MotoServer.start();
            if (moto == null) {
                return new Result(2, "--local needs moto_server (emulated AWS): " + MotoServer.unavailableReason()
                        + " Fix: pip install 'moto[server]'.\n");
            }
            SampleCluster.seed(new MotoClients(moto));
            // The emulated world only: fixed keys, and no profile files of the user's.
            String nothing = Path.of(System.getProperty("java.io.tmpdir"), "e6link-no-aws-configuration", "none").toString();
            environment = Map.of("AWS_ENDPOINT_URL", moto.endpointUrl(), "AWS_ACCESS_KEY_ID", "preflight", "AWS_SECRET_ACCESS_KEY", "preflight",
                    "AWS_REGION", MotoClients.REGION.id(), "AWS_CONFIG_FILE", nothing, "AWS_SHARED_CREDENTIALS_FILE", nothing);
            options = new Options(options.cluster(), null, null, options.e6dataAccount(), options.buckets(), options.cidrs(), options.excludedZones(),
                    options.manageOidcProvider(), options.existingS3Endpoint(), options.json(), true, false)
                    .withDefaults(SampleCluster.NAME, SampleCluster.E6DATA_ACCOUNT, List.of(SampleCluster.BUCKET), List.of(SampleCluster.E6DATA_CIDR),
                            MotoClients.REGION.id());
            note = "--local: the emulated sample account of ./scripts/deploy (moto at " + moto.endpointUrl() + "): EKS cluster '" + SampleCluster.NAME
                    + "' with an OIDC provider, an S3 gateway endpoint, a 443 rule and a bucket policy of its own.";
        }
        AwsAccess aws;
        try {
            aws = AwsAccess.resolve(options.region(), options.profile(), environment);
        } catch (LoginProblem problem) {
            return loginFailure(problem, options);
        } catch (IllegalArgumentException | SdkException broken) {
            return loginFailure(new LoginProblem("The AWS configuration could not be read (" + broken.getMessage() + ").",
                    "check ~/.aws/config and the AWS_* variables"), options);
        }
        return new Preflight(aws, options).check(note);
    }

    private Result check(String note) {
        long started = System.nanoTime();
        String region = aws.region().id();
        GetCallerIdentityResponse identity;
        try (StsClient sts = aws.sts()) {
            identity = sts.getCallerIdentity();
        } catch (SdkException failure) {
            LoginProblem problem = LoginProblem.of(failure, aws.profileName(), region);
            return loginFailure(problem != null ? problem : new LoginProblem("sts:GetCallerIdentity failed: " + failure.getMessage(),
                    "check the AWS login and --region"), options);
        }
        String account = identity.account();
        List<Section> sections = new ArrayList<>();
        Section cluster = new Section("EKS cluster (discovery)");
        Section network = new Section("Subnets and NLB placement (ExcludedAvailabilityZones=" + String.join(",", options.excludedZones()) + ")");
        Section oidc = new Section("IAM OIDC provider (runbook step 0)");
        Section ingress = new Section("443 from e6data on the cluster security group (step 1)");
        Section egress = new Section("Outbound 443 from the cluster security group to the control-plane ENIs (NLB health checks)");
        Section service = new Section("Endpoint service permission (step 4)");
        Section endpoint = new Section("S3 gateway endpoint (step 5)");
        Section buckets = new Section("e6data buckets (step 6)");
        Section lambda = new Section("Lambda concurrency");
        Section trail = new Section("CloudTrail to EventBridge (informational)");
        sections.addAll(List.of(cluster, network, oidc, ingress, egress, service, endpoint, buckets, lambda, trail));
        try (EksClient eksClient = aws.eks(); Ec2Client ec2 = aws.ec2(); IamClient iam = aws.iam(); S3Client s3 = aws.s3();
             LambdaClient lambdaClient = aws.lambda(); CloudTrailClient cloudTrail = aws.cloudTrail()) {
            Optional<ClusterFacts> facts = new ClusterCheck(eksClient, ec2, region, account).run(options, cluster, network);
            new OidcCheck(iam).run(options, facts, oidc);
            new IngressCheck(ec2).run(options, facts, ingress);
            new EgressCheck(ec2).run(facts, egress);
            e6dataAccount(account, service);
            Optional<String> endpointId = new S3EndpointCheck(ec2, region).run(facts, options.existingS3Endpoint(), endpoint);
            new BucketCheck(s3, region, aws.partition()).run(options, account, endpointId, buckets);
            new LambdaCheck(lambdaClient).run(lambda);
            new CloudTrailCheck(cloudTrail, region).run(trail);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Report report = new Report(options.cluster(), region, account, identity.arn(), options.parameters(), sections, aws.calls(), millis, note);
        return new Result(report.exitCode(), options.json() ? report.json() : report.text());
    }

    /** Step 4 needs nothing from this account; the parameter is checked as the template checks it. */
    private void e6dataAccount(String account, Section section) {
        String e6data = options.e6dataAccount();
        if (e6data == null) {
            section.unchecked("Not checked: pass --e6data-account with e6data's 12-digit account (E6dataAccountId, required by the stack).");
        } else if (!e6data.matches("[0-9]{12}")) {
            section.blocker("E6dataAccountId has invalid value '" + e6data + "': a 12-digit AWS account ID.", "E6dataAccountId");
        } else if (e6data.equals(account)) {
            section.add(Finding.warning("E6dataAccountId is this very account (" + account + "); e6data connects from its own account, so check the value.",
                    "E6dataAccountId"));
        } else {
            section.ok("Only arn:" + aws.partition() + ":iam::" + e6data + ":root may connect to the endpoint service, and with "
                    + "EndpointAcceptanceRequired=true only its connections are accepted.");
        }
    }

    private static Result loginFailure(LoginProblem problem, Options options) {
        if (options.json()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", problem.getMessage());
            error.put("fix", problem.fix());
            error.put("exitCode", 2);
            try {
                return new Result(2, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(error) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Result(2, problem.sentence() + "\n");
    }
}
