package io.e6link.bucketpolicystatement;

import io.e6link.kit.AwsClients;
import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.Environment;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Lambda entry point for {@code Custom::BucketPolicyStatement} (runbook step 6). */
public final class BucketPolicyStatementFunction extends CustomResourceFunction {
    public BucketPolicyStatementFunction() {
        super(BucketPolicyStatementResource.TYPE, () -> new BucketPolicyStatementResource(s3()));
    }

    /** Emulators serve buckets by path, not by virtual host; real S3 needs no such setting. */
    static S3Client s3() {
        S3ClientBuilder builder = AwsClients.configure(S3Client.builder());
        if (Environment.system().isSet("AWS_ENDPOINT_URL") || Environment.system().isSet("AWS_ENDPOINT_URL_S3")) {
            builder.forcePathStyle(true);
        }
        return builder.build();
    }
}
