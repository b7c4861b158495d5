package io.e6link.discovery;

import io.e6link.kit.ResourceProperties;
import io.e6link.kit.eks.ClusterName;

/** {@code ClusterName} and {@code ExcludedAvailabilityZones}, validated once at the edge. */
record ClusterDiscoveryProperties(String clusterName, ZoneExclusions excludedZones) {

    static ClusterDiscoveryProperties parse(ResourceProperties properties) {
        return new ClusterDiscoveryProperties(ClusterName.require(properties.requiredString(ClusterName.PARAMETER)),
                ZoneExclusions.parse(properties));
    }
}
