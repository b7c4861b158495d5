package io.e6link.securitygroupingressrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.kit.InvalidPropertyException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * Which of the group's rules count as rules for the port ({@link IngressRuleRequests#isPortRuleFromCidr}),
 * which physical ids are this resource's ({@link RuleTarget#parse}), and which CIDRs the Cidrs property
 * takes ({@link SecurityGroupIngressRulesProperties#canonicalCidr}), as tables. No AWS, no moto.
 */
class IngressRuleRequestsTest {

    /** AWS refuses a second inbound rule with the same protocol, port and source: those, and only those, are the port's rules. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            inbound tcp 443 from a CIDR                  | false | tcp | 443 | 443   | 10.1.0.0/16 | true
            protocol given by number (6 = tcp)           | false | 6   | 443 | 443   | 10.1.0.0/16 | true
            egress                                       | true  | tcp | 443 | 443   | 10.1.0.0/16 | false
            udp                                          | false | udp | 443 | 443   | 10.1.0.0/16 | false
            all protocols                                | false | -1  | -1  | -1    | 10.1.0.0/16 | false
            a port range holding 443                     | false | tcp | 0   | 65535 | 10.1.0.0/16 | false
            a range starting at 443                      | false | tcp | 443 | 444   | 10.1.0.0/16 | false
            another port                                 | false | tcp | 8443| 8443  | 10.1.0.0/16 | false
            from a security group or IPv6 (no IPv4 CIDR) | false | tcp | 443 | 443   |             | false
            """)
    void onlyInboundTcpRulesForExactlyThePortFromAnIpv4CidrCount(String name, boolean egress, String protocol, int from, int to, String cidr,
                                                                 boolean counts) {
        SecurityGroupRule rule = SecurityGroupRule.builder().securityGroupRuleId("sgr-1").isEgress(egress).ipProtocol(protocol)
                .fromPort(from).toPort(to).cidrIpv4(cidr).build();

        assertThat(IngressRuleRequests.isPortRuleFromCidr(rule, 443)).isEqualTo(counts);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({
            "sg-0123456789abcdef0:tcp:443, sg-0123456789abcdef0, 443",
            "sg-0abc:tcp:8443, sg-0abc, 8443",
            "sg-0123456789abcdef0:udp:443, , ",
            "sg-0123456789abcdef0:tcp:, , ",
            "sg-0123456789abcdef0, , ",
            "e6link-create-failed-0f7d3a9c-2c4e-4b4a-9d7e-6a1b2c3d4e5f, , ",
            "e6link-E6dataIngress-ABCDEF123456, , ",
            ", , "})
    void onlyIdsThisResourceMadeNameATarget(String physicalId, String groupId, Integer port) {
        Optional<RuleTarget> parsed = RuleTarget.parse(physicalId);

        assertThat(parsed).isEqualTo(groupId == null ? Optional.empty() : Optional.of(new RuleTarget(groupId, port)));
        parsed.ifPresent(target -> assertThat(target.physicalId()).isEqualTo(physicalId));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10.20.0.0/16", "10.20.30.40/32", "172.16.0.0/12", "192.168.100.0/24", "0.0.0.0/1", "128.0.0.0/1", "255.255.255.255/32"})
    void networkAddressesWithAPrefixFrom1To32AreTaken(String cidr) {
        assertThat(SecurityGroupIngressRulesProperties.canonicalCidr(cidr)).isEqualTo(cidr);
    }

    /** The template's AllowedPattern for E6dataVpcCidrs refuses the same values; the function refuses them again with a hint. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            10.99.0.1/16   | host bits are set (did you mean 10.99.0.0/16)
            10.1.2.3/8     | host bits are set (did you mean 10.0.0.0/8)
            0.0.0.0/0      | this would open the port to every address; give e6data's VPC CIDRs
            10.0.0.0/33    | the prefix length must be from 1 to 32
            2001:db8::/32  | only IPv4 CIDRs are supported (e6data's VPC CIDRs are IPv4)
            10.0.0.0       | expected an IPv4 CIDR like 10.20.0.0/16
            256.0.0.0/8    | expected an IPv4 CIDR like 10.20.0.0/16
            010.0.0.0/8    | expected an IPv4 CIDR like 10.20.0.0/16
            10.0.0.0/08    | expected an IPv4 CIDR like 10.20.0.0/16
            10.0.0/8       | expected an IPv4 CIDR like 10.20.0.0/16
            abc            | expected an IPv4 CIDR like 10.20.0.0/16
            """)
    void anythingElseIsRefusedNamingTheTemplateParameter(String cidr, String hint) {
        assertThatThrownBy(() -> SecurityGroupIngressRulesProperties.canonicalCidr(cidr)).isInstanceOf(InvalidPropertyException.class)
                .hasMessage("E6dataVpcCidrs (property Cidrs) has invalid value '" + cidr + "': " + hint + ".");
    }
}
