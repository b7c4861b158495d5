package io.e6link.securitygroupingressrules;

import io.e6link.kit.Ownership;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ModifySecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleUpdate;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Static translators between the resource's model and EC2 requests; no calls, no state. */
public final class IngressRuleRequests {
    private IngressRuleRequests() {
    }

    static DescribeSecurityGroupRulesRequest describe(String groupId) {
        return DescribeSecurityGroupRulesRequest.builder()
                .filters(Filter.builder().name("group-id").values(groupId).build())
                .build();
    }

    /**
     * One call for every missing CIDR, so the change is all or nothing; the rules are tagged as they
     * are created, so there is no moment where a rule of ours exists without the ownership tag.
     */
    static AuthorizeSecurityGroupIngressRequest authorize(RuleTarget target, Collection<String> cidrs, String description, Map<String, String> tags) {
        return AuthorizeSecurityGroupIngressRequest.builder()
                .groupId(target.groupId())
                .ipPermissions(IpPermission.builder()
                        .ipProtocol("tcp").fromPort(target.port()).toPort(target.port())
                        .ipRanges(cidrs.stream().map(cidr -> IpRange.builder().cidrIp(cidr).description(description).build()).toList())
                        .build())
                .tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.SECURITY_GROUP_RULE)
                        .tags(tags.entrySet().stream().map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList())
                        .build())
                .build();
    }

    static RevokeSecurityGroupIngressRequest revoke(String groupId, String ruleId) {
        return RevokeSecurityGroupIngressRequest.builder().groupId(groupId).securityGroupRuleIds(ruleId).build();
    }

    static ModifySecurityGroupRulesRequest describeAs(RuleTarget target, Collection<SecurityGroupRule> rules, String description) {
        return ModifySecurityGroupRulesRequest.builder()
                .groupId(target.groupId())
                .securityGroupRules(rules.stream().map(rule -> SecurityGroupRuleUpdate.builder()
                        .securityGroupRuleId(rule.securityGroupRuleId())
                        .securityGroupRule(SecurityGroupRuleRequest.builder()
                                .ipProtocol("tcp").fromPort(target.port()).toPort(target.port())
                                .cidrIpv4(rule.cidrIpv4()).description(description).build())
                        .build()).toList())
                .build();
    }

    /**
     * An inbound TCP rule for exactly this port from an IPv4 CIDR: what AWS itself would refuse as a
     * duplicate, whatever its description. Broader rules (port ranges, all protocols) are not
     * duplicates, so this resource still adds its own narrow rule next to them.
     */
    public static boolean isPortRuleFromCidr(SecurityGroupRule rule, int port) {
        boolean tcp = "tcp".equals(rule.ipProtocol()) || "6".equals(rule.ipProtocol());
        return !Boolean.TRUE.equals(rule.isEgress()) && tcp
                && rule.fromPort() != null && rule.fromPort() == port
                && rule.toPort() != null && rule.toPort() == port
                && rule.cidrIpv4() != null;
    }

    /**
     * One of e6data's CIDRs as the resource accepts it (IPv4, prefix 1-32, no host bits); the preflight checks with it too.
     *
     * @return the CIDR unchanged
     * @throws io.e6link.kit.InvalidPropertyException naming E6dataVpcCidrs, with the hint the stack would fail with
     */
    public static String checkedCidr(String cidr) {
        return SecurityGroupIngressRulesProperties.canonicalCidr(cidr);
    }

    static boolean isOwnedBy(SecurityGroupRule rule, String owner) {
        return rule.tags().stream().anyMatch(tag -> Ownership.isOwnerTag(tag.key(), tag.value(), owner));
    }
}
