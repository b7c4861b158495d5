package io.e6link.preflight;

import io.e6link.kit.AwsClients;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The customer's own AWS login, resolved the way the AWS CLI resolves it, from the environment the
 * tool was started with (passed in, so tests give it explicitly): region from {@code --region},
 * {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, then the profile; credentials from
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} unless a profile is named, then the profile
 * ({@code --profile}, {@code AWS_PROFILE}; SSO, assumed roles and credential_process included), then
 * the SDK's default chain (container, instance and web-identity credentials: CloudShell, EC2, pods).
 * {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>} point clients elsewhere, as the
 * SDK and CLI document (how --local and the tests reach the emulated world).
 */
final class AwsAccess {
    private final Region region;
    private final String profileName;
    private final ProfileFile profileFile;
    private final AwsCredentialsProvider credentials;
    private final Map<String, String> env;
    private final CallLog callLog = new CallLog();

    private AwsAccess(Region region, String profileName, ProfileFile profileFile, AwsCredentialsProvider credentials, Map<String, String> env) {
        this.region = region;
        this.profileName = profileName;
        this.profileFile = profileFile;
        this.credentials = credentials;
        this.env = env;
    }

    /** @throws LoginProblem when no region can be found or the named profile does not exist */
    static AwsAccess resolve(String regionOption, String profileOption, Map<String, String> env) {
        ProfileFile files = profileFiles(env);
        String named = firstNonBlank(profileOption, env.get("AWS_PROFILE"), env.get("AWS_DEFAULT_PROFILE"));
        String profile = named == null ? "default" : named;
        boolean profileExists = files.profile(profile).isPresent();
        if (named != null && !profileExists) {
            throw new LoginProblem("AWS profile '" + profile + "' is not in " + describeFiles(env) + ".",
                    "run aws configure sso --profile " + profile + " (or aws configure --profile " + profile + "), or pass another --profile");
        }
        String regionName = firstNonBlank(regionOption, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
                files.profile(profile).flatMap(p -> p.property("region")).orElse(null));
        if (regionName == null) {
            throw new LoginProblem("No AWS region: neither --region, AWS_REGION nor profile '" + profile + "' names one.",
                    "pass --region with the cluster's region, e.g. --region us-east-1");
        }
        AwsCredentialsProvider credentials;
        String accessKey = env.get("AWS_ACCESS_KEY_ID");
        String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
        if (profileOption == null && accessKey != null && !accessKey.isBlank() && secretKey != null && !secretKey.isBlank()) {
            String token = env.get("AWS_SESSION_TOKEN");
            credentials = StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(accessKey, secretKey) : AwsSessionCredentials.create(accessKey, secretKey, token));
            return new AwsAccess(Region.of(regionName), null, files, credentials, env);
        }
        if (named != null || profileExists) {
            credentials = ProfileCredentialsProvider.builder().profileFile(files).profileName(profile).build();
            return new AwsAccess(Region.of(regionName), profile, files, credentials, env);
        }
        return new AwsAccess(Region.of(regionName), null, files, DefaultCredentialsProvider.builder().build(), env);
    }

    /** The calls made so far through this access's clients. */
    List<String> calls() {
        return callLog.calls();
    }

    Region region() {
        return region;
    }

    /** The profile in use, or null when credentials come from the environment or the default chain. */
    String profileName() {
        return profileName;
    }

    /** {@code aws}, {@code aws-cn} or {@code aws-us-gov} (the SDK's partition metadata): ARNs and the IAM endpoint differ. */
    String partition() {
        return io.e6link.kit.Partitions.partitionOf(region.id());
    }

    StsClient sts() {
        return configure(StsClient.builder(), "STS").build();
    }

    EksClient eks() {
        return configure(EksClient.builder(), "EKS").build();
    }

    Ec2Client ec2() {
        return configure(Ec2Client.builder(), "EC2").build();
    }

    IamClient iam() {
        Region global = switch (partition()) {
            case "aws-cn" -> Region.AWS_CN_GLOBAL;
            case "aws-us-gov" -> Region.AWS_US_GOV_GLOBAL;
            default -> Region.AWS_GLOBAL;
        };
        return configure(IamClient.builder(), "IAM").region(global).build();
    }

    /** Buckets may live in other regions: the client follows S3's redirects. Emulators serve buckets by path. */
    S3Client s3() {
        var builder = configure(S3Client.builder(), "S3").crossRegionAccessEnabled(true);
        if (endpoint("S3").isPresent()) {
            builder.forcePathStyle(true);
        }
        return builder.build();
    }

    LambdaClient lambda() {
        return configure(LambdaClient.builder(), "LAMBDA").build();
    }

    CloudTrailClient cloudTrail() {
        return configure(CloudTrailClient.builder(), "CLOUDTRAIL").build();
    }

    /** AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL (the SDK's own variables, read from the given environment). */
    Optional<URI> endpoint(String serviceVariable) {
        String value = firstNonBlank(env.get("AWS_ENDPOINT_URL_" + serviceVariable), env.get("AWS_ENDPOINT_URL"));
        return Optional.ofNullable(value).map(URI::create);
    }

    /** The kit's client settings (retries, timeouts, HTTP client, failure translation) with this login, profile and endpoint. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, String serviceVariable) {
        builder.overrideConfiguration(config -> {
            config.defaultProfileFile(profileFile).addExecutionInterceptor(callLog);
            if (profileName != null) {
                config.defaultProfileName(profileName);
            }
        });
        AwsClients.configure(builder, region, credentials);
        endpoint(serviceVariable).ifPresent(builder::endpointOverride);
        return builder;
    }

    private static ProfileFile profileFiles(Map<String, String> env) {
        ProfileFile.Aggregator aggregator = ProfileFile.aggregator();
        Path credentials = credentialsFile(env);
        Path config = configFile(env);
        if (Files.isRegularFile(credentials)) {
            aggregator.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
        }
        if (Files.isRegularFile(config)) {
            aggregator.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
        }
        return aggregator.build();
    }

    private static String describeFiles(Map<String, String> env) {
        List<String> files = new ArrayList<>();
        files.add(configFile(env).toString());
        files.add(credentialsFile(env).toString());
        return String.join(" or ", files);
    }

    private static Path configFile(Map<String, String> env) {
        String explicit = env.get("AWS_CONFIG_FILE");
        return explicit != null && !explicit.isBlank() ? Path.of(explicit) : home(env).resolve(".aws").resolve("config");
    }

    private static Path credentialsFile(Map<String, String> env) {
        String explicit = env.get("AWS_SHARED_CREDENTIALS_FILE");
        return explicit != null && !explicit.isBlank() ? Path.of(explicit) : home(env).resolve(".aws").resolve("credentials");
    }

    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
