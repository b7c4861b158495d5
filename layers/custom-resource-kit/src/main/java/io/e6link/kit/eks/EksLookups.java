package io.e6link.kit.eks;

import io.e6link.kit.CustomResourceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfacesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.DescribeClusterRequest;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.VpcConfigResponse;

/**
 * The shared EKS/ENI lookups. Each is one filtered (and, for EC2, paginated) API call, never a loop
 * per subnet or per interface, so the cost of a lookup does not grow with the cluster.
 *
 * <p>Control-plane ENIs carry no tags (containers-roadmap #902) and their description is
 * user-settable, so an ENI counts only when all three hold: description exactly
 * {@code Amazon EKS <cluster>}, in one of the cluster's subnets, and in the cluster's VPC.
 */
public final class EksLookups {
    /** EKS tags the cluster security group (and older clusters' resources) with this key. */
    public static final String CLUSTER_NAME_TAG = "aws:eks:cluster-name";

    private EksLookups() {
    }

    /** The description EKS gives every control-plane ENI of the cluster. */
    public static String controlPlaneDescription(String clusterName) {
        return "Amazon EKS " + clusterName;
    }

    /** One {@code eks:DescribeCluster}; a missing cluster fails with its name and the region. */
    public static EksCluster describeCluster(EksClient eks, String clusterName) {
        Cluster cluster;
        try {
            cluster = eks.describeCluster(DescribeClusterRequest.builder().name(clusterName).build()).cluster();
        } catch (ResourceNotFoundException e) {
            throw new CustomResourceException("EKS cluster '" + clusterName + "' was not found in region " + region(eks)
                    + "; check the ClusterName parameter and deploy the stack in the cluster's region.", e);
        }
        VpcConfigResponse vpc = cluster.resourcesVpcConfig();
        String issuer = cluster.identity() == null || cluster.identity().oidc() == null || cluster.identity().oidc().issuer() == null
                ? "" : cluster.identity().oidc().issuer();
        return new EksCluster(cluster.name(), cluster.arn(), cluster.statusAsString(),
                blankToNull(vpc == null ? null : vpc.vpcId()),
                vpc == null ? List.of() : vpc.subnetIds(),
                blankToNull(vpc == null ? null : vpc.clusterSecurityGroupId()),
                issuer,
                vpc != null && Boolean.TRUE.equals(vpc.endpointPrivateAccess()),
                blankToNull(cluster.endpoint()));
    }

    /**
     * The cluster's control-plane ENIs, sorted by IP; empty when it has none (the preflight reports that
     * itself). {@code vpcId} may be null when unknown: the subnet filter already confines the search to
     * the cluster's VPC, since a subnet is in one VPC.
     */
    public static List<ControlPlaneEni> controlPlaneEnis(Ec2Client ec2, EksCluster cluster, String vpcId) {
        return cluster.subnetIds().isEmpty() ? List.of() : find(ec2, cluster, vpcId);
    }

    /**
     * {@link #controlPlaneEnis}, at least one: discovery, the targets resource and the reconciler must not act
     * on an empty view, which would strand every target.
     *
     * @throws CustomResourceException {@link #noControlPlaneEnis} when the cluster has none
     */
    public static List<ControlPlaneEni> requireControlPlaneEnis(Ec2Client ec2, EksCluster cluster, String vpcId) {
        List<ControlPlaneEni> enis = controlPlaneEnis(ec2, cluster, vpcId);
        if (enis.isEmpty()) {
            throw new CustomResourceException(noControlPlaneEnis(cluster, vpcId));
        }
        return enis;
    }

    /** The one reason for a cluster without control-plane ENIs; {@code vpcId} may be null when unknown. */
    public static String noControlPlaneEnis(EksCluster cluster, String vpcId) {
        return "No control-plane network interfaces described '" + controlPlaneDescription(cluster.name())
                + "' were found in the subnets of EKS cluster '" + cluster.name() + "' (status " + cluster.status()
                + (vpcId == null ? "" : ", " + vpcId) + "); check that the cluster is ACTIVE and healthy and that its subnets"
                + " were not changed outside EKS.";
    }

    private static List<ControlPlaneEni> find(Ec2Client ec2, EksCluster cluster, String vpcId) {
        String description = controlPlaneDescription(cluster.name());
        List<Filter> filters = new ArrayList<>();
        filters.add(filter("description", description));
        filters.add(Filter.builder().name("subnet-id").values(cluster.subnetIds()).build());
        if (vpcId != null) {
            filters.add(filter("vpc-id", vpcId));
        }
        DescribeNetworkInterfacesRequest request = DescribeNetworkInterfacesRequest.builder().filters(filters).build();
        List<ControlPlaneEni> enis = new ArrayList<>();
        for (NetworkInterface eni : ec2.describeNetworkInterfacesPaginator(request).networkInterfaces()) {
            // EC2 filters treat * and ? as wildcards; the exact checks keep look-alikes out whatever the filter did.
            boolean exact = description.equals(eni.description())
                    && cluster.subnetIds().contains(eni.subnetId())
                    && (vpcId == null || vpcId.equals(eni.vpcId()));
            if (exact && eni.privateIpAddress() != null) {
                enis.add(new ControlPlaneEni(eni.networkInterfaceId(), eni.privateIpAddress(), eni.subnetId(),
                        eni.availabilityZone(), eni.vpcId()));
            }
        }
        enis.sort(Comparator.comparing(ControlPlaneEni::privateIp));
        return List.copyOf(enis);
    }

    /** The IPs of {@link #requireControlPlaneEnis}, sorted; never empty (throws as that method does). */
    public static List<String> controlPlaneIps(Ec2Client ec2, EksCluster cluster, String vpcId) {
        return requireControlPlaneEnis(ec2, cluster, vpcId).stream().map(ControlPlaneEni::privateIp).distinct().toList();
    }

    /**
     * The cluster security group: the one DescribeCluster reports (every cluster since late 2019),
     * else the group EKS tagged {@code aws:eks:cluster-name=<name>} in the VPC. Among several tagged
     * groups, EKS's own {@code eks-cluster-sg-<name>-*} wins, then the lowest id.
     */
    public static Optional<String> clusterSecurityGroup(Ec2Client ec2, EksCluster cluster, String vpcId) {
        if (cluster.securityGroupId() != null) {
            return Optional.of(cluster.securityGroupId());
        }
        DescribeSecurityGroupsRequest request = DescribeSecurityGroupsRequest.builder()
                .filters(filter("tag:" + CLUSTER_NAME_TAG, cluster.name()), filter("vpc-id", vpcId)).build();
        String eksPrefix = "eks-cluster-sg-" + cluster.name() + "-";
        List<SecurityGroup> groups = new ArrayList<>();
        ec2.describeSecurityGroupsPaginator(request).securityGroups().forEach(groups::add);
        return groups.stream()
                .min(Comparator.comparing((SecurityGroup group) -> !String.valueOf(group.groupName()).startsWith(eksPrefix))
                        .thenComparing(SecurityGroup::groupId))
                .map(SecurityGroup::groupId);
    }

    public static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static String region(EksClient eks) {
        var configuration = eks.serviceClientConfiguration();
        return configuration != null && configuration.region() != null ? configuration.region().id()
                : io.e6link.kit.Environment.system().optional("AWS_REGION").orElse(null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
