package io.e6link.testing.aws;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Whether a security group's outbound rules let a TCP connection to an IPv4 address and port leave, as
 * EC2 evaluates them (security groups allow only; a connection leaves when any outbound rule allows it):
 * a rule allows it when its protocol is {@code -1} (all) or TCP covering the port, and its destination
 * is a CIDR holding the address, a security group the address's network interface carries, or a
 * managed prefix list one of whose CIDRs holds the address (VPC User Guide, "Security group rules").
 * The emulated world's own reading, independent of the functions' code (it is what they are tested
 * against); docs/aws-rules.md row 11g.
 */
final class SecurityGroupEgress {
    private SecurityGroupEgress() {
    }

    /**
     * @param egress           the group's outbound rules ({@code IpPermissionsEgress} of DescribeSecurityGroups)
     * @param ip               the destination, an IPv4 address
     * @param port             the destination TCP port
     * @param destinationGroups the security groups of the network interface that holds {@code ip} (empty when
     *                          none holds it): a rule naming one of them allows the connection
     * @param prefixListCidrs  the CIDRs of a managed prefix list by id, empty when the list cannot be read;
     *                          a rule naming a list that cannot be read counts as allowing (the world does
     *                          not invent a failure it cannot show)
     * @return whether some rule allows the connection
     * @throws IllegalArgumentException when {@code ip} is not an IPv4 address
     */
    static boolean allowsTcp(List<IpPermission> egress, String ip, int port, Set<String> destinationGroups,
                             Function<String, Optional<List<String>>> prefixListCidrs) {
        long address = ipv4(ip);
        for (IpPermission rule : egress) {
            if (!coversTcp(rule, port)) {
                continue;
            }
            for (IpRange range : rule.ipRanges()) {
                if (range.cidrIp() != null && contains(range.cidrIp(), address)) {
                    return true;
                }
            }
            for (UserIdGroupPair group : rule.userIdGroupPairs()) {
                if (destinationGroups.contains(group.groupId())) {
                    return true;
                }
            }
            for (PrefixListId list : rule.prefixListIds()) {
                Optional<List<String>> cidrs = prefixListCidrs.apply(list.prefixListId());
                if (cidrs.isEmpty() || cidrs.get().stream().anyMatch(cidr -> cidr.indexOf(':') < 0 && contains(cidr, address))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean coversTcp(IpPermission rule, int port) {
        String protocol = rule.ipProtocol();
        if ("-1".equals(protocol)) {
            return true;
        }
        if (!"tcp".equalsIgnoreCase(protocol) && !"6".equals(protocol)) {
            return false;
        }
        Integer from = rule.fromPort();
        Integer to = rule.toPort();
        return from == null || to == null || from == -1 || (from <= port && port <= to);
    }

    private static boolean contains(String cidr, long address) {
        String[] parts = cidr.split("/");
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (address & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String ip) {
        String[] octets = ip.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address");
        }
        long value = 0;
        for (String octet : octets) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }
}
