package io.e6link.endpointservicevalidation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Benchmark baseline: {@link ConnectionAcceptanceFunction}'s code, SDK defaults, handler and client built per invocation. */
public final class NaiveConnectionAcceptanceFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new ConnectionAcceptanceFunction(() -> new Ec2EndpointConnections(Ec2Client.create()), System::getenv, JsonLog.stdout())
                .handleRequest(input, output, context);
    }
}
