package io.e6link.eksclusterdiscovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.eksclusterdiscovery.SubnetTopology.RoutedSubnet;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.eks.EksCluster;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Which route table serves each cluster subnet and whether the subnet is private
 * ({@link SubnetTopology#route}, {@link SubnetTopology#privateRouteTables}), and the cluster's VPC
 * ({@link SubnetTopology#vpcOf}), as tables. VPC rules: a subnet without an explicit association uses
 * the VPC's main route table; a subnet is public when its table routes to an internet gateway
 * ({@code igw-}); an egress-only internet gateway ({@code eigw-}), a NAT gateway or a virtual private
 * gateway keep it private (VPC User Guide, "Route tables",
 * https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html). No AWS, no moto.
 */
class SubnetRoutingTest {

    /** One row: the VPC's route tables, then per subnet (a1, b1, c1 in that order) the table and privacy expected. */
    record Row(String name, List<RouteTable> tables, List<String> expectedTables, List<Boolean> expectedPrivate, List<String> privateTables) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("subnets without an explicit association use the main table",
                        List.of(table("rtb-main", main(), routes("local"))),
                        List.of("rtb-main", "rtb-main", "rtb-main"), List.of(true, true, true), List.of("rtb-main")),
                new Row("an explicit association wins over the main table",
                        List.of(table("rtb-main", main(), routes("igw-1")), table("rtb-a", assoc("subnet-a1"), routes("nat-1"))),
                        List.of("rtb-a", "rtb-main", "rtb-main"), List.of(true, false, false), List.of("rtb-a")),
                new Row("a route to an internet gateway makes a subnet public, whatever its destination",
                        List.of(table("rtb-main", main(), routes("local")), table("rtb-pub4", assoc("subnet-a1"), routes("local", "igw-1")),
                                table("rtb-pub6", assoc("subnet-b1"), routes6("igw-1"))),
                        List.of("rtb-pub4", "rtb-pub6", "rtb-main"), List.of(false, false, true), List.of("rtb-main")),
                new Row("egress-only internet gateways, NAT gateways and virtual private gateways keep a subnet private",
                        List.of(table("rtb-main", main(), routes("local")), table("rtb-eigw", assoc("subnet-a1"), routes6("eigw-1")),
                                table("rtb-nat", assoc("subnet-b1"), routes("nat-1")), table("rtb-vgw", assoc("subnet-c1"), routes("vgw-1"))),
                        List.of("rtb-eigw", "rtb-nat", "rtb-vgw"), List.of(true, true, true), List.of("rtb-eigw", "rtb-nat", "rtb-vgw")),
                new Row("private tables are listed once each, sorted, the main table included where it serves implicitly",
                        List.of(table("rtb-z", assoc("subnet-a1", "subnet-b1"), routes("nat-1")), table("rtb-main", main(), routes("local"))),
                        List.of("rtb-z", "rtb-z", "rtb-main"), List.of(true, true, true), List.of("rtb-main", "rtb-z")),
                new Row("an edge association (to a gateway) is neither main nor a subnet's",
                        List.of(table("rtb-main", main(), routes("local")), table("rtb-edge", edge("igw-1"), routes("local"))),
                        List.of("rtb-main", "rtb-main", "rtb-main"), List.of(true, true, true), List.of("rtb-main")),
                new Row("a subnet served by no table at all is treated as public, so the NLB stays off it",
                        List.of(table("rtb-a", assoc("subnet-a1"), routes("local"))),
                        Arrays.asList("rtb-a", null, null), List.of(true, false, false), List.of("rtb-a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachSubnetIsServedByItsExplicitTableElseTheMainOne(Row row) {
        List<Subnet> subnets = List.of(subnet("subnet-a1", "us-east-1a", "vpc-1"), subnet("subnet-b1", "us-east-1b", "vpc-1"),
                subnet("subnet-c1", "us-east-1c", "vpc-1"));

        List<RoutedSubnet> routed = SubnetTopology.route(subnets, row.tables());

        assertThat(routed).extracting(RoutedSubnet::subnet).containsExactlyElementsOf(subnets);
        assertThat(routed).extracting(RoutedSubnet::routeTableId).containsExactlyElementsOf(row.expectedTables());
        assertThat(routed).extracting(RoutedSubnet::isPrivate).containsExactlyElementsOf(row.expectedPrivate());
        assertThat(SubnetTopology.privateRouteTables(routed)).containsExactlyElementsOf(row.privateTables());
    }

    @Test
    void theVpcIsTheOneTheClusterReportsElseTheOneItsSubnetsShare() {
        List<Subnet> oneVpc = List.of(subnet("subnet-a1", "us-east-1a", "vpc-1"), subnet("subnet-b1", "us-east-1b", "vpc-1"));
        List<Subnet> twoVpcs = List.of(subnet("subnet-a1", "us-east-1a", "vpc-1"), subnet("subnet-b1", "us-east-1b", "vpc-2"));

        assertThat(SubnetTopology.vpcOf(cluster("vpc-9"), twoVpcs)).isEqualTo("vpc-9");
        assertThat(SubnetTopology.vpcOf(cluster(null), oneVpc)).isEqualTo("vpc-1");
        assertThatThrownBy(() -> SubnetTopology.vpcOf(cluster(null), twoVpcs)).isInstanceOf(CustomResourceException.class)
                .hasMessage("The subnets of EKS cluster 'prod' span several VPCs [vpc-1, vpc-2]; EKS clusters live in one VPC, so check the"
                        + " ClusterName parameter.");
    }

    private static EksCluster cluster(String vpcId) {
        return new EksCluster("prod", null, "ACTIVE", vpcId, List.of("subnet-a1", "subnet-b1"), null, null, true);
    }

    private static Subnet subnet(String id, String zone, String vpcId) {
        return Subnet.builder().subnetId(id).availabilityZone(zone).vpcId(vpcId).availableIpAddressCount(200).build();
    }

    private static RouteTable table(String id, List<RouteTableAssociation> associations, List<Route> routes) {
        return RouteTable.builder().routeTableId(id).vpcId("vpc-1").associations(associations).routes(routes).build();
    }

    private static List<RouteTableAssociation> main() {
        return List.of(RouteTableAssociation.builder().main(true).build());
    }

    private static List<RouteTableAssociation> assoc(String... subnetIds) {
        return Stream.of(subnetIds).map(id -> RouteTableAssociation.builder().main(false).subnetId(id).build()).toList();
    }

    private static List<RouteTableAssociation> edge(String gatewayId) {
        return List.of(RouteTableAssociation.builder().main(false).gatewayId(gatewayId).build());
    }

    /** IPv4 routes: "local" for the VPC CIDR, any other target for 0.0.0.0/0. NAT gateways are natGatewayId, as EC2 reports them. */
    private static List<Route> routes(String... targets) {
        return Stream.of(targets).map(target -> target.equals("local")
                ? Route.builder().destinationCidrBlock("10.0.0.0/16").gatewayId("local").build()
                : target.startsWith("nat-")
                ? Route.builder().destinationCidrBlock("0.0.0.0/0").natGatewayId(target).build()
                : Route.builder().destinationCidrBlock("0.0.0.0/0").gatewayId(target).build()).toList();
    }

    /** IPv6 default routes; EC2 reports an egress-only internet gateway as egressOnlyInternetGatewayId. */
    private static List<Route> routes6(String target) {
        Route route = target.startsWith("eigw-")
                ? Route.builder().destinationIpv6CidrBlock("::/0").egressOnlyInternetGatewayId(target).build()
                : Route.builder().destinationIpv6CidrBlock("::/0").gatewayId(target).build();
        return List.of(Route.builder().destinationCidrBlock("10.0.0.0/16").gatewayId("local").build(), route);
    }
}
