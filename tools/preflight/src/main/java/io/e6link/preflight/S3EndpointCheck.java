package io.e6link.preflight;

import io.e6link.kit.Partitions;
import io.e6link.s3gatewayendpoint.GatewayEndpoints;
import java.util.List;
import java.util.Optional;
import io.e6link.kit.AwsErrors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * Runbook step 5 as {@code Custom::S3GatewayEndpoint} will do it: the VPC's live S3 gateway endpoints
 * (service {@code com.amazonaws.<region>.s3}, in China {@code cn.com.amazonaws.<region>.s3}, state available or pending); the one serving most of the
 * private route tables is adopted (oldest on a tie) and only the missing tables are added, or a new
 * endpoint is created; a route table already served by another S3 endpoint fails the stack, because
 * the bucket statement's {@code aws:SourceVpce} names one endpoint only. Which endpoints are live, which is
 * chosen and whether its policy is custom are decided by the resource's own code ({@link GatewayEndpoints}).
 */
public final class S3EndpointCheck {
    private static final String OWNER_TAG = "e6link:owner";

    private final Ec2Client ec2;
    private final String region;

    S3EndpointCheck(Ec2Client ec2, String region) {
        this.ec2 = ec2;
        this.region = region;
    }

    /**
     * @param existing the endpoint given as ExistingS3GatewayEndpointId ({@code --existing-s3-endpoint}), or null
     * @return the endpoint the stack would use or adopt (its id goes into the bucket statements), or empty when it creates one
     */
    Optional<String> run(Optional<ClusterFacts> facts, String existing, Section section) {
        if (facts.isEmpty()) {
            section.unchecked("Not checked: the VPC and route tables come from the EKS cluster.");
            return Optional.ofNullable(existing);
        }
        String vpcId = facts.get().vpcId();
        List<String> wanted = facts.get().privateRouteTableIds();
        String vpcOwner = facts.get().sharedBy();
        if (existing != null) {
            given(existing, vpcId, vpcOwner, section);
            return Optional.of(existing);
        }
        if (vpcOwner != null) {
            section.blocker("VPC " + vpcId + " is shared with this account by account " + vpcOwner + ", which owns its route tables and gateway endpoints,"
                    + " so the stack can neither create nor route an S3 gateway endpoint there; ask account " + vpcOwner + " for the VPC's S3 gateway"
                    + " endpoint id and deploy with ExistingS3GatewayEndpointId set to it.", "ExistingS3GatewayEndpointId");
            return Optional.empty();
        }
        if (wanted.isEmpty()) {
            section.unchecked("Not checked: the cluster has no private subnet, so discovery finds no route table for the endpoint.");
            return Optional.empty();
        }
        List<VpcEndpoint> endpoints;
        try {
            endpoints = Unreadable.read("ec2:DescribeVpcEndpoints", () -> ec2.describeVpcEndpointsPaginator(b -> b.filters(
                            Filter.builder().name("vpc-id").values(vpcId).build(),
                            Filter.builder().name("service-name").values(serviceName(region)).build(),
                            Filter.builder().name("vpc-endpoint-type").values("Gateway").build()))
                    .vpcEndpoints().stream().filter(GatewayEndpoints::isLive).toList());
        } catch (Unreadable unreadable) {
            section.unchecked("Could not look for S3 gateway endpoints in " + vpcId + ": " + unreadable.reason() + ".");
            return Optional.empty();
        }
        Optional<VpcEndpoint> chosen = GatewayEndpoints.leastChange(endpoints, wanted);
        List<String> gaining = chosen.map(endpoint -> wanted.stream().filter(table -> !endpoint.routeTableIds().contains(table)).toList())
                .orElse(wanted);
        reroutes(vpcId, gaining, chosen.map(VpcEndpoint::vpcEndpointId).orElse(null), section);
        if (chosen.isEmpty()) {
            section.ok("No S3 gateway endpoint in " + vpcId + ": the stack creates one on " + String.join(", ", wanted)
                    + " (the private subnets' route tables) and deletes it with the stack.");
        } else {
            VpcEndpoint endpoint = chosen.get();
            List<String> add = wanted.stream().filter(table -> !endpoint.routeTableIds().contains(table)).toList();
            List<String> served = wanted.stream().filter(endpoint.routeTableIds()::contains).toList();
            section.ok("S3 gateway endpoint " + endpoint.vpcEndpointId() + " is adopted"
                    + (served.isEmpty() ? "" : " (it already serves " + String.join(", ", served) + ")")
                    + (add.isEmpty() ? " and already serves every private route table, so nothing is added."
                    : "; the stack adds " + String.join(", ", add) + " and takes " + (add.size() == 1 ? "it" : "them") + " back when deleted."));
            if (GatewayEndpoints.hasCustomPolicy(endpoint)) {
                section.warning("The adopted endpoint " + endpoint.vpcEndpointId() + " has a custom endpoint policy, which the stack does not change; "
                        + "make sure it allows e6data's buckets.");
            }
            endpoint.tags().stream().filter(tag -> OWNER_TAG.equals(tag.key())).map(Tag::value).findFirst().ifPresent(owner ->
                    section.ok("Endpoint " + endpoint.vpcEndpointId() + " was created by another e6link stack (" + OWNER_TAG + "=" + owner
                            + "); it stays while either stack still uses it."));
        }
        boolean conflict = false;
        for (VpcEndpoint other : endpoints) {
            if (chosen.isPresent() && other.vpcEndpointId().equals(chosen.get().vpcEndpointId())) {
                continue;
            }
            for (String table : wanted) {
                if (other.routeTableIds().contains(table)) {
                    conflict = true;
                    String ours = chosen.map(VpcEndpoint::vpcEndpointId).orElse("a new endpoint");
                    section.blocker("Route table " + table + " already routes S3 through gateway endpoint " + other.vpcEndpointId()
                            + " while the stack would use " + ours + ", so the stack would fail; move " + table + " to " + ours
                            + " (or serve all the cluster's private route tables from one S3 gateway endpoint) so the bucket policy's aws:SourceVpce"
                            + " matches — no stack parameter avoids this.", null);
                }
            }
        }
        if (!conflict && endpoints.size() > 1) {
            section.ok("The VPC has " + endpoints.size() + " S3 gateway endpoints; the others serve none of the cluster's private route tables.");
        }
        return chosen.map(VpcEndpoint::vpcEndpointId);
    }

    /**
     * ExistingS3GatewayEndpointId as {@code Custom::S3GatewayEndpoint} treats it: a visible endpoint must pass
     * {@link GatewayEndpoints#unusableAsGiven}; one this account cannot see is taken as given in a shared VPC
     * (the owner's) and is a blocker otherwise. No route is added, so nothing is rerouted.
     */
    private void given(String id, String vpcId, String vpcOwner, Section section) {
        List<VpcEndpoint> seen;
        try {
            seen = Unreadable.read("ec2:DescribeVpcEndpoints", () -> {
                try {
                    return ec2.describeVpcEndpoints(b -> b.vpcEndpointIds(id)).vpcEndpoints();
                } catch (Ec2Exception e) {
                    if (AwsErrors.errorCode(e).startsWith("InvalidVpcEndpoint")) {
                        return List.<VpcEndpoint>of();
                    }
                    throw e;
                }
            });
        } catch (Unreadable unreadable) {
            section.unchecked("Could not read ExistingS3GatewayEndpointId " + id + ": " + unreadable.reason() + ".");
            return;
        }
        if (!seen.isEmpty()) {
            Optional<String> unusable = GatewayEndpoints.unusableAsGiven(seen.getFirst(), vpcId, region);
            if (unusable.isPresent()) {
                section.blocker(unusable.get(), "ExistingS3GatewayEndpointId");
            } else {
                section.ok("S3 gateway endpoint " + id + " (ExistingS3GatewayEndpointId) is used as is: the stack adds no route, writes no tag and"
                        + " removes nothing on delete, so no workload's S3 traffic moves.");
            }
        } else if (vpcOwner != null) {
            section.ok("S3 gateway endpoint " + id + " (ExistingS3GatewayEndpointId) belongs to account " + vpcOwner + ", which owns VPC " + vpcId
                    + " and whose endpoints this account cannot see; the stack uses it as given, so make sure it serves the cluster's private route tables.");
        } else {
            section.blocker(GatewayEndpoints.givenNotFound(id, vpcId), "ExistingS3GatewayEndpointId");
        }
    }

    /**
     * No surprise rerouting: each route table that gains an S3 route moves the S3 traffic of every workload on
     * its subnets (the main table's implicit subnets included) from its current path to the endpoint. One
     * "to look at" per table, with its subnets, what changes and how to avoid it (AWS VPC guide, "Gateway
     * endpoints for Amazon S3": routing S3 through the endpoint changes the source of requests to private
     * addresses, and open connections are interrupted when the route is added).
     */
    private void reroutes(String vpcId, List<String> gaining, String endpointId, Section section) {
        if (gaining.isEmpty()) {
            return;
        }
        List<RouteTable> tables;
        long subnetsInVpc;
        try {
            tables = Unreadable.read("ec2:DescribeRouteTables", () -> ec2.describeRouteTables(b -> b.filters(
                    Filter.builder().name("vpc-id").values(vpcId).build())).routeTables());
            subnetsInVpc = Unreadable.read("ec2:DescribeSubnets", () -> (long) ec2.describeSubnets(b -> b.filters(
                    Filter.builder().name("vpc-id").values(vpcId).build())).subnets().size());
        } catch (Unreadable unreadable) {
            section.unchecked("Could not count the subnets on " + String.join(", ", gaining) + ", which would gain an S3 route: " + unreadable.reason() + ".");
            return;
        }
        long explicitInVpc = tables.stream().flatMap(table -> table.associations().stream())
                .filter(association -> association.subnetId() != null).count();
        String through = endpointId == null ? "the endpoint the stack creates" : endpointId;
        for (String id : gaining) {
            RouteTable table = tables.stream().filter(t -> t.routeTableId().equals(id)).findFirst().orElse(null);
            long explicit = table == null ? 0 : table.associations().stream().filter(association -> association.subnetId() != null).count();
            boolean main = table != null && table.associations().stream().anyMatch(association -> Boolean.TRUE.equals(association.main()));
            long implicit = main ? Math.max(0, subnetsInVpc - explicitInVpc) : 0;
            String serves = main
                    ? "the VPC's main route table: " + count(implicit, "subnet uses", "subnets use") + " it without a route table of its own"
                    + (explicit > 0 ? ", " + count(explicit, "subnet is", "subnets are") + " associated with it" : "")
                    : count(explicit, "subnet is", "subnets are") + " associated with it";
            section.warning("Route table " + id + " (" + serves + ") gains an S3 route through " + through + ": S3 traffic of every workload on"
                    + " those subnets moves from its current path (NAT gateway, firewall) to the endpoint when the route appears, so open S3"
                    + " connections drop, buckets that allow only the NAT's public address start denying them, and egress inspection no longer"
                    + " sees it; to avoid it, set ExistingS3GatewayEndpointId to an endpoint that already serves " + id
                    + ", or deploy at a moment when S3 connections may drop.", "ExistingS3GatewayEndpointId");
        }
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** @return the name of the region's S3 endpoint service, in the region's partition */
    public static String serviceName(String region) {
        return Partitions.endpointServiceName(region, "s3");
    }
}
