package io.e6link.eksenitargets;

import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceType;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import io.e6link.kit.eks.EksCluster;
import io.e6link.kit.eks.EksLookups;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;

/**
 * Runbook step 2: the control-plane ENI IPs as targets of the NLB's IP target group. The target
 * group itself is a native resource without a {@code Targets} property, so CloudFormation never
 * fights the scheduled reconciler that keeps these targets true after EKS upgrades.
 *
 * <p>Physical id {@code <TargetGroupArn>|<Port>}. The group is the stack's own and only this
 * resource and the reconciler (acting for it) write its targets on that port, so Delete
 * deregisters every target on the port; targets on other ports are left alone. Targets carry no
 * tags: the stack's own group and the port are the ownership mark, taken from the id when it is one
 * of this resource's and from the properties otherwise.
 */
final class EksEniTargetsResource implements CustomResource<EksEniTargetsProperties> {
    static final CustomResourceType<EksEniTargetsProperties> TYPE = new CustomResourceType<>("Custom::EksEniTargets", EksEniTargetsProperties::parse);
    private final ServiceClients clients;
    private final JsonLog log = JsonLog.stdout();

    EksEniTargetsResource(ServiceClients clients) {
        this.clients = clients;
    }

    /** DescribeCluster, DescribeNetworkInterfaces, RegisterTargets: three calls. */
    @Override
    public Outcome create(Invocation<EksEniTargetsProperties> invocation) {
        EksEniTargetsProperties wanted = invocation.properties();
        invocation.deadline().step("finding the control-plane network interfaces of EKS cluster " + wanted.clusterName());
        List<String> ips = currentIps(wanted.clusterName());
        invocation.deadline().step("registering " + ips + " in " + wanted.targetGroupArn());
        targets(wanted).register(ips);
        log.info("Registered control-plane ENI targets", Map.of("targetGroupArn", wanted.targetGroupArn(), "port", wanted.port(), "ips", ips));
        return Outcome.of(wanted.physicalResourceId()).withList("RegisteredIps", ips).build();
    }

    @Override
    public Outcome update(Invocation<EksEniTargetsProperties> invocation) {
        EksEniTargetsProperties wanted = invocation.properties();
        EksEniTargetsProperties old = invocation.oldProperties();
        invocation.deadline().step("finding the control-plane network interfaces of EKS cluster " + wanted.clusterName());
        List<String> ips = currentIps(wanted.clusterName());
        TargetGroupTargets targets = targets(wanted);
        // Register only what is missing: an Update that changes nothing else (a new release) changes nothing in AWS.
        List<TargetGroupTargets.Target> described = targets.describe();
        List<String> registered = described.stream().map(TargetGroupTargets.Target::ip).toList();
        // A draining target is on its way out: a current ENI's IP in that state is registered again (as the reconciler does).
        List<String> serving = described.stream().filter(target -> !target.isDraining()).map(TargetGroupTargets.Target::ip).toList();
        List<String> missing = ips.stream().filter(ip -> !serving.contains(ip)).toList();
        if (!missing.isEmpty()) {
            invocation.deadline().step("registering " + missing + " in " + wanted.targetGroupArn());
            targets.register(missing);
        }
        log.info("Control-plane ENI targets registered", Map.of("targetGroupArn", wanted.targetGroupArn(), "port", wanted.port(), "ips", ips,
                "added", missing));
        if (wanted.sameTargetsAs(old) && !wanted.clusterName().equals(old.clusterName())) {
            // Same group and port, another cluster: the old cluster's targets are no longer ours to keep.
            invocation.deadline().step("removing the targets of EKS cluster " + old.clusterName());
            List<String> stale = registered.stream().filter(ip -> !ips.contains(ip)).toList();
            Set<String> removed = targets.deregister(stale);
            log.info("Deregistered the previous cluster's targets", Map.of("previousCluster", old.clusterName(), "ips", removed));
        }
        return Outcome.of(wanted.physicalResourceId()).withList("RegisteredIps", ips).build();
    }

    /**
     * DescribeTargetHealth, then DeregisterTargets when anything is registered on the port. The id
     * names the group and port (after a replacement, the old ones); an id this resource did not make
     * falls back to the properties' group and port, so a Create that registered targets but never
     * answered, or answered FAILED, is cleaned up too.
     */
    @Override
    public Outcome delete(Invocation<EksEniTargetsProperties> invocation) {
        RegisteredPort target = RegisteredPort.parse(invocation.physicalResourceId()).orElseGet(() -> invocation.properties().registeredPort());
        String targetGroupArn = target.targetGroupArn();
        int port = target.port();
        invocation.deadline().step("deregistering the targets on port " + port + " of " + targetGroupArn);
        TargetGroupTargets targets = new TargetGroupTargets(clients.elb(), targetGroupArn, port);
        try {
            Set<String> removed = targets.deregister(targets.describe().stream().map(TargetGroupTargets.Target::ip).toList());
            log.info("Deregistered control-plane ENI targets", Map.of("targetGroupArn", targetGroupArn, "port", port, "ips", removed));
        } catch (TargetGroupNotFoundException alreadyGone) {
            log.info("Target group already deleted; nothing to deregister", Map.of("targetGroupArn", targetGroupArn));
        }
        return invocation.sameId().build();
    }

    private List<String> currentIps(String clusterName) {
        EksCluster cluster = EksLookups.describeCluster(clients.eks(), clusterName);
        return EksLookups.controlPlaneIps(clients.ec2(), cluster, cluster.vpcId());
    }

    private TargetGroupTargets targets(EksEniTargetsProperties properties) {
        return new TargetGroupTargets(clients.elb(), properties.targetGroupArn(), properties.port());
    }
}
