package io.e6link.endpointservicevalidation;

import io.e6link.kit.eks.OutboundRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Whether the NLB's own security groups stop its health checks: they obey the groups' outbound rules
 * (ELB guide, "Security groups for your Network Load Balancer"), so a cluster security group whose
 * egress was tightened leaves every target failing its health checks while inbound 443 is fine. Read only when no
 * target became healthy: two calls (DescribeLoadBalancers, DescribeSecurityGroupRules).
 */
record HealthCheckEgress(Ec2Client ec2, ElasticLoadBalancingV2Client elb) {

    /**
     * @param loadBalancerArn the NLB
     * @param targetIps       the IPs of the targets that did not become healthy
     * @param port            the health-check port (the traffic port, 443)
     * @return the clause naming the groups and the targets their outbound rules cannot reach, when egress
     *         certainly blocks at least one target; empty when it does not, when a rule's destination
     *         cannot be resolved here (prefix list, another group), or when the rules cannot be read
     */
    Optional<String> blocked(String loadBalancerArn, List<String> targetIps, int port) {
        List<String> groups;
        List<SecurityGroupRule> rules = new ArrayList<>();
        try {
            groups = elb.describeLoadBalancers(b -> b.loadBalancerArns(loadBalancerArn)).loadBalancers().stream()
                    .flatMap(lb -> lb.securityGroups().stream()).distinct().toList();
            if (groups.isEmpty()) {
                return Optional.empty();
            }
            ec2.describeSecurityGroupRulesPaginator(b -> b.filters(Filter.builder().name("group-id").values(groups).build()))
                    .securityGroupRules().forEach(rules::add);
        } catch (SdkException unreadable) {
            // The timeout itself is the finding; a rule we cannot read must not replace it with a guess.
            return Optional.empty();
        }
        Set<String> blocked = new LinkedHashSet<>();
        for (String ip : targetIps) {
            if (OutboundRules.tcp(rules, Set.copyOf(groups), ip, port) == OutboundRules.Verdict.BLOCKED) {
                blocked.add(ip);
            }
        }
        if (blocked.isEmpty()) {
            return Optional.empty();
        }
        String reason = "the load balancer's security groups (" + String.join(", ", groups) + ") allow no outbound TCP " + port + " to "
                + String.join(", ", blocked) + ", and NLB health checks obey their outbound rules: add an outbound rule for TCP " + port
                + " to the control-plane ENIs' subnets (or restore the default allow-all outbound rule)";
        return Optional.of(reason);
    }
}
