package io.e6link.targets;

import io.e6link.kit.CustomResourceException;
import io.e6link.kit.eks.ClusterName;
import java.util.function.Function;

/** The reconciler's configuration, from the environment the template sets. */
record ReconcilerSettings(String clusterName, String targetGroupArn, int port) {
    static final String CLUSTER_NAME = "CLUSTER_NAME";
    static final String TARGET_GROUP_ARN = "TARGET_GROUP_ARN";
    static final String TARGET_PORT = "TARGET_PORT";

    static ReconcilerSettings from(Function<String, String> environment) {
        String cluster = required(environment, CLUSTER_NAME);
        if (!ClusterName.isValid(cluster)) {
            throw invalid(CLUSTER_NAME, cluster, ClusterName.RULE);
        }
        String targetGroup = required(environment, TARGET_GROUP_ARN);
        if (!TargetGroupTargets.isTargetGroupArn(targetGroup)) {
            throw invalid(TARGET_GROUP_ARN, targetGroup, "expected a target group ARN");
        }
        String portText = environment.apply(TARGET_PORT);
        int port = 443;
        if (portText != null && !portText.isBlank()) {
            try {
                port = Integer.parseInt(portText.trim());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw invalid(TARGET_PORT, portText, "expected a port from 1 to 65535");
            }
        }
        return new ReconcilerSettings(cluster, targetGroup, port);
    }

    private static String required(Function<String, String> environment, String name) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new CustomResourceException("Environment variable " + name + " is not set; the template sets it on ReconcilerFunction.");
        }
        return value.trim();
    }

    private static CustomResourceException invalid(String name, String value, String expectation) {
        return new CustomResourceException("Environment variable " + name + " has invalid value '" + value + "': " + expectation + ".");
    }
}
