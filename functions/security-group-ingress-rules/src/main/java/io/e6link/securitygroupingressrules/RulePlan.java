package io.e6link.securitygroupingressrules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * What the group already has for the wanted CIDRs, decided from one read of its rules: rules this
 * resource owns (by tag), identical rules someone else made (adopted, never touched), CIDRs still
 * missing, and owned rules whose CIDR is no longer wanted.
 */
record RulePlan(Map<String, SecurityGroupRule> owned, Map<String, SecurityGroupRule> adopted,
                List<String> missing, List<SecurityGroupRule> ownedNotWanted) {

    static RulePlan of(List<SecurityGroupRule> portRules, List<String> wantedCidrs, String owner) {
        Map<String, SecurityGroupRule> owned = new LinkedHashMap<>();
        Map<String, SecurityGroupRule> adopted = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String cidr : wantedCidrs) {
            List<SecurityGroupRule> same = portRules.stream().filter(rule -> cidr.equals(rule.cidrIpv4())).toList();
            same.stream().filter(rule -> IngressRuleRequests.isOwnedBy(rule, owner)).findFirst().ifPresentOrElse(
                    rule -> owned.put(cidr, rule),
                    () -> same.stream().findFirst().ifPresentOrElse(rule -> adopted.put(cidr, rule), () -> missing.add(cidr)));
        }
        List<SecurityGroupRule> ownedNotWanted = portRules.stream()
                .filter(rule -> IngressRuleRequests.isOwnedBy(rule, owner) && !wantedCidrs.contains(rule.cidrIpv4()))
                .toList();
        return new RulePlan(owned, adopted, missing, ownedNotWanted);
    }
}
