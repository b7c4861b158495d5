package io.e6link.eksenitargets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Benchmark baseline: {@link ReconcilerFunction}'s code, SDK defaults, handler and clients built per invocation. */
public final class NaiveReconcilerFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new ReconcilerFunction(System::getenv, NaiveEksEniTargetsFunction::naiveClients, JsonLog.stdout())
                .handleRequest(input, output, context);
    }
}
