package io.e6link.bucketpolicystatement;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The packaged zip plus the kit layer, run by the Lambda runtime interface client against moto. */
@ExtendWith(MotoExtension.class)
class BucketPolicyStatementFunctionIT {
    private static final String DATA = "e6data-workspace-data";
    private static final String LOGS = "e6data-workspace-logs";
    private static final String CUSTOMER_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",
             "Resource":["arn:aws:s3:::e6data-workspace-data/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";

    @Test
    void packagedFunctionMergesUpdatesAndRemovesTheStatementAsLambdaRunsIt(Moto moto) {
        S3Client s3 = new MotoClients(moto).s3();
        s3.createBucket(request -> request.bucket(DATA));
        s3.createBucket(request -> request.bucket(LOGS));
        s3.putBucketPolicy(request -> request.bucket(DATA).policy(CUSTOMER_POLICY));
        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("BucketPolicyFunction").endpoint(moto).start()) {
            PackagedFunction.Invocation create = function.invoke(Events.json(Events.prepare("bucket-policy-statement/create.json", recorder.newUrl(), Map.of())));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.headers().getOrDefault("Content-type", List.of(""))).allMatch(String::isEmpty);
            assertThat(created.data()).containsEntry("StatementId", "E6linkPrivateLinkAccess").containsEntry("Buckets", DATA);
            assertThat(sids(s3, DATA)).containsExactly("DenyInsecureTransport", "E6linkPrivateLinkAccess");

            Map<String, Object> updateEvent = Events.prepare("bucket-policy-statement/update.json", recorder.newUrl(), Map.of());
            updateEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(updateEvent));
            ResponseRecorder.Put updated = recorder.await(Duration.ofSeconds(5));

            assertThat(updated.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(updated.physicalResourceId()).isEqualTo(created.physicalResourceId());
            assertThat(sids(s3, LOGS)).containsExactly("E6linkPrivateLinkAccess");

            Map<String, Object> deleteEvent = Events.prepare("bucket-policy-statement/delete.json", recorder.newUrl(), Map.of());
            deleteEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(deleteEvent));
            ResponseRecorder.Put deleted = recorder.await(Duration.ofSeconds(5));

            assertThat(deleted.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(Json.readObject(s3.getBucketPolicy(request -> request.bucket(DATA)).policy())).isEqualTo(Json.readObject(CUSTOMER_POLICY));
            assertThat(hasPolicy(s3, LOGS)).isFalse();
            assertThat(function.logs()).contains("\"outcome\":\"SUCCESS\"").doesNotContain("X-Amz-Signature");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> sids(S3Client s3, String bucket) {
        Map<String, Object> policy = Json.readObject(s3.getBucketPolicy(request -> request.bucket(bucket)).policy());
        return ((List<Map<String, Object>>) policy.get("Statement")).stream().map(statement -> statement.get("Sid")).toList();
    }

    private static boolean hasPolicy(S3Client s3, String bucket) {
        try {
            s3.getBucketPolicy(request -> request.bucket(bucket));
            return true;
        } catch (S3Exception e) {
            return !"NoSuchBucketPolicy".equals(e.awsErrorDetails().errorCode());
        }
    }
}
