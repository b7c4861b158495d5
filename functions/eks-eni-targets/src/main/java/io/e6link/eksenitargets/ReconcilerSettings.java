package io.e6link.eksenitargets;

import io.e6link.kit.Environment;
import io.e6link.kit.eks.ClusterName;
import java.util.function.Function;

/** The reconciler's configuration, from the environment the template sets. */
record ReconcilerSettings(String clusterName, String targetGroupArn, int port) {
    static final String CLUSTER_NAME = "CLUSTER_NAME";
    static final String TARGET_GROUP_ARN = "TARGET_GROUP_ARN";
    static final String TARGET_PORT = "TARGET_PORT";
    /** The template's function that sets these variables, named in the reason when one is missing. */
    private static final String FUNCTION = "ReconcilerFunction";

    static ReconcilerSettings from(Function<String, String> variables) {
        Environment environment = new Environment(variables::apply);
        String cluster = environment.required(CLUSTER_NAME, FUNCTION);
        if (!ClusterName.isValid(cluster)) {
            throw Environment.invalid(CLUSTER_NAME, cluster, ClusterName.RULE);
        }
        String targetGroup = environment.required(TARGET_GROUP_ARN, FUNCTION);
        if (!TargetGroupTargets.isTargetGroupArn(targetGroup)) {
            throw Environment.invalid(TARGET_GROUP_ARN, targetGroup, "expected a target group ARN");
        }
        String portText = environment.optional(TARGET_PORT).orElse(null);
        int port = 443;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw Environment.invalid(TARGET_PORT, portText, "expected a port from 1 to 65535");
            }
        }
        return new ReconcilerSettings(cluster, targetGroup, port);
    }
}
