package io.e6link.discovery;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Benchmark baseline: {@link ClusterDiscoveryFunction}'s resource code, SDK defaults, clients built per invocation. */
public final class NaiveClusterDiscoveryFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(ClusterDiscoveryResource.TYPE,
                () -> new ClusterDiscoveryResource(EksClient.create(), Ec2Client.create(), ElasticLoadBalancingV2Client.create())) { }
                .handleRequest(input, output, context);
    }
}
