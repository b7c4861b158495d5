package io.e6link.eksclusterdiscovery;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * The cluster network the issue describes, built in moto: subnets in four zones including
 * us-east-1e, two private subnets in us-east-1a, a public subnet (route to an internet gateway), a
 * private subnet on the main route table, control-plane ENIs in two zones, a look-alike ENI, a
 * same-named ENI in a non-cluster subnet and one in another VPC. moto creates no ENIs or security
 * group for a cluster, so the scenario adds what EKS would.
 */
final class ClusterScenario {
    static final String CLUSTER = "prod";
    final Ec2Client ec2;
    final String vpcId;
    final String privateA1;
    final String privateA2;
    final String mainTableB;
    final String publicC;
    final String privateE;
    final String privateTableA;
    final String privateTableE;
    final String mainTable;
    final String publicTable;
    final String securityGroupId;
    final List<String> eniIps = new ArrayList<>();
    final List<String> clusterSubnets;

    ClusterScenario(Ec2Client ec2, EksClient eks) {
        this.ec2 = ec2;
        vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        mainTable = ec2.describeRouteTables(r -> r.filters(f -> f.name("vpc-id").values(vpcId))).routeTables().get(0).routeTableId();
        String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));

        privateA1 = subnet("10.0.1.0/24", "us-east-1a");
        privateA2 = subnet("10.0.2.0/24", "us-east-1a");
        mainTableB = subnet("10.0.3.0/24", "us-east-1b");
        publicC = subnet("10.0.4.0/24", "us-east-1c");
        privateE = subnet("10.0.5.0/24", "us-east-1e");
        String nodesOnly = subnet("10.0.6.0/24", "us-east-1b");

        privateTableA = table();
        associate(privateTableA, privateA1);
        associate(privateTableA, privateA2);
        privateTableE = table();
        associate(privateTableE, privateE);
        publicTable = table();
        ec2.createRoute(r -> r.routeTableId(publicTable).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        associate(publicTable, publicC);

        clusterSubnets = List.of(privateA1, privateA2, mainTableB, publicC, privateE);
        eks.createCluster(r -> r.name(CLUSTER).roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(clusterSubnets).endpointPrivateAccess(true)));
        securityGroupId = ec2.createSecurityGroup(r -> r.groupName("eks-cluster-sg-prod-12345").description("EKS created security group")
                .vpcId(vpcId).tagSpecifications(tags(ResourceType.SECURITY_GROUP, "aws:eks:cluster-name", CLUSTER))).groupId();
        // A node-group group carrying the same tag must not be mistaken for the cluster group.
        ec2.createSecurityGroup(r -> r.groupName("eks-remoteAccess-prod").description("node access")
                .vpcId(vpcId).tagSpecifications(tags(ResourceType.SECURITY_GROUP, "aws:eks:cluster-name", CLUSTER)));

        eniIps.add(eni(privateA1, "Amazon EKS prod"));
        eniIps.add(eni(mainTableB, "Amazon EKS prod"));
        eni(privateA1, "Amazon EKS prod-2");
        eni(nodesOnly, "Amazon EKS prod");
        String otherVpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String otherSubnet = ec2.createSubnet(r -> r.vpcId(otherVpc).cidrBlock("10.1.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        eni(otherSubnet, "Amazon EKS prod");
        eniIps.sort(String::compareTo);
    }

    String subnet(String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    String eni(String subnetId, String description) {
        return ec2.createNetworkInterface(r -> r.subnetId(subnetId).description(description)).networkInterface().privateIpAddress();
    }

    private String table() {
        return ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
    }

    private void associate(String table, String subnet) {
        ec2.associateRouteTable(r -> r.routeTableId(table).subnetId(subnet));
    }

    static TagSpecification tags(ResourceType type, String key, String value) {
        return TagSpecification.builder().resourceType(type).tags(Tag.builder().key(key).value(value).build()).build();
    }

    static String lower(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
