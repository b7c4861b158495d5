package io.e6link.s3endpoint;

import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * @param vpcId         the cluster's VPC
 * @param routeTableIds the route tables of the cluster's private subnets, duplicates removed, in the order given
 */
record S3GatewayEndpointProperties(String vpcId, List<String> routeTableIds) {
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{8,17}");
    private static final Pattern ROUTE_TABLE_ID = Pattern.compile("rtb-[0-9a-f]{8,17}");

    /** template.yaml: {@code VpcId: !GetAtt ClusterDiscovery.VpcId}, {@code RouteTableIds: !Split [",", !GetAtt ClusterDiscovery.RouteTableIds]}. */
    static final PropertySources SOURCES = PropertySources.NONE
            .derived("VpcId", "the VPC of the cluster named by ClusterName")
            .derived("RouteTableIds", "the private route tables of the cluster named by ClusterName");

    static S3GatewayEndpointProperties parse(ResourceProperties given) {
        ResourceProperties properties = given.from(SOURCES);
        String vpcId = properties.requiredString("VpcId");
        if (!VPC_ID.matcher(vpcId).matches()) {
            throw SOURCES.invalid("VpcId", vpcId, "expected a VPC id like vpc-0123456789abcdef0");
        }
        LinkedHashSet<String> routeTableIds = new LinkedHashSet<>();
        for (String id : properties.stringList("RouteTableIds", true)) {
            if (!ROUTE_TABLE_ID.matcher(id).matches()) {
                throw SOURCES.invalid("RouteTableIds", id, "expected route table ids like rtb-0123456789abcdef0");
            }
            routeTableIds.add(id);
        }
        return new S3GatewayEndpointProperties(vpcId, List.copyOf(routeTableIds));
    }
}
