package io.e6link.discovery;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import io.e6link.kit.eks.EksLookups;

/** Reads and validates the ClusterName property. */
final class ClusterName {
    private ClusterName() {
    }

    static String parse(ResourceProperties properties) {
        String name = properties.requiredString("ClusterName");
        if (!EksLookups.isValidClusterName(name)) {
            throw new InvalidPropertyException(PropertySources.NONE.parameter("ClusterName", "ClusterName"), "ClusterName", name, EksLookups.CLUSTER_NAME_RULE);
        }
        return name;
    }
}
