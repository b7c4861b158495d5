package io.e6link.testing.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The IAM authorization requests AWS makes for one API call: the action, every resource the Service
 * Authorization Reference lists for that action as the ARN the call implies, and the condition keys
 * with the values from the request and from the resources' current tags. For example
 * {@code CreateVpcEndpoint} is authorized on the new endpoint ({@code vpc-endpoint/*}), the VPC and each
 * route table, and its tags on {@code ec2:CreateTags} with {@code ec2:CreateAction}. Keys that do not
 * apply to a resource type are passed anyway: the evaluator drops them, as IAM does.
 *
 * <p>Calls this class has no rule for yield one request flagged {@code underived}, so a new AWS
 * call in the code fails the IAM evaluation until its authorization is written down here.
 *
 * @param account the emulated account's id, for the ARNs
 * @param ec2     reads the current tags of EC2 resources (as the strict front door's own caller)
 * @param elb     reads the current tags of load balancers and target groups
 * @param iam     reads the current tags of IAM resources
 */
public record AuthorizationRequests(String account, Ec2Client ec2, ElasticLoadBalancingV2Client elb, IamClient iam) {
    /** One authorization request: action, resource ARN and request context. */
    public record Authorization(String action, String resource, Map<String, Object> context, boolean underived) {
    }

    List<Authorization> derive(AwsRequest call) {
        Derivation d = new Derivation(call);
        switch (call.iamAction()) {
            case "ec2:CreateVpcEndpoint" -> {
                Map<String, Object> endpoint = d.requestTags(call.tags("TagSpecification.1.Tag"));
                endpoint.put("ec2:VpceServiceName", call.param("ServiceName"));
                endpoint.put("ec2:Vpc", ec2Arn("vpc", call.param("VpcId")));
                d.add(call.iamAction(), ec2Arn("vpc-endpoint", "*"), endpoint);
                d.add(call.iamAction(), ec2Arn("vpc", call.param("VpcId")), d.ec2Resource(call.param("VpcId")));
                call.list("RouteTableId").forEach(table -> d.add(call.iamAction(), ec2Arn("route-table", table), d.ec2Resource(table)));
                d.tagOnCreate("vpc-endpoint", "TagSpecification.1.Tag");
            }
            case "ec2:ModifyVpcEndpoint" -> {
                d.add(call.iamAction(), ec2Arn("vpc-endpoint", call.param("VpcEndpointId")), d.ec2Resource(call.param("VpcEndpointId")));
                call.list("AddRouteTableId").forEach(table -> d.add(call.iamAction(), ec2Arn("route-table", table), d.ec2Resource(table)));
                call.list("RemoveRouteTableId").forEach(table -> d.add(call.iamAction(), ec2Arn("route-table", table), d.ec2Resource(table)));
            }
            case "ec2:DeleteVpcEndpoints" -> call.list("VpcEndpointId").forEach(id -> d.add(call.iamAction(), ec2Arn("vpc-endpoint", id), d.ec2Resource(id)));
            case "ec2:CreateTags", "ec2:DeleteTags" -> {
                Map<String, String> tags = call.tags("Tag");
                for (String id : call.list("ResourceId")) {
                    Map<String, Object> context = d.ec2Resource(id);
                    context.putAll(d.requestTags(tags));
                    d.add(call.iamAction(), ec2Arn(ec2Type(id), id), context);
                }
            }
            case "ec2:AuthorizeSecurityGroupIngress" -> {
                d.add(call.iamAction(), ec2Arn("security-group", call.param("GroupId")), d.ec2Resource(call.param("GroupId")));
                if (call.params().containsKey("TagSpecification.1.ResourceType")) {
                    d.add(call.iamAction(), ec2Arn("security-group-rule", "*"), d.requestTags(call.tags("TagSpecification.1.Tag")));
                    d.tagOnCreate("security-group-rule", "TagSpecification.1.Tag");
                }
            }
            // The Service Authorization Reference lists only security-group for Revoke: IAM cannot tell one rule from another there.
            case "ec2:RevokeSecurityGroupIngress" ->
                    d.add(call.iamAction(), ec2Arn("security-group", call.param("GroupId")), d.ec2Resource(call.param("GroupId")));
            case "ec2:ModifySecurityGroupRules" -> {
                d.add(call.iamAction(), ec2Arn("security-group", call.param("GroupId")), d.ec2Resource(call.param("GroupId")));
                List<String> rules = new ArrayList<>(call.list("SecurityGroupRuleId"));
                for (int i = 1; call.params().containsKey("SecurityGroupRule." + i + ".SecurityGroupRuleId"); i++) {
                    rules.add(call.param("SecurityGroupRule." + i + ".SecurityGroupRuleId"));
                }
                rules.forEach(rule -> d.add(call.iamAction(), ec2Arn("security-group-rule", rule), d.ec2Resource(rule)));
            }
            case "ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections", "ec2:DescribeVpcEndpointServicePermissions" ->
                    d.add(call.iamAction(), ec2Arn("vpc-endpoint-service", call.param("ServiceId")), d.ec2Resource(call.param("ServiceId")));
            case "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets" ->
                    d.add(call.iamAction(), call.param("TargetGroupArn"), d.elbResource(call.param("TargetGroupArn")));
            case "iam:CreateOpenIDConnectProvider" -> {
                String arn = "arn:aws:iam::" + account + ":oidc-provider/" + call.param("Url").replaceFirst("^https://", "");
                Map<String, String> tags = call.tags("Tags.member");
                d.add(call.iamAction(), arn, d.requestTags(tags));
                if (!tags.isEmpty()) {
                    // IAM authorizes tags passed to a Create* call as iam:Tag* on the new resource.
                    d.add("iam:TagOpenIDConnectProvider", arn, d.requestTags(tags));
                }
            }
            case "iam:GetOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider",
                 "iam:UntagOpenIDConnectProvider", "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
                 "iam:ListOpenIDConnectProviderTags", "iam:UpdateOpenIDConnectProviderThumbprint" -> {
                String arn = call.param("OpenIDConnectProviderArn");
                Map<String, Object> context = d.oidcResource(arn);
                context.putAll(d.requestTags(call.tags("Tags.member")));
                d.add(call.iamAction(), arn, context);
            }
            case "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy" ->
                    d.add(call.iamAction(), "arn:aws:s3:::" + call.bucket(), new LinkedHashMap<>());
            case "eks:DescribeCluster" ->
                    d.add(call.iamAction(), "arn:aws:eks:" + call.region() + ":" + account + ":cluster/" + call.lastPathSegment(), new LinkedHashMap<>());
            default -> {
                if (isUnscoped(call.iamAction())) {
                    d.add(call.iamAction(), "*", new LinkedHashMap<>());
                } else {
                    d.underived();
                }
            }
        }
        return d.requests;
    }

    /** Read-only actions the Service Authorization Reference lists without a resource type: authorized on "*". */
    private static boolean isUnscoped(String action) {
        return action.startsWith("ec2:Describe") && !action.equals("ec2:DescribeVpcEndpointServicePermissions")
                || action.equals("iam:ListOpenIDConnectProviders") || action.equals("eks:ListClusters")
                || action.equals("elasticloadbalancing:DescribeLoadBalancers") || action.equals("elasticloadbalancing:DescribeListeners")
                || action.equals("elasticloadbalancing:DescribeTargetHealth") || action.equals("elasticloadbalancing:DescribeTags")
                || action.equals("elasticloadbalancing:DescribeTargetGroups");
    }

    private String ec2Arn(String type, String id) {
        return "arn:aws:ec2:" + "%REGION%" + ":" + account + ":" + type + "/" + id;
    }

    private static String ec2Type(String id) {
        if (id.startsWith("vpce-svc-")) {
            return "vpc-endpoint-service";
        }
        String prefix = id.substring(0, Math.max(0, id.indexOf('-')));
        return switch (prefix) {
            case "vpce" -> "vpc-endpoint";
            case "sgr" -> "security-group-rule";
            case "sg" -> "security-group";
            case "rtb" -> "route-table";
            case "subnet" -> "subnet";
            case "vpc" -> "vpc";
            case "eni" -> "network-interface";
            default -> prefix;
        };
    }

    /** Collects the requests of one call, with the context every request of that call shares. */
    private final class Derivation {
        private final AwsRequest call;
        private final List<Authorization> requests = new ArrayList<>();

        Derivation(AwsRequest call) {
            this.call = call;
        }

        void add(String action, String resource, Map<String, Object> context) {
            Map<String, Object> full = new LinkedHashMap<>(context);
            full.put("aws:RequestedRegion", call.region());
            if (action.startsWith("ec2:")) {
                full.put("ec2:Region", call.region());
            }
            requests.add(new Authorization(action, resource.replace("%REGION%", call.region()), full, false));
        }

        void underived() {
            requests.add(new Authorization(call.iamAction(), "*", Map.of("aws:RequestedRegion", call.region()), true));
        }

        /** Tags passed at creation authorize ec2:CreateTags on the new resource, with ec2:CreateAction naming the call. */
        void tagOnCreate(String resourceType, String tagPrefix) {
            Map<String, String> tags = call.tags(tagPrefix);
            if (tags.isEmpty()) {
                return;
            }
            Map<String, Object> context = requestTags(tags);
            context.put("ec2:CreateAction", call.action());
            add("ec2:CreateTags", ec2Arn(resourceType, "*"), context);
        }

        Map<String, Object> requestTags(Map<String, String> tags) {
            Map<String, Object> context = new LinkedHashMap<>();
            if (!tags.isEmpty()) {
                context.put("aws:TagKeys", List.copyOf(tags.keySet()));
                tags.forEach((key, value) -> context.put("aws:RequestTag/" + key, value));
            }
            return context;
        }

        Map<String, Object> ec2Resource(String id) {
            Map<String, Object> context = new LinkedHashMap<>();
            if (id == null) {
                return context;
            }
            ec2.describeTags(b -> b.filters(f -> f.name("resource-id").values(id))).tags().forEach(tag -> {
                context.put("aws:ResourceTag/" + tag.key(), tag.value());
                context.put("ec2:ResourceTag/" + tag.key(), tag.value());
            });
            return context;
        }

        Map<String, Object> elbResource(String arn) {
            Map<String, Object> context = new LinkedHashMap<>();
            elb.describeTags(b -> b.resourceArns(arn)).tagDescriptions().forEach(description ->
                    description.tags().forEach(tag -> context.put("aws:ResourceTag/" + tag.key(), tag.value())));
            return context;
        }

        Map<String, Object> oidcResource(String arn) {
            Map<String, Object> context = new LinkedHashMap<>();
            try {
                iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)).tags()
                        .forEach(tag -> context.put("aws:ResourceTag/" + tag.key(), tag.value()));
            } catch (RuntimeException e) {
                // the provider does not exist (yet or any more): no resource tags to evaluate
            }
            return context;
        }
    }
}
