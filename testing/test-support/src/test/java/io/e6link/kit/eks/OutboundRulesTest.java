package io.e6link.kit.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/** The outbound-rule reading the preflight and EndpointValidation share, rule shape by rule shape (DescribeSecurityGroupRules' fields). */
class OutboundRulesTest {
    private static final Set<String> OWN = Set.of("sg-cluster");

    private static SecurityGroupRule egress(String protocol, int from, int to, String cidr) {
        return SecurityGroupRule.builder().isEgress(true).ipProtocol(protocol).fromPort(from).toPort(to).cidrIpv4(cidr).build();
    }

    @Test
    void eksDefaultAllowAllReachesEverySubnet() {
        List<SecurityGroupRule> rules = List.of(egress("-1", -1, -1, "0.0.0.0/0"));

        assertThat(OutboundRules.tcp(rules, OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.ALLOWED);
        assertThat(OutboundRules.tcp(rules, OWN, "10.0.1.10", 443)).isEqualTo(OutboundRules.Verdict.ALLOWED);
    }

    @Test
    void noOutboundRuleBlocksAndInboundRulesDoNotCount() {
        List<SecurityGroupRule> rules = List.of(SecurityGroupRule.builder().isEgress(false).ipProtocol("-1").cidrIpv4("0.0.0.0/0").build());

        assertThat(OutboundRules.tcp(List.of(), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.BLOCKED);
        assertThat(OutboundRules.tcp(rules, OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.BLOCKED);
    }

    @Test
    void aTcpRuleMustCoverThePortAndHoldTheWholeDestination() {
        assertThat(OutboundRules.tcp(List.of(egress("tcp", 443, 443, "10.0.0.0/16")), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.ALLOWED);
        assertThat(OutboundRules.tcp(List.of(egress("6", 1, 1024, "10.0.1.0/24")), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.ALLOWED);
        assertThat(OutboundRules.tcp(List.of(egress("tcp", 80, 80, "10.0.0.0/16")), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.BLOCKED);
        assertThat(OutboundRules.tcp(List.of(egress("udp", 443, 443, "10.0.0.0/16")), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.BLOCKED);
        // A rule for half the subnet does not reach an ENI that may sit in the other half.
        assertThat(OutboundRules.tcp(List.of(egress("tcp", 443, 443, "10.0.1.0/25")), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.BLOCKED);
        assertThat(OutboundRules.tcp(List.of(egress("tcp", 443, 443, "10.0.1.0/25")), OWN, "10.0.1.10", 443)).isEqualTo(OutboundRules.Verdict.ALLOWED);
    }

    @Test
    void theGroupItselfAllowsAndWhatCannotBeResolvedIsUnknown() {
        SecurityGroupRule self = SecurityGroupRule.builder().isEgress(true).ipProtocol("tcp").fromPort(443).toPort(443)
                .referencedGroupInfo(r -> r.groupId("sg-cluster")).build();
        SecurityGroupRule other = self.toBuilder().referencedGroupInfo(r -> r.groupId("sg-other")).build();
        SecurityGroupRule prefixList = SecurityGroupRule.builder().isEgress(true).ipProtocol("tcp").fromPort(443).toPort(443).prefixListId("pl-1").build();

        assertThat(OutboundRules.tcp(List.of(self), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.ALLOWED);
        assertThat(OutboundRules.tcp(List.of(other), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.UNKNOWN);
        assertThat(OutboundRules.tcp(List.of(prefixList), OWN, "10.0.1.0/24", 443)).isEqualTo(OutboundRules.Verdict.UNKNOWN);
    }

    @Test
    void aDestinationThatIsNotIpv4IsAProgrammingError() {
        assertThatThrownBy(() -> OutboundRules.tcp(List.of(), OWN, "2600:1f18::/56", 443)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'2600:1f18::/56' is not an IPv4 address or CIDR");
    }
}
