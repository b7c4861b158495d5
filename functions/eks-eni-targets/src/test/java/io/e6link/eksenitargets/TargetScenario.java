package io.e6link.eksenitargets;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * A cluster in moto with its control-plane ENIs in two zones, a look-alike ENI ("Amazon EKS
 * prod-2") in a cluster subnet, a same-named ENI in another VPC, and the stack's IP target group.
 * {@link #upgrade()} does what an EKS version update does: new ENIs appear (here in a third
 * subnet too), then the old ones are deleted.
 */
final class TargetScenario {
    static final String CLUSTER = "prod";
    final Ec2Client ec2;
    final ElasticLoadBalancingV2Client elb;
    final String vpcId;
    final String subnetA;
    final String subnetB;
    final String subnetC;
    final String targetGroupArn;
    final List<String> eniIds = new ArrayList<>();
    final List<String> eniIps = new ArrayList<>();

    TargetScenario(Ec2Client ec2, EksClient eks, ElasticLoadBalancingV2Client elb) {
        this.ec2 = ec2;
        this.elb = elb;
        vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        subnetA = subnet("10.0.1.0/24", "us-east-1a");
        subnetB = subnet("10.0.2.0/24", "us-east-1b");
        subnetC = subnet("10.0.3.0/24", "us-east-1c");
        eks.createCluster(r -> r.name(CLUSTER).roleArn("arn:aws:iam::123456789012:role/eks")
                .resourcesVpcConfig(v -> v.subnetIds(subnetA, subnetB, subnetC)));
        controlPlaneEni(subnetA);
        controlPlaneEni(subnetB);
        ec2.createNetworkInterface(r -> r.subnetId(subnetA).description("Amazon EKS prod-2"));
        String otherVpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String otherSubnet = ec2.createSubnet(r -> r.vpcId(otherVpc).cidrBlock("10.1.1.0/24").availabilityZone("us-east-1a")).subnet().subnetId();
        ec2.createNetworkInterface(r -> r.subnetId(otherSubnet).description("Amazon EKS prod"));
        targetGroupArn = elb.createTargetGroup(r -> r.name("e6link-eks-api").protocol("TCP").port(443).vpcId(vpcId)
                .targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
    }

    String subnet(String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    private void controlPlaneEni(String subnet) {
        var eni = ec2.createNetworkInterface(r -> r.subnetId(subnet).description("Amazon EKS " + CLUSTER)).networkInterface();
        eniIds.add(eni.networkInterfaceId());
        eniIps.add(eni.privateIpAddress());
    }

    /** New ENIs in subnets B and C appear; returns the old IPs. Call {@link #deleteOldEnis} to finish the upgrade. */
    List<String> addUpgradeEnis() {
        List<String> old = List.copyOf(eniIps);
        controlPlaneEni(subnetB);
        controlPlaneEni(subnetC);
        return old;
    }

    void deleteOldEnis() {
        while (eniIds.size() > 2) {
            String id = eniIds.remove(0);
            eniIps.remove(0);
            ec2.deleteNetworkInterface(r -> r.networkInterfaceId(id));
        }
    }

    Set<String> currentIps() {
        return new TreeSet<>(eniIps);
    }

    /** "ip:port" of every target moto holds for the group. */
    Set<String> registered() {
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)).targetHealthDescriptions().stream()
                .map(d -> d.target().id() + ":" + d.target().port()).collect(Collectors.toCollection(TreeSet::new));
    }

    Set<String> onPort(Set<String> ips, int port) {
        return ips.stream().map(ip -> ip + ":" + port).collect(Collectors.toCollection(TreeSet::new));
    }
}
