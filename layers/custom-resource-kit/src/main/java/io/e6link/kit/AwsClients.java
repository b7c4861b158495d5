package io.e6link.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Builds SDK clients the way a Lambda function should: region from {@code AWS_REGION}, credentials
 * from the environment Lambda sets, the light url-connection HTTP client, adaptive retries (which
 * slow down under throttling) and explicit timeouts. The SDK itself honours {@code AWS_ENDPOINT_URL}
 * and {@code AWS_ENDPOINT_URL_<SERVICE>}, which is how tests point functions at an emulator. Every
 * client carries {@link AwsFailureTranslation}, so access denied and throttling that outlived the
 * retries reach the caller as one sentence naming the IAM action and the resource.
 *
 * <p>Call once per client, outside the request path (a function keeps its clients for reuse).
 */
public final class AwsClients {
    /** A call's total time, retries included: IAM's propagation window for denied calls, and 30 s more for the attempts. */
    static final Duration API_CALL_TIMEOUT = IamPropagationRetry.WINDOW.plusSeconds(30);
    /** The time a call's own attempts (three, 10 s each at most) may take on top of the propagation window. */
    private static final Duration ATTEMPTS_TIME = Duration.ofSeconds(30);
    static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    private AwsClients() {
    }

    /** A function's client: {@link #configure(AwsClientBuilder)}, built. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return configure(builder).build();
    }

    /**
     * A function's client builder: region from {@code AWS_REGION} (throws {@link CustomResourceException} when
     * unset), credentials from the environment Lambda sets, the shared settings of
     * {@link #configure(AwsClientBuilder, Region, AwsCredentialsProvider)}, and implicit denies retried through
     * IAM's propagation window ({@link IamPropagationRetry#lambda()}).
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        return configure(builder, IamPropagationRetry.lambda());
    }

    /**
     * A function's client builder as {@link #configure(AwsClientBuilder)}, with {@code retry} as its retry strategy
     * and a call timeout of its propagation window plus 30 s for the attempts: 90 s for a custom resource
     * ({@link IamPropagationRetry#lambda()}), 30 s for a scheduled function ({@link IamPropagationRetry#scheduled()},
     * whose run must end with a reason inside its 60 s Lambda timeout). Tests: the same strategy on a simulated clock.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, IamPropagationRetry retry) {
        configure(builder, region(), EnvironmentVariableCredentialsProvider.create());
        ClientOverrideConfiguration.Builder settings = builder.overrideConfiguration().toBuilder().retryStrategy(retry)
                .apiCallTimeout(retry.window().plus(ATTEMPTS_TIME));
        List<ExecutionInterceptor> interceptors = new ArrayList<>(settings.executionInterceptors());
        interceptors.replaceAll(interceptor -> interceptor instanceof AwsFailureTranslation ? new AwsFailureTranslation(retry) : interceptor);
        return builder.overrideConfiguration(settings.executionInterceptors(interceptors).build());
    }

    /**
     * The shared settings on a builder, for a given region and login (the preflight tool runs with the
     * customer's profile): adaptive retries, a 90 s call and 10 s attempt timeout, the url-connection HTTP
     * client and {@link AwsFailureTranslation}. Override settings already on the builder (a tool's own
     * interceptors, its profile file) are kept.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, Region region,
                                                                                                  AwsCredentialsProvider credentials) {
        ClientOverrideConfiguration given = builder.overrideConfiguration();
        builder.region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration((given == null ? ClientOverrideConfiguration.builder() : given.toBuilder())
                        .retryStrategy(RetryMode.ADAPTIVE_V2)
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT)
                        .addExecutionInterceptor(new AwsFailureTranslation())
                        .build());
        builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(API_CALL_ATTEMPT_TIMEOUT));
        return builder;
    }

    /** The region Lambda runs the function in, from {@code AWS_REGION}; throws {@link CustomResourceException} when unset. */
    public static Region region() {
        return Region.of(Environment.system().optional("AWS_REGION").orElseThrow(
                () -> new CustomResourceException("AWS_REGION is not set; the function cannot tell which region to call.")));
    }
}
