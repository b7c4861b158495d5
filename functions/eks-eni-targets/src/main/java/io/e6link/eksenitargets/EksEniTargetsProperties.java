package io.e6link.eksenitargets;

import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import io.e6link.kit.eks.ClusterName;

/** {@code ClusterName}, {@code TargetGroupArn} and {@code Port}, validated once at the edge. */
record EksEniTargetsProperties(String clusterName, String targetGroupArn, int port) {

    /**
     * template.yaml: {@code ClusterName: !GetAtt ClusterDiscovery.ClusterName} (the parameter's cluster, or the region's only one
     * when it is empty), so errors still name the ClusterName parameter; {@code TargetGroupArn} is the stack's TargetGroup,
     * {@code Port} a literal.
     */
    static final PropertySources SOURCES = PropertySources.NONE.parameter("ClusterName", "ClusterName");

    static EksEniTargetsProperties parse(ResourceProperties given) {
        ResourceProperties properties = given.from(SOURCES);
        String cluster = ClusterName.require(properties.requiredString(ClusterName.PARAMETER));
        String targetGroup = properties.requiredString("TargetGroupArn");
        if (!TargetGroupTargets.isTargetGroupArn(targetGroup)) {
            throw SOURCES.invalid("TargetGroupArn", targetGroup, "expected a target group ARN (arn:aws:elasticloadbalancing:...:targetgroup/...)");
        }
        return new EksEniTargetsProperties(cluster, targetGroup, properties.integer("Port", 443, 1, 65535));
    }

    /** The identity: a new target group or port is a new resource, and CloudFormation then deletes the old one. */
    String physicalResourceId() {
        return registeredPort().physicalResourceId();
    }

    RegisteredPort registeredPort() {
        return new RegisteredPort(targetGroupArn, port);
    }

    boolean sameTargetsAs(EksEniTargetsProperties other) {
        return other != null && targetGroupArn.equals(other.targetGroupArn) && port == other.port;
    }
}
