package io.e6link.acceptance;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * The leak check: what in one account still carries the run's tag ({@link Ledger#RUN_TAG}) after the
 * cleanup. Read-only; it never deletes (what it finds is reported for deletion by hand).
 */
final class TaggedScan {
    private TaggedScan() {
    }

    /**
     * @param clients the account's clients
     * @param runId   the run's id (the tag's value; also the prefix of every name the run chose)
     * @param account "customer" or "e6data", for the report lines
     * @return one line per object still tagged with the run: account, kind, id
     */
    static List<String> scan(Clients clients, String runId, String account) {
        List<String> found = new ArrayList<>();
        for (TagDescription tag : clients.ec2().describeTagsPaginator(b -> b.filters(f -> f.name("key").values(Ledger.RUN_TAG),
                f -> f.name("value").values(runId))).tags()) {
            if (stillExists(clients, tag)) {
                found.add(account + ": " + tag.resourceTypeAsString() + " " + tag.resourceId());
            }
        }
        for (Bucket bucket : clients.s3().listBuckets().buckets()) {
            if (bucket.name().startsWith(Names.prefix(runId))) {
                found.add(account + ": S3 bucket " + bucket.name());
            }
        }
        clients.iam().listOpenIDConnectProviders().openIDConnectProviderList().forEach(provider -> {
            if (clients.iam().listOpenIDConnectProviderTags(b -> b.openIDConnectProviderArn(provider.arn())).tags().stream()
                    .anyMatch(t -> t.key().equals(Ledger.RUN_TAG) && t.value().equals(runId))) {
                found.add(account + ": IAM OIDC provider " + provider.arn());
            }
        });
        clients.iam().listRolesPaginator(b -> b.pathPrefix(Names.ROLE_PATH)).roles().stream()
                .filter(role -> role.roleName().startsWith(Names.prefix(runId)))
                .forEach(role -> found.add(account + ": IAM role " + role.arn()));
        try {
            for (Stack stack : clients.cloudFormation().describeStacks().stacks()) {
                if (stack.stackName().startsWith(Names.prefix(runId)) && !"DELETE_COMPLETE".equals(stack.stackStatusAsString())) {
                    found.add(account + ": CloudFormation stack " + stack.stackId() + " " + stack.stackStatusAsString());
                }
            }
        } catch (software.amazon.awssdk.core.exception.SdkException unsupported) {
            // the emulated world runs its stacks outside moto's CloudFormation: nothing to list there
        }
        return found;
    }

    /**
     * Whether a tagged EC2 object still exists: endpoints linger as "deleted", and an emulator may keep the
     * tags of a deleted VPC, subnet, group or rule; AWS drops tags with their resource.
     */
    private static boolean stillExists(Clients clients, TagDescription tag) {
        try {
            return switch (tag.resourceTypeAsString()) {
                case "vpc-endpoint" -> clients.ec2().describeVpcEndpoints(b -> b.vpcEndpointIds(tag.resourceId())).vpcEndpoints().stream()
                        .anyMatch(e -> !e.stateAsString().toLowerCase(java.util.Locale.ROOT).startsWith("delet"));
                case "security-group-rule" -> !clients.ec2().describeSecurityGroupRules(b -> b.securityGroupRuleIds(tag.resourceId()))
                        .securityGroupRules().isEmpty();
                case "security-group" -> !clients.ec2().describeSecurityGroups(b -> b.groupIds(tag.resourceId())).securityGroups().isEmpty();
                case "subnet" -> !clients.ec2().describeSubnets(b -> b.subnetIds(tag.resourceId())).subnets().isEmpty();
                case "vpc" -> !clients.ec2().describeVpcs(b -> b.vpcIds(tag.resourceId())).vpcs().isEmpty();
                default -> true;
            };
        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception gone) {
            return false;
        }
    }
}
