package io.e6link.preflight;

import io.e6link.kit.AwsErrors;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runbook step 6 as {@code Custom::BucketPolicyStatement} will do it, per bucket: the bucket must
 * exist and belong to this account (the resource writes with {@code ExpectedBucketOwner}); its policy
 * must stay within 20 KB with the statement added. Ownership is read from ListBuckets (it lists
 * exactly this account's buckets); a bucket missing from it is probed with HeadBucket to tell
 * "missing" from "another account's".
 */
record BucketCheck(S3Client s3, String region, String partition) {
    static final String BUCKETS = "E6dataBucketNames";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Above this share of the limit the report warns that little room is left. */
    private static final double NEAR_LIMIT = 0.9;

    /** @param endpointId the adopted S3 endpoint, or empty when the stack creates one (its id's length is assumed) */
    void run(Options options, String account, Optional<String> endpointId, Section section) {
        if (options.buckets() == null || options.buckets().isEmpty()) {
            section.unchecked("Not checked: pass --buckets with e6data's bucket names (" + BUCKETS + ", required by the stack).");
            return;
        }
        List<String> buckets = new ArrayList<>();
        for (String bucket : options.buckets()) {
            if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
                section.blocker(BUCKETS + " has invalid value '" + bucket + "': expected S3 bucket names (3-63 lowercase letters, digits, dots, hyphens), not ARNs.", BUCKETS);
            } else {
                buckets.add(bucket);
            }
        }
        Map<String, Bucket> owned = null;
        try {
            Map<String, Bucket> listed = new LinkedHashMap<>();
            Unreadable.read("s3:ListAllMyBuckets", () -> {
                s3.listBucketsPaginator(b -> b.maxBuckets(1000)).buckets().forEach(bucket -> listed.put(bucket.name(), bucket));
                return null;
            });
            owned = listed;
        } catch (Unreadable unreadable) {
            section.unchecked("Could not list this account's buckets (" + unreadable.reason() + "), so ownership is read from each bucket's policy instead.");
        }
        for (String bucket : buckets) {
            try {
                bucket(bucket, owned, account, endpointId, section);
            } catch (Unreadable unreadable) {
                section.unchecked("Could not check bucket " + bucket + ": " + unreadable.reason() + ".");
            }
        }
    }

    private void bucket(String bucket, Map<String, Bucket> owned, String account, Optional<String> endpointId, Section section) {
        if (owned != null && !owned.containsKey(bucket)) {
            if (exists(bucket)) {
                section.blocker("Bucket " + bucket + " is not in this account's bucket list, so it belongs to another account and the stack (which writes with "
                        + "ExpectedBucketOwner=" + account + ") would fail; remove it from " + BUCKETS + " or deploy in the bucket owner's account.", BUCKETS);
            } else {
                section.blocker("Bucket " + bucket + " does not exist; create it or remove it from " + BUCKETS + ".", BUCKETS);
            }
            return;
        }
        Optional<String> policy;
        try {
            policy = Unreadable.read("s3:GetBucketPolicy", () -> readPolicy(bucket, account));
        } catch (Unreadable unreadable) {
            Throwable cause = unreadable.getCause();
            if (cause instanceof NoSuchBucketException || "NoSuchBucket".equals(AwsErrors.errorCode(cause))) {
                section.blocker("Bucket " + bucket + " does not exist; create it or remove it from " + BUCKETS + ".", BUCKETS);
                return;
            }
            if (owned == null && AwsErrors.isAccessDenied(cause)) {
                section.unchecked("Could not read the policy of bucket " + bucket + " with ExpectedBucketOwner=" + account + " ("
                        + AwsErrors.errorCode(cause) + "): it belongs to another account, or your credentials may not call s3:GetBucketPolicy.");
                return;
            }
            throw unreadable;
        }
        String bucketRegion = regionOf(bucket, owned == null ? null : owned.get(bucket));
        section.ok("Bucket " + bucket + " belongs to this account (" + account + ")" + (bucketRegion == null ? "." : ", in " + bucketRegion + "."));
        if (bucketRegion != null && !bucketRegion.equals(region)) {
            section.warning("Bucket " + bucket + " is in " + bucketRegion + ", but an S3 gateway endpoint only reaches buckets of its own region ("
                    + region + "), so e6data's requests to it never carry the endpoint and the aws:SourceVpce statement never matches.", BUCKETS);
        }
        String endpoint = endpointId.orElse(BucketPolicyPlan.ENDPOINT_ID_SHAPE);
        BucketPolicyPlan plan = BucketPolicyPlan.of(bucket, policy, BucketPolicyPlan.statement(bucket, endpoint, account, partition));
        if (plan.malformed() != null) {
            section.blocker(plan.malformed() + " Or remove " + bucket + " from " + BUCKETS + ".", BUCKETS);
            return;
        }
        if (!plan.hasPolicy()) {
            section.ok("Bucket " + bucket + " has no policy: the stack creates one holding only its statement (" + bytes(plan.bytesAfter())
                    + ") and deletes it with the stack.");
        } else if (plan.exceedsLimit()) {
            section.blocker("Adding the e6link statement would make the policy of bucket " + bucket + " " + bytes(plan.bytesAfter())
                    + ", over S3's 20 KB (" + bytes(BucketPolicyPlan.MAX_BYTES) + ") limit; shorten or merge its other statements, or remove "
                    + bucket + " from " + BUCKETS + ".", BUCKETS);
        } else {
            Finding.Status status = plan.bytesAfter() > NEAR_LIMIT * BucketPolicyPlan.MAX_BYTES ? Finding.Status.WARNING : Finding.Status.OK;
            section.add(new Finding(status, "The policy of bucket " + bucket + " has " + plan.statements() + " statement" + (plan.statements() == 1 ? "" : "s")
                    + " (" + bytes(plan.storedBytes()) + " as stored); with the e6link statement merged it is " + bytes(plan.bytesAfter()) + " of "
                    + bytes(BucketPolicyPlan.MAX_BYTES) + (status == Finding.Status.WARNING ? ", leaving little room for later statements." : "."), null));
        }
        if (!plan.e6linkSids().isEmpty()) {
            section.warning("Bucket " + bucket + " already holds e6link statement" + (plan.e6linkSids().size() == 1 ? " " : "s ")
                    + String.join(", ", plan.e6linkSids()) + " of another e6link stack (another cluster sharing the bucket, or a stack that is gone); "
                    + "this stack adds its own statement beside " + (plan.e6linkSids().size() == 1 ? "it." : "them."));
        }
        if (!plan.vpcDenySids().isEmpty()) {
            section.warning("The policy of bucket " + bucket + " has Deny statement" + (plan.vpcDenySids().size() == 1 ? " " : "s ")
                    + String.join(", ", plan.vpcDenySids()) + " conditioned on aws:SourceVpce or aws:SourceVpc; make sure "
                    + (plan.vpcDenySids().size() == 1 ? "it admits " : "they admit ") + endpointId.orElse("the S3 gateway endpoint the stack creates")
                    + " or e6data's access through it stays denied.");
        }
    }

    private Optional<String> readPolicy(String bucket, String account) {
        try {
            return Optional.of(s3.getBucketPolicy(b -> b.bucket(bucket).expectedBucketOwner(account)).policy());
        } catch (S3Exception e) {
            if ("NoSuchBucketPolicy".equals(AwsErrors.errorCode(e))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** HeadBucket: 404 means no such bucket; any other answer (403 for a foreign bucket) means it exists. */
    private boolean exists(String bucket) {
        try {
            Unreadable.read("s3:ListBucket", () -> s3.headBucket(b -> b.bucket(bucket)));
            return true;
        } catch (Unreadable unreadable) {
            Throwable cause = unreadable.getCause();
            boolean missing = cause instanceof NoSuchBucketException
                    || (cause instanceof S3Exception s3Error && s3Error.statusCode() == 404);
            if (missing) {
                return false;
            }
            if (cause instanceof S3Exception) {
                return true;
            }
            throw unreadable;
        }
    }

    /** From ListBuckets where S3 says it, else GetBucketLocation (empty means us-east-1); null when unknown. */
    private String regionOf(String bucket, Bucket listed) {
        if (listed != null && listed.bucketRegion() != null && !listed.bucketRegion().isBlank()) {
            return listed.bucketRegion();
        }
        try {
            String location = Unreadable.read("s3:GetBucketLocation", () -> s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString());
            return location == null || location.isBlank() || location.equals("null") ? "us-east-1" : location.equals("EU") ? "eu-west-1" : location;
        } catch (Unreadable unreadable) {
            return null;
        }
    }

    static String bytes(int bytes) {
        return NumberFormat.getIntegerInstance(Locale.ROOT).format(bytes) + " bytes";
    }
}
