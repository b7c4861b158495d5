package io.e6link.eksenitargets;

import io.e6link.kit.CustomResourceException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.InvalidTargetException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/** The IP targets of one target group on one port: read, register, deregister. */
final class TargetGroupTargets {
    private final ElasticLoadBalancingV2Client elb;
    private final String targetGroupArn;
    private final int port;

    TargetGroupTargets(ElasticLoadBalancingV2Client elb, String targetGroupArn, int port) {
        this.elb = elb;
        this.targetGroupArn = targetGroupArn;
        this.port = port;
    }

    /** One registered target and the state DescribeTargetHealth reports for it. */
    record Target(String ip, String state, String reason) {
        boolean isDraining() {
            return "draining".equals(state) || "unhealthy.draining".equals(state);
        }
    }

    static boolean isTargetGroupArn(String arn) {
        return arn.startsWith("arn:") && arn.contains(":targetgroup/");
    }

    /** The targets on this port (targets of other ports are someone else's); throws when the group is gone. */
    List<Target> describe() {
        List<TargetHealthDescription> described = elb.describeTargetHealth(DescribeTargetHealthRequest.builder()
                .targetGroupArn(targetGroupArn).build()).targetHealthDescriptions();
        return described.stream()
                .filter(description -> description.target() != null && Integer.valueOf(port).equals(description.target().port()))
                .map(description -> new Target(description.target().id(),
                        description.targetHealth() == null ? "unknown" : description.targetHealth().stateAsString(),
                        description.targetHealth() == null ? null : description.targetHealth().reasonAsString()))
                .toList();
    }

    /** Registering a registered target is a no-op in ELB, so this is safe to repeat. */
    void register(Collection<String> ips) {
        if (ips.isEmpty()) {
            return;
        }
        try {
            elb.registerTargets(RegisterTargetsRequest.builder().targetGroupArn(targetGroupArn).targets(targets(ips)).build());
        } catch (TargetGroupNotFoundException e) {
            throw new CustomResourceException("Target group " + targetGroupArn + " does not exist; it must be the stack's IP target group, so check that it was not deleted outside CloudFormation.", e);
        }
    }

    /**
     * Deregisters the given targets; returns those it deregistered. When one of them vanished in the
     * meantime (a concurrent reconcile or delete) ELB refuses the whole batch with InvalidTarget, so
     * the batch is retried once with the targets still present.
     */
    Set<String> deregister(Collection<String> ips) {
        if (ips.isEmpty()) {
            return Set.of();
        }
        try {
            elb.deregisterTargets(DeregisterTargetsRequest.builder().targetGroupArn(targetGroupArn).targets(targets(ips)).build());
            return new TreeSet<>(ips);
        } catch (InvalidTargetException raced) {
            Set<String> present = new TreeSet<>(ips);
            present.retainAll(describe().stream().map(Target::ip).toList());
            if (!present.isEmpty()) {
                elb.deregisterTargets(DeregisterTargetsRequest.builder().targetGroupArn(targetGroupArn).targets(targets(present)).build());
            }
            return present;
        }
    }

    private List<TargetDescription> targets(Collection<String> ips) {
        return ips.stream().sorted().map(ip -> TargetDescription.builder().id(ip).port(port).build()).toList();
    }
}
