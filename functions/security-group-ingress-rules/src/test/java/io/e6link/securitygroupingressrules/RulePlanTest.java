package io.e6link.securitygroupingressrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * What one read of the group's rules on the port means for the wanted CIDRs ({@link RulePlan}), as a
 * table. The rules: a rule carrying this resource's e6link:owner tag is owned; an identical rule
 * without it (the customer's, or another stack's) is adopted and never touched; a wanted CIDR without
 * a rule is missing; an owned rule whose CIDR is no longer wanted is revoked on Update. CIDRs match
 * exactly. No AWS, no moto.
 */
class RulePlanTest {
    private static final String ME = "arn:aws:cloudformation:us-east-1:123456789012:stack/e6link/11111111-2222-3333-4444-555555555555/E6dataIngress";
    private static final String OTHER = "arn:aws:cloudformation:us-east-1:123456789012:stack/other/66666666-7777-8888-9999-000000000000/E6dataIngress";

    record Row(String name, List<SecurityGroupRule> rules, List<String> wanted,
               List<String> owned, List<String> adopted, List<String> missing, List<String> ownedNotWanted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("an empty group: every wanted CIDR is missing, in the order given",
                        List.of(), List.of("10.2.0.0/16", "10.1.0.0/16"), List.of(), List.of(), List.of("10.2.0.0/16", "10.1.0.0/16"), List.of()),
                new Row("a rule with our owner tag is owned",
                        List.of(rule("sgr-1", "10.1.0.0/16", ME)), List.of("10.1.0.0/16"), List.of("sgr-1"), List.of(), List.of(), List.of()),
                new Row("an identical customer rule is adopted",
                        List.of(rule("sgr-1", "10.1.0.0/16", null)), List.of("10.1.0.0/16"), List.of(), List.of("sgr-1"), List.of(), List.of()),
                new Row("an identical rule of another stack is adopted, not owned",
                        List.of(rule("sgr-1", "10.1.0.0/16", OTHER)), List.of("10.1.0.0/16"), List.of(), List.of("sgr-1"), List.of(), List.of()),
                new Row("an owned rule whose CIDR is no longer wanted is to be revoked",
                        List.of(rule("sgr-1", "10.1.0.0/16", ME), rule("sgr-2", "10.9.0.0/16", ME)), List.of("10.1.0.0/16"),
                        List.of("sgr-1"), List.of(), List.of(), List.of("sgr-2")),
                new Row("customer and other stacks' rules for CIDRs not wanted are left alone",
                        List.of(rule("sgr-1", "10.8.0.0/16", null), rule("sgr-2", "10.9.0.0/16", OTHER)), List.of("10.1.0.0/16"),
                        List.of(), List.of(), List.of("10.1.0.0/16"), List.of()),
                new Row("CIDRs match exactly: a narrower or wider rule is not the wanted one",
                        List.of(rule("sgr-1", "10.1.0.0/24", null), rule("sgr-2", "10.0.0.0/8", null)), List.of("10.1.0.0/16"),
                        List.of(), List.of(), List.of("10.1.0.0/16"), List.of()),
                new Row("a mix: each wanted CIDR decided on its own",
                        List.of(rule("sgr-1", "10.1.0.0/16", ME), rule("sgr-2", "10.2.0.0/16", null), rule("sgr-3", "10.4.0.0/16", ME)),
                        List.of("10.3.0.0/16", "10.2.0.0/16", "10.1.0.0/16"),
                        List.of("sgr-1"), List.of("sgr-2"), List.of("10.3.0.0/16"), List.of("sgr-3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachWantedCidrIsOwnedAdoptedOrMissing(Row row) {
        RulePlan plan = RulePlan.of(row.rules(), row.wanted(), ME);

        assertThat(plan.owned().values()).extracting(SecurityGroupRule::securityGroupRuleId).containsExactlyElementsOf(row.owned());
        assertThat(plan.adopted().values()).extracting(SecurityGroupRule::securityGroupRuleId).containsExactlyElementsOf(row.adopted());
        assertThat(plan.missing()).containsExactlyElementsOf(row.missing());
        assertThat(plan.ownedNotWanted()).extracting(SecurityGroupRule::securityGroupRuleId).containsExactlyElementsOf(row.ownedNotWanted());
        plan.owned().forEach((cidr, rule) -> assertThat(rule.cidrIpv4()).isEqualTo(cidr));
        plan.adopted().forEach((cidr, rule) -> assertThat(rule.cidrIpv4()).isEqualTo(cidr));
    }

    /** An inbound TCP 443 rule as DescribeSecurityGroupRules reports it, tagged with e6link:owner when owner is not null. */
    private static SecurityGroupRule rule(String id, String cidr, String owner) {
        List<Tag> tags = owner == null ? List.of(Tag.builder().key("Name").value("customer").build())
                : List.of(Tag.builder().key("e6link:owner").value(owner).build());
        return SecurityGroupRule.builder().securityGroupRuleId(id).groupId("sg-0123456789abcdef0").isEgress(false)
                .ipProtocol("tcp").fromPort(443).toPort(443).cidrIpv4(cidr).tags(tags).build();
    }
}
