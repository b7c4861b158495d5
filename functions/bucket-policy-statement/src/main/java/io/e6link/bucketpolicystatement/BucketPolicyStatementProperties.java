package io.e6link.bucketpolicystatement;

import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * @param bucketNames   the buckets to carry the statement, in the given order, without duplicates
 * @param vpcEndpointId the S3 gateway endpoint the statement admits ({@code aws:SourceVpce})
 * @param statementId   the Sid the statement is merged by, and the only Sid this resource removes
 * @param scope         whether the statement is limited to principals of the stack's account
 */
record BucketPolicyStatementProperties(List<String> bucketNames, String vpcEndpointId, String statementId, PrincipalScope scope) {
    static final String DEFAULT_STATEMENT_ID = "E6linkPrivateLinkAccess";
    // S3 bucket naming rules (general purpose buckets): 3-63 of a-z 0-9 . -, starting and ending alphanumeric.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern ENDPOINT = Pattern.compile("vpce-[0-9a-f]{8,17}");
    // IAM's Sid grammar (letters and digits) so the statement is valid wherever a policy is checked.
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,100}");

    /**
     * template.yaml: {@code BucketNames: !Ref E6dataBucketNames}, {@code VpcEndpointId: !GetAtt
     * S3GatewayEndpoint.VpcEndpointId}, {@code PrincipalScope: !Ref BucketPolicyPrincipalScope};
     * {@code StatementId} is computed from the stack id.
     */
    static final PropertySources SOURCES = PropertySources.NONE
            .parameter("BucketNames", "E6dataBucketNames")
            .derived("VpcEndpointId", "the S3 gateway endpoint of the cluster named by ClusterName")
            .parameter("PrincipalScope", "BucketPolicyPrincipalScope");

    static BucketPolicyStatementProperties parse(ResourceProperties given) {
        ResourceProperties properties = given.from(SOURCES);
        List<String> buckets = List.copyOf(new LinkedHashSet<>(properties.stringList("BucketNames", true)));
        for (String bucket : buckets) {
            if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
                throw SOURCES.invalid("BucketNames", bucket, "expected S3 bucket names (3-63 lowercase letters, digits, dots, hyphens), not ARNs");
            }
        }
        String endpoint = properties.requiredString("VpcEndpointId");
        if (!ENDPOINT.matcher(endpoint).matches()) {
            throw SOURCES.invalid("VpcEndpointId", endpoint, "expected a VPC endpoint id like vpce-0123456789abcdef0");
        }
        String sid = properties.optionalString("StatementId", DEFAULT_STATEMENT_ID);
        if (!SID.matcher(sid).matches()) {
            throw SOURCES.invalid("StatementId", sid, "expected 1-100 letters and digits");
        }
        return new BucketPolicyStatementProperties(buckets, endpoint, sid,
                PrincipalScope.parse(properties.optionalString("PrincipalScope", PrincipalScope.ThisAccount.name())));
    }
}
