package io.e6link.targets;

import io.e6link.kit.eks.EksCluster;
import io.e6link.kit.eks.EksLookups;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the target group on the cluster's current control-plane ENIs. New ENI IPs are registered at
 * once. A target leaves only when it is no longer a current ENI <em>and</em> it is unhealthy, unused
 * or draining: during an EKS upgrade old and new ENIs serve side by side, and an old healthy ENI
 * still carries traffic until EKS removes it. Steady state: DescribeCluster,
 * DescribeNetworkInterfaces and DescribeTargetHealth, three calls and no writes.
 */
final class TargetReconciler {
    /** States in which a target that is not a current ENI is deregistered. */
    static final Set<String> REMOVABLE_STATES = Set.of("unhealthy", "unhealthy.draining", "unused", "draining");

    private final ReconcilerSettings settings;
    private final ServiceClients clients;
    private final TargetGroupTargets targets;

    TargetReconciler(ReconcilerSettings settings, ServiceClients clients) {
        this.settings = settings;
        this.clients = clients;
        this.targets = new TargetGroupTargets(clients.elb(), settings.targetGroupArn(), settings.port());
    }

    ReconcilerSettings settings() {
        return settings;
    }

    void reconcile(ReconcileRun run) {
        EksCluster cluster = EksLookups.describeCluster(clients.eks(), settings.clusterName());
        // Never empty (the lookup throws first): acting on an empty view would strand every target.
        run.currentIps.addAll(EksLookups.controlPlaneIps(clients.ec2(), cluster, cluster.vpcId()));
        Set<String> current = new TreeSet<>(run.currentIps);
        run.observed.addAll(targets.describe());
        run.observedTargets = true;

        Set<String> active = new TreeSet<>();
        Set<String> toRemove = new TreeSet<>();
        for (TargetGroupTargets.Target target : run.observed) {
            if (!target.isDraining()) {
                active.add(target.ip());
            }
            if (!current.contains(target.ip())) {
                if (REMOVABLE_STATES.contains(target.state())) {
                    toRemove.add(target.ip());
                } else {
                    run.keptStale.add(target.ip());
                }
            }
        }
        List<String> toAdd = current.stream().filter(ip -> !active.contains(ip)).toList();
        targets.register(toAdd);
        run.added.addAll(toAdd);
        run.removed.addAll(targets.deregister(toRemove));
    }
}
