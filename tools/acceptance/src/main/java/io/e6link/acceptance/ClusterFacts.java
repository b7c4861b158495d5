package io.e6link.acceptance;

import java.util.List;

/**
 * What the run reads about the cluster before it starts (EKS DescribeCluster, the cluster security group).
 *
 * @param name                   the cluster's name
 * @param vpcId                  its VPC
 * @param clusterSecurityGroupId the cluster security group (EKS's, tagged aws:eks:cluster-name)
 * @param oidcIssuer             the OIDC issuer URL (https://…)
 * @param subnetIds              the cluster's subnets
 * @param endpoint               the API server URL (https://<id>.<suffix>.<region>.eks.amazonaws.com), the TLS name e6data uses
 * @param certificateAuthority   the cluster CA (base64 PEM), to verify that name
 * @param version                the Kubernetes version
 */
public record ClusterFacts(String name, String vpcId, String clusterSecurityGroupId, String oidcIssuer, List<String> subnetIds,
                           String endpoint, String certificateAuthority, String version) {
}
