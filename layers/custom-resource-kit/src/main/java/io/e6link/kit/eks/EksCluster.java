package io.e6link.kit.eks;

import java.util.List;

/**
 * What the stack needs to know about an EKS cluster, read once with {@code eks:DescribeCluster}.
 *
 * @param vpcId                  null when the API does not report it (moto); derive it from the subnets
 * @param securityGroupId        the cluster security group; null for clusters that predate it (and moto)
 * @param oidcIssuer             the issuer URL, or "" when the cluster has none
 */
public record EksCluster(String name, String arn, String status, String vpcId, List<String> subnetIds,
                         String securityGroupId, String oidcIssuer, boolean endpointPrivateAccess) {

    public EksCluster {
        subnetIds = List.copyOf(subnetIds);
    }

    public boolean isActive() {
        return "ACTIVE".equals(status);
    }
}
