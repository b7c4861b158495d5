package io.e6link.bucketpolicystatement;

import io.e6link.kit.AwsErrors;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Deadline;
import io.e6link.kit.JsonLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a list of bucket changes all or nothing. Each bucket converges by read → change → write →
 * re-read until the stored policy already has the wanted content (a lost update to another writer
 * is simply merged again). The exact policy text each bucket had before its first write is kept,
 * and when any bucket fails, the buckets already changed get that text back.
 */
final class PolicyTransaction {
    /** Writes per bucket before giving up on a policy another process keeps rewriting. */
    static final int MAX_WRITES = 4;

    private final BucketPolicyStore store;
    private final String owner;
    private final Deadline deadline;
    private final JsonLog log;
    private final Map<String, Optional<String>> before = new LinkedHashMap<>();

    PolicyTransaction(BucketPolicyStore store, String owner, Deadline deadline, JsonLog log) {
        this.store = store;
        this.owner = owner;
        this.deadline = deadline;
        this.log = log;
    }

    void apply(List<BucketChange> changes) {
        try {
            for (BucketChange change : changes) {
                converge(change);
            }
        } catch (RuntimeException failure) {
            throw rolledBack(failure);
        }
    }

    private void converge(BucketChange change) {
        String bucket = change.bucket();
        for (int writes = 0; ; writes++) {
            Optional<String> stored;
            PolicyDocument current;
            try {
                stored = store.read(bucket, owner, deadline);
            } catch (BucketUnavailableException unavailable) {
                if (change.adds()) {
                    throw unavailable;
                }
                // A bucket that is gone or foreign cannot hold a statement this stack put there.
                log.warn("Bucket skipped while removing the statement", Map.of("bucket", bucket, "reason", unavailable.getMessage()));
                return;
            }
            try {
                current = stored.map(text -> PolicyDocument.parse(bucket, text)).orElseGet(PolicyDocument::empty);
            } catch (CustomResourceException malformed) {
                if (change.adds()) {
                    throw malformed;
                }
                // S3 refuses to store such a policy, so this stack cannot have written it: never rewrite it.
                log.warn("Bucket skipped while removing the statement", Map.of("bucket", bucket, "reason", malformed.getMessage()));
                return;
            }
            PolicyDocument wanted = change.applyTo(current);
            if (wanted.sameAs(current)) {
                log.info(writes == 0 ? "Bucket policy already as wanted" : "Bucket policy written and verified",
                        Map.of("bucket", bucket, "statements", current.statements().size(), "writes", writes));
                return;
            }
            if (writes == MAX_WRITES) {
                throw new CustomResourceException("The policy of bucket " + bucket + " was replaced by another writer after each of "
                        + MAX_WRITES + " writes; stop the process that keeps rewriting it and retry the stack operation.");
            }
            if (wanted.isEmpty()) {
                before.putIfAbsent(bucket, stored);
                store.delete(bucket, owner, deadline);
            } else {
                String json = wanted.toJson();
                int bytes = PolicyDocument.bytes(json);
                if (bytes > PolicyDocument.MAX_BYTES) {
                    String what = change.adds() ? "Adding statement " + change.statement().get("Sid") : "Removing the statement";
                    throw new CustomResourceException(what + " would make the policy of bucket "
                            + bucket + " " + bytes + " bytes, over S3's 20 KB (" + PolicyDocument.MAX_BYTES
                            + " bytes) limit; shorten or merge the bucket's other statements and retry.");
                }
                before.putIfAbsent(bucket, stored);
                store.write(bucket, owner, json, deadline);
            }
        }
    }

    private CustomResourceException rolledBack(RuntimeException failure) {
        String reason = AwsErrors.reason(failure);
        List<String> restored = new ArrayList<>();
        List<String> unrestored = new ArrayList<>();
        List<String> buckets = new ArrayList<>(before.keySet());
        for (int i = buckets.size() - 1; i >= 0; i--) {
            String bucket = buckets.get(i);
            Optional<String> previous = before.get(bucket);
            try {
                if (putBack(bucket, previous)) {
                    restored.add(0, bucket);
                }
            } catch (RuntimeException e) {
                log.error("Could not put back the previous bucket policy", Map.of("bucket", bucket, "error", AwsErrors.reason(e)));
                unrestored.add(0, bucket);
            }
        }
        if (!restored.isEmpty()) {
            log.info("Put back the previous bucket policies after a failure", Map.of("buckets", restored));
            reason += " The policies already changed were put back (" + String.join(", ", restored) + ").";
        }
        if (!unrestored.isEmpty()) {
            reason += " Could not put back the previous policy of " + String.join(", ", unrestored)
                    + "; check those bucket policies by hand.";
        }
        return new CustomResourceException(reason, failure);
    }

    /**
     * Writes the exact previous text back, or deletes the policy the bucket did not have. A write
     * that failed may not have landed, so the bucket is read first and left alone when it still
     * holds its previous policy. False when nothing needed putting back.
     */
    private boolean putBack(String bucket, Optional<String> previous) {
        Optional<String> now = store.read(bucket, owner, deadline);
        boolean unchanged = previous.isEmpty() ? now.isEmpty()
                : now.isPresent() && (now.get().equals(previous.get())
                        || PolicyDocument.parse(bucket, now.get()).sameAs(PolicyDocument.parse(bucket, previous.get())));
        if (unchanged) {
            return false;
        }
        deadline.step("putting back the previous policy of bucket " + bucket);
        if (previous.isPresent()) {
            store.write(bucket, owner, previous.get(), deadline);
        } else {
            store.delete(bucket, owner, deadline);
        }
        return true;
    }
}
