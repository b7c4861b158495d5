package io.e6link.benchmark;

/**
 * One Lambda handler of template.yaml and its naive twin.
 *
 * @param functionId       the function's logical id in template.yaml
 * @param module           the Maven module that builds it (and benchmark/baseline-&lt;module&gt;)
 * @param naiveHandler     the baseline's handler class (same package as the real one)
 * @param customResourceId the custom resource it serves, or null for a scheduled function
 * @param needsConnections whether its EC2 and ELB calls must go through the proxy for moto's gaps (endpoint connections)
 */
record Subject(String functionId, String module, String naiveHandler, String customResourceId, boolean needsConnections) {

    static final java.util.List<Subject> ALL = java.util.List.of(
            new Subject("DiscoveryFunction", "eks-cluster-discovery", "io.e6link.eksclusterdiscovery.NaiveEksClusterDiscoveryFunction", "ClusterDiscovery", false),
            new Subject("OidcProviderFunction", "oidc-provider", "io.e6link.oidcprovider.NaiveOidcProviderFunction", "OidcProvider", false),
            new Subject("SecurityGroupRulesFunction", "security-group-ingress-rules", "io.e6link.securitygroupingressrules.NaiveSecurityGroupIngressRulesFunction", "ClusterIngressRules", false),
            new Subject("EniTargetsFunction", "eks-eni-targets", "io.e6link.eksenitargets.NaiveEksEniTargetsFunction", "EniTargets", false),
            new Subject("S3GatewayEndpointFunction", "s3-gateway-endpoint", "io.e6link.s3gatewayendpoint.NaiveS3GatewayEndpointFunction", "S3GatewayEndpoint", false),
            new Subject("BucketPolicyFunction", "bucket-policy-statement", "io.e6link.bucketpolicystatement.NaiveBucketPolicyStatementFunction", "BucketPolicyStatement", false),
            new Subject("EndpointValidationFunction", "endpoint-service-validation", "io.e6link.endpointservicevalidation.NaiveEndpointServiceValidationFunction", "EndpointValidation", true),
            new Subject("ReconcilerFunction", "eks-eni-targets", "io.e6link.eksenitargets.NaiveReconcilerFunction", null, false),
            new Subject("ConnectionAcceptanceFunction", "endpoint-service-validation", "io.e6link.endpointservicevalidation.NaiveConnectionAcceptanceFunction", null, true));

    boolean scheduled() {
        return customResourceId == null;
    }

    /** The baseline artifact: the shaded jar, uploaded as is (Lambda extracts it: classes at the root). */
    String baselineCodeUri() {
        return "benchmark/baseline-" + module + "/target/baseline-" + module + ".jar";
    }
}
