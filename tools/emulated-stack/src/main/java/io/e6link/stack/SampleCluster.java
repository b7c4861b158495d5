package io.e6link.stack;

import io.e6link.testing.MotoClients;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A customer account as e6link meets it, seeded into moto: an EKS cluster in a VPC with private
 * subnets in four AZs (one in us-east-1e, one on the main route table), a public subnet, the
 * cluster security group, two control-plane ENIs, and things the customer already has — an OIDC
 * provider for the cluster, an S3 gateway endpoint on one route table, a 443 rule from one e6data
 * CIDR, and a bucket policy with their own statement.
 */
public final class SampleCluster {
    public static final String NAME = "analytics";
    public static final String E6DATA_ACCOUNT = "111122223333";
    public static final String E6DATA_CIDR = "10.200.0.0/16";
    public static final String BUCKET = "e6data-workspace-analytics";
    public static final String CUSTOMER_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"CustomerReadOnly\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + BUCKET + "/*\"}]}";

    public final String vpcId;
    public final String clusterSecurityGroupId;
    public final String explicitPrivateRouteTableId;
    public final String mainRouteTableId;
    public final String customerS3EndpointId;
    public final String oidcIssuer;
    public final List<String> privateSubnetIds;
    private final List<String> eniIds = new ArrayList<>();
    private final Ec2Client ec2;

    private SampleCluster(MotoClients clients, boolean customerObjects) {
        this.ec2 = clients.ec2();
        vpcId = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        mainRouteTableId = ec2.describeRouteTables(b -> b.filters(f -> f.name("vpc-id").values(vpcId), f -> f.name("association.main").values("true")))
                .routeTables().get(0).routeTableId();
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpcId));
        String publicTable = ec2.createRouteTable(b -> b.vpcId(vpcId)).routeTable().routeTableId();
        ec2.createRoute(b -> b.routeTableId(publicTable).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        String publicSubnet = subnet("10.0.0.0/24", "us-east-1a");
        ec2.associateRouteTable(b -> b.routeTableId(publicTable).subnetId(publicSubnet));

        explicitPrivateRouteTableId = ec2.createRouteTable(b -> b.vpcId(vpcId)).routeTable().routeTableId();
        String privateA = subnet("10.0.1.0/24", "us-east-1a");
        String privateB = subnet("10.0.2.0/27", "us-east-1b");   // small: a test can fill it below the NLB's 8 free addresses
        String privateC = subnet("10.0.3.0/24", "us-east-1c");   // stays on the main route table
        String privateE = subnet("10.0.4.0/24", "us-east-1e");
        for (String subnet : List.of(privateA, privateB, privateE)) {
            ec2.associateRouteTable(b -> b.routeTableId(explicitPrivateRouteTableId).subnetId(subnet));
        }
        privateSubnetIds = List.of(privateA, privateB, privateC, privateE);

        clusterSecurityGroupId = ec2.createSecurityGroup(b -> b.groupName("eks-cluster-sg-" + NAME).description("EKS created security group")
                .vpcId(vpcId).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                        .tags(Tag.builder().key("aws:eks:cluster-name").value(NAME).build()).build())).groupId();
        EksClient eks = clients.eks();
        oidcIssuer = eks.createCluster(b -> b.name(NAME).roleArn("arn:aws:iam::123456789012:role/eks-cluster")
                .resourcesVpcConfig(v -> v.subnetIds(privateSubnetIds).securityGroupIds(clusterSecurityGroupId).endpointPrivateAccess(true)))
                .cluster().identity().oidc().issuer();
        eniIds.add(controlPlaneEni(privateA, "10.0.1.10"));
        eniIds.add(controlPlaneEni(privateB, "10.0.2.10"));

        S3Client s3 = clients.s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        if (!customerObjects) {
            customerS3EndpointId = null;
            return;
        }
        // What the customer already has.
        IamClient iam = clients.iam();
        iam.createOpenIDConnectProvider(b -> b.url(oidcIssuer).clientIDList("sts.amazonaws.com"));
        customerS3EndpointId = ec2.createVpcEndpoint(b -> b.vpcId(vpcId).serviceName("com.amazonaws.us-east-1.s3")
                .vpcEndpointType("Gateway").routeTableIds(explicitPrivateRouteTableId)).vpcEndpoint().vpcEndpointId();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(clusterSecurityGroupId).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443)
                .ipRanges(r -> r.cidrIp(E6DATA_CIDR).description("added by hand last year"))));
        s3.putBucketPolicy(b -> b.bucket(BUCKET).policy(CUSTOMER_POLICY));
    }

    public static SampleCluster seed(MotoClients clients) {
        return new SampleCluster(clients, true);
    }

    /** The same cluster in an account that has none of the things e6link adopts: the stack creates them all. */
    public static SampleCluster seedBare(MotoClients clients) {
        return new SampleCluster(clients, false);
    }

    /** An EKS version upgrade: new control-plane ENIs in other subnets, then the old ones go away. */
    public List<String> upgradeControlPlane() {
        List<String> old = List.copyOf(eniIds);
        eniIds.clear();
        eniIds.add(controlPlaneEni(privateSubnetIds.get(1), "10.0.2.20"));
        eniIds.add(controlPlaneEni(privateSubnetIds.get(2), "10.0.3.20"));
        for (String eni : old) {
            ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eni));
        }
        return List.of("10.0.2.20", "10.0.3.20");
    }

    /**
     * Other workloads take addresses in the small us-east-1b subnet until fewer than the 8 an NLB
     * needs for a new subnet are free (ENIs on .4-.9, .11-.19, .21-.27; .20 stays for the upgrade).
     */
    public void fillSmallSubnet() {
        List<Integer> hosts = new ArrayList<>();
        for (int host = 4; host <= 27; host++) {
            if (host != 10 && host != 20) {
                hosts.add(host);
            }
        }
        for (int host : hosts) {
            ec2.createNetworkInterface(b -> b.subnetId(privateSubnetIds.get(1)).privateIpAddress("10.0.2." + host).description("batch workers"));
        }
    }

    /** A second EKS cluster in the same VPC and private subnets, with its own security group and control-plane ENIs. */
    public record OtherCluster(String name, String securityGroupId, List<String> eniIps) {
    }

    /**
     * Adds EKS cluster {@code name} to this VPC: the same private subnets, its own cluster security group
     * (tagged aws:eks:cluster-name) and two control-plane ENIs ("Amazon EKS <name>") in us-east-1a and
     * us-east-1b at {@code ipA} and {@code ipB}.
     */
    public OtherCluster addCluster(EksClient eks, String name, String ipA, String ipB) {
        String group = ec2.createSecurityGroup(b -> b.groupName("eks-cluster-sg-" + name).description("EKS created security group")
                .vpcId(vpcId).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                        .tags(Tag.builder().key("aws:eks:cluster-name").value(name).build()).build())).groupId();
        eks.createCluster(b -> b.name(name).roleArn("arn:aws:iam::123456789012:role/eks-cluster")
                .resourcesVpcConfig(v -> v.subnetIds(privateSubnetIds).securityGroupIds(group).endpointPrivateAccess(true)));
        for (var eni : List.of(List.of(privateSubnetIds.get(0), ipA), List.of(privateSubnetIds.get(1), ipB))) {
            ec2.createNetworkInterface(b -> b.subnetId(eni.get(0)).privateIpAddress(eni.get(1)).groups(group).description("Amazon EKS " + name));
        }
        return new OtherCluster(name, group, List.of(ipA, ipB));
    }

    private String subnet(String cidr, String zone) {
        return ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    private String controlPlaneEni(String subnetId, String ip) {
        return ec2.createNetworkInterface(b -> b.subnetId(subnetId).privateIpAddress(ip).groups(clusterSecurityGroupId)
                .description("Amazon EKS " + NAME)).networkInterface().networkInterfaceId();
    }
}
