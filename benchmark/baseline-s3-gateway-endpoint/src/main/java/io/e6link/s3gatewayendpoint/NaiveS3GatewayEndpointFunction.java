package io.e6link.s3gatewayendpoint;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Benchmark baseline: {@link S3GatewayEndpointFunction}'s resource code, SDK defaults, clients built per invocation. */
public final class NaiveS3GatewayEndpointFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(S3GatewayEndpointResource.TYPE, () -> new S3GatewayEndpointResource(Ec2Client.create(),
                new DefaultAwsRegionProviderChain().getRegion().id())) { }
                .handleRequest(input, output, context);
    }
}
