package io.e6link.bucketpolicystatement;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the runbook's step-6 statement for one bucket, in the key order the runbook shows. Public so
 * that the preflight measures the very statement the function writes.
 */
public final class SourceVpceStatement {
    private SourceVpceStatement() {
    }

    /** @param partition {@code aws}, {@code aws-cn} or {@code aws-us-gov}: bucket ARNs differ per partition */
    static Map<String, Object> forBucket(String bucket, BucketPolicyStatementProperties properties, String accountId, String partition) {
        return statement(properties.statementId(), bucket, properties.vpcEndpointId(),
                properties.scope() == PrincipalScope.ThisAccount ? accountId : null, partition);
    }

    /**
     * The statement allowing {@code s3:*} on the bucket's objects to requests through the endpoint.
     *
     * @param statementId      the statement's Sid
     * @param bucket           the bucket name
     * @param endpointId       the S3 gateway endpoint id ({@code aws:SourceVpce})
     * @param principalAccount the account principals must belong to ({@code aws:PrincipalAccount}), or null for any
     * @param partition        {@code aws}, {@code aws-cn} or {@code aws-us-gov}: bucket ARNs differ per partition
     * @return the statement as an ordered map, ready for JSON
     */
    public static Map<String, Object> statement(String statementId, String bucket, String endpointId, String principalAccount, String partition) {
        Map<String, Object> stringEquals = new LinkedHashMap<>();
        stringEquals.put("aws:SourceVpce", endpointId);
        if (principalAccount != null) {
            stringEquals.put("aws:PrincipalAccount", principalAccount);
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", statementId);
        statement.put("Effect", "Allow");
        statement.put("Principal", "*");
        statement.put("Action", "s3:*");
        statement.put("Resource", "arn:" + partition + ":s3:::" + bucket + "/*");
        statement.put("Condition", Map.of("StringEquals", stringEquals));
        return statement;
    }
}
