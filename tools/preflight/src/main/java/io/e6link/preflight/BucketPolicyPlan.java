package io.e6link.preflight;

import io.e6link.bucketpolicystatement.PolicyDocument;
import io.e6link.bucketpolicystatement.SourceVpceStatement;
import io.e6link.kit.CustomResourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code Custom::BucketPolicyStatement} will write into one bucket policy: it parses the stored
 * policy (a single {@code Statement} object counts as a list of one; anything else unexpected fails),
 * appends its statement (its Sid is new for a new stack) and writes the document back compact, refusing
 * more than S3's 20 KB. The sizes here are of that very document, built by the resource's own
 * {@link PolicyDocument}.
 *
 * @param storedBytes  the policy's size as stored (0 without a policy)
 * @param statements   how many statements it has
 * @param bytesAfter   the size of the policy the stack writes
 * @param e6linkSids   statements already put there by e6link stacks (Sid {@code E6link…})
 * @param vpcDenySids  Deny statements conditioned on aws:SourceVpce or aws:SourceVpc
 * @param malformed    why the stored policy cannot be merged (the resource's reason), or null
 */
public record BucketPolicyPlan(boolean hasPolicy, int storedBytes, int statements, int bytesAfter, List<String> e6linkSids,
                        List<String> vpcDenySids, String malformed) {
    /** S3's bucket policy limit. */
    public static final int MAX_BYTES = PolicyDocument.MAX_BYTES;
    /** The stack's Sid: "E6link" + its stack UUID without hyphens (template.yaml); only its length matters here. */
    static final String STATEMENT_ID_SHAPE = "E6link" + "0".repeat(32);
    /** An endpoint id of the longest form, for an endpoint the stack has yet to create. */
    static final String ENDPOINT_ID_SHAPE = "vpce-" + "0".repeat(17);

    boolean exceedsLimit() {
        return malformed == null && bytesAfter > MAX_BYTES;
    }

    /** The runbook's step-6 statement as the stack writes it (PrincipalScope=ThisAccount, the default and the longer form). */
    public static Map<String, Object> statement(String bucket, String endpointId, String account, String partition) {
        return SourceVpceStatement.statement(STATEMENT_ID_SHAPE, bucket, endpointId, account, partition);
    }

    /**
     * The plan for one bucket, computed by the resource's own {@link PolicyDocument}: parse the stored policy,
     * merge the statement, measure what would be written.
     *
     * @param stored    the bucket's policy as S3 returns it, empty without one
     * @param statement the statement the stack writes ({@link #statement})
     */
    public static BucketPolicyPlan of(String bucket, Optional<String> stored, Map<String, Object> statement) {
        int storedBytes = stored.map(PolicyDocument::bytes).orElse(0);
        PolicyDocument current;
        try {
            current = stored.map(text -> PolicyDocument.parse(bucket, text)).orElseGet(PolicyDocument::empty);
        } catch (CustomResourceException refused) {
            return malformed(storedBytes, refused.getMessage());
        }
        List<String> e6link = new ArrayList<>();
        List<String> denies = new ArrayList<>();
        for (Map<String, Object> existing : current.statements()) {
            String sid = existing.get("Sid") == null ? "(no Sid)" : existing.get("Sid").toString();
            if (sid.startsWith("E6link")) {
                e6link.add(sid);
            }
            if ("Deny".equals(existing.get("Effect")) && mentionsVpc(existing.get("Condition"))) {
                denies.add(sid);
            }
        }
        int after = PolicyDocument.bytes(current.upsert(statement).toJson());
        return new BucketPolicyPlan(stored.isPresent(), storedBytes, current.statements().size(), after, List.copyOf(e6link), List.copyOf(denies), null);
    }

    private static BucketPolicyPlan malformed(int storedBytes, String problem) {
        return new BucketPolicyPlan(true, storedBytes, 0, 0, List.of(), List.of(), problem);
    }

    private static boolean mentionsVpc(Object condition) {
        if (!(condition instanceof Map<?, ?> operators)) {
            return false;
        }
        for (Object keys : operators.values()) {
            if (keys instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    String name = String.valueOf(key).toLowerCase(Locale.ROOT);
                    if (name.equals("aws:sourcevpce") || name.equals("aws:sourcevpc")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
