package io.e6link.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/**
 * Creates the template's native resources the way CloudFormation would: network resources in moto
 * through the SDK with the template's own properties; resources without a network effect here
 * (IAM roles, log groups, SNS, alarms, dashboards, layers, functions) are recorded with the
 * identifiers CloudFormation would return.
 */
record NativeResources(Ec2Client ec2, ElasticLoadBalancingV2Client elb, String stackName, String stackId) {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    /**
     * A create that failed after the resource itself was made (an attribute call failed):
     * CloudFormation knows its id and deletes it in the rollback.
     */
    static final class PartiallyCreated extends RuntimeException {
        private final transient Deployed created;

        PartiallyCreated(Deployed created, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.created = created;
        }

        Deployed created() {
            return created;
        }
    }

    /**
     * Applies a property change the way CloudFormation updates the resource in place, and says what
     * was done (null when nothing reaches moto). Load balancer subnets change through SetSubnets, which
     * the strict world refuses as ELB does (swap within a zone, removal with endpoint associations).
     */
    String update(Deployed current, Map<String, Object> p) {
        if (current.type().equals("AWS::ElasticLoadBalancingV2::LoadBalancer")) {
            List<String> subnets = strings(p, "Subnets");
            if (!subnets.equals(strings(current.properties(), "Subnets"))) {
                elb.setSubnets(b -> b.loadBalancerArn(current.physicalId()).subnets(subnets));
                return "SetSubnets " + subnets;
            }
            return null;
        }
        return current.emulated() ? "property change recorded; not applied to moto" : null;
    }

    /** The tags CloudFormation puts on every resource it creates that supports tags. */
    private List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> stackTags(String logicalId) {
        return List.of(elbTag("aws:cloudformation:stack-name", stackName), elbTag("aws:cloudformation:stack-id", stackId),
                elbTag("aws:cloudformation:logical-id", logicalId));
    }

    private static software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag elbTag(String key, String value) {
        return software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder().key(key).value(value).build();
    }

    Deployed create(String id, String type, Map<String, Object> p) {
        return switch (type) {
            case "AWS::ElasticLoadBalancingV2::TargetGroup" -> targetGroup(id, p);
            case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> loadBalancer(id, p);
            case "AWS::ElasticLoadBalancingV2::Listener" -> {
                Map<String, Object> action = list(p, "DefaultActions").isEmpty() ? Map.of() : map(list(p, "DefaultActions").get(0));
                String arn = elb.createListener(b -> b.loadBalancerArn(str(p, "LoadBalancerArn")).protocol(str(p, "Protocol"))
                        .port(integer(p, "Port")).defaultActions(Action.builder().type(ActionTypeEnum.fromValue(String.valueOf(action.get("Type"))))
                                .targetGroupArn(String.valueOf(action.get("TargetGroupArn"))).build())).listeners().get(0).listenerArn();
                Deployed created = emulated(id, type, arn, Map.of("ListenerArn", arn), p);
                // CloudFormation sets ListenerAttributes (tcp.idle_timeout.seconds) with ModifyListenerAttributes after the create.
                List<ListenerAttribute> attributes = list(p, "ListenerAttributes").stream().map(NativeResources::map)
                        .map(a -> ListenerAttribute.builder().key(String.valueOf(a.get("Key"))).value(String.valueOf(a.get("Value"))).build()).toList();
                if (!attributes.isEmpty()) {
                    try {
                        elb.modifyListenerAttributes(b -> b.listenerArn(arn).attributes(attributes));
                    } catch (RuntimeException e) {
                        throw new PartiallyCreated(created, e);
                    }
                }
                yield created;
            }
            case "AWS::EC2::VPCEndpointService" -> {
                String serviceId = ec2.createVpcEndpointServiceConfiguration(b -> b.networkLoadBalancerArns(strings(p, "NetworkLoadBalancerArns"))
                        .acceptanceRequired(Boolean.parseBoolean(String.valueOf(p.get("AcceptanceRequired"))))
                        .supportedRegions(p.containsKey("SupportedRegions") ? strings(p, "SupportedRegions") : null)).serviceConfiguration().serviceId();
                yield emulated(id, type, serviceId, Map.of("ServiceId", serviceId), p);
            }
            case "AWS::EC2::VPCEndpointServicePermissions" -> {
                ec2.modifyVpcEndpointServicePermissions(b -> b.serviceId(str(p, "ServiceId")).addAllowedPrincipals(strings(p, "AllowedPrincipals")));
                yield emulated(id, type, str(p, "ServiceId") + "|permissions", Map.of(), p);
            }
            case "AWS::IAM::Role" -> {
                String name = physicalName(id, 64);
                yield recorded(id, type, name, Map.of("Arn", "arn:aws:iam::" + ACCOUNT + ":role/" + name, "RoleId", "AROA" + random(16)), p);
            }
            case "AWS::Logs::LogGroup" -> {
                String name = String.valueOf(p.getOrDefault("LogGroupName", physicalName(id, 512)));
                yield recorded(id, type, name, Map.of("Arn", "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + name + ":*"), p);
            }
            case "AWS::SNS::Topic" -> {
                String name = physicalName(id, 256);
                String arn = "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
                yield recorded(id, type, arn, Map.of("TopicArn", arn, "TopicName", name), p);
            }
            case "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion" -> recorded(id, type, "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":layer:" + id + ":1", Map.of(), p);
            case "AWS::Serverless::Function", "AWS::Lambda::Function" -> {
                String name = physicalName(id, 64);
                yield recorded(id, type, name, Map.of("Arn", functionArn(name)), p);
            }
            case "AWS::Events::Rule" -> {
                String name = physicalName(id, 64);
                yield recorded(id, type, name, Map.of("Arn", "arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + name), p);
            }
            default -> recorded(id, type, physicalName(id, 128), Map.of(), p);
        };
    }

    void delete(Deployed resource) {
        String id = resource.physicalId();
        switch (resource.type()) {
            case "AWS::ElasticLoadBalancingV2::Listener" -> elb.deleteListener(b -> b.listenerArn(id));
            case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(id));
            case "AWS::ElasticLoadBalancingV2::TargetGroup" -> elb.deleteTargetGroup(b -> b.targetGroupArn(id));
            case "AWS::EC2::VPCEndpointServicePermissions" -> ec2.modifyVpcEndpointServicePermissions(b -> b
                    .serviceId(str(resource.properties(), "ServiceId")).removeAllowedPrincipals(strings(resource.properties(), "AllowedPrincipals")));
            case "AWS::EC2::VPCEndpointService" -> {
                var unsuccessful = ec2.deleteVpcEndpointServiceConfigurations(b -> b.serviceIds(id)).unsuccessful();
                if (!unsuccessful.isEmpty()) {
                    throw new IllegalStateException(unsuccessful.get(0).error().message());
                }
            }
            default -> {
                // recorded only: nothing to remove
            }
        }
    }

    /** The SAM form and the transform-free form of a function. */
    static boolean isFunction(String type) {
        return type.equals("AWS::Serverless::Function") || type.equals("AWS::Lambda::Function");
    }

    static String functionArn(String functionName) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName;
    }

    private Deployed targetGroup(String id, Map<String, Object> p) {
        String name = physicalName(id, 32);
        String arn = elb.createTargetGroup(b -> b.name(name).targetType(str(p, "TargetType")).protocol(str(p, "Protocol"))
                .port(integer(p, "Port")).vpcId(str(p, "VpcId")).ipAddressType(str(p, "IpAddressType"))
                .healthCheckProtocol(str(p, "HealthCheckProtocol")).healthCheckPort(str(p, "HealthCheckPort"))
                .healthCheckIntervalSeconds(integer(p, "HealthCheckIntervalSeconds"))
                .healthyThresholdCount(integer(p, "HealthyThresholdCount")).unhealthyThresholdCount(integer(p, "UnhealthyThresholdCount"))
                .tags(stackTags(id)))
                .targetGroups().get(0).targetGroupArn();
        List<TargetGroupAttribute> attributes = list(p, "TargetGroupAttributes").stream().map(NativeResources::map)
                .map(a -> TargetGroupAttribute.builder().key(String.valueOf(a.get("Key"))).value(String.valueOf(a.get("Value"))).build()).toList();
        Deployed created = emulated(id, "AWS::ElasticLoadBalancingV2::TargetGroup", arn,
                Map.of("TargetGroupArn", arn, "TargetGroupName", name, "TargetGroupFullName", arn.substring(arn.indexOf("targetgroup/"))), p);
        if (!attributes.isEmpty()) {
            try {
                elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(attributes));
            } catch (RuntimeException e) {
                throw new PartiallyCreated(created, e);
            }
        }
        return created;
    }

    private Deployed loadBalancer(String id, Map<String, Object> p) {
        String name = physicalName(id, 32);
        var lb = elb.createLoadBalancer(b -> b.name(name).type(str(p, "Type")).scheme(str(p, "Scheme")).ipAddressType(str(p, "IpAddressType"))
                .subnets(strings(p, "Subnets")).securityGroups(strings(p, "SecurityGroups")).tags(stackTags(id))).loadBalancers().get(0);
        String arn = lb.loadBalancerArn();
        List<LoadBalancerAttribute> attributes = list(p, "LoadBalancerAttributes").stream().map(NativeResources::map)
                .map(a -> LoadBalancerAttribute.builder().key(String.valueOf(a.get("Key"))).value(String.valueOf(a.get("Value"))).build()).toList();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("LoadBalancerArn", arn);
        attrs.put("LoadBalancerFullName", arn.substring(arn.indexOf("loadbalancer/") + "loadbalancer/".length()));
        attrs.put("LoadBalancerName", name);
        attrs.put("DNSName", lb.dnsName());
        Deployed created = emulated(id, "AWS::ElasticLoadBalancingV2::LoadBalancer", arn, attrs, p);
        if (!attributes.isEmpty()) {
            try {
                elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(arn).attributes(attributes));
            } catch (RuntimeException e) {
                throw new PartiallyCreated(created, e);
            }
        }
        return created;
    }

    private String physicalName(String logicalId, int max) {
        String base = stackName + "-" + logicalId;
        String suffix = "-" + random(12);
        if (base.length() + suffix.length() > max) {
            base = base.substring(0, Math.max(1, max - suffix.length()));
        }
        return base + suffix;
    }

    private static String random(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, Math.min(length, 32)).toUpperCase();
    }

    private static Deployed emulated(String id, String type, String physicalId, Map<String, Object> attributes, Map<String, Object> p) {
        return new Deployed(id, type, physicalId, attributes, p, true);
    }

    private static Deployed recorded(String id, String type, String physicalId, Map<String, Object> attributes, Map<String, Object> p) {
        return new Deployed(id, type, physicalId, attributes, p, false);
    }

    private static String str(Map<String, Object> p, String key) {
        Object value = p.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static Integer integer(Map<String, Object> p, String key) {
        Object value = p.get(key);
        return value == null ? null : Integer.valueOf(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> p, String key) {
        Object value = p.get(key);
        return value instanceof List<?> items ? (List<Object>) items : List.of();
    }

    private static List<String> strings(Map<String, Object> p, String key) {
        return list(p, key).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
