package io.e6link.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * EKS replacing its control-plane ENIs during a version upgrade, one simulated second at a time
 * (EKS user guide, network requirements / update cluster: new ENIs, possibly in other subnets,
 * then the originals are deleted; old and new exist side by side). The ENIs carry the description
 * {@code Amazon EKS <cluster>} and the cluster security group, as EKS creates them.
 * <ul>
 *   <li>{@link Mode#KEEPS_OLD_UNTIL_NEW_HEALTHY}: one zone at a time, the old ENI is deleted only once
 *       its replacement's target reports {@code healthy}; then the next zone starts (the goal case).
 *       EKS does not see the target group: this is the best an external reconciler can be measured
 *       against.</li>
 *   <li>{@link Mode#DELETES_OLD_EARLY}: every replacement is created at once and every old ENI is
 *       deleted {@code earlyDeleteSeconds} later, healthy replacement or not (adversarial).</li>
 * </ul>
 * Extra ENIs (a third ENI in a zone the NLB does not enable, say) are created with the first replacement.
 */
final class ControlPlaneReplacement {
    enum Mode { KEEPS_OLD_UNTIL_NEW_HEALTHY, DELETES_OLD_EARLY }

    /** The old ENI's IP and where its replacement goes. */
    record Swap(String oldIp, String newSubnetId, String newIp) {
    }

    /**
     * One ENI created or deleted at second {@code t}: what CloudTrail records as the API call
     * {@code eventName}, and the {@code detail} of the "AWS API Call via CloudTrail" event EventBridge
     * delivers for it (CloudTrail record fields: eventSource, eventName, requestParameters, responseElements).
     */
    record EniChange(long t, String eventName, String ip, String networkInterfaceId, Map<String, Object> detail) {
    }

    /** EKS calls EC2 with the cluster IAM role; CloudTrail names the service that made the call. */
    private static final Map<String, Object> EKS = Map.of("type", "AssumedRole", "invokedBy", "eks.amazonaws.com");
    private final Ec2Client ec2;
    private final String description;
    private final String securityGroupId;
    private final Mode mode;
    private final long earlyDeleteSeconds;
    private final List<Swap> swaps;
    private final Map<String, String> extras;
    private final Map<String, String> eniIdsByIp;
    private final Map<Swap, Long> createdAt = new LinkedHashMap<>();
    private int next;

    /**
     * @param eniIdsByIp the cluster's current control-plane ENIs (IP → ENI id); kept up to date here
     * @param extras     subnet id → IP of ENIs added with the first replacement
     */
    ControlPlaneReplacement(Ec2Client ec2, String clusterName, String securityGroupId, Mode mode, long earlyDeleteSeconds,
                            List<Swap> swaps, Map<String, String> extras, Map<String, String> eniIdsByIp) {
        this.ec2 = ec2;
        this.description = "Amazon EKS " + clusterName;
        this.securityGroupId = securityGroupId;
        this.mode = mode;
        this.earlyDeleteSeconds = earlyDeleteSeconds;
        this.swaps = List.copyOf(swaps);
        this.extras = Map.copyOf(extras);
        this.eniIdsByIp = eniIdsByIp;
    }

    /**
     * Does what EKS does at second {@code t} of the upgrade (which starts at {@code t = start}).
     *
     * @param healthy whether the target of an IP reports healthy now
     * @return the ENIs created and deleted at {@code t}, in order
     */
    List<EniChange> step(long t, long start, Predicate<String> healthy) {
        List<EniChange> changes = new ArrayList<>();
        if (t < start) {
            return changes;
        }
        if (mode == Mode.DELETES_OLD_EARLY) {
            while (next < swaps.size()) {
                begin(swaps.get(next++), t, changes);
            }
        } else if (next == 0) {
            begin(swaps.get(next++), t, changes);
        }
        for (Map.Entry<Swap, Long> started : List.copyOf(createdAt.entrySet())) {
            Swap swap = started.getKey();
            boolean due = mode == Mode.DELETES_OLD_EARLY ? t >= started.getValue() + earlyDeleteSeconds : healthy.test(swap.newIp());
            if (due && eniIdsByIp.containsKey(swap.oldIp())) {
                String eni = eniIdsByIp.remove(swap.oldIp());
                ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eni));
                changes.add(new EniChange(t, "DeleteNetworkInterface", swap.oldIp(), eni, Map.of("eventSource", "ec2.amazonaws.com",
                        "eventName", "DeleteNetworkInterface", "userIdentity", EKS,
                        "requestParameters", Map.of("networkInterfaceId", eni), "responseElements", Map.of("_return", true))));
                createdAt.remove(swap);
                if (mode == Mode.KEEPS_OLD_UNTIL_NEW_HEALTHY && next < swaps.size()) {
                    begin(swaps.get(next++), t, changes);
                }
            }
        }
        return changes;
    }

    /** Whether every replacement exists and every old ENI is gone. */
    boolean done() {
        return next == swaps.size() && createdAt.isEmpty();
    }

    private void begin(Swap swap, long t, List<EniChange> changes) {
        if (next == 1) {
            extras.forEach((subnet, ip) -> changes.add(create(subnet, ip, t)));
        }
        changes.add(create(swap.newSubnetId(), swap.newIp(), t));
        createdAt.put(swap, t);
    }

    private EniChange create(String subnetId, String ip, long t) {
        NetworkInterface eni = ec2.createNetworkInterface(b -> b.subnetId(subnetId).privateIpAddress(ip).groups(securityGroupId)
                .description(description)).networkInterface();
        eniIdsByIp.put(ip, eni.networkInterfaceId());
        return new EniChange(t, "CreateNetworkInterface", ip, eni.networkInterfaceId(), Map.of("eventSource", "ec2.amazonaws.com",
                "eventName", "CreateNetworkInterface", "userIdentity", EKS,
                "requestParameters", Map.of("subnetId", subnetId, "description", description, "privateIpAddress", ip),
                "responseElements", Map.of("networkInterface", Map.of("networkInterfaceId", eni.networkInterfaceId(), "subnetId", subnetId,
                        "vpcId", eni.vpcId(), "availabilityZone", eni.availabilityZone(), "description", description, "privateIpAddress", ip))));
    }
}
