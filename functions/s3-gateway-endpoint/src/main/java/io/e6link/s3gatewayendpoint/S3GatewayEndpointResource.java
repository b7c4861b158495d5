package io.e6link.s3gatewayendpoint;

import io.e6link.kit.AwsErrors;
import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.CustomResourceType;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import io.e6link.kit.ResourceTags;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * Step 5 of the runbook: the VPC's S3 gateway endpoint on the cluster's private route tables. An
 * endpoint that already exists is adopted and only the missing route tables are added (and
 * remembered, see {@link RouteTableClaims}); otherwise one is created and tagged as owned. Delete
 * takes back only what was added, or deletes the endpoint when it is owned.
 *
 * <p>A wanted route table that already routes S3 through another gateway endpoint fails the
 * request before any change, with a reason naming both endpoints. Skipping it would look like
 * success while the subnets behind that table reach S3 with a different aws:SourceVpce than the
 * bucket policy names, so e6data's S3 access would fail there at query time.
 *
 * <p>Delete works from the physical id when it is an endpoint id; otherwise (a failed Create's
 * placeholder, an id CloudFormation made up after a lost answer) it finds the endpoints in the
 * properties' VPC that carry this resource's owner tag or route-table claims. Either way an owned
 * endpoint is deleted and an adopted one only loses the route tables this resource claimed. A
 * created endpoint is tagged in the creating call, and claims are written before an association and
 * kept when its outcome is unknown, so whatever a failed Create changed is found by that Delete.
 */
final class S3GatewayEndpointResource implements CustomResource<S3GatewayEndpointProperties> {
    static final CustomResourceType<S3GatewayEndpointProperties> TYPE = new CustomResourceType<>("Custom::S3GatewayEndpoint", S3GatewayEndpointProperties::parse);
    private final Ec2Client ec2;
    private final String region;
    private final JsonLog log = JsonLog.stdout();

    S3GatewayEndpointResource(Ec2Client ec2, String region) {
        this.ec2 = ec2;
        this.region = region;
    }

    @Override
    public Outcome create(Invocation<S3GatewayEndpointProperties> invocation) {
        S3GatewayEndpointProperties wanted = invocation.properties();
        if (wanted.usesExisting()) {
            return useAsIs(invocation);
        }
        requireOwnVpc(invocation);
        if (wanted.routeTableIds().isEmpty()) {
            // Optional only for an endpoint used as is or a shared VPC; in the account's own VPC the routes are the point.
            throw S3GatewayEndpointProperties.SOURCES.invalid("RouteTableIds", "[]", "at least one item is required");
        }
        invocation.deadline().step("checking route tables " + wanted.routeTableIds() + " of " + wanted.vpcId());
        requireRouteTablesInVpc(wanted);
        invocation.deadline().step("looking for an S3 gateway endpoint in " + wanted.vpcId());
        List<VpcEndpoint> endpoints = s3Gateways(wanted.vpcId());
        Optional<VpcEndpoint> existing = GatewayEndpoints.choose(endpoints, wanted.routeTableIds(), invocation.ownerTag());
        if (existing.isPresent()) {
            return converge(invocation, existing.get(), endpoints);
        }
        requireNoConflicts(wanted, null, endpoints);
        invocation.deadline().step("creating an S3 gateway endpoint in " + wanted.vpcId());
        VpcEndpoint created = routeChange(() -> ec2.createVpcEndpoint(GatewayEndpoints.create(wanted, region, ResourceTags.forCreation(invocation)))
                .vpcEndpoint());
        log.info("Created S3 gateway endpoint", Map.of("vpcEndpointId", created.vpcEndpointId(), "routeTableIds", wanted.routeTableIds()));
        return outcome(created.vpcEndpointId(), false, wanted.routeTableIds());
    }

    @Override
    public Outcome update(Invocation<S3GatewayEndpointProperties> invocation) {
        S3GatewayEndpointProperties wanted = invocation.properties();
        if (wanted.usesExisting()) {
            // A new id when it differs: CloudFormation then deletes the old one (an owned endpoint is released).
            return useAsIs(invocation);
        }
        if (invocation.oldProperties().usesExisting() || !wanted.vpcId().equals(invocation.oldProperties().vpcId())) {
            // Nothing was claimed on an endpoint used as is: find or create one as on Create.
            // Another VPC needs another endpoint: a new id, and CloudFormation deletes the old one.
            return create(invocation);
        }
        Optional<VpcEndpoint> current = describe(invocation.physicalResourceId());
        if (current.isEmpty()) {
            log.warn("The endpoint is gone; finding or creating one again", Map.of("vpcEndpointId", invocation.physicalResourceId()));
            return create(invocation);
        }
        requireRouteTablesInVpc(wanted);
        return converge(invocation, current.get(), s3Gateways(wanted.vpcId()));
    }

    @Override
    public Outcome delete(Invocation<S3GatewayEndpointProperties> invocation) {
        String owner = invocation.ownerTag();
        String id = invocation.physicalResourceId();
        if (invocation.properties().usesExisting() && id.equals(invocation.properties().existingVpcEndpointId())) {
            log.info("The S3 gateway endpoint was used as given (ExistingS3GatewayEndpointId); nothing to remove", Map.of("vpcEndpointId", id));
            return invocation.sameId().build();
        }
        List<VpcEndpoint> found;
        if (GatewayEndpoints.isEndpointId(id)) {
            invocation.deadline().step("reading the S3 gateway endpoint " + id);
            found = describe(id).stream().toList();
        } else {
            // Not an id this resource chose: a failed Create's placeholder, or one CloudFormation made
            // up after a lost answer. Only endpoints carrying this resource's own tags can be what
            // that Create did.
            String vpcId = invocation.properties().vpcId();
            invocation.deadline().step("looking for the S3 gateway endpoints of " + invocation.request().logicalResourceId() + " in " + vpcId);
            found = s3Gateways(vpcId).stream().filter(endpoint -> GatewayEndpoints.isKnownTo(endpoint, owner)).toList();
        }
        for (VpcEndpoint endpoint : found) {
            release(invocation, endpoint);
        }
        return invocation.sameId().build();
    }

    /**
     * ExistingS3GatewayEndpointId: the endpoint is checked where this account can see it (an S3 gateway
     * endpoint of the cluster's VPC) and used as is: no route added, no tag written, nothing removed on
     * delete. In a VPC shared by another account the owner's endpoints cannot be described by a
     * participant ("Participants cannot view, modify, or delete resources that belong to other
     * participants or the VPC owner", VPC User Guide, "Share your VPC subnets with other accounts"),
     * so there an endpoint this account cannot see is taken as given.
     */
    private Outcome useAsIs(Invocation<S3GatewayEndpointProperties> invocation) {
        S3GatewayEndpointProperties wanted = invocation.properties();
        String id = wanted.existingVpcEndpointId();
        String account = invocation.request().accountId();
        invocation.deadline().step("reading the given S3 gateway endpoint " + id);
        Optional<VpcEndpoint> seen = describeAny(id);
        if (seen.isPresent()) {
            VpcEndpoint endpoint = seen.get();
            Optional<String> unusable = GatewayEndpoints.unusableAsGiven(endpoint, wanted.vpcId(), region);
            if (unusable.isPresent()) {
                throw new CustomResourceException(unusable.get());
            }
            log.info("Using the given S3 gateway endpoint as is: no route added, nothing removed on delete",
                    Map.of("vpcEndpointId", id, "routeTableIds", endpoint.routeTableIds()));
        } else if (wanted.sharedFrom(account)) {
            log.warn("The given S3 gateway endpoint belongs to the VPC owner and cannot be seen from this account; using it as given",
                    Map.of("vpcEndpointId", id, "vpcId", wanted.vpcId(), "vpcOwnerId", wanted.vpcOwnerId()));
        } else {
            throw new CustomResourceException(GatewayEndpoints.givenNotFound(id, wanted.vpcId()));
        }
        return outcome(id, true, List.of());
    }

    /** A VPC shared by another account: its route tables and endpoints are the owner's to change, so the step stops with what to do. */
    private static void requireOwnVpc(Invocation<S3GatewayEndpointProperties> invocation) {
        S3GatewayEndpointProperties wanted = invocation.properties();
        if (wanted.sharedFrom(invocation.request().accountId())) {
            throw new CustomResourceException("VPC " + wanted.vpcId() + " is shared with this account by account " + wanted.vpcOwnerId()
                    + ", which owns its route tables and gateway endpoints, so this account can neither see nor change them; ask account "
                    + wanted.vpcOwnerId() + " for the VPC's S3 gateway endpoint id and set ExistingS3GatewayEndpointId to it.");
        }
    }

    /** The endpoint in any state, or empty when this account cannot see it. */
    private Optional<VpcEndpoint> describeAny(String endpointId) {
        try {
            return ec2.describeVpcEndpoints(request -> request.vpcEndpointIds(endpointId)).vpcEndpoints().stream().findFirst();
        } catch (Ec2Exception e) {
            if (AwsErrors.errorCode(e).startsWith("InvalidVpcEndpoint")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes the endpoint when this resource owns it and no other stack claims it; else takes back only its own claims. */
    private void release(Invocation<S3GatewayEndpointProperties> invocation, VpcEndpoint endpoint) {
        String owner = invocation.ownerTag();
        Set<String> mine = RouteTableClaims.claimedBy(endpoint.tags(), owner);
        Set<String> others = RouteTableClaims.claimedByOthers(endpoint.tags(), owner);
        if (GatewayEndpoints.isOwnedBy(endpoint, owner) && others.isEmpty()) {
            deleteEndpoint(invocation, endpoint);
            return;
        }
        Set<String> release = new LinkedHashSet<>(mine);
        release.retainAll(endpoint.routeTableIds());
        release.removeAll(others);
        if (!release.isEmpty()) {
            invocation.deadline().step("removing route tables " + release + " from " + endpoint.vpcEndpointId());
            ec2.modifyVpcEndpoint(GatewayEndpoints.associate(endpoint.vpcEndpointId(), Set.of(), release));
        }
        untag(endpoint.vpcEndpointId(), RouteTableClaims.tags(owner, mine));
        log.info("Took back only the route tables this stack added; the endpoint stays", Map.of(
                "vpcEndpointId", endpoint.vpcEndpointId(), "removedRouteTableIds", List.copyOf(release),
                "stillClaimedByOtherStacks", List.copyOf(others)));
    }

    /** Brings an existing endpoint to the wanted route tables, touching only associations e6link made. */
    private Outcome converge(Invocation<S3GatewayEndpointProperties> invocation, VpcEndpoint endpoint, List<VpcEndpoint> all) {
        S3GatewayEndpointProperties wanted = invocation.properties();
        String owner = invocation.ownerTag();
        String id = endpoint.vpcEndpointId();
        requireNoConflicts(wanted, endpoint, all);
        boolean owned = GatewayEndpoints.isOwnedBy(endpoint, owner);
        if (!owned && GatewayEndpoints.hasCustomPolicy(endpoint)) {
            log.warn("The adopted S3 gateway endpoint has a custom policy; make sure it allows e6data's buckets", Map.of("vpcEndpointId", id));
        }
        Set<String> associated = Set.copyOf(endpoint.routeTableIds());
        Set<String> mine = RouteTableClaims.claimedBy(endpoint.tags(), owner);
        Set<String> others = RouteTableClaims.claimedByOthers(endpoint.tags(), owner);

        Set<String> add = new LinkedHashSet<>(wanted.routeTableIds());
        add.removeAll(associated);
        // Claim what we add, and associations another e6link stack made (so the first stack to leave
        // does not pull them from under us); the customer's own associations are never claimed.
        Set<String> claim = new LinkedHashSet<>(add);
        wanted.routeTableIds().stream().filter(rt -> associated.contains(rt) && (others.contains(rt) || owned)).forEach(claim::add);
        claim.removeAll(mine);
        Set<String> release = new LinkedHashSet<>(mine);
        release.removeAll(wanted.routeTableIds());
        Set<String> remove = new LinkedHashSet<>(release);
        remove.retainAll(associated);
        remove.removeAll(others);

        // Claims are written before the association, so an association made by this stack is never
        // left without the memory Delete needs. They are withdrawn only when EC2 refused the change;
        // when its outcome is unknown (no answer, a server error) they stay for the Delete or the
        // rollback Update that follows, which take back only tables that are actually associated.
        tag(id, RouteTableClaims.tags(owner, claim));
        if (!add.isEmpty() || !remove.isEmpty()) {
            invocation.deadline().step("associating " + add + " with and removing " + remove + " from " + id);
            try {
                routeChange(() -> ec2.modifyVpcEndpoint(GatewayEndpoints.associate(id, add, remove)));
            } catch (RuntimeException failed) {
                if (AwsErrors.isRefused(failed)) {
                    untagQuietly(id, RouteTableClaims.tags(owner, claim));
                } else {
                    log.warn("The route-table change may have been made; its claims stay for the Delete or rollback that follows",
                            Map.of("vpcEndpointId", id, "claimed", List.copyOf(claim), "error", String.valueOf(failed.getMessage())));
                }
                throw failed;
            }
            log.info(owned ? "Updated the owned S3 gateway endpoint" : "Added route tables to the adopted S3 gateway endpoint",
                    Map.of("vpcEndpointId", id, "added", List.copyOf(add), "removed", List.copyOf(remove)));
        }
        untag(id, RouteTableClaims.tags(owner, release));

        Set<String> claimedNow = new LinkedHashSet<>(mine);
        claimedNow.addAll(claim);
        claimedNow.removeAll(release);
        return outcome(id, !owned, wanted.routeTableIds().stream().filter(claimedNow::contains).toList());
    }

    private static Outcome outcome(String endpointId, boolean adopted, List<String> addedRouteTableIds) {
        return Outcome.of(endpointId)
                .with("VpcEndpointId", endpointId)
                .with("Adopted", adopted)
                .withList("AddedRouteTableIds", addedRouteTableIds)
                .build();
    }

    private void requireRouteTablesInVpc(S3GatewayEndpointProperties wanted) {
        List<RouteTable> tables;
        try {
            tables = ec2.describeRouteTables(request -> request.routeTableIds(wanted.routeTableIds())).routeTables();
        } catch (Ec2Exception e) {
            if (AwsErrors.errorCode(e).startsWith("InvalidRouteTableID")) {
                throw new CustomResourceException("A route table in RouteTableIds does not exist in this account and region ("
                        + e.awsErrorDetails().errorMessage() + "); pass the route tables of the cluster's private subnets.", e);
            }
            throw e;
        }
        for (RouteTable table : tables) {
            if (!wanted.vpcId().equals(table.vpcId())) {
                throw new CustomResourceException("Route table " + table.routeTableId() + " belongs to " + table.vpcId()
                        + ", not to VpcId " + wanted.vpcId() + "; pass route tables of the cluster's VPC only.");
            }
        }
    }

    private static void requireNoConflicts(S3GatewayEndpointProperties wanted, VpcEndpoint chosen, List<VpcEndpoint> all) {
        for (VpcEndpoint other : all) {
            if (chosen != null && other.vpcEndpointId().equals(chosen.vpcEndpointId())) {
                continue;
            }
            for (String table : wanted.routeTableIds()) {
                if (other.routeTableIds().contains(table)) {
                    String ours = chosen == null ? "a new endpoint" : chosen.vpcEndpointId();
                    throw new CustomResourceException("Route table " + table + " already routes S3 through gateway endpoint "
                            + other.vpcEndpointId() + ", while this stack uses " + ours + "; move " + table + " to "
                            + (chosen == null ? other.vpcEndpointId() + " or remove it from RouteTableIds" : ours)
                            + " so the bucket policy's aws:SourceVpce matches, then retry.");
                }
            }
        }
    }

    /** Runs a call that adds S3 routes, turning AWS's "one S3 route per table" refusal into a reason. */
    private static <T> T routeChange(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (Ec2Exception e) {
            String message = e.awsErrorDetails() == null ? String.valueOf(e.getMessage()) : e.awsErrorDetails().errorMessage();
            if ("RouteAlreadyExists".equals(AwsErrors.errorCode(e)) || String.valueOf(message).contains("already has a route")) {
                throw new CustomResourceException("A route table already routes S3 another way (" + message + "); associate that "
                        + "table with the VPC's existing S3 gateway endpoint or remove the route, then retry.", e);
            }
            throw e;
        }
    }

    private void deleteEndpoint(Invocation<S3GatewayEndpointProperties> invocation, VpcEndpoint endpoint) {
        String id = endpoint.vpcEndpointId();
        invocation.deadline().step("deleting the owned S3 gateway endpoint " + id);
        List<UnsuccessfulItem> failures = ec2.deleteVpcEndpoints(request -> request.vpcEndpointIds(id)).unsuccessful();
        for (UnsuccessfulItem failure : failures) {
            String code = failure.error() == null ? "" : String.valueOf(failure.error().code());
            if (!code.startsWith("InvalidVpcEndpoint")) {
                throw new CustomResourceException("EC2 could not delete the S3 gateway endpoint " + id + " (" + code + "): "
                        + (failure.error() == null ? "no detail" : failure.error().message()) + "; delete it by hand and retry.");
            }
        }
        log.info("Deleted the owned S3 gateway endpoint", Map.of("vpcEndpointId", id));
    }

    private Optional<VpcEndpoint> describe(String endpointId) {
        try {
            return ec2.describeVpcEndpoints(request -> request.vpcEndpointIds(endpointId)).vpcEndpoints().stream()
                    .filter(GatewayEndpoints::isLive).findFirst();
        } catch (Ec2Exception e) {
            if (AwsErrors.errorCode(e).startsWith("InvalidVpcEndpoint")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private List<VpcEndpoint> s3Gateways(String vpcId) {
        return ec2.describeVpcEndpointsPaginator(GatewayEndpoints.describeS3Gateways(vpcId, region)).vpcEndpoints().stream()
                .filter(GatewayEndpoints::isLive).toList();
    }

    private void tag(String endpointId, List<Tag> tags) {
        if (!tags.isEmpty()) {
            ec2.createTags(request -> request.resources(endpointId).tags(tags));
        }
    }

    private void untag(String endpointId, List<Tag> tags) {
        if (!tags.isEmpty()) {
            ec2.deleteTags(request -> request.resources(endpointId).tags(tags));
        }
    }

    private void untagQuietly(String endpointId, List<Tag> tags) {
        try {
            untag(endpointId, tags);
        } catch (RuntimeException e) {
            log.warn("Could not withdraw route-table claims after a failed change", Map.of("vpcEndpointId", endpointId, "error", String.valueOf(e.getMessage())));
        }
    }
}
