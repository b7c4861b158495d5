package io.e6link.eksclusterdiscovery;

import io.e6link.eksclusterdiscovery.SubnetTopology.NlbSubnets;
import io.e6link.eksclusterdiscovery.SubnetTopology.RoutedSubnet;
import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.CustomResourceType;
import io.e6link.kit.Deadline;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import io.e6link.kit.eks.ControlPlaneEni;
import io.e6link.kit.eks.EksCluster;
import io.e6link.kit.eks.EksLookups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
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
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/**
 * Runbook step 2's "get the private IPs of the NICs", plus everything else the stack reads from the
 * cluster. Read-only: Create and Update discover, Delete has nothing to undo.
 *
 * <p>An empty {@code ClusterName} means the region's only EKS cluster ({@link OnlyCluster}: one more call,
 * eks:ListClusters, first). Attributes: ClusterName (the cluster described, named or found), VpcId, VpcCidr,
 * ClusterSecurityGroupId, OidcIssuerUrl, EndpointPrivateAccess, and the comma-joined lists
 * SubnetIds (one cluster subnet per non-excluded zone, plus another subnet of the VPC in a zone that holds
 * a control-plane ENI but no eligible private cluster subnet; an existing NLB's subnets are kept),
 * AvailabilityZones and AvailabilityZoneIds (the zones of SubnetIds, same order), RouteTableIds and EniIps.
 *
 * <p>API calls, whatever the number of subnets or ENIs. Create: at most seven: DescribeCluster, then
 * filtered DescribeSubnets, DescribeVpcs, DescribeRouteTables (the whole VPC, so the main table is
 * known), DescribeNetworkInterfaces, and DescribeSecurityGroups only when the cluster does not report
 * its security group; one more DescribeSubnets (the VPC's subnets in those zones) only when a zone
 * holding a control-plane ENI got no NLB subnet. Update adds the lookup of the stack's existing NLB (the
 * template's {@code LoadBalancer}, which does not exist yet on Create): elasticloadbalancing:DescribeLoadBalancers
 * (one call per 400 load balancers in the region), elasticloadbalancing:DescribeTags only when the
 * cluster VPC has network load balancers (one call per 20 of them), and one more ec2:DescribeSubnets
 * only when that NLB holds a subnet that is no longer a cluster subnet. So an Update makes at most
 * ten calls while the region has at most 400 load balancers and the VPC at most 20 NLBs. An empty
 * ClusterName adds eks:ListClusters first (one call per 100 clusters in the region).
 */
final class EksClusterDiscoveryResource implements CustomResource<EksClusterDiscoveryProperties> {
    static final CustomResourceType<EksClusterDiscoveryProperties> TYPE = new CustomResourceType<>("Custom::EksClusterDiscovery", EksClusterDiscoveryProperties::parse);
    /** The template's NLB; CloudFormation tags what it creates with its logical id and the stack id. */
    static final String LOAD_BALANCER_LOGICAL_ID = "LoadBalancer";
    static final String STACK_ID_TAG = "aws:cloudformation:stack-id";
    static final String LOGICAL_ID_TAG = "aws:cloudformation:logical-id";
    /** DescribeLoadBalancers' largest page; DescribeTags takes at most 20 ARNs. */
    private static final int LOAD_BALANCER_PAGE_SIZE = 400;
    private static final int TAG_BATCH = 20;
    private final EksClient eks;
    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private final JsonLog log = JsonLog.stdout();

    EksClusterDiscoveryResource(EksClient eks, Ec2Client ec2, ElasticLoadBalancingV2Client elb) {
        this.eks = eks;
        this.ec2 = ec2;
        this.elb = elb;
    }

    @Override
    public Outcome create(Invocation<EksClusterDiscoveryProperties> invocation) {
        // The stack's NLB is created after this resource: nothing to keep, so no lookup.
        return discover(invocation.properties(), invocation.deadline(), null, null, invocation.request().accountId());
    }

    @Override
    public Outcome update(Invocation<EksClusterDiscoveryProperties> invocation) {
        // A new ClusterName yields a new physical id (the cluster ARN): CloudFormation then deletes the old one, a no-op.
        // An empty ClusterName keeps the cluster this resource found before (its physical id) while it exists.
        return discover(invocation.properties(), invocation.deadline(), invocation.request().stackId(), invocation.physicalResourceId(),
                invocation.request().accountId());
    }

    @Override
    public Outcome delete(Invocation<EksClusterDiscoveryProperties> invocation) {
        return invocation.sameId().build();
    }

    /**
     * @param stackId the stack whose existing NLB keeps its subnets; null on Create
     * @param previousId the physical id before this Update (the cluster ARN); null on Create
     * @param account the stack's account: a VPC owned by another one is shared with it (AWS RAM)
     */
    private Outcome discover(EksClusterDiscoveryProperties wanted, Deadline deadline, String stackId, String previousId, String account) {
        if (wanted.findsTheOnlyCluster()) {
            deadline.step("listing the EKS clusters of the region (ClusterName is empty)");
        }
        String name = wanted.findsTheOnlyCluster() ? OnlyCluster.find(eks, previousId) : wanted.clusterName();
        deadline.step("describing EKS cluster " + name);
        EksCluster cluster = EksLookups.describeCluster(eks, name);
        if (!cluster.isActive()) {
            throw new CustomResourceException("EKS cluster '" + name + "' is " + cluster.status()
                    + ", not ACTIVE; wait until it is ACTIVE, then retry the stack operation.");
        }
        deadline.step("reading the subnets of EKS cluster " + name);
        List<Subnet> subnets = describeSubnets(cluster);
        String vpcId = SubnetTopology.vpcOf(cluster, subnets);
        Vpc vpc = vpc(vpcId);
        String vpcCidr = vpc.cidrBlock();
        String vpcOwner = vpc.ownerId() == null ? account : vpc.ownerId();
        deadline.step("reading the route tables of " + vpcId);
        List<RouteTable> tables = routeTables(vpcId);
        // In a VPC shared by another account the route tables are the owner's, and a participant cannot
        // see them (VPC User Guide, "Share your VPC subnets with other accounts"): public and private
        // subnets cannot be told apart, so the internal NLB takes the cluster's subnets as they are.
        boolean routesHidden = tables.isEmpty() && account != null && !vpcOwner.equals(account);
        List<RoutedSubnet> routed = routesHidden ? SubnetTopology.unrouted(subnets) : SubnetTopology.route(subnets, tables);
        if (routesHidden) {
            log.warn("The route tables of " + vpcId + " belong to account " + vpcOwner + ", which shares the VPC with this account, and cannot be read"
                    + " here: the NLB uses the cluster's subnets as they are and no route table is passed to the S3 step",
                    Map.of("vpcId", vpcId, "vpcOwnerId", vpcOwner));
        }
        Optional<LoadBalancer> existing = Optional.empty();
        if (stackId != null) {
            deadline.step("finding the stack's Network Load Balancer in " + vpcId);
            existing = stackLoadBalancer(stackId, vpcId);
        }
        NlbSubnets nlb = existing.isPresent()
                ? SubnetTopology.keepNlbSubnets(loadBalancerSubnets(existing.get(), subnets, vpcId), routed, wanted.excludedZones())
                : SubnetTopology.chooseNlbSubnets(routed, wanted.excludedZones());
        deadline.step("finding the control-plane network interfaces of EKS cluster " + name);
        List<ControlPlaneEni> enis = EksLookups.requireControlPlaneEnis(ec2, cluster, vpcId);
        SortedSet<String> uncovered = SubnetTopology.uncoveredEniZones(nlb, enis.stream().map(ControlPlaneEni::availabilityZone).toList());
        if (!uncovered.isEmpty()) {
            deadline.step("finding subnets of " + vpcId + " in " + String.join(", ", uncovered) + ", which hold control-plane ENIs");
            List<Subnet> more = vpcSubnets(vpcId, uncovered);
            nlb = SubnetTopology.coverEniZones(nlb, uncovered, routesHidden ? SubnetTopology.unrouted(more) : SubnetTopology.route(more, tables),
                    wanted.excludedZones());
        }
        if (nlb.subnets().isEmpty()) {
            throw new CustomResourceException(SubnetTopology.noSubnetLeft(name, nlb, wanted.excludedZones()));
        }
        List<String> eniIps = enis.stream().map(ControlPlaneEni::privateIp).distinct().toList();
        deadline.step("finding the cluster security group of EKS cluster " + name);
        String securityGroup = EksLookups.clusterSecurityGroup(ec2, cluster, vpcId).orElseThrow(() -> new CustomResourceException(
                "EKS cluster '" + name + "' reports no cluster security group and no security group in " + vpcId + " is tagged "
                        + EksLookups.CLUSTER_NAME_TAG + "=" + name + "; tag the group the control plane uses, then retry."));

        List<String> subnetIds = nlb.subnets().stream().map(Subnet::subnetId).toList();
        List<String> zones = nlb.subnets().stream().map(Subnet::availabilityZone).toList();
        List<String> zoneIds = nlb.subnets().stream().map(subnet -> subnet.availabilityZoneId() == null ? "" : subnet.availabilityZoneId()).toList();
        List<String> routeTables = SubnetTopology.privateRouteTables(routed);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("cluster", name);
        line.put("clusterFound", wanted.findsTheOnlyCluster());
        line.put("vpcId", vpcId);
        line.put("nlbSubnets", subnetIds);
        line.put("existingLoadBalancer", existing.map(LoadBalancer::loadBalancerArn).orElse(null));
        line.put("keptSubnets", nlb.keptSubnetIds());
        line.put("addedZones", nlb.addedZones());
        line.put("eniZonesFilled", nlb.eniZonesFilled());
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
                .with("ClusterName", name)
                .with("VpcId", vpcId)
                .with("VpcCidr", vpcCidr)
                .with("VpcOwnerId", vpcOwner)
                .with("ClusterSecurityGroupId", securityGroup)
                .with("OidcIssuerUrl", cluster.oidcIssuer())
                .withList("SubnetIds", subnetIds)
                .withList("AvailabilityZones", zones)
                .withList("AvailabilityZoneIds", zoneIds)
                .withList("RouteTableIds", routeTables)
                .withList("EniIps", eniIps)
                .with("EndpointPrivateAccess", cluster.endpointPrivateAccess())
                // The name e6data resolves to its interface endpoint: the API server's certificate carries it (not vpce-… names).
                .with("ApiServerEndpointHostname", cluster.endpointHostname())
                .build();
    }

    /** A subnet-id filter (not SubnetIds): one deleted subnet must not fail the whole lookup. */
    private List<Subnet> describeSubnets(EksCluster cluster) {
        SubnetTopology.requireSubnetIds(cluster);
        DescribeSubnetsRequest request = DescribeSubnetsRequest.builder()
                .filters(Filter.builder().name("subnet-id").values(cluster.subnetIds()).build()).build();
        List<Subnet> described = new ArrayList<>();
        ec2.describeSubnetsPaginator(request).subnets().forEach(described::add);
        List<Subnet> subnets = SubnetTopology.existingClusterSubnets(cluster, described);
        Set<String> missing = SubnetTopology.missingSubnets(cluster, subnets);
        if (!missing.isEmpty()) {
            log.warn("Some cluster subnets no longer exist; ignoring them", Map.of("cluster", cluster.name(), "missingSubnets", missing));
        }
        return subnets;
    }

    /**
     * The stack's {@code LoadBalancer}, if it exists: DescribeLoadBalancers has no filters, so network
     * load balancers in the cluster VPC are picked here, then DescribeTags (20 ARNs a call) finds the
     * one CloudFormation tagged with this stack's id and the logical id.
     */
    private Optional<LoadBalancer> stackLoadBalancer(String stackId, String vpcId) {
        List<LoadBalancer> candidates = new ArrayList<>();
        elb.describeLoadBalancersPaginator(request -> request.pageSize(LOAD_BALANCER_PAGE_SIZE)).loadBalancers().forEach(balancer -> {
            if (balancer.type() == LoadBalancerTypeEnum.NETWORK && vpcId.equals(balancer.vpcId())) {
                candidates.add(balancer);
            }
        });
        Map<String, LoadBalancer> byArn = new LinkedHashMap<>();
        candidates.forEach(balancer -> byArn.put(balancer.loadBalancerArn(), balancer));
        List<String> arns = List.copyOf(byArn.keySet());
        for (int from = 0; from < arns.size(); from += TAG_BATCH) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + TAG_BATCH));
            List<TagDescription> described = elb.describeTags(request -> request.resourceArns(batch)).tagDescriptions();
            for (TagDescription tags : described) {
                boolean sameStack = tags.tags().stream().anyMatch(tag -> STACK_ID_TAG.equals(tag.key()) && stackId.equals(tag.value()));
                boolean sameResource = tags.tags().stream()
                        .anyMatch(tag -> LOGICAL_ID_TAG.equals(tag.key()) && LOAD_BALANCER_LOGICAL_ID.equals(tag.value()));
                if (sameStack && sameResource && byArn.containsKey(tags.resourceArn())) {
                    return Optional.of(byArn.get(tags.resourceArn()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The existing NLB's subnets as EC2 describes them (zone id included, for exclusions by id and the
     * AvailabilityZoneIds attribute): from the cluster subnets already read, else one DescribeSubnets
     * for those that are no longer cluster subnets.
     */
    private List<Subnet> loadBalancerSubnets(LoadBalancer balancer, List<Subnet> clusterSubnets, String vpcId) {
        Map<String, Subnet> known = new LinkedHashMap<>();
        clusterSubnets.forEach(subnet -> known.put(subnet.subnetId(), subnet));
        List<String> missing = balancer.availabilityZones().stream().map(AvailabilityZone::subnetId)
                .filter(id -> id != null && !known.containsKey(id)).distinct().toList();
        if (!missing.isEmpty()) {
            DescribeSubnetsRequest request = DescribeSubnetsRequest.builder()
                    .filters(Filter.builder().name("subnet-id").values(missing).build(), EksLookups.filter("vpc-id", vpcId)).build();
            ec2.describeSubnetsPaginator(request).subnets().forEach(subnet -> known.put(subnet.subnetId(), subnet));
        }
        Map<String, String> zoneIds = new LinkedHashMap<>();
        known.values().forEach(subnet -> {
            if (subnet.availabilityZoneId() != null) {
                zoneIds.putIfAbsent(subnet.availabilityZone(), subnet.availabilityZoneId());
            }
        });
        List<Subnet> subnets = new ArrayList<>();
        for (AvailabilityZone zone : balancer.availabilityZones()) {
            if (zone.subnetId() == null) {
                continue;
            }
            // EC2 should know every subnet an NLB uses; ELB's own zone name stands in if it does not.
            subnets.add(known.getOrDefault(zone.subnetId(), Subnet.builder().subnetId(zone.subnetId())
                    .availabilityZone(zone.zoneName()).availabilityZoneId(zoneIds.get(zone.zoneName())).build()));
        }
        return subnets;
    }


    /** The VPC's subnets in the given zones: one filtered DescribeSubnets, made only when a control-plane ENI zone lacks an NLB subnet. */
    private List<Subnet> vpcSubnets(String vpcId, SortedSet<String> zones) {
        DescribeSubnetsRequest request = DescribeSubnetsRequest.builder().filters(EksLookups.filter("vpc-id", vpcId),
                Filter.builder().name("availability-zone").values(zones).build()).build();
        List<Subnet> subnets = new ArrayList<>();
        ec2.describeSubnetsPaginator(request).subnets().forEach(subnets::add);
        return subnets;
    }

    private Vpc vpc(String vpcId) {
        List<Vpc> vpcs = ec2.describeVpcs(DescribeVpcsRequest.builder().vpcIds(vpcId).build()).vpcs();
        if (vpcs.isEmpty()) {
            throw new CustomResourceException("The VPC " + vpcId + " of the EKS cluster was not found.");
        }
        return vpcs.get(0);
    }

    private List<RouteTable> routeTables(String vpcId) {
        DescribeRouteTablesRequest request = DescribeRouteTablesRequest.builder()
                .filters(EksLookups.filter("vpc-id", vpcId)).build();
        List<RouteTable> tables = new ArrayList<>();
        ec2.describeRouteTablesPaginator(request).routeTables().forEach(tables::add);
        return tables;
    }

}
