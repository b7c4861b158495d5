package io.e6link.preflight;

import io.e6link.kit.eks.OutboundRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * The stack's NLB carries the cluster security group, and NLB health checks obey its outbound rules
 * (ELB guide, "Security groups for your Network Load Balancer"): they must let TCP 443 reach the
 * subnets of the control-plane ENIs, or every target times out and the stack fails at its last step.
 * EKS's own group allows all outbound traffic; accounts that tightened it are the ones this finds
 * (field: aws-ia terraform-aws-eks-blueprints PR #2065).
 */
final class EgressCheck {
    static final int PORT = 443;
    /** The blocker's parameter: the cluster (its security group) is what to fix, nothing in the template. */
    private static final String CLUSTER_NAME = "ClusterName";
    private final Ec2Client ec2;

    EgressCheck(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    void run(Optional<ClusterFacts> facts, Section section) {
        if (facts.isEmpty() || facts.get().securityGroupId() == null) {
            section.unchecked("Not checked: the NLB carries the cluster security group, which was not found.");
            return;
        }
        String group = facts.get().securityGroupId();
        List<SecurityGroupRule> rules;
        try {
            rules = IngressCheck.rules(ec2, group);
        } catch (Unreadable unreadable) {
            section.unchecked("Could not read the rules of " + group + ": " + unreadable.reason() + ".");
            return;
        }
        List<String> blocked = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (Subnet subnet : facts.get().eniSubnets()) {
            String where = subnet.subnetId() + " (" + subnet.cidrBlock() + ")";
            switch (OutboundRules.tcp(rules, Set.of(group), subnet.cidrBlock(), PORT)) {
                case ALLOWED -> allowed.add(where);
                case UNKNOWN -> unknown.add(where);
                case BLOCKED -> blocked.add(where);
            }
        }
        if (!blocked.isEmpty()) {
            section.blocker(group + " has no outbound rule allowing TCP " + PORT + " to " + String.join(", ", blocked)
                    + ", where the control-plane ENIs are; the NLB carries this group and its health checks obey its outbound rules, so every target"
                    + " would fail its health checks and the stack would fail: add an outbound rule for TCP " + PORT + " to those subnets (or restore the default"
                    + " allow-all outbound rule).", CLUSTER_NAME);
        }
        if (!unknown.isEmpty()) {
            section.warning(group + "'s outbound rules reach " + String.join(", ", unknown) + " on TCP " + PORT
                    + " only through a prefix list or another security group, which this check cannot resolve; make sure they cover the control-plane"
                    + " ENIs, or the NLB's health checks fail.");
        }
        if (!allowed.isEmpty()) {
            section.ok("Outbound rules of " + group + " let the NLB's health checks reach TCP " + PORT + " in " + String.join(", ", allowed) + ".");
        }
    }
}
