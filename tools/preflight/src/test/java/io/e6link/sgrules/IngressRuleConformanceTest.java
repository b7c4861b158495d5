package io.e6link.sgrules;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.preflight.IngressCheck;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/** The preflight refuses the CIDRs and adopts the rules that Custom::SecurityGroupIngressRules refuses and adopts. */
class IngressRuleConformanceTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.200.0.0/16", "10.200.0.1/16", "10.200.0.0/0", "10.200.0.0/33", "fd00::/8", "10.200.0/16", "10.256.0.0/16",
            "010.1.0.0/16", "192.168.1.7/32", "0.0.0.0/1"})
    void cidrsAreRefusedAlike(String cidr) {
        Optional<String> preflight = IngressCheck.problem(cidr);
        boolean resourceRefuses;
        try {
            IngressRulesProperties.canonicalCidr(cidr);
            resourceRefuses = false;
        } catch (InvalidPropertyException refused) {
            resourceRefuses = true;
        }
        assertThat(preflight.isPresent()).as(cidr).isEqualTo(resourceRefuses);
    }

    @ParameterizedTest
    @MethodSource("rules")
    void rulesAreAdoptedAlike(SecurityGroupRule rule) {
        assertThat(IngressCheck.isPortRuleFromCidr(rule)).isEqualTo(IngressRules.isPortRuleFromCidr(rule, 443));
    }

    static java.util.stream.Stream<SecurityGroupRule> rules() {
        return java.util.stream.Stream.of(
                rule("tcp", 443, 443, "10.200.0.0/16", false),
                rule("6", 443, 443, "10.200.0.0/16", false),
                rule("tcp", 443, 443, "10.200.0.0/16", true),
                rule("tcp", 0, 65535, "10.200.0.0/16", false),
                rule("-1", -1, -1, "10.200.0.0/16", false),
                rule("udp", 443, 443, "10.200.0.0/16", false),
                rule("tcp", 443, 443, null, false));
    }

    private static SecurityGroupRule rule(String protocol, int from, int to, String cidr, boolean egress) {
        return SecurityGroupRule.builder().ipProtocol(protocol).fromPort(from).toPort(to).cidrIpv4(cidr).isEgress(egress).build();
    }
}
