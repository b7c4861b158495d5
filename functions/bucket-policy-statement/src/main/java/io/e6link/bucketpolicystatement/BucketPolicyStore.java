package io.e6link.bucketpolicystatement;

import io.e6link.kit.AccessDenial;
import io.e6link.kit.AwsErrors;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Deadline;
import io.e6link.kit.Polling;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.PutBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The three S3 calls on a bucket policy, each guarded by {@code ExpectedBucketOwner} (so a bucket
 * that changed hands is never touched), retried on conflicts while the deadline allows (throttling is
 * the SDK's to retry), and with S3's errors turned into reasons that name the bucket.
 *
 * <p>PutBucketPolicy has no ETag or If-Match, so conflicts with other writers (log delivery
 * services answer 409 OperationAborted while they update a policy) are retried here, and lost
 * updates are caught by the caller re-reading after each write.
 */
final class BucketPolicyStore {
    /** Pauses between retries: about 200 ms, doubling to about 5 s, with half jitter (the SDK's backoff). */
    private static final Polling RETRIES = Polling.withBackoff(BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(200), Duration.ofSeconds(5)));
    /** Time kept back from the deadline so that a failure can still put changed buckets back. */
    static final Duration ROLLBACK_RESERVE = Duration.ofSeconds(10);

    private final S3Client s3;

    BucketPolicyStore(S3Client s3) {
        this.s3 = s3;
    }

    /** The stored policy text, or empty when the bucket has no policy. */
    Optional<String> read(String bucket, String owner, Deadline deadline) {
        try {
            return Optional.of(retrying("reading the policy of bucket " + bucket, bucket, deadline,
                    () -> s3.getBucketPolicy(GetBucketPolicyRequest.builder().bucket(bucket).expectedBucketOwner(owner).build()).policy()));
        } catch (S3Exception e) {
            if ("NoSuchBucketPolicy".equals(AwsErrors.errorCode(e))) {
                return Optional.empty();
            }
            throw readFailure(bucket, owner, e);
        }
    }

    void write(String bucket, String owner, String policy, Deadline deadline) {
        try {
            retrying("writing the policy of bucket " + bucket, bucket, deadline,
                    () -> s3.putBucketPolicy(PutBucketPolicyRequest.builder().bucket(bucket).expectedBucketOwner(owner).policy(policy).build()));
        } catch (S3Exception e) {
            throw writeFailure(bucket, owner, e);
        }
    }

    void delete(String bucket, String owner, Deadline deadline) {
        try {
            retrying("deleting the policy of bucket " + bucket, bucket, deadline,
                    () -> s3.deleteBucketPolicy(DeleteBucketPolicyRequest.builder().bucket(bucket).expectedBucketOwner(owner).build()));
        } catch (S3Exception e) {
            throw writeFailure(bucket, owner, e);
        }
    }

    private static <T> T retrying(String step, String bucket, Deadline deadline, Supplier<T> call) {
        deadline.step(step);
        long started = deadline.elapsedMillis();
        try {
            // Retried while the deadline allows, keeping the time to put changed buckets back.
            Duration bound = Polling.bound(Duration.ofMillis(deadline.remainingMillis()), deadline, ROLLBACK_RESERVE);
            return RETRIES.retry(deadline, bound, call, failure -> failure instanceof S3Exception e && isTransient(e));
        } catch (S3Exception e) {
            if (!isTransient(e)) {
                throw e;
            }
            long seconds = Math.max(1, (deadline.elapsedMillis() - started) / 1000);
            throw new CustomResourceException("S3 kept answering " + describe(e) + " while " + step + " for " + seconds
                    + " s; another process is changing bucket " + bucket + " or S3 is throttling, retry the stack operation later.", e);
        }
    }

    /**
     * 409 OperationAborted (a conflicting operation on the bucket) heals with time. Throttling and 5xx are the
     * SDK's retry strategy's to ride out; what outlives it arrives with the kit's reason, passed on as it is.
     */
    static boolean isTransient(S3Exception e) {
        return e.statusCode() == 409 || "OperationAborted".equals(AwsErrors.errorCode(e));
    }

    private RuntimeException readFailure(String bucket, String owner, S3Exception e) {
        if (AwsErrors.isThrottling(e)) {
            return e;
        }
        if ("NoSuchBucket".equals(AwsErrors.errorCode(e))) {
            return missing(bucket, e);
        }
        if (e.statusCode() == 405) {
            return foreign(bucket, owner, e);
        }
        if (e.statusCode() == 403 && AwsErrors.isTranslated(e) && !AccessDenial.of(e.getCause()).clause().isEmpty()) {
            // AWS named the policy that denied (S3 does for callers in the bucket's account): an IAM denial, not another owner.
            return new CustomResourceException(AwsErrors.reason(e), e);
        }
        if (e.statusCode() == 403) {
            // ExpectedBucketOwner mismatches ("Access Denied", no policy named) and missing IAM permissions both answer 403.
            // Without the owner guard S3 answers 405 to a caller from another account: ask once (a read) to tell them apart.
            try {
                s3.getBucketPolicy(GetBucketPolicyRequest.builder().bucket(bucket).build());
                return foreign(bucket, owner, e);
            } catch (S3Exception probe) {
                if (probe.statusCode() == 405 || "NoSuchBucketPolicy".equals(AwsErrors.errorCode(probe))) {
                    return foreign(bucket, owner, e);
                }
            }
            if (AwsErrors.isAccessDenied(e) && AwsErrors.isTranslated(e)) {
                return new CustomResourceException(AwsErrors.reason(e), e); // says who can allow it, and how long IAM was given
            }
            return new CustomResourceException("Access denied reading the policy of bucket " + bucket + " (" + detail(e)
                    + "); grant the function's role s3:GetBucketPolicy on arn:aws:s3:::" + bucket
                    + " and check that no Deny statement in the bucket policy blocks it.", e);
        }
        return new CustomResourceException("S3 refused to read the policy of bucket " + bucket + " (" + detail(e) + ").", e);
    }

    private RuntimeException writeFailure(String bucket, String owner, S3Exception e) {
        String code = AwsErrors.errorCode(e);
        if (AwsErrors.isThrottling(e)) {
            return e;
        }
        if ("NoSuchBucket".equals(code)) {
            return missing(bucket, e);
        }
        if (e.statusCode() == 405) {
            return foreign(bucket, owner, e);
        }
        if (e.statusCode() == 403 && isBlockPublicAccess(e)) {
            return new CustomResourceException("S3 Block Public Access (BlockPublicPolicy) refused the new policy of bucket " + bucket
                    + " because S3 considers the resulting policy public; make the bucket's other statements non-public"
                    + " or review the bucket's and the account's Block Public Access settings, then retry.", e);
        }
        if (e.statusCode() == 403 && AwsErrors.isAccessDenied(e) && AwsErrors.isTranslated(e)) {
            return new CustomResourceException(AwsErrors.reason(e), e); // says who can allow it, and how long IAM was given
        }
        if (e.statusCode() == 403) {
            return new CustomResourceException("Access denied changing the policy of bucket " + bucket + " (" + detail(e)
                    + "); grant the function's role s3:PutBucketPolicy and s3:DeleteBucketPolicy on arn:aws:s3:::" + bucket
                    + " and check that no Deny statement in the bucket policy blocks it.", e);
        }
        if ("MalformedPolicy".equals(code)) {
            return new CustomResourceException("S3 rejected the merged policy of bucket " + bucket + " as malformed (" + detail(e)
                    + "); check the bucket's existing statements and the VpcEndpointId.", e);
        }
        return new CustomResourceException("S3 refused to change the policy of bucket " + bucket + " (" + detail(e) + ").", e);
    }

    static boolean isBlockPublicAccess(S3Exception e) {
        String message = String.valueOf(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()).toLowerCase(Locale.ROOT);
        return message.contains("blockpublicpolicy") || message.contains("public access") || message.contains("public policies");
    }

    private static BucketUnavailableException missing(String bucket, S3Exception e) {
        return new BucketUnavailableException("Bucket " + bucket + " does not exist; check the bucket names (E6dataBucketNames) and retry.", e);
    }

    private static BucketUnavailableException foreign(String bucket, String owner, S3Exception e) {
        return new BucketUnavailableException("Bucket " + bucket + " belongs to another AWS account than " + owner
                + "; this stack can only change policies of buckets in its own account, so add the statement in the bucket owner's account.", e);
    }

    private static String describe(S3Exception e) {
        String code = AwsErrors.errorCode(e);
        return code.isEmpty() ? "HTTP " + e.statusCode() : code;
    }

    private static String detail(S3Exception e) {
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return describe(e) + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
