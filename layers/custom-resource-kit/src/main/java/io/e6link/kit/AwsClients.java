package io.e6link.kit;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Builds SDK clients the way a Lambda function should: region from {@code AWS_REGION}, credentials
 * from the environment Lambda sets, the light url-connection HTTP client, adaptive retries (which
 * slow down under throttling) and explicit timeouts. The SDK itself honours {@code AWS_ENDPOINT_URL}
 * and {@code AWS_ENDPOINT_URL_<SERVICE>}, which is how tests point functions at an emulator.
 *
 * <p>Call once per client, outside the request path (a function keeps its clients for reuse).
 */
public final class AwsClients {
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return configure(builder).build();
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        builder.region(region())
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .overrideConfiguration(config -> config
                        .retryStrategy(RetryMode.ADAPTIVE_V2)
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT));
        builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(API_CALL_ATTEMPT_TIMEOUT));
        return builder;
    }

    public static Region region() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new CustomResourceException("AWS_REGION is not set; the function cannot tell which region to call.");
        }
        return Region.of(region);
    }
}
