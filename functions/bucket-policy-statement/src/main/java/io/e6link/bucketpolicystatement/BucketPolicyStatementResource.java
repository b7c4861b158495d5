package io.e6link.bucketpolicystatement;

import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.CustomResourceRequest;
import io.e6link.kit.CustomResourceType;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Step 6 of the runbook: one {@code aws:SourceVpce} statement merged by Sid into the policy of each
 * e6data bucket. The customer's other statements are never touched, the statement is removed on
 * Delete, and the policy is deleted only when this statement was its last one. Statements carry no
 * tags, so the Sid is the ownership mark: only statements with this resource's Sid are changed (the
 * template makes it unique per stack).
 *
 * <p>Delete works from the properties alone, never from the physical id, so it also cleans up after
 * a Create that failed: its placeholder id reaches Delete like any other (as does an id CloudFormation
 * made up after a lost answer). That matters when a failed Create could not put a bucket's previous
 * policy back: the statement it wrote stays until that Delete removes it, with every other statement kept.
 */
final class BucketPolicyStatementResource implements CustomResource<BucketPolicyStatementProperties> {
    static final CustomResourceType<BucketPolicyStatementProperties> TYPE = new CustomResourceType<>("Custom::BucketPolicyStatement", BucketPolicyStatementProperties::parse);

    private final BucketPolicyStore store;
    private final JsonLog log = JsonLog.stdout();

    BucketPolicyStatementResource(S3Client s3) {
        this.store = new BucketPolicyStore(s3);
    }

    @Override
    public Outcome create(Invocation<BucketPolicyStatementProperties> invocation) {
        BucketPolicyStatementProperties wanted = invocation.properties();
        String account = account(invocation.request());
        List<BucketChange> changes = wanted.bucketNames().stream()
                .map(bucket -> BucketChange.add(bucket, SourceVpceStatement.forBucket(bucket, wanted, account, partition(invocation.request())), Set.of()))
                .toList();
        transaction(invocation, account).apply(changes);
        return outcome(physicalId(invocation.request()), wanted);
    }

    /**
     * Buckets still listed get the new statement (and lose the old Sid when it changed); buckets
     * dropped from the list lose the old statement. One transaction: all of it or none of it.
     */
    @Override
    public Outcome update(Invocation<BucketPolicyStatementProperties> invocation) {
        BucketPolicyStatementProperties wanted = invocation.properties();
        BucketPolicyStatementProperties old = invocation.oldProperties();
        String account = account(invocation.request());
        boolean sidChanged = !old.statementId().equals(wanted.statementId());
        List<BucketChange> changes = new ArrayList<>();
        for (String bucket : wanted.bucketNames()) {
            // Only buckets the old statement went to can hold the old Sid as ours.
            Set<String> remove = sidChanged && old.bucketNames().contains(bucket) ? Set.of(old.statementId()) : Set.of();
            changes.add(BucketChange.add(bucket, SourceVpceStatement.forBucket(bucket, wanted, account, partition(invocation.request())), remove));
        }
        for (String bucket : old.bucketNames()) {
            if (!wanted.bucketNames().contains(bucket)) {
                changes.add(BucketChange.remove(bucket, old.statementId()));
            }
        }
        transaction(invocation, account).apply(changes);
        return outcome(invocation.physicalResourceId(), wanted);
    }

    @Override
    public Outcome delete(Invocation<BucketPolicyStatementProperties> invocation) {
        BucketPolicyStatementProperties current = invocation.properties();
        List<BucketChange> changes = current.bucketNames().stream()
                .map(bucket -> BucketChange.remove(bucket, current.statementId()))
                .toList();
        transaction(invocation, account(invocation.request())).apply(changes);
        return invocation.sameId().build();
    }

    private PolicyTransaction transaction(Invocation<?> invocation, String account) {
        return new PolicyTransaction(store, account, invocation.deadline(), log);
    }

    private static Outcome outcome(String physicalId, BucketPolicyStatementProperties properties) {
        return Outcome.of(physicalId)
                .with("StatementId", properties.statementId())
                .withList("Buckets", properties.bucketNames())
                .build();
    }

    /** Stable for the life of the resource, and the same for a redelivered Create. */
    private static String physicalId(CustomResourceRequest request) {
        String[] stack = String.valueOf(request.stackId()).split("/");
        String stackName = stack.length > 1 ? stack[1] : "stack";
        return "e6link-bucket-policy-statement-" + stackName + "-" + request.logicalResourceId();
    }

    /** The stack's partition, from its ARN: the bucket ARNs in the statement must use the same one. */
    private static String partition(CustomResourceRequest request) {
        String[] parts = String.valueOf(request.stackId()).split(":");
        return parts.length > 1 && !parts[1].isBlank() ? parts[1] : "aws";
    }

    /** The buckets' expected owner and the aws:PrincipalAccount value both come from the stack's account. */
    private static String account(CustomResourceRequest request) {
        String account = request.accountId();
        if (!account.matches("\\d{12}")) {
            throw new CustomResourceException("The StackId '" + request.stackId()
                    + "' does not name a 12-digit account, so the bucket owner cannot be checked; send the request from CloudFormation.");
        }
        return account;
    }
}
