package io.e6link.bucketpolicystatement;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.CustomResourceFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Benchmark baseline: {@link BucketPolicyStatementFunction}'s resource code, SDK defaults, clients built
 * per invocation. Path-style addressing is the one setting kept: an emulator on 127.0.0.1 has no
 * virtual-host bucket names, and it costs nothing at start-up.
 */
public final class NaiveBucketPolicyStatementFunction implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        new CustomResourceFunction(BucketPolicyStatementResource.TYPE,
                () -> new BucketPolicyStatementResource(S3Client.builder().forcePathStyle(true).build())) { }
                .handleRequest(input, output, context);
    }
}
