package io.e6link.eksclusterdiscovery;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Benchmark baseline: {@link EksClusterDiscoveryFunction}'s resource code, SDK defaults, clients built per invocation. */
public final class NaiveEksClusterDiscoveryFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(EksClusterDiscoveryResource.TYPE,
                () -> new EksClusterDiscoveryResource(EksClient.create(), Ec2Client.create(), ElasticLoadBalancingV2Client.create())) { }
                .handleRequest(input, output, context);
    }
}
