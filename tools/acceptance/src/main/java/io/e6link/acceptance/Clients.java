package io.e6link.acceptance;

import java.util.function.Function;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients of one account (the customer's or e6data's), all configured the same way by one
 * function (a named profile and region for real accounts, the emulator's endpoint for --local).
 */
public record Clients(Ec2Client ec2, ElasticLoadBalancingV2Client elb, EksClient eks, IamClient iam, S3Client s3, StsClient sts,
                      CloudFormationClient cloudFormation, CloudWatchClient cloudWatch, CloudWatchLogsClient logs, CloudTrailClient cloudTrail,
                      SnsClient sns, LambdaClient lambda) {

    /** How one account's builders are set up: credentials, region, endpoint, HTTP client. */
    public interface Setup {
        <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B apply(B builder);
    }

    /**
     * Builds every client through {@code setup}; IAM gets the partition's global region.
     *
     * @param setup  credentials, region and endpoint of the account
     * @param global IAM's signing region for the account's partition
     * @param s3     extra S3 settings (path-style addressing for emulators)
     */
    public static Clients build(Setup setup, Region global, Function<software.amazon.awssdk.services.s3.S3ClientBuilder,
            software.amazon.awssdk.services.s3.S3ClientBuilder> s3) {
        return new Clients(setup.apply(Ec2Client.builder()).build(), setup.apply(ElasticLoadBalancingV2Client.builder()).build(),
                setup.apply(EksClient.builder()).build(), setup.apply(IamClient.builder()).region(global).build(),
                s3.apply(setup.apply(S3Client.builder())).build(), setup.apply(StsClient.builder()).build(),
                setup.apply(CloudFormationClient.builder()).build(), setup.apply(CloudWatchClient.builder()).build(),
                setup.apply(CloudWatchLogsClient.builder()).build(), setup.apply(CloudTrailClient.builder()).build(),
                setup.apply(SnsClient.builder()).build(), setup.apply(LambdaClient.builder()).build());
    }
}
