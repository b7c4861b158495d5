package io.e6link.securitygroupingressrules;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Benchmark baseline: {@link SecurityGroupIngressRulesFunction}'s resource code, SDK defaults, clients built per invocation. */
public final class NaiveSecurityGroupIngressRulesFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(SecurityGroupIngressRulesResource.TYPE,
                () -> new SecurityGroupIngressRulesResource(Ec2Client.create())) { }
                .handleRequest(input, output, context);
    }
}
