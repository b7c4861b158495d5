package io.e6link.endpointservicevalidation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.e6link.kit.JsonLog;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Benchmark baseline: {@link EndpointServiceValidationFunction}'s resource code, SDK defaults, clients built per invocation. */
public final class NaiveEndpointServiceValidationFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(EndpointServiceValidationResource.TYPE, () -> {
            Ec2Client ec2 = Ec2Client.create();
            return new EndpointServiceValidationResource(
                    new PrivateLinkChecks(ec2, ElasticLoadBalancingV2Client.create(), Pacing.LAMBDA),
                    new Ec2EndpointConnections(ec2), Pacing.LAMBDA, JsonLog.stdout());
        }) { }.handleRequest(input, output, context);
    }
}
