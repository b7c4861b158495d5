package io.e6link.eksenitargets;

import io.e6link.kit.eks.EksCluster;
import io.e6link.kit.eks.EksLookups;

/**
 * Keeps the target group on the cluster's current control-plane ENIs: reads the ENIs and the targets,
 * then applies the {@link TargetPlan}. New ENI IPs are registered at once. A target leaves only when
 * it is no longer a current ENI <em>and</em> it is unhealthy or unused (a draining one is left to finish): during an EKS
 * upgrade old and new ENIs serve side by side, and an old healthy ENI still carries traffic until EKS
 * removes it. Steady state: DescribeCluster, DescribeNetworkInterfaces and DescribeTargetHealth, three
 * calls and no writes.
 */
final class Reconciler {
    private final ReconcilerSettings settings;
    private final ServiceClients clients;
    private final TargetGroupTargets targets;

    Reconciler(ReconcilerSettings settings, ServiceClients clients) {
        this.settings = settings;
        this.clients = clients;
        this.targets = new TargetGroupTargets(clients.elb(), settings.targetGroupArn(), settings.port());
    }

    ReconcilerSettings settings() {
        return settings;
    }

    void reconcile(ReconcilerRun run) {
        EksCluster cluster = EksLookups.describeCluster(clients.eks(), settings.clusterName());
        // Never empty (the lookup throws first): acting on an empty view would strand every target.
        run.currentIps.addAll(EksLookups.controlPlaneIps(clients.ec2(), cluster, cluster.vpcId()));
        run.observed.addAll(targets.describe());
        run.observedTargets = true;

        TargetPlan plan = TargetPlan.of(run.currentIps, run.observed);
        run.keptStale.addAll(plan.keptStale());
        targets.register(plan.toRegister());
        run.added.addAll(plan.toRegister());
        run.removed.addAll(targets.deregister(plan.toDeregister()));
    }
}
