package io.e6link.eksenitargets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Benchmark baseline: {@link EksEniTargetsFunction}'s resource code, SDK defaults, clients built per invocation. */
public final class NaiveEksEniTargetsFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(EksEniTargetsResource.TYPE, () -> new EksEniTargetsResource(naiveClients())) { }
                .handleRequest(input, output, context);
    }

    static ServiceClients naiveClients() {
        return new ServiceClients(EksClient.create(), Ec2Client.create(), ElasticLoadBalancingV2Client.create());
    }
}
