package io.e6link.discovery;

import io.e6link.discovery.SubnetTopology.NlbSubnets;
import io.e6link.discovery.SubnetTopology.RoutedSubnet;
import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Deadline;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import io.e6link.kit.Properties;
import io.e6link.kit.eks.EksCluster;
import io.e6link.kit.eks.EksLookups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeRouteTablesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * Runbook step 2's "get the private IPs of the NICs", plus everything else the stack reads from the
 * cluster. Read-only: Create and Update discover, Delete has nothing to undo. At most six API calls
 * whatever the number of subnets or ENIs: DescribeCluster, then filtered DescribeSubnets, DescribeVpcs,
 * DescribeRouteTables (the whole VPC, so the main table is known), DescribeNetworkInterfaces, and
 * DescribeSecurityGroups only when the cluster does not report its security group.
 */
final class ClusterDiscoveryResource implements CustomResource<ClusterDiscoveryProperties> {
    static final String TYPE = "Custom::EksClusterDiscovery";
    private final EksClient eks;
    private final Ec2Client ec2;
    private final JsonLog log = JsonLog.stdout();

    ClusterDiscoveryResource(EksClient eks, Ec2Client ec2) {
        this.eks = eks;
        this.ec2 = ec2;
    }

    @Override
    public ClusterDiscoveryProperties parse(Properties properties) {
        return ClusterDiscoveryProperties.parse(properties);
    }

    @Override
    public Outcome create(Invocation<ClusterDiscoveryProperties> invocation) {
        return discover(invocation.properties(), invocation.deadline());
    }

    @Override
    public Outcome update(Invocation<ClusterDiscoveryProperties> invocation) {
        // A new ClusterName yields a new physical id (the cluster ARN): CloudFormation then deletes the old one, a no-op.
        return discover(invocation.properties(), invocation.deadline());
    }

    @Override
    public Outcome delete(Invocation<ClusterDiscoveryProperties> invocation) {
        return invocation.sameId().build();
    }

    private Outcome discover(ClusterDiscoveryProperties wanted, Deadline deadline) {
        String name = wanted.clusterName();
        deadline.step("describing EKS cluster " + name);
        EksCluster cluster = EksLookups.describeCluster(eks, name);
        if (!cluster.isActive()) {
            throw new CustomResourceException("EKS cluster '" + name + "' is " + cluster.status()
                    + ", not ACTIVE; wait until it is ACTIVE, then retry the stack operation.");
        }
        deadline.step("reading the subnets of EKS cluster " + name);
        List<Subnet> subnets = describeSubnets(cluster);
        String vpcId = vpcOf(cluster, subnets);
        String vpcCidr = vpcCidr(vpcId);
        deadline.step("reading the route tables of " + vpcId);
        List<RoutedSubnet> routed = SubnetTopology.route(subnets, routeTables(vpcId));
        NlbSubnets nlb = SubnetTopology.chooseNlbSubnets(routed, wanted.excludedZones());
        if (nlb.subnets().isEmpty()) {
            throw new CustomResourceException(noSubnetLeft(name, nlb, wanted.excludedZones()));
        }
        deadline.step("finding the control-plane network interfaces of EKS cluster " + name);
        List<String> eniIps = EksLookups.controlPlaneIps(ec2, cluster, vpcId);
        if (eniIps.isEmpty()) {
            throw new CustomResourceException("No control-plane network interfaces described '" + EksLookups.controlPlaneDescription(name)
                    + "' were found in the subnets of EKS cluster '" + name + "' (" + vpcId
                    + "); check that the cluster is healthy and its subnets were not changed outside EKS.");
        }
        deadline.step("finding the cluster security group of EKS cluster " + name);
        String securityGroup = EksLookups.clusterSecurityGroup(ec2, cluster, vpcId).orElseThrow(() -> new CustomResourceException(
                "EKS cluster '" + name + "' reports no cluster security group and no security group in " + vpcId + " is tagged "
                        + EksLookups.CLUSTER_NAME_TAG + "=" + name + "; tag the group the control plane uses, then retry."));

        List<String> subnetIds = nlb.subnets().stream().map(Subnet::subnetId).toList();
        List<String> zones = nlb.subnets().stream().map(Subnet::availabilityZone).toList();
        List<String> routeTables = SubnetTopology.privateRouteTables(routed);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("cluster", name);
        line.put("vpcId", vpcId);
        line.put("nlbSubnets", subnetIds);
        line.put("excludedZones", nlb.excludedZones());
        line.put("publicOnlyZones", nlb.publicOnlyZones());
        line.put("routeTables", routeTables);
        line.put("eniIps", eniIps);
        log.info("Discovered EKS cluster network", line);
        if (!cluster.endpointPrivateAccess()) {
            // Without private endpoint access the control-plane ENIs do not serve the Kubernetes API.
            log.warn("EKS cluster has private endpoint access disabled; the NLB targets will not serve the API until it is enabled",
                    Map.of("cluster", name));
        }
        return Outcome.of(cluster.arn() == null ? "eks-cluster/" + name : cluster.arn())
                .with("VpcId", vpcId)
                .with("VpcCidr", vpcCidr)
                .with("ClusterSecurityGroupId", securityGroup)
                .with("OidcIssuerUrl", cluster.oidcIssuer())
                .withList("SubnetIds", subnetIds)
                .withList("AvailabilityZones", zones)
                .withList("RouteTableIds", routeTables)
                .withList("EniIps", eniIps)
                .with("EndpointPrivateAccess", cluster.endpointPrivateAccess())
                .build();
    }

    /** A subnet-id filter (not SubnetIds): one deleted subnet must not fail the whole lookup. */
    private List<Subnet> describeSubnets(EksCluster cluster) {
        if (cluster.subnetIds().isEmpty()) {
            throw new CustomResourceException("EKS cluster '" + cluster.name() + "' reports no subnets; check its networking configuration.");
        }
        DescribeSubnetsRequest request = DescribeSubnetsRequest.builder()
                .filters(Filter.builder().name("subnet-id").values(cluster.subnetIds()).build()).build();
        List<Subnet> subnets = new ArrayList<>();
        ec2.describeSubnetsPaginator(request).subnets().forEach(subnets::add);
        if (cluster.vpcId() != null) {
            subnets.removeIf(subnet -> !cluster.vpcId().equals(subnet.vpcId()));
        }
        if (subnets.isEmpty()) {
            throw new CustomResourceException("None of the subnets of EKS cluster '" + cluster.name() + "' " + cluster.subnetIds()
                    + " exist any more; restore them or update the cluster's subnets.");
        }
        if (subnets.size() < cluster.subnetIds().size()) {
            Set<String> missing = new TreeSet<>(cluster.subnetIds());
            subnets.forEach(subnet -> missing.remove(subnet.subnetId()));
            log.warn("Some cluster subnets no longer exist; ignoring them", Map.of("cluster", cluster.name(), "missingSubnets", missing));
        }
        return subnets;
    }

    /** DescribeCluster reports the VPC on real clusters; otherwise every cluster subnet sits in it. */
    private static String vpcOf(EksCluster cluster, List<Subnet> subnets) {
        if (cluster.vpcId() != null) {
            return cluster.vpcId();
        }
        Set<String> vpcs = new TreeSet<>();
        subnets.forEach(subnet -> vpcs.add(subnet.vpcId()));
        if (vpcs.size() != 1) {
            throw new CustomResourceException("The subnets of EKS cluster '" + cluster.name() + "' span several VPCs " + vpcs
                    + "; EKS clusters live in one VPC, so check the ClusterName parameter.");
        }
        return vpcs.iterator().next();
    }

    private String vpcCidr(String vpcId) {
        List<Vpc> vpcs = ec2.describeVpcs(DescribeVpcsRequest.builder().vpcIds(vpcId).build()).vpcs();
        if (vpcs.isEmpty()) {
            throw new CustomResourceException("The VPC " + vpcId + " of the EKS cluster was not found.");
        }
        return vpcs.get(0).cidrBlock();
    }

    private List<RouteTable> routeTables(String vpcId) {
        DescribeRouteTablesRequest request = DescribeRouteTablesRequest.builder()
                .filters(EksLookups.filter("vpc-id", vpcId)).build();
        List<RouteTable> tables = new ArrayList<>();
        ec2.describeRouteTablesPaginator(request).routeTables().forEach(tables::add);
        return tables;
    }

    private static String noSubnetLeft(String name, NlbSubnets nlb, ZoneExclusions exclusions) {
        StringBuilder reason = new StringBuilder("No private subnet of EKS cluster '").append(name)
                .append("' is left for the NLB: the cluster's subnets are in ").append(String.join(", ", nlb.zonesSeen()));
        if (!nlb.publicOnlyZones().isEmpty()) {
            reason.append("; only public subnets in ").append(String.join(", ", nlb.publicOnlyZones()));
        }
        if (!nlb.excludedZones().isEmpty()) {
            reason.append("; excluded by ExcludedAvailabilityZones=").append(String.join(",", exclusions.entries()))
                    .append(": ").append(String.join(", ", nlb.excludedZones()));
        }
        if (!nlb.fullZones().isEmpty()) {
            reason.append("; fewer than ").append(SubnetTopology.NLB_MIN_FREE_ADDRESSES).append(" free addresses in ")
                    .append(String.join(", ", nlb.fullZones()));
        }
        return reason.append(". Remove a zone from ExcludedAvailabilityZones or give the cluster a private subnet in another zone.").toString();
    }
}
