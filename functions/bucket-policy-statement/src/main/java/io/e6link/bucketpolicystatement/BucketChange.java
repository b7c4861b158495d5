package io.e6link.bucketpolicystatement;

import java.util.Map;
import java.util.Set;

/**
 * What one bucket's policy should become: statements with {@code removeSids} taken out, then
 * {@code statement} (when not null) upserted by its Sid.
 */
record BucketChange(String bucket, Map<String, Object> statement, Set<String> removeSids) {

    static BucketChange add(String bucket, Map<String, Object> statement, Set<String> removeSids) {
        return new BucketChange(bucket, statement, Set.copyOf(removeSids));
    }

    static BucketChange remove(String bucket, String sid) {
        return new BucketChange(bucket, null, Set.of(sid));
    }

    boolean adds() {
        return statement != null;
    }

    PolicyDocument applyTo(PolicyDocument policy) {
        PolicyDocument changed = policy;
        for (String sid : removeSids) {
            changed = changed.remove(sid);
        }
        return adds() ? changed.upsert(statement) : changed;
    }
}
