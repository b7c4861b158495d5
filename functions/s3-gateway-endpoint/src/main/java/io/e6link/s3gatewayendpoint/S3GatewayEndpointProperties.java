package io.e6link.s3gatewayendpoint;

import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * @param vpcId                 the cluster's VPC
 * @param routeTableIds         the route tables of the cluster's private subnets, duplicates removed, in the order given
 *                              (empty when the VPC is shared and its route tables belong to the owner account)
 * @param existingVpcEndpointId an S3 gateway endpoint to use as is (parameter ExistingS3GatewayEndpointId), or null
 * @param vpcOwnerId            the account that owns the VPC (discovery's VpcOwnerId), or null when not given
 */
record S3GatewayEndpointProperties(String vpcId, List<String> routeTableIds, String existingVpcEndpointId, String vpcOwnerId) {
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{8,17}");
    private static final Pattern ENDPOINT_ID = Pattern.compile("vpce-[0-9a-f]{8,17}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    S3GatewayEndpointProperties(String vpcId, List<String> routeTableIds) {
        this(vpcId, routeTableIds, null, null);
    }

    /** Whether the stack names an endpoint to use as is: no create, no route change, nothing removed on delete. */
    boolean usesExisting() {
        return existingVpcEndpointId != null;
    }

    /** Whether another account owns the VPC (a VPC shared through AWS RAM) and with it its route tables and endpoints. */
    boolean sharedFrom(String accountId) {
        return vpcOwnerId != null && !vpcOwnerId.equals(accountId);
    }
    private static final Pattern ROUTE_TABLE_ID = Pattern.compile("rtb-[0-9a-f]{8,17}");

    /** template.yaml: {@code VpcId: !GetAtt ClusterDiscovery.VpcId}, {@code RouteTableIds: !Split [",", !GetAtt ClusterDiscovery.RouteTableIds]}. */
    static final PropertySources SOURCES = PropertySources.NONE
            .derived("VpcId", "the VPC of the cluster named by ClusterName")
            .derived("RouteTableIds", "the private route tables of the cluster named by ClusterName")
            .parameter("ExistingVpcEndpointId", "ExistingS3GatewayEndpointId")
            .derived("VpcOwnerId", "the account that owns the VPC of the cluster named by ClusterName");

    static S3GatewayEndpointProperties parse(ResourceProperties given) {
        ResourceProperties properties = given.from(SOURCES);
        String vpcId = properties.requiredString("VpcId");
        if (!VPC_ID.matcher(vpcId).matches()) {
            throw SOURCES.invalid("VpcId", vpcId, "expected a VPC id like vpc-0123456789abcdef0");
        }
        String existing = properties.optionalString("ExistingVpcEndpointId", "").trim();
        if (!existing.isEmpty() && !ENDPOINT_ID.matcher(existing).matches()) {
            throw SOURCES.invalid("ExistingVpcEndpointId", existing, "expected a VPC endpoint id like vpce-0123456789abcdef0, or empty");
        }
        String owner = properties.optionalString("VpcOwnerId", "").trim();
        if (!owner.isEmpty() && !ACCOUNT_ID.matcher(owner).matches()) {
            throw SOURCES.invalid("VpcOwnerId", owner, "expected a 12-digit account id");
        }
        boolean routesNeeded = existing.isEmpty() && owner.isEmpty();
        LinkedHashSet<String> routeTableIds = new LinkedHashSet<>();
        for (String id : properties.stringList("RouteTableIds", routesNeeded)) {
            if (!ROUTE_TABLE_ID.matcher(id).matches()) {
                throw SOURCES.invalid("RouteTableIds", id, "expected route table ids like rtb-0123456789abcdef0");
            }
            routeTableIds.add(id);
        }
        return new S3GatewayEndpointProperties(vpcId, List.copyOf(routeTableIds), existing.isEmpty() ? null : existing, owner.isEmpty() ? null : owner);
    }
}
