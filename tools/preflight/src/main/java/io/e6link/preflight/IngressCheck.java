package io.e6link.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * Runbook step 1 as {@code Custom::SecurityGroupIngressRules} will do it: for each e6data CIDR, an
 * inbound TCP rule for exactly port 443 from exactly that CIDR on the cluster security group is
 * adopted (whatever its description); otherwise the stack adds one. Broader rules (port ranges, all
 * traffic) are not duplicates, so the stack still adds its own narrow rule beside them.
 */
public final class IngressCheck {
    static final String CIDRS = "E6dataVpcCidrs";
    static final int PORT = 443;
    /** EC2's default quota of inbound rules per security group ("Inbound or outbound rules per security group"). */
    static final int DEFAULT_RULE_QUOTA = 60;
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

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
            Optional<String> problem = problem(cidr);
            if (problem.isPresent()) {
                section.blocker(CIDRS + " has invalid value '" + cidr + "': " + problem.get() + ".", CIDRS);
            } else {
                valid.add(cidr);
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
            Optional<SecurityGroupRule> same = rules.stream().filter(rule -> isPortRuleFromCidr(rule) && cidr.equals(rule.cidrIpv4())).findFirst();
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

    /** What the resource adopts: inbound TCP for exactly the port, from an IPv4 CIDR. */
    public static boolean isPortRuleFromCidr(SecurityGroupRule rule) {
        boolean tcp = "tcp".equals(rule.ipProtocol()) || "6".equals(rule.ipProtocol());
        return !Boolean.TRUE.equals(rule.isEgress()) && tcp
                && rule.fromPort() != null && rule.fromPort() == PORT
                && rule.toPort() != null && rule.toPort() == PORT
                && rule.cidrIpv4() != null;
    }

    /** Why the template or the resource refuses a CIDR, or empty: IPv4 only, prefix 1-32, no host bits. */
    public static Optional<String> problem(String cidr) {
        if (cidr.contains(":")) {
            return Optional.of("only IPv4 CIDRs are supported (e6data's VPC CIDRs are IPv4)");
        }
        Matcher match = IPV4_CIDR.matcher(cidr);
        if (!match.matches()) {
            return Optional.of("expected an IPv4 CIDR like 10.20.0.0/16");
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            String octet = match.group(i);
            int value = Integer.parseInt(octet);
            if (value > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                return Optional.of("expected an IPv4 CIDR like 10.20.0.0/16");
            }
            address = (address << 8) | value;
        }
        int prefix = Integer.parseInt(match.group(5));
        if (prefix > 32 || prefix == 0) {
            return Optional.of(prefix == 0 ? "this would open port 443 to every address; give e6data's VPC CIDRs" : "the prefix length must be from 1 to 32");
        }
        long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        if ((address & ~mask & 0xFFFFFFFFL) != 0) {
            long network = address & mask;
            return Optional.of("host bits are set (did you mean " + ((network >> 24) & 255) + "." + ((network >> 16) & 255) + "."
                    + ((network >> 8) & 255) + "." + (network & 255) + "/" + prefix + "?)");
        }
        return Optional.empty();
    }
}
