package io.e6link.targets;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.kit.Properties;
import io.e6link.kit.eks.EksLookups;

/** {@code ClusterName}, {@code TargetGroupArn} and {@code Port}, validated once at the edge. */
record EniTargetsProperties(String clusterName, String targetGroupArn, int port) {

    static EniTargetsProperties parse(Properties properties) {
        String cluster = properties.requiredString("ClusterName");
        if (!EksLookups.isValidClusterName(cluster)) {
            throw new InvalidPropertyException("ClusterName", cluster, EksLookups.CLUSTER_NAME_RULE);
        }
        String targetGroup = properties.requiredString("TargetGroupArn");
        if (!TargetGroupTargets.isTargetGroupArn(targetGroup)) {
            throw new InvalidPropertyException("TargetGroupArn", targetGroup, "expected a target group ARN (arn:aws:elasticloadbalancing:...:targetgroup/...)");
        }
        return new EniTargetsProperties(cluster, targetGroup, properties.integer("Port", 443, 1, 65535));
    }

    /** The identity: a new target group or port is a new resource, and CloudFormation then deletes the old one. */
    String physicalResourceId() {
        return targetGroupArn + "|" + port;
    }

    boolean sameTargetsAs(EniTargetsProperties other) {
        return other != null && targetGroupArn.equals(other.targetGroupArn) && port == other.port;
    }
}
