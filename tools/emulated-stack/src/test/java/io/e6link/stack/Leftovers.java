package io.e6link.stack;

import io.e6link.testing.MotoClients;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a deleted stack left behind in the emulated world: anything tagged as the stack's (ownership
 * tags, CloudFormation's stack tags), endpoint services, and bucket statements with the stack's Sid.
 */
final class Leftovers {
    private Leftovers() {
    }

    static List<String> of(MotoClients clients, String stackId, List<String> buckets) {
        List<String> left = new ArrayList<>();
        Ec2Client ec2 = clients.ec2();
        ec2.describeVpcEndpoints().vpcEndpoints().stream()
                .filter(endpoint -> !"deleted".equalsIgnoreCase(endpoint.stateAsString()))
                .filter(endpoint -> endpoint.tags().stream().anyMatch(tag -> tag.value().startsWith(stackId)))
                .forEach(endpoint -> left.add("S3 endpoint " + endpoint.vpcEndpointId() + " " + endpoint.tags()));
        ec2.describeSecurityGroupRules(b -> { }).securityGroupRules().stream()
                .filter(rule -> rule.tags().stream().anyMatch(tag -> tag.value().startsWith(stackId)))
                .forEach(rule -> left.add("security group rule " + rule.securityGroupRuleId() + " " + rule.cidrIpv4()));
        ec2.describeVpcEndpointServiceConfigurations().serviceConfigurations()
                .forEach(service -> left.add("endpoint service " + service.serviceId()));
        IamClient iam = clients.iam();
        iam.listOpenIDConnectProviders().openIDConnectProviderList().forEach(provider -> {
            if (iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(provider.arn())).tags().stream()
                    .anyMatch(tag -> tag.value().startsWith(stackId))) {
                left.add("OIDC provider " + provider.arn());
            }
        });
        ElasticLoadBalancingV2Client elb = clients.elb();
        elb.describeLoadBalancers().loadBalancers().forEach(lb -> left.add("load balancer " + lb.loadBalancerName()));
        elb.describeTargetGroups().targetGroups().forEach(group -> left.add("target group " + group.targetGroupName()));
        String sid = "E6link" + stackId.substring(stackId.lastIndexOf('/') + 1).replace("-", "");
        S3Client s3 = clients.s3();
        for (String bucket : buckets) {
            try {
                if (s3.getBucketPolicy(b -> b.bucket(bucket)).policy().contains(sid)) {
                    left.add("statement " + sid + " in the policy of " + bucket);
                }
            } catch (software.amazon.awssdk.services.s3.model.S3Exception noPolicy) {
                // no policy: nothing of ours
            }
        }
        return left;
    }
}
