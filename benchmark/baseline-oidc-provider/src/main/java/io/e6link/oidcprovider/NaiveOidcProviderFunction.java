package io.e6link.oidcprovider;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Benchmark baseline: {@link OidcProviderFunction}'s resource code wired the naive way. Every invocation
 * builds a new kit entry point and a new client with SDK defaults (default region and credential
 * chains, the default HTTP client), what "Best practices for working with AWS Lambda functions" advises
 * against (https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html: initialize SDK clients outside
 * the handler). IAM has no {@code create()} (a global service): the usual naive code names the global
 * region.
 */
public final class NaiveOidcProviderFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(OidcProviderResource.TYPE, () -> new OidcProviderResource(
                IamClient.builder().region(Region.AWS_GLOBAL).build())) { }
                .handleRequest(input, output, context);
    }
}
