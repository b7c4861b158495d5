package io.e6link.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;

/** The emulated world's reading of a security group's outbound rules for one TCP destination (row 11g). */
class SecurityGroupEgressTest {
    private static final Function<String, Optional<List<String>>> NO_LISTS = id -> Optional.empty();

    private static IpPermission cidr(String protocol, Integer from, Integer to, String cidr) {
        return IpPermission.builder().ipProtocol(protocol).fromPort(from).toPort(to).ipRanges(r -> r.cidrIp(cidr)).build();
    }

    private static boolean allows(List<IpPermission> egress, String ip, int port) {
        return SecurityGroupEgress.allowsTcp(egress, ip, port, Set.of(), NO_LISTS);
    }

    @Test
    void eksDefaultAllowAllAllowsAndNoRuleAtAllBlocks() {
        assertThat(allows(List.of(cidr("-1", null, null, "0.0.0.0/0")), "10.0.1.10", 443)).isTrue();
        assertThat(allows(List.of(), "10.0.1.10", 443)).as("every outbound rule revoked").isFalse();
    }

    @Test
    void aTcpRuleMustCoverThePortAndItsCidrMustHoldTheAddress() {
        List<IpPermission> vpc443 = List.of(cidr("tcp", 443, 443, "10.0.0.0/16"));

        assertThat(allows(vpc443, "10.0.1.10", 443)).isTrue();
        assertThat(allows(vpc443, "10.1.1.10", 443)).as("outside the CIDR").isFalse();
        assertThat(allows(vpc443, "10.0.1.10", 10250)).as("another port").isFalse();
        assertThat(allows(List.of(cidr("tcp", 0, 65535, "10.0.1.10/32")), "10.0.1.10", 443)).isTrue();
        assertThat(allows(List.of(cidr("6", 400, 500, "10.0.1.0/24")), "10.0.1.10", 443)).as("protocol by number").isTrue();
        assertThat(allows(List.of(cidr("udp", 443, 443, "0.0.0.0/0"), cidr("icmp", -1, -1, "0.0.0.0/0")), "10.0.1.10", 443))
                .as("UDP and ICMP carry no TCP health check").isFalse();
    }

    @Test
    void aRuleNamingAGroupAllowsTheNetworkInterfacesThatCarryIt() {
        List<IpPermission> toCluster = List.of(IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                .userIdGroupPairs(g -> g.groupId("sg-cluster")).build());

        assertThat(SecurityGroupEgress.allowsTcp(toCluster, "10.0.1.10", 443, Set.of("sg-cluster"), NO_LISTS)).isTrue();
        assertThat(SecurityGroupEgress.allowsTcp(toCluster, "10.0.1.10", 443, Set.of("sg-nodes"), NO_LISTS)).isFalse();
        assertThat(SecurityGroupEgress.allowsTcp(toCluster, "10.0.1.10", 443, Set.of(), NO_LISTS)).as("no ENI holds the IP").isFalse();
    }

    @Test
    void aRuleNamingAPrefixListAllowsItsCidrsAndAListThatCannotBeReadCountsAsAllowing() {
        List<IpPermission> toList = List.of(IpPermission.builder().ipProtocol("-1").prefixListIds(p -> p.prefixListId("pl-0123")).build());
        Function<String, Optional<List<String>>> lists = Map.of("pl-0123", Optional.of(List.of("10.0.2.0/24", "2001:db8::/32")))::get;

        assertThat(SecurityGroupEgress.allowsTcp(toList, "10.0.2.5", 443, Set.of(), lists)).isTrue();
        assertThat(SecurityGroupEgress.allowsTcp(toList, "10.0.1.10", 443, Set.of(), lists)).isFalse();
        assertThat(SecurityGroupEgress.allowsTcp(toList, "10.0.1.10", 443, Set.of(), NO_LISTS)).isTrue();
    }

    @Test
    void aDestinationThatIsNotAnIpv4AddressIsRefused() {
        assertThatThrownBy(() -> allows(List.of(), "fd00::1", 443)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fd00::1");
    }
}
