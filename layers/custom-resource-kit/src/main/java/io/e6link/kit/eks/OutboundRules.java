package io.e6link.kit.eks;

import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * Whether a security group's outbound rules let a TCP connection to an IPv4 destination leave. NLB
 * health checks obey the outbound rules of the NLB's security groups (ELB guide, "Security groups for
 * your Network Load Balancer"; field: aws-ia terraform-aws-eks-blueprints PR #2065), and e6link's NLB
 * carries the cluster security group: a group whose egress was tightened makes every target fail its health checks (Target.FailedHealthChecks).
 */
public final class OutboundRules {
    /** What the rules say about one destination. */
    public enum Verdict {
        /** A rule allows it. */
        ALLOWED,
        /** No rule allows it and none could: no outbound rule reaches it. */
        BLOCKED,
        /** No rule allows it for certain, but one names a destination this cannot resolve (prefix list, another group, IPv6). */
        UNKNOWN
    }

    private OutboundRules() {
    }

    /**
     * @param rules       the group's rules as DescribeSecurityGroupRules returns them; inbound ones are ignored
     * @param ownGroupIds groups the destination is known to carry: a rule referencing one of them allows it
     *                    (the control-plane ENIs carry the cluster security group)
     * @param destination an IPv4 address or CIDR; a CIDR is allowed only by a rule whose CIDR holds all of it
     * @param port        the TCP port
     * @return the verdict
     * @throws IllegalArgumentException when {@code destination} is not an IPv4 address or CIDR
     */
    public static Verdict tcp(List<SecurityGroupRule> rules, Set<String> ownGroupIds, String destination, int port) {
        long[] wanted = range(destination);
        boolean unresolved = false;
        for (SecurityGroupRule rule : rules) {
            if (!Boolean.TRUE.equals(rule.isEgress()) || !coversTcpPort(rule, port)) {
                continue;
            }
            if (rule.cidrIpv4() != null) {
                long[] allowed = range(rule.cidrIpv4());
                if (allowed[0] <= wanted[0] && wanted[1] <= allowed[1]) {
                    return Verdict.ALLOWED;
                }
            } else if (rule.referencedGroupInfo() != null && ownGroupIds.contains(rule.referencedGroupInfo().groupId())) {
                return Verdict.ALLOWED;
            } else if (rule.prefixListId() != null || rule.referencedGroupInfo() != null) {
                unresolved = true;
            }
        }
        return unresolved ? Verdict.UNKNOWN : Verdict.BLOCKED;
    }

    private static boolean coversTcpPort(SecurityGroupRule rule, int port) {
        String protocol = rule.ipProtocol();
        if ("-1".equals(protocol)) {
            return true;
        }
        if (!"tcp".equalsIgnoreCase(protocol) && !"6".equals(protocol)) {
            return false;
        }
        Integer from = rule.fromPort();
        Integer to = rule.toPort();
        return from == null || to == null || from == -1 || from <= port && port <= to;
    }

    /** The first and last address of an IPv4 address or CIDR, as unsigned 32-bit values. */
    private static long[] range(String cidr) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        if (octets.length != 4 || parts.length > 2) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 address or CIDR");
        }
        long address = 0;
        for (String octet : octets) {
            address = (address << 8) | Integer.parseInt(octet);
        }
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        long first = address & mask;
        return new long[] {first, first | (~mask & 0xFFFFFFFFL)};
    }
}
