package io.e6link.endpointservicevalidation;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The provider side of the runbook's PrivateLink path in moto, as the stack builds it: internal NLB,
 * IP target group with one registered ENI IP, TCP 443 listener, endpoint service, e6data allowed.
 * Each setting can be spoiled to exercise one check.
 */
final class PrivateLinkFixture {
    static final String E6DATA_ACCOUNT = "444455556666";
    static final String E6DATA_PRINCIPAL = "arn:aws:iam::" + E6DATA_ACCOUNT + ":root";

    /** What was built; {@code clusterSecurityGroupId} is null unless {@link #inClusterSecurityGroup()}. */
    record Built(String vpcId, String subnetId, String serviceId, String serviceName, String nlbArn, String targetGroupArn,
                 String clusterSecurityGroupId) {
    }

    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private LoadBalancerSchemeEnum scheme = LoadBalancerSchemeEnum.INTERNAL;
    private LoadBalancerTypeEnum type = LoadBalancerTypeEnum.NETWORK;
    private int listenerPort = 443;
    private ProtocolEnum listenerProtocol = ProtocolEnum.TCP;
    private boolean forwardElsewhere;
    private boolean registerTarget = true;
    private boolean inClusterSecurityGroup;
    private List<String> principals = List.of(E6DATA_PRINCIPAL);

    PrivateLinkFixture(Ec2Client ec2, ElasticLoadBalancingV2Client elb) {
        this.ec2 = ec2;
        this.elb = elb;
    }

    PrivateLinkFixture scheme(LoadBalancerSchemeEnum value) {
        scheme = value;
        return this;
    }

    PrivateLinkFixture type(LoadBalancerTypeEnum value) {
        type = value;
        return this;
    }

    PrivateLinkFixture listener(int port, ProtocolEnum protocol) {
        listenerPort = port;
        listenerProtocol = protocol;
        return this;
    }

    PrivateLinkFixture listenerForwardsToAnotherTargetGroup() {
        forwardElsewhere = true;
        return this;
    }

    /**
     * The NLB in a cluster security group as EKS creates it (allow-all outbound, inbound from itself) and
     * the target's ENI carrying it, as runbook step 3 builds the stack's NLB.
     */
    PrivateLinkFixture inClusterSecurityGroup() {
        inClusterSecurityGroup = true;
        return this;
    }

    PrivateLinkFixture noTargets() {
        registerTarget = false;
        return this;
    }

    PrivateLinkFixture allowedPrincipals(String... values) {
        principals = List.of(values);
        return this;
    }

    Built build() {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        String group = null;
        if (inClusterSecurityGroup) {
            String created = ec2.createSecurityGroup(r -> r.groupName("eks-cluster-sg-prod").description("EKS created security group").vpcId(vpc)).groupId();
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(created).ipPermissions(p -> p.ipProtocol("-1").userIdGroupPairs(g -> g.groupId(created))));
            ec2.createNetworkInterface(r -> r.subnetId(subnet).privateIpAddress("10.0.1.10").groups(created).description("Amazon EKS prod"));
            group = created;
        }
        String inGroup = group;
        String nlb = elb.createLoadBalancer(r -> {
            r.name("e6link-nlb").subnets(subnet).scheme(scheme).type(type);
            if (inGroup != null) {
                r.securityGroups(inGroup);
            }
        }).loadBalancers().getFirst().loadBalancerArn();
        String targetGroup = targetGroup("e6link-eks-api", vpc);
        String forwardTo = forwardElsewhere ? targetGroup("someone-else", vpc) : targetGroup;
        elb.createListener(r -> r.loadBalancerArn(nlb).port(listenerPort).protocol(listenerProtocol)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(forwardTo)));
        if (registerTarget) {
            elb.registerTargets(r -> r.targetGroupArn(targetGroup).targets(t -> t.id("10.0.1.10").port(443)));
        }
        var service = ec2.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb).acceptanceRequired(true))
                .serviceConfiguration();
        if (!principals.isEmpty()) {
            ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId()).addAllowedPrincipals(principals));
        }
        return new Built(vpc, subnet, service.serviceId(), service.serviceName(), nlb, targetGroup, group);
    }

    private String targetGroup(String name, String vpc) {
        return elb.createTargetGroup(r -> r.name(name).protocol(ProtocolEnum.TCP).port(443).vpcId(vpc).targetType(TargetTypeEnum.IP))
                .targetGroups().getFirst().targetGroupArn();
    }
}
