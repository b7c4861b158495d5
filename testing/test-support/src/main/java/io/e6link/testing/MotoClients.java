package io.e6link.testing;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SDK clients for in-process tests, pointed at moto with fixed test credentials. Pass a
 * {@link CallCounter} to count what the code under test calls.
 */
public final class MotoClients {
    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCOUNT_ID = "123456789012";
    private final Moto moto;
    private final String accessKey;
    private final ExecutionInterceptor[] interceptors;

    /** Clients signing as {@link io.e6link.testing.aws.StrictAws#AWS_SERVICE_ACCESS_KEY}: the world's own seeding (EKS, CloudFormation). */
    public MotoClients(Moto moto, ExecutionInterceptor... interceptors) {
        this(moto, io.e6link.testing.aws.StrictAws.AWS_SERVICE_ACCESS_KEY, interceptors);
    }

    private MotoClients(Moto moto, String accessKey, ExecutionInterceptor... interceptors) {
        this.moto = moto;
        this.accessKey = accessKey;
        this.interceptors = interceptors;
    }

    /** The same clients signing as another caller: the strict world records its calls and denies it {@code aws:} tags. */
    public MotoClients as(String callerAccessKey) {
        return new MotoClients(moto, callerAccessKey, interceptors);
    }

    public Ec2Client ec2() {
        return configure(Ec2Client.builder()).build();
    }

    public EksClient eks() {
        return configure(EksClient.builder()).build();
    }

    public IamClient iam() {
        return configure(IamClient.builder()).region(Region.AWS_GLOBAL).build();
    }

    public S3Client s3() {
        return configure(S3Client.builder()).forcePathStyle(true).build();
    }

    public ElasticLoadBalancingV2Client elb() {
        return configure(ElasticLoadBalancingV2Client.builder()).build();
    }

    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        builder.region(REGION)
                .endpointOverride(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "testing")))
                .overrideConfiguration(config -> {
                    config.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(60));
                    for (ExecutionInterceptor interceptor : interceptors) {
                        config.addExecutionInterceptor(interceptor);
                    }
                });
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        return builder;
    }
}
