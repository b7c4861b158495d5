package io.e6link.kit.eks;

import java.util.List;

/**
 * What the stack needs to know about an EKS cluster, read once with {@code eks:DescribeCluster}.
 *
 * @param vpcId                  null when the API does not report it (moto); derive it from the subnets
 * @param securityGroupId        the cluster security group; null for clusters that predate it (and moto)
 * @param oidcIssuer             the issuer URL, or "" when the cluster has none
 * @param endpoint               the Kubernetes API server endpoint URL DescribeCluster reports
 *                               ({@code https://<id>.<suffix>.<region>.eks.amazonaws.com}); null when not reported
 */
public record EksCluster(String name, String arn, String status, String vpcId, List<String> subnetIds,
                         String securityGroupId, String oidcIssuer, boolean endpointPrivateAccess, String endpoint) {

    public EksCluster {
        subnetIds = List.copyOf(subnetIds);
    }

    /** A cluster whose API endpoint is not known (null {@code endpoint}): what rules that never read it are given. */
    public EksCluster(String name, String arn, String status, String vpcId, List<String> subnetIds,
                      String securityGroupId, String oidcIssuer, boolean endpointPrivateAccess) {
        this(name, arn, status, vpcId, subnetIds, securityGroupId, oidcIssuer, endpointPrivateAccess, null);
    }

    /**
     * The host name of the API server endpoint (the endpoint URL without scheme, port and path): the name
     * the API server's TLS certificate carries, which a client reaching it through PrivateLink must use.
     *
     * @return the host name, or "" when DescribeCluster reported no endpoint
     */
    public String endpointHostname() {
        if (endpoint == null || endpoint.isBlank()) {
            return "";
        }
        String host = endpoint.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int end = host.length();
        for (char stop : new char[] {'/', ':', '?'}) {
            int at = host.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return host.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isActive() {
        return "ACTIVE".equals(status);
    }
}
