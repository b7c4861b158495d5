package io.e6link.eksclusterdiscovery;

import io.e6link.kit.CustomResourceException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * The EKS cluster a stack with an empty {@code ClusterName} is for: the only cluster of the account in
 * the function's region (eks:ListClusters, paginated, 100 names a page; the action has no resource type
 * in the Service Authorization Reference, so the role grants it on "*"). A stack that already found its
 * cluster keeps it while it exists, so a second cluster created later does not break the next update.
 */
final class OnlyCluster {
    private static final String CLUSTER_ARN_PART = ":cluster/";

    private OnlyCluster() {
    }

    /**
     * @param previousPhysicalId the resource's physical id on Update (the cluster ARN), or null on Create
     * @return the cluster name to describe
     * @throws CustomResourceException with a one-sentence reason when the region has no cluster, or several
     *         and none of them is the one the stack already found
     */
    static String find(EksClient eks, String previousPhysicalId) {
        List<String> names = new ArrayList<>();
        eks.listClustersPaginator(request -> { }).clusters().forEach(names::add);
        String previous = previousName(previousPhysicalId);
        if (previous != null && names.contains(previous)) {
            return previous;
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        if (names.isEmpty()) {
            throw new CustomResourceException("ClusterName is empty, so the stack looks for the only EKS cluster in region " + region(eks)
                    + ", but there is none; deploy the stack in the cluster's account and region, or set ClusterName.");
        }
        throw new CustomResourceException("ClusterName is empty, so the stack looks for the only EKS cluster in region " + region(eks)
                + ", but there are " + names.size() + " (" + String.join(", ", names.stream().sorted().toList())
                + "); set ClusterName to the cluster e6data's compute runs in.");
    }

    /** The cluster name of an EKS cluster ARN ({@code arn:aws:eks:<region>:<account>:cluster/<name>}), else null. */
    static String previousName(String physicalId) {
        if (physicalId == null || !physicalId.startsWith("arn:") || !physicalId.contains(CLUSTER_ARN_PART)) {
            return null;
        }
        return physicalId.substring(physicalId.indexOf(CLUSTER_ARN_PART) + CLUSTER_ARN_PART.length());
    }

    private static String region(EksClient eks) {
        var configuration = eks.serviceClientConfiguration();
        return configuration != null && configuration.region() != null ? configuration.region().id() : System.getenv("AWS_REGION");
    }
}
