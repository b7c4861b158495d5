package io.e6link.stack;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The calls CloudFormation itself makes to create, update and delete each resource type of the expanded
 * template, written down because no package served here carries them (cfn-lint's copies of the schemas drop
 * {@code handlers}): the {@code handlers.create/update/delete.permissions} lists of each type's CloudFormation
 * registry schema, copied verbatim and in schema order, so a list can be diffed against its source.
 *
 * <p>Source of the registry schemas: the schemas as CloudFormation's {@code DescribeType} returns them in
 * us-east-1, vendored by the AWS Cloud Control Terraform provider (refreshed every two weeks, a file changes
 * only when its schema does): {@value #AWSCC}{@code <file>}. Each type names its file and the date the file
 * last changed there. {@code Custom::*} has no registry schema: its entry comes from the User Guide.
 *
 * <p>A handler list is the union over every property the type supports. A listed permission that only a
 * property this stack does not set makes CloudFormation call is marked {@link OnlyWith} with that property
 * (any of several): the launch-role test skips it for a resource without the property, and requires it as
 * soon as a resource sets one. Permissions every call makes, reads included (each handler ends by reading the
 * resource back), are never marked. A listed name that is not an IAM action at all is marked {@link #notIamAction}.
 */
final class CloudFormationHandlerPermissions {
    static final String AWSCC = "https://github.com/hashicorp/terraform-provider-awscc/blob/"
            + "f995d4f4139602dbb9044f3108702f2a1837a872/internal/service/cloudformation/schemas/";

    enum Handler {
        CREATE, UPDATE, DELETE;

        String label() {
            return name().toLowerCase();
        }
    }

    /** A listed permission only called when the resource sets one of {@code properties} ({@code a[].b}: b in an item of list a). */
    record OnlyWith(Set<Handler> handlers, String permission, List<String> properties, String why) {
    }

    /** A call the type implies that its handler list leaves out, with where that is documented. */
    record Extra(Handler handler, String permission, String source) {
    }

    record Type(String name, String source, Map<Handler, List<String>> handlers, List<OnlyWith> onlyWith,
            Map<String, String> notIamActions, List<Extra> extras) {
        List<String> permissions(Handler handler) {
            return handlers.getOrDefault(handler, List.of());
        }

        /** The properties that make CloudFormation call {@code permission} in {@code handler}; empty when every call needs it. */
        Optional<OnlyWith> onlyWith(Handler handler, String permission) {
            return onlyWith.stream().filter(o -> o.permission().equals(permission) && o.handlers().contains(handler)).findFirst();
        }

        boolean matches(String resourceType) {
            return name.endsWith("::*") ? resourceType.startsWith(name.substring(0, name.length() - 1)) : name.equals(resourceType);
        }
    }

    private static final Set<Handler> ALL = EnumSet.allOf(Handler.class);
    private static final Set<Handler> CREATE_UPDATE = EnumSet.of(Handler.CREATE, Handler.UPDATE);

    static final List<Type> TYPES = List.of(
            type("AWS::IAM::Role", AWSCC + "AWS_IAM_Role.json (2025-06-05)")
                    .create("iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:GetRolePolicy", "iam:TagRole", "iam:UntagRole",
                            "iam:GetRole")
                    .update("iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:DetachRolePolicy",
                            "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePolicy",
                            "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole")
                    .delete("iam:DeleteRole", "iam:DetachRolePolicy", "iam:DeleteRolePolicy", "iam:GetRole", "iam:ListAttachedRolePolicies",
                            "iam:ListRolePolicies", "iam:TagRole", "iam:UntagRole")
                    // Delete detaches whatever is attached (also outside the stack), so DetachRolePolicy stays required there.
                    .onlyWith(CREATE_UPDATE, "iam:AttachRolePolicy", "managed policies", "ManagedPolicyArns")
                    .onlyWith(EnumSet.of(Handler.UPDATE), "iam:DetachRolePolicy", "managed policies removed by an update", "ManagedPolicyArns")
                    .onlyWith(ALL, "iam:DeleteRolePermissionsBoundary", "permissions boundary", "PermissionsBoundary")
                    .onlyWith(ALL, "iam:PutRolePermissionsBoundary", "permissions boundary", "PermissionsBoundary")
                    .build(),
            type("AWS::Lambda::Function", AWSCC + "AWS_Lambda_Function.json (2026-07-01)")
                    .create("lambda:CreateFunction", "lambda:GetFunction", "lambda:PutFunctionConcurrency", "iam:PassRole", "s3:GetObject",
                            "s3:GetObjectVersion", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                            "elasticfilesystem:DescribeMountTargets", "s3files:ListMountTargets", "kms:CreateGrant", "kms:Decrypt", "kms:Encrypt",
                            "kms:GenerateDataKey", "lambda:GetCodeSigningConfig", "lambda:GetFunctionCodeSigningConfig", "lambda:GetLayerVersion",
                            "lambda:GetRuntimeManagementConfig", "lambda:PutRuntimeManagementConfig", "lambda:TagResource",
                            "lambda:PutFunctionRecursionConfig", "lambda:GetFunctionRecursionConfig", "lambda:PutFunctionScalingConfig",
                            "lambda:PassCapacityProvider")
                    .update("lambda:DeleteFunctionConcurrency", "lambda:GetFunction", "lambda:PutFunctionConcurrency", "lambda:TagResource",
                            "lambda:UntagResource", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "iam:PassRole", "s3:GetObject",
                            "s3:GetObjectVersion", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                            "elasticfilesystem:DescribeMountTargets", "s3files:ListMountTargets", "kms:CreateGrant", "kms:Decrypt",
                            "kms:GenerateDataKey", "lambda:GetRuntimeManagementConfig", "lambda:PutRuntimeManagementConfig",
                            "lambda:PutFunctionCodeSigningConfig", "lambda:DeleteFunctionCodeSigningConfig", "lambda:GetCodeSigningConfig",
                            "lambda:GetFunctionCodeSigningConfig", "lambda:PutFunctionRecursionConfig", "lambda:GetFunctionRecursionConfig",
                            "lambda:PutFunctionScalingConfig", "lambda:PublishVersion", "lambda:PassCapacityProvider")
                    .delete("lambda:DeleteFunction", "lambda:GetFunction", "ec2:DescribeNetworkInterfaces")
                    .onlyWith(ALL, "lambda:PutFunctionConcurrency", "reserved concurrency", "ReservedConcurrentExecutions")
                    .onlyWith(ALL, "lambda:DeleteFunctionConcurrency", "reserved concurrency", "ReservedConcurrentExecutions")
                    // Delete's DescribeNetworkInterfaces (waiting for VPC ENIs) is not marked: the launch role has it anyway.
                    .onlyWith(CREATE_UPDATE, "ec2:DescribeSecurityGroups", "VPC access", "VpcConfig")
                    .onlyWith(CREATE_UPDATE, "ec2:DescribeSubnets", "VPC access", "VpcConfig")
                    .onlyWith(CREATE_UPDATE, "ec2:DescribeVpcs", "VPC access", "VpcConfig")
                    .onlyWith(ALL, "elasticfilesystem:DescribeMountTargets", "file system mounts", "FileSystemConfigs")
                    .onlyWith(ALL, "s3files:ListMountTargets", "file system mounts", "FileSystemConfigs")
                    // Without KmsKeyArn Lambda encrypts with its AWS managed key, which asks nothing of the caller.
                    .onlyWith(ALL, "kms:CreateGrant", "customer managed key", "KmsKeyArn")
                    .onlyWith(ALL, "kms:Decrypt", "customer managed key", "KmsKeyArn")
                    .onlyWith(ALL, "kms:Encrypt", "customer managed key", "KmsKeyArn")
                    .onlyWith(ALL, "kms:GenerateDataKey", "customer managed key", "KmsKeyArn")
                    .onlyWith(ALL, "lambda:GetCodeSigningConfig", "code signing", "CodeSigningConfigArn")
                    .onlyWith(ALL, "lambda:PutFunctionCodeSigningConfig", "code signing", "CodeSigningConfigArn")
                    .onlyWith(ALL, "lambda:DeleteFunctionCodeSigningConfig", "code signing", "CodeSigningConfigArn")
                    // One request per layer of the function (the kit layer: present, so required).
                    .onlyWith(ALL, "lambda:GetLayerVersion", "layers", "Layers")
                    .onlyWith(ALL, "lambda:PutRuntimeManagementConfig", "runtime update mode", "RuntimeManagementConfig")
                    .onlyWith(ALL, "lambda:PutFunctionRecursionConfig", "recursive loop detection setting", "RecursiveLoop")
                    .onlyWith(ALL, "lambda:PutFunctionScalingConfig", "Lambda Managed Instances scaling", "FunctionScalingConfig")
                    .onlyWith(ALL, "lambda:PassCapacityProvider", "Lambda Managed Instances capacity provider", "CapacityProviderConfig")
                    .onlyWith(ALL, "lambda:PublishVersion", "published versions (Lambda Managed Instances)", "PublishToLatestPublished",
                            "CapacityProviderConfig")
                    .build(),
            type("AWS::Lambda::LayerVersion", AWSCC + "AWS_Lambda_LayerVersion.json (2026-06-24); no update handler: every change replaces")
                    .create("lambda:PublishLayerVersion", "s3:GetObject", "s3:GetObjectVersion")
                    .delete("lambda:GetLayerVersion", "lambda:DeleteLayerVersion")
                    .build(),
            type("AWS::Lambda::Permission", AWSCC + "AWS_Lambda_Permission.json (2026-08-05); no update handler: every change replaces")
                    .create("lambda:AddPermission")
                    .delete("lambda:RemovePermission")
                    .build(),
            type("AWS::Lambda::EventInvokeConfig", AWSCC + "AWS_Lambda_EventInvokeConfig.json (2025-12-04)")
                    .create("lambda:PutFunctionEventInvokeConfig")
                    .update("lambda:UpdateFunctionEventInvokeConfig")
                    .delete("lambda:DeleteFunctionEventInvokeConfig")
                    .build(),
            type("AWS::Events::Rule", AWSCC + "AWS_Events_Rule.json (2025-08-21)")
                    .create("iam:PassRole", "events:DescribeRule", "events:PutRule", "events:PutTargets", "events:TagResource")
                    .update("iam:PassRole", "events:DescribeRule", "events:PutRule", "events:RemoveTargets", "events:PutTargets",
                            "events:UntagResource", "events:TagResource")
                    .delete("iam:PassRole", "events:DescribeRule", "events:DeleteRule", "events:RemoveTargets", "events:ListTargetsByRule")
                    // A Lambda target is invoked through the function's resource policy (AWS::Lambda::Permission), no role.
                    .onlyWith(ALL, "iam:PassRole", "a role for the rule or a target", "RoleArn", "Targets[].RoleArn")
                    .build(),
            type("AWS::Logs::LogGroup", AWSCC + "AWS_Logs_LogGroup.json (2024-04-04)")
                    .create("logs:DescribeLogGroups", "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:TagResource",
                            "logs:GetDataProtectionPolicy", "logs:PutDataProtectionPolicy", "logs:CreateLogDelivery", "s3:REST.PUT.OBJECT",
                            "firehose:TagDeliveryStream", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies")
                    .update("logs:DescribeLogGroups", "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:PutRetentionPolicy",
                            "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:GetDataProtectionPolicy",
                            "logs:PutDataProtectionPolicy", "logs:CreateLogDelivery", "s3:REST.PUT.OBJECT", "firehose:TagDeliveryStream")
                    .delete("logs:DescribeLogGroups", "logs:DeleteLogGroup", "logs:DeleteDataProtectionPolicy")
                    // The data protection policy's audit findings go to a log group, Firehose stream or S3 bucket.
                    .onlyWith(ALL, "logs:PutDataProtectionPolicy", "data protection policy", "DataProtectionPolicy")
                    .onlyWith(ALL, "logs:CreateLogDelivery", "data protection audit destination", "DataProtectionPolicy")
                    .onlyWith(ALL, "firehose:TagDeliveryStream", "data protection audit destination (Firehose)", "DataProtectionPolicy")
                    .onlyWith(ALL, "logs:PutResourcePolicy", "data protection audit destination (log group)", "DataProtectionPolicy")
                    .onlyWith(ALL, "logs:DescribeResourcePolicies", "data protection audit destination (log group)", "DataProtectionPolicy")
                    .onlyWith(ALL, "logs:AssociateKmsKey", "customer managed key", "KmsKeyId")
                    .onlyWith(ALL, "logs:DisassociateKmsKey", "customer managed key", "KmsKeyId")
                    .notIamAction("s3:REST.PUT.OBJECT", "an S3 server access log operation name, not an IAM action (s3:PutObject to a data protection"
                            + " policy's S3 findings destination)")
                    .build(),
            type("AWS::ElasticLoadBalancingV2::TargetGroup", AWSCC + "AWS_ElasticLoadBalancingV2_TargetGroup.json (2026-03-11)")
                    .create("elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:RegisterTargets",
                            "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
                            "elasticloadbalancing:AddTags")
                    .update("elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:ModifyTargetGroup",
                            "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:RegisterTargets",
                            "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:AddTags",
                            "elasticloadbalancing:RemoveTags")
                    .delete("elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DescribeTargetGroups")
                    // template.yaml leaves registration to EniTargets and the reconciler: CloudFormation never registers.
                    .onlyWith(ALL, "elasticloadbalancing:RegisterTargets", "targets in the template", "Targets")
                    .onlyWith(ALL, "elasticloadbalancing:DeregisterTargets", "targets in the template", "Targets")
                    .build(),
            type("AWS::ElasticLoadBalancingV2::LoadBalancer", AWSCC + "AWS_ElasticLoadBalancingV2_LoadBalancer.json (2026-04-22)")
                    .create("elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DescribeLoadBalancers",
                            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
                            "elasticloadbalancing:AddTags", "elasticloadbalancing:SetSecurityGroups", "ec2:DescribeIpamPools")
                    .update("elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
                            "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:ModifyIpPools",
                            "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags")
                    .delete("elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DeleteLoadBalancer")
                    .onlyWith(ALL, "elasticloadbalancing:ModifyCapacityReservation", "capacity reservation", "MinimumLoadBalancerCapacity")
                    .onlyWith(ALL, "ec2:DescribeIpamPools", "IPAM pool", "Ipv4IpamPoolId")
                    .onlyWith(ALL, "elasticloadbalancing:ModifyIpPools", "IPAM pool", "Ipv4IpamPoolId")
                    .extra(Handler.CREATE, "iam:CreateServiceLinkedRole", "Elastic Load Balancing creates its service-linked role"
                            + " AWSServiceRoleForElasticLoadBalancing at the account's first load balancer, which needs the caller's"
                            + " iam:CreateServiceLinkedRole: https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html")
                    .build(),
            type("AWS::ElasticLoadBalancingV2::Listener", AWSCC + "AWS_ElasticLoadBalancingV2_Listener.json (2026-08-05)")
                    .create("elasticloadbalancing:CreateListener", "elasticloadbalancing:DescribeListeners", "cognito-idp:DescribeUserPoolClient",
                            "elasticloadbalancing:AddTags", "elasticloadbalancing:ModifyListenerAttributes")
                    .update("elasticloadbalancing:ModifyListener", "elasticloadbalancing:DescribeListeners", "cognito-idp:DescribeUserPoolClient",
                            "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:DescribeTags",
                            "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:DescribeListenerAttributes")
                    .delete("elasticloadbalancing:DeleteListener", "elasticloadbalancing:DescribeListeners")
                    .onlyWith(ALL, "cognito-idp:DescribeUserPoolClient", "an authenticate-cognito action", "DefaultActions[].AuthenticateCognitoConfig")
                    .onlyWith(ALL, "elasticloadbalancing:ModifyListenerAttributes", "listener attributes", "ListenerAttributes")
                    .build(),
            type("AWS::EC2::VPCEndpointService", AWSCC + "AWS_EC2_VPCEndpointService.json (2025-03-20)")
                    .create("ec2:CreateVpcEndpointServiceConfiguration", "ec2:ModifyVpcEndpointServicePayerResponsibility",
                            "cloudwatch:ListManagedInsightRules", "cloudwatch:DeleteInsightRules", "cloudwatch:PutManagedInsightRules",
                            "ec2:DescribeVpcEndpointServiceConfigurations", "vpce:AllowMultiRegion", "ec2:CreateTags")
                    .update("ec2:ModifyVpcEndpointServiceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations",
                            "ec2:ModifyVpcEndpointServicePayerResponsibility", "cloudwatch:ListManagedInsightRules", "cloudwatch:DeleteInsightRules",
                            "cloudwatch:PutManagedInsightRules", "ec2:CreateTags", "ec2:DeleteTags", "vpce:AllowMultiRegion")
                    .delete("ec2:DeleteVpcEndpointServiceConfigurations", "ec2:DescribeVpcEndpointServiceConfigurations",
                            "cloudwatch:ListManagedInsightRules", "cloudwatch:DeleteInsightRules", "ec2:DeleteTags", "vpce:AllowMultiRegion")
                    .onlyWith(ALL, "ec2:ModifyVpcEndpointServicePayerResponsibility", "payer responsibility", "PayerResponsibility")
                    // ListManagedInsightRules is also in the read handler (every call reads the service back): not marked.
                    .onlyWith(ALL, "cloudwatch:DeleteInsightRules", "Contributor Insights rules", "ContributorInsightsEnabled")
                    .onlyWith(ALL, "cloudwatch:PutManagedInsightRules", "Contributor Insights rules", "ContributorInsightsEnabled")
                    .onlyWith(ALL, "vpce:AllowMultiRegion", "cross-region service", "SupportedRegions")
                    .build(),
            type("AWS::EC2::VPCEndpointServicePermissions", AWSCC + "AWS_EC2_VPCEndpointServicePermissions.json (2024-10-17)")
                    .create("ec2:CreateVpcEndpointServicePermissions", "ec2:ModifyVpcEndpointServicePermissions",
                            "ec2:DeleteVpcEndpointServicePermissions", "ec2:DescribeVpcEndpointServicePermissions")
                    .update("ec2:CreateVpcEndpointServicePermissions", "ec2:ModifyVpcEndpointServicePermissions",
                            "ec2:DeleteVpcEndpointServicePermissions", "ec2:DescribeVpcEndpointServicePermissions")
                    .delete("ec2:CreateVpcEndpointServicePermissions", "ec2:ModifyVpcEndpointServicePermissions",
                            "ec2:DeleteVpcEndpointServicePermissions", "ec2:DescribeVpcEndpointServicePermissions")
                    .notIamAction("ec2:CreateVpcEndpointServicePermissions", "no such EC2 API or IAM action:"
                            + " ModifyVpcEndpointServicePermissions adds and removes allowed principals")
                    .notIamAction("ec2:DeleteVpcEndpointServicePermissions", "no such EC2 API or IAM action:"
                            + " ModifyVpcEndpointServicePermissions adds and removes allowed principals")
                    .build(),
            type("AWS::SNS::Topic", AWSCC + "AWS_SNS_Topic.json (2026-08-05)")
                    .create("sns:CreateTopic", "sns:TagResource", "sns:Subscribe", "sns:GetTopicAttributes", "sns:PutDataProtectionPolicy",
                            "iam:GetRole", "iam:PassRole")
                    .update("sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource", "sns:Subscribe", "sns:Unsubscribe",
                            "sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:ListSubscriptionsByTopic", "sns:GetDataProtectionPolicy",
                            "sns:PutDataProtectionPolicy", "iam:GetRole", "iam:PassRole")
                    .delete("sns:GetTopicAttributes", "sns:DeleteTopic")
                    // ListSubscriptionsByTopic and GetDataProtectionPolicy are in the read handler too: not marked.
                    .onlyWith(ALL, "sns:Subscribe", "inline subscriptions", "Subscription")
                    .onlyWith(ALL, "sns:Unsubscribe", "inline subscriptions", "Subscription")
                    .onlyWith(ALL, "sns:PutDataProtectionPolicy", "data protection policy", "DataProtectionPolicy")
                    .onlyWith(ALL, "iam:GetRole", "delivery status logging roles", "DeliveryStatusLogging")
                    .onlyWith(ALL, "iam:PassRole", "delivery status logging roles", "DeliveryStatusLogging")
                    .build(),
            type("AWS::SNS::Subscription", AWSCC + "AWS_SNS_Subscription.json (2024-09-12)")
                    .create("iam:GetRole", "iam:PassRole", "sns:Subscribe")
                    .update("iam:GetRole", "iam:PassRole", "sns:SetSubscriptionAttributes")
                    .delete("sns:Unsubscribe", "sns:GetSubscriptionAttributes")
                    .onlyWith(ALL, "iam:GetRole", "a Firehose subscription role", "SubscriptionRoleArn")
                    .onlyWith(ALL, "iam:PassRole", "a Firehose subscription role", "SubscriptionRoleArn")
                    // Endpoint, Protocol and TopicArn are create-only: an update can only change these attributes.
                    .onlyWith(ALL, "sns:SetSubscriptionAttributes", "subscription attributes", "DeliveryPolicy", "FilterPolicy",
                            "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "ReplayPolicy", "SubscriptionRoleArn")
                    .build(),
            type("AWS::CloudWatch::Alarm", AWSCC + "AWS_CloudWatch_Alarm.json (2026-08-05)")
                    .create("cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:TagResource")
                    .update("cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource")
                    .delete("cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms")
                    .build(),
            type("AWS::CloudWatch::Dashboard", AWSCC + "AWS_CloudWatch_Dashboard.json (2026-05-13)")
                    .create("cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:TagResource")
                    .update("cloudwatch:PutDashboard", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource")
                    .delete("cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard")
                    .build(),
            // Not a registry type, no schema: CloudFormation invokes the service token's function with the stack's
            // credentials - the service role's when there is one (here the launch role) - for Create, Update and Delete.
            // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html ("If you specify a
            // service role, CloudFormation uses that role's credentials"), https://docs.aws.amazon.com/lambda/latest/dg/services-cloudformation.html
            // ("the function that CloudFormation invokes when you create, update, or delete the stack").
            type("Custom::*", "from the CloudFormation User Guide and the Lambda Developer Guide, no registry schema found (custom resources"
                    + " are not registry types): using-iam-servicerole.html, services-cloudformation.html")
                    .create("lambda:InvokeFunction")
                    .update("lambda:InvokeFunction")
                    .delete("lambda:InvokeFunction")
                    .build());

    private CloudFormationHandlerPermissions() {
    }

    /** The entry for a resource type of a template; empty when none is written down. */
    static Optional<Type> forType(String resourceType) {
        return TYPES.stream().filter(t -> t.matches(resourceType)).findFirst();
    }

    /** Entries that contradict themselves: a mark for a permission its handler does not list. */
    static List<String> inconsistencies() {
        List<String> problems = new ArrayList<>();
        for (Type type : TYPES) {
            for (OnlyWith mark : type.onlyWith()) {
                if (mark.handlers().stream().noneMatch(h -> type.permissions(h).contains(mark.permission()))) {
                    problems.add(type.name() + " marks " + mark.permission() + ", which no handler lists");
                } else if (!mark.handlers().equals(ALL)) {
                    mark.handlers().stream().filter(h -> !type.permissions(h).contains(mark.permission()))
                            .forEach(h -> problems.add(type.name() + " " + h.label() + " marks " + mark.permission() + ", which it does not list"));
                }
            }
            type.notIamActions().keySet().stream().filter(p -> ALL.stream().noneMatch(h -> type.permissions(h).contains(p)))
                    .forEach(p -> problems.add(type.name() + " calls " + p + " no IAM action, but no handler lists it"));
        }
        return problems;
    }

    private static Builder type(String name, String source) {
        return new Builder(name, source);
    }

    private static final class Builder {
        private final String name;
        private final String source;
        private final Map<Handler, List<String>> handlers = new LinkedHashMap<>();
        private final List<OnlyWith> onlyWith = new ArrayList<>();
        private final Map<String, String> notIamActions = new LinkedHashMap<>();
        private final List<Extra> extras = new ArrayList<>();

        Builder(String name, String source) {
            this.name = name;
            this.source = source;
        }

        Builder create(String... permissions) {
            handlers.put(Handler.CREATE, List.of(permissions));
            return this;
        }

        Builder update(String... permissions) {
            handlers.put(Handler.UPDATE, List.of(permissions));
            return this;
        }

        Builder delete(String... permissions) {
            handlers.put(Handler.DELETE, List.of(permissions));
            return this;
        }

        Builder onlyWith(Set<Handler> handlers, String permission, String why, String... properties) {
            onlyWith.add(new OnlyWith(handlers, permission, List.of(properties), why));
            return this;
        }

        Builder notIamAction(String permission, String why) {
            notIamActions.put(permission, why);
            return this;
        }

        Builder extra(Handler handler, String permission, String source) {
            extras.add(new Extra(handler, permission, source));
            return this;
        }

        Type build() {
            return new Type(name, source, Map.copyOf(handlers), List.copyOf(onlyWith), Map.copyOf(notIamActions), List.copyOf(extras));
        }
    }
}
