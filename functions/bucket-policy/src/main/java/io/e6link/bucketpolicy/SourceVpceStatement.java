package io.e6link.bucketpolicy;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the runbook's step-6 statement for one bucket, in the key order the runbook shows. */
final class SourceVpceStatement {
    private SourceVpceStatement() {
    }

    /** @param partition {@code aws}, {@code aws-cn} or {@code aws-us-gov}: bucket ARNs differ per partition */
    static Map<String, Object> forBucket(String bucket, BucketPolicyStatementProperties properties, String accountId, String partition) {
        Map<String, Object> stringEquals = new LinkedHashMap<>();
        stringEquals.put("aws:SourceVpce", properties.vpcEndpointId());
        if (properties.scope() == PrincipalScope.ThisAccount) {
            stringEquals.put("aws:PrincipalAccount", accountId);
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", properties.statementId());
        statement.put("Effect", "Allow");
        statement.put("Principal", "*");
        statement.put("Action", "s3:*");
        statement.put("Resource", "arn:" + partition + ":s3:::" + bucket + "/*");
        statement.put("Condition", Map.of("StringEquals", stringEquals));
        return statement;
    }
}
