package io.e6link.discovery;

import io.e6link.kit.ResourceProperties;

/** {@code ClusterName} and {@code ExcludedAvailabilityZones}, validated once at the edge. */
record ClusterDiscoveryProperties(String clusterName, ZoneExclusions excludedZones) {

    static ClusterDiscoveryProperties parse(ResourceProperties properties) {
        return new ClusterDiscoveryProperties(ClusterName.parse(properties), ZoneExclusions.parse(properties));
    }
}
