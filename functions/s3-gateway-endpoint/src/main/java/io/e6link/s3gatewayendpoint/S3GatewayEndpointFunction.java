package io.e6link.s3gatewayendpoint;

import io.e6link.kit.AwsClients;
import io.e6link.kit.CustomResourceFunction;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Lambda entry point for {@code Custom::S3GatewayEndpoint}. */
public final class S3GatewayEndpointFunction extends CustomResourceFunction {
    public S3GatewayEndpointFunction() {
        super(S3GatewayEndpointResource.TYPE,
                () -> new S3GatewayEndpointResource(AwsClients.build(Ec2Client.builder()), AwsClients.region().id()));
    }
}
