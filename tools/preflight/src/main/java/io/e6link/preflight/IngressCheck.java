package io.e6link.preflight;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.securitygroupingressrules.IngressRuleRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * Runbook step 1 as {@code Custom::SecurityGroupIngressRules} will do it: for each e6data CIDR, an
 * inbound TCP rule for exactly port 443 from exactly that CIDR on the cluster security group is
 * adopted (whatever its description); otherwise the stack adds one. Broader rules (port ranges, all
 * traffic) are not duplicates, so the stack still adds its own narrow rule beside them. The CIDRs are
 * checked and the rules matched by the resource's own code ({@link IngressRuleRequests}).
 */
public final class IngressCheck {
    static final String CIDRS = "E6dataVpcCidrs";
    static final int PORT = 443;
    /** EC2's default quota of inbound rules per security group ("Inbound or outbound rules per security group"). */
    static final int DEFAULT_RULE_QUOTA = 60;

    private final Ec2Client ec2;

    IngressCheck(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    void run(Options options, Optional<ClusterFacts> facts, Section section) {
        if (options.cidrs() == null || options.cidrs().isEmpty()) {
            section.unchecked("Not checked: pass --e6data-cidrs with e6data's VPC CIDRs (" + CIDRS + ", required by the stack).");
            return;
        }
        List<String> valid = new ArrayList<>();
        for (String cidr : options.cidrs()) {
            try {
                valid.add(IngressRuleRequests.checkedCidr(cidr));
            } catch (InvalidPropertyException refused) {
                section.blocker(refused.getMessage(), CIDRS);
            }
        }
        if (facts.isEmpty() || facts.get().securityGroupId() == null) {
            section.unchecked("Not checked: the rules go into the cluster security group, which was not found.");
            return;
        }
        String group = facts.get().securityGroupId();
        List<SecurityGroupRule> rules;
        try {
            rules = rules(ec2, group);
        } catch (Unreadable unreadable) {
            section.unchecked("Could not read the rules of " + group + ": " + unreadable.reason() + ".");
            return;
        }
        int missing = 0;
        for (String cidr : valid) {
            Optional<SecurityGroupRule> same = rules.stream().filter(rule -> IngressRuleRequests.isPortRuleFromCidr(rule, PORT) && cidr.equals(rule.cidrIpv4())).findFirst();
            if (same.isPresent()) {
                section.ok("TCP " + PORT + " from " + cidr + " is already allowed on " + group + " (" + same.get().securityGroupRuleId()
                        + "): the stack adopts the rule and leaves it when deleted.");
            } else {
                missing++;
                section.ok("TCP " + PORT + " from " + cidr + " is not allowed on " + group + " yet: the stack adds the rule and revokes it when deleted.");
            }
        }
        long inbound = rules.stream().filter(rule -> !Boolean.TRUE.equals(rule.isEgress())).count();
        if (missing > 0 && inbound + missing > DEFAULT_RULE_QUOTA) {
            section.warning(group + " has " + inbound + " inbound rules and the stack adds " + missing + ", past EC2's default quota of "
                    + DEFAULT_RULE_QUOTA + "; unless the account's quota was raised the stack fails, so remove unused rules first.");
        }
    }

    /**
     * Every rule of a security group, inbound and outbound (one paginated DescribeSecurityGroupRules).
     *
     * @throws Unreadable when the call is refused or fails
     */
    static List<SecurityGroupRule> rules(Ec2Client ec2, String group) {
        return Unreadable.read("ec2:DescribeSecurityGroupRules", () -> ec2.describeSecurityGroupRulesPaginator(
                b -> b.filters(Filter.builder().name("group-id").values(group).build())).securityGroupRules().stream().toList());
    }
}
