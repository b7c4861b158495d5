package io.e6link.eksclusterdiscovery;

import io.e6link.kit.ResourceProperties;
import io.e6link.kit.eks.ClusterName;

/**
 * {@code ClusterName} and {@code ExcludedAvailabilityZones}, validated once at the edge. An empty
 * {@code ClusterName} (StackSets auto-deployment, where one value serves every account) asks discovery
 * for the region's only EKS cluster: {@link #clusterName()} is then empty.
 */
record EksClusterDiscoveryProperties(String clusterName, ZoneExclusions excludedZones) {

    static EksClusterDiscoveryProperties parse(ResourceProperties properties) {
        String name = properties.optionalString(ClusterName.PARAMETER, "");
        return new EksClusterDiscoveryProperties(name.isEmpty() ? "" : ClusterName.require(name), ZoneExclusions.parse(properties));
    }

    /** True when the stack names no cluster and discovery must find the region's only one. */
    boolean findsTheOnlyCluster() {
        return clusterName.isEmpty();
    }
}
