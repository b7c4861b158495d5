package io.e6link.securitygroupingressrules;

import io.e6link.kit.AwsErrors;
import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.CustomResourceType;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import io.e6link.kit.Polling;
import io.e6link.kit.ResourceTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * Step 1 of the runbook: inbound TCP 443 from e6data's VPC CIDRs on the cluster security group.
 * A CIDR that already has an identical rule is adopted (AWS would refuse a duplicate anyway) and is
 * never revoked; only rules carrying this resource's e6link:owner tag are ever changed or revoked.
 * Rules are tagged in the same call that creates them, so a Create that fails after EC2 added them
 * (an answer lost on the way back) leaves rules the following Delete finds by tag and revokes.
 */
final class SecurityGroupIngressRulesResource implements CustomResource<SecurityGroupIngressRulesProperties> {
    static final CustomResourceType<SecurityGroupIngressRulesProperties> TYPE = new CustomResourceType<>("Custom::SecurityGroupIngressRules", SecurityGroupIngressRulesProperties::parse);
    /**
     * Re-reading the group after a rule appeared while we authorized (InvalidPermission.Duplicate): at once
     * the first time, then after a short pause, for at most {@link #RULE_APPEARED_BOUND}.
     */
    static final BackoffStrategy RULE_APPEARED = BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(200), Duration.ofSeconds(2));
    private static final Duration RULE_APPEARED_BOUND = Duration.ofSeconds(10);
    /** Left of the deadline after the re-reads, so a group that keeps changing fails with AWS's reason. */
    private static final Duration RESERVE = Duration.ofSeconds(5);
    private final Ec2Client ec2;
    private final Polling polling;
    private final JsonLog log = JsonLog.stdout();

    SecurityGroupIngressRulesResource(Ec2Client ec2) {
        this(ec2, Polling.withBackoff(RULE_APPEARED));
    }

    /** @param polling paces the re-reads of the group when a rule appears while authorizing (the kit's {@link Polling}) */
    SecurityGroupIngressRulesResource(Ec2Client ec2, Polling polling) {
        this.ec2 = ec2;
        this.polling = polling;
    }

    @Override
    public Outcome create(Invocation<SecurityGroupIngressRulesProperties> invocation) {
        return converge(invocation, false);
    }

    @Override
    public Outcome update(Invocation<SecurityGroupIngressRulesProperties> invocation) {
        RuleTarget wanted = RuleTarget.of(invocation.properties());
        boolean sameTarget = RuleTarget.parse(invocation.physicalResourceId()).map(wanted::equals).orElse(false);
        // Another group or port is another resource: create it under a new id; CloudFormation then
        // deletes the old id, which revokes the old target's owned rules.
        return converge(invocation, sameTarget);
    }

    @Override
    public Outcome delete(Invocation<SecurityGroupIngressRulesProperties> invocation) {
        // Our own ids name the target (after a replacement the old target, not the properties' one).
        // An id we did not make (a failed Create's placeholder, or one CloudFormation invents when a
        // Create never answered) falls back to the properties. Either way only rules carrying this
        // resource's owner tag are revoked: an identical rule the customer made stays.
        RuleTarget target = RuleTarget.parse(invocation.physicalResourceId()).orElseGet(() -> RuleTarget.of(invocation.properties()));
        invocation.deadline().step("revoking the owned inbound rules for port " + target.port() + " in " + target.groupId());
        for (SecurityGroupRule rule : ownedRules(target, invocation.ownerTag())) {
            revoke(target, rule);
        }
        return invocation.sameId().build();
    }

    /**
     * One {@link #convergeOnce}, read again from the start while rules keep appearing between our read and
     * our authorize (someone added one of ours meanwhile: the next read adopts it).
     */
    private Outcome converge(Invocation<SecurityGroupIngressRulesProperties> invocation, boolean revokeRemovedCidrs) {
        Duration bound = Polling.bound(RULE_APPEARED_BOUND, invocation.deadline(), RESERVE);
        return polling.retry(invocation.deadline(), bound, () -> convergeOnce(invocation, revokeRemovedCidrs),
                SecurityGroupIngressRulesResource::ruleAppeared);
    }

    private static boolean ruleAppeared(RuntimeException failure) {
        return failure instanceof Ec2Exception && "InvalidPermission.Duplicate".equals(AwsErrors.errorCode(failure));
    }

    private Outcome convergeOnce(Invocation<SecurityGroupIngressRulesProperties> invocation, boolean revokeRemovedCidrs) {
        SecurityGroupIngressRulesProperties wanted = invocation.properties();
        RuleTarget target = RuleTarget.of(wanted);
        String owner = invocation.ownerTag();
        invocation.deadline().step("reading the inbound rules of " + target.groupId());
        requireGroup(target.groupId());
        RulePlan plan = RulePlan.of(rulesFor(target), wanted.cidrs(), owner);
        Map<String, SecurityGroupRule> owned = new LinkedHashMap<>(plan.owned());

        if (!plan.missing().isEmpty()) {
            invocation.deadline().step("authorizing port " + target.port() + " from " + plan.missing() + " in " + target.groupId());
            try {
                authorize(target, plan.missing(), wanted.description(), ResourceTags.forCreation(invocation)).forEach(rule -> owned.put(rule.cidrIpv4(), rule));
            } catch (Ec2Exception e) {
                if (ruleAppeared(e)) {
                    // Someone added one of these rules since we read the group: converge reads again and adopts it.
                    log.info("A rule appeared while authorizing; reading the group again", Map.of("groupId", target.groupId()));
                }
                throw e;
            }
        }
        if (revokeRemovedCidrs) {
            for (SecurityGroupRule stale : plan.ownedNotWanted()) {
                invocation.deadline().step("revoking port " + target.port() + " from " + stale.cidrIpv4() + " in " + target.groupId());
                revoke(target, stale);
            }
        }
        List<SecurityGroupRule> redescribe = plan.owned().values().stream()
                .filter(rule -> !wanted.description().equals(rule.description())).toList();
        if (!redescribe.isEmpty()) {
            invocation.deadline().step("updating the description of " + redescribe.size() + " owned rules in " + target.groupId());
            ec2.modifySecurityGroupRules(IngressRuleRequests.describeAs(target, redescribe, wanted.description()));
        }
        if (!plan.adopted().isEmpty()) {
            log.info("Adopted existing inbound rules; they stay when the stack is deleted",
                    Map.of("groupId", target.groupId(), "cidrs", List.copyOf(plan.adopted().keySet())));
        }

        if (!owned.keySet().containsAll(plan.missing())) {
            // AuthorizeSecurityGroupIngress normally returns the new rules; read them back if it did not.
            RulePlan.of(rulesFor(target), plan.missing(), owner).owned().forEach(owned::put);
        }
        List<String> ruleIds = new ArrayList<>();
        for (String cidr : wanted.cidrs()) {
            SecurityGroupRule rule = owned.containsKey(cidr) ? owned.get(cidr) : plan.adopted().get(cidr);
            ruleIds.add(rule.securityGroupRuleId());
        }
        return Outcome.of(target.physicalId())
                .withList("RuleIds", ruleIds)
                .withList("AdoptedCidrs", List.copyOf(plan.adopted().keySet()))
                .build();
    }

    private void requireGroup(String groupId) {
        try {
            ec2.describeSecurityGroups(request -> request.groupIds(groupId));
        } catch (Ec2Exception e) {
            if (AwsErrors.errorCode(e).startsWith("InvalidGroup")) {
                throw new CustomResourceException("Security group " + groupId + " (GroupId) does not exist in this account and region; "
                        + "pass the cluster security group of the EKS cluster.", e);
            }
            throw e;
        }
    }

    private List<SecurityGroupRule> rulesFor(RuleTarget target) {
        return ec2.describeSecurityGroupRulesPaginator(IngressRuleRequests.describe(target.groupId())).securityGroupRules().stream()
                .filter(rule -> IngressRuleRequests.isPortRuleFromCidr(rule, target.port()))
                .toList();
    }

    private List<SecurityGroupRule> ownedRules(RuleTarget target, String owner) {
        return rulesFor(target).stream().filter(rule -> IngressRuleRequests.isOwnedBy(rule, owner)).toList();
    }

    private List<SecurityGroupRule> authorize(RuleTarget target, List<String> cidrs, String description, Map<String, String> tags) {
        try {
            List<SecurityGroupRule> created = ec2.authorizeSecurityGroupIngress(IngressRuleRequests.authorize(target, cidrs, description, tags))
                    .securityGroupRules();
            log.info("Authorized inbound rules", Map.of("groupId", target.groupId(), "port", target.port(), "cidrs", cidrs,
                    "ruleIds", created.stream().map(SecurityGroupRule::securityGroupRuleId).toList()));
            return created;
        } catch (Ec2Exception e) {
            if ("RulesPerSecurityGroupLimitExceeded".equals(AwsErrors.errorCode(e))) {
                throw new CustomResourceException("Security group " + target.groupId() + " has reached its quota of inbound rules; "
                        + "remove unused rules or raise the 'Inbound or outbound rules per security group' quota, then retry.", e);
            }
            throw e;
        }
    }

    private void revoke(RuleTarget target, SecurityGroupRule rule) {
        try {
            ec2.revokeSecurityGroupIngress(IngressRuleRequests.revoke(target.groupId(), rule.securityGroupRuleId()));
            log.info("Revoked owned inbound rule", Map.of("groupId", target.groupId(), "ruleId", rule.securityGroupRuleId(), "cidr", rule.cidrIpv4()));
        } catch (Ec2Exception e) {
            String code = AwsErrors.errorCode(e);
            // Already revoked (by a retry of this request or by someone else), or the group is gone: the end state we want.
            if (!code.equals("InvalidPermission.NotFound") && !code.equals("InvalidSecurityGroupRuleId.NotFound") && !code.startsWith("InvalidGroup")) {
                throw e;
            }
        }
    }
}
