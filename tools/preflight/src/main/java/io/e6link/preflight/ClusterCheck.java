package io.e6link.preflight;

import io.e6link.eksclusterdiscovery.SubnetTopology;
import io.e6link.eksclusterdiscovery.SubnetTopology.NlbSubnets;
import io.e6link.eksclusterdiscovery.SubnetTopology.RoutedSubnet;
import io.e6link.eksclusterdiscovery.ZoneExclusions;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.InvalidPropertyException;
import io.e6link.kit.ResourceProperties;
import io.e6link.kit.eks.ControlPlaneEni;
import io.e6link.kit.eks.EksCluster;
import io.e6link.kit.eks.ClusterName;
import io.e6link.kit.eks.EksLookups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.eks.EksClient;

/**
 * What {@code Custom::EksClusterDiscovery} will find, read the way it reads (the kit's
 * {@link EksLookups}) and decided by its own rules ({@link SubnetTopology}, {@link ZoneExclusions}):
 * the cluster and its status, the VPC, every cluster subnet by zone with the one the NLB takes, the
 * control-plane ENIs and the cluster security group. Where discovery would fail, the finding is a
 * blocker with discovery's reason; unlike discovery it goes on, so one run shows every blocker.
 */
record ClusterCheck(EksClient eks, Ec2Client ec2, String region, String account) {
    static final String CLUSTER_NAME = "ClusterName";
    static final String EXCLUDED_ZONES = ZoneExclusions.PROPERTY;

    Optional<ClusterFacts> run(Options options, Section clusterSection, Section network) {
        String name = options.cluster();
        if (!ClusterName.isValid(name)) {
            clusterSection.blocker(new InvalidPropertyException(CLUSTER_NAME, name, ClusterName.RULE).getMessage(), CLUSTER_NAME);
            network.unchecked("Not checked: the subnets come from the EKS cluster.");
            return Optional.empty();
        }
        ZoneExclusions exclusions = null;
        try {
            exclusions = ZoneExclusions.parse(ResourceProperties.of(Map.of(EXCLUDED_ZONES, options.excludedZones())));
        } catch (InvalidPropertyException invalid) {
            network.blocker(invalid.getMessage(), EXCLUDED_ZONES);
        }

        EksCluster cluster;
        try {
            cluster = EksLookups.describeCluster(eks, name);
        } catch (CustomResourceException notFound) {
            clusterSection.blocker(withOtherClusters(notFound.getMessage(), name), CLUSTER_NAME);
            network.unchecked("Not checked: the subnets come from the EKS cluster.");
            return Optional.empty();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            clusterSection.unchecked("Could not read EKS cluster '" + name + "': " + new Unreadable("eks:DescribeCluster", e).reason() + ".");
            network.unchecked("Not checked: the subnets come from the EKS cluster.");
            return Optional.empty();
        }
        if (cluster.isActive()) {
            clusterSection.ok("EKS cluster '" + name + "' is ACTIVE in " + region + ".");
        } else {
            clusterSection.blocker("EKS cluster '" + name + "' is " + cluster.status() + ", not ACTIVE; wait until it is ACTIVE, then deploy the stack.", CLUSTER_NAME);
        }
        if (cluster.endpointPrivateAccess()) {
            clusterSection.ok("Private endpoint access is on, so the control-plane ENIs serve the Kubernetes API the NLB forwards to.");
        } else {
            clusterSection.warning("Private endpoint access is off (or not reported): the stack deploys, but the NLB targets do not serve the "
                    + "Kubernetes API until you run aws eks update-cluster-config --name " + name
                    + " --resources-vpc-config endpointPrivateAccess=true.");
        }

        try {
            return network(cluster, exclusions, clusterSection, network);
        } catch (Unreadable unreadable) {
            network.unchecked("Could not read the cluster's network: " + unreadable.reason() + ".");
            return Optional.empty();
        } catch (CustomResourceException blocker) {
            clusterSection.blocker(blocker.getMessage(), CLUSTER_NAME);
            network.unchecked("Not checked: the cluster's subnets could not be read.");
            return Optional.empty();
        }
    }

    private Optional<ClusterFacts> network(EksCluster cluster, ZoneExclusions exclusions, Section clusterSection, Section network) {
        String name = cluster.name();
        List<Subnet> subnets = subnets(cluster, clusterSection);
        String vpcId = SubnetTopology.vpcOf(cluster, subnets);
        List<Vpc> vpcs = Unreadable.read("ec2:DescribeVpcs", () -> ec2.describeVpcs(b -> b.vpcIds(vpcId)).vpcs());
        String cidr = vpcs.isEmpty() ? "CIDR unknown" : vpcs.get(0).cidrBlock();
        List<RouteTable> tables = new ArrayList<>();
        Unreadable.read("ec2:DescribeRouteTables", () -> {
            ec2.describeRouteTablesPaginator(b -> b.filters(EksLookups.filter("vpc-id", vpcId))).routeTables().forEach(tables::add);
            return null;
        });
        // A VPC another account shares with this one (AWS RAM): its route tables are the owner's and cannot be read
        // here, so, as discovery does, the cluster's subnets are taken as they are (docs/governance.md, "Shared VPC").
        String owner = vpcs.isEmpty() || vpcs.get(0).ownerId() == null ? account : vpcs.get(0).ownerId();
        String sharedBy = owner != null && !owner.equals(account) ? owner : null;
        boolean routesHidden = sharedBy != null && tables.isEmpty();
        List<RoutedSubnet> routed = routesHidden ? SubnetTopology.unrouted(subnets) : SubnetTopology.route(subnets, tables);
        if (routesHidden) {
            network.warning("The route tables of " + vpcId + " belong to account " + sharedBy + ", which shares the VPC with this account, and cannot be"
                    + " read here: the NLB takes the cluster's subnets as they are, public or private.");
        }
        Set<String> zones = subnets.stream().map(Subnet::availabilityZone).collect(Collectors.toCollection(TreeSet::new));
        clusterSection.ok("The cluster's VPC is " + vpcId + " (" + cidr + ") with " + subnets.size() + " cluster subnet"
                + (subnets.size() == 1 ? "" : "s") + " in " + zones.size() + " zone" + (zones.size() == 1 ? "" : "s") + ".");

        List<ControlPlaneEni> enis;
        String enisUnreadable = null;
        try {
            enis = Unreadable.read("ec2:DescribeNetworkInterfaces", () -> EksLookups.controlPlaneEnis(ec2, cluster, vpcId));
        } catch (Unreadable unreadable) {
            enis = List.of();
            enisUnreadable = unreadable.reason();
        }

        List<Subnet> nlbSubnets = List.of();
        if (exclusions != null) {
            NlbSubnets nlb = eniZonesCovered(vpcId, tables, enis, SubnetTopology.chooseNlbSubnets(routed, exclusions), exclusions);
            zoneFindings(routed, nlb, network);
            exclusionFindings(exclusions, subnets, network);
            nlbSubnets = nlb.subnets();
            if (nlbSubnets.isEmpty()) {
                network.blocker(SubnetTopology.noSubnetLeft(name, nlb, exclusions), EXCLUDED_ZONES);
            } else {
                String chosen = nlbSubnets.stream().map(s -> s.subnetId() + " in " + SubnetTopology.label(s)).collect(Collectors.joining(", "));
                String ids = nlbSubnets.stream().map(s -> s.availabilityZoneId() == null ? s.availabilityZone() : s.availabilityZoneId())
                        .collect(Collectors.joining(", "));
                if (nlbSubnets.size() == 1) {
                    network.warning("The NLB would sit in one zone only, " + chosen + ", so e6data's endpoint must be able to use AZ ID " + ids
                            + "; a private cluster subnet in a second zone would give it a choice.", EXCLUDED_ZONES);
                } else {
                    network.ok("The NLB would use " + chosen + ": give e6data the AZ IDs " + ids + " (the stack's AvailabilityZoneIds output).");
                }
            }
        }

        controlPlaneEnis(cluster, vpcId, enis, enisUnreadable, clusterSection);
        // In the ENIs' order: the findings name the subnets as the ENI finding above does.
        List<Subnet> eniSubnets = enis.stream().map(ControlPlaneEni::subnetId).distinct()
                .flatMap(id -> subnets.stream().filter(subnet -> subnet.subnetId().equals(id))).toList();
        if (eniSubnets.isEmpty()) {
            eniSubnets = subnets;
        }

        Optional<String> group;
        try {
            group = Unreadable.read("ec2:DescribeSecurityGroups", () -> EksLookups.clusterSecurityGroup(ec2, cluster, vpcId));
        } catch (Unreadable unreadable) {
            clusterSection.unchecked("Could not look for the cluster security group: " + unreadable.reason() + ".");
            return Optional.of(new ClusterFacts(cluster, vpcId, null, SubnetTopology.privateRouteTables(routed), nlbSubnets, eniSubnets, sharedBy));
        }
        if (group.isEmpty()) {
            clusterSection.blocker("EKS cluster '" + name + "' reports no cluster security group and no security group in " + vpcId + " is tagged "
                    + EksLookups.CLUSTER_NAME_TAG + "=" + name + "; tag the group the control plane uses, then deploy.", CLUSTER_NAME);
        } else {
            clusterSection.ok("Cluster security group " + group.get() + " (" + (cluster.securityGroupId() != null ? "reported by EKS"
                    : "tagged " + EksLookups.CLUSTER_NAME_TAG + "=" + name) + ") goes on the NLB and receives the 443 rules.");
        }
        return Optional.of(new ClusterFacts(cluster, vpcId, group.orElse(null), SubnetTopology.privateRouteTables(routed), nlbSubnets, eniSubnets, sharedBy));
    }

    /**
     * Discovery's rule for zones that hold a control-plane ENI but got no NLB subnet
     * ({@link SubnetTopology#coverEniZones}): another subnet of the VPC there. Unreadable subnets leave
     * {@code nlb} as it is; {@link #controlPlaneEnis} reports the ENI lookup.
     */
    private NlbSubnets eniZonesCovered(String vpcId, List<RouteTable> tables, List<ControlPlaneEni> enis, NlbSubnets nlb, ZoneExclusions exclusions) {
        try {
            SortedSet<String> uncovered = SubnetTopology.uncoveredEniZones(nlb, enis.stream().map(ControlPlaneEni::availabilityZone).toList());
            if (uncovered.isEmpty()) {
                return nlb;
            }
            List<Subnet> inZones = new ArrayList<>();
            Unreadable.read("ec2:DescribeSubnets", () -> {
                ec2.describeSubnetsPaginator(b -> b.filters(EksLookups.filter("vpc-id", vpcId),
                        Filter.builder().name("availability-zone").values(uncovered).build())).subnets().forEach(inZones::add);
                return null;
            });
            return SubnetTopology.coverEniZones(nlb, uncovered, SubnetTopology.route(inZones, tables), exclusions);
        } catch (Unreadable unreadable) {
            return nlb;
        }
    }

    /** Discovery's ENI rule (the kit's lookup): none found fails the stack. */
    private void controlPlaneEnis(EksCluster cluster, String vpcId, List<ControlPlaneEni> enis, String unreadable, Section clusterSection) {
        String name = cluster.name();
        if (unreadable != null) {
            clusterSection.unchecked("Could not look for the control-plane ENIs: " + unreadable + ".");
            return;
        }
        if (enis.isEmpty()) {
            clusterSection.blocker(EksLookups.noControlPlaneEnis(cluster, vpcId), CLUSTER_NAME);
            return;
        }
        String list = enis.stream().map(eni -> eni.privateIp() + " in " + eni.subnetId() + " (" + eni.availabilityZone() + ")")
                .collect(Collectors.joining(", "));
        clusterSection.ok(enis.size() + " control-plane ENI" + (enis.size() == 1 ? "" : "s") + " described '"
                + EksLookups.controlPlaneDescription(name) + "' (" + list + "): the target group registers their IPs.");
    }

    /** Discovery's lookup: a subnet-id filter (one deleted subnet must not fail it), the cluster's VPC only. */
    private List<Subnet> subnets(EksCluster cluster, Section clusterSection) {
        SubnetTopology.requireSubnetIds(cluster);
        List<Subnet> described = new ArrayList<>();
        Unreadable.read("ec2:DescribeSubnets", () -> {
            ec2.describeSubnetsPaginator(b -> b.filters(Filter.builder().name("subnet-id").values(cluster.subnetIds()).build()))
                    .subnets().forEach(described::add);
            return null;
        });
        List<Subnet> subnets = SubnetTopology.existingClusterSubnets(cluster, described);
        Set<String> missing = SubnetTopology.missingSubnets(cluster, subnets);
        if (!missing.isEmpty()) {
            clusterSection.warning("Cluster subnet" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " no longer exists" : " no longer exist") + "; discovery ignores " + (missing.size() == 1 ? "it." : "them."));
        }
        subnets.sort(Comparator.comparing(Subnet::subnetId));
        return subnets;
    }


    /** One sentence per zone: its private and public cluster subnets and what the NLB rule made of them. */
    private static void zoneFindings(List<RoutedSubnet> routed, NlbSubnets nlb, Section network) {
        Map<String, List<RoutedSubnet>> byZone = new TreeMap<>();
        routed.forEach(subnet -> byZone.computeIfAbsent(subnet.subnet().availabilityZone(), zone -> new ArrayList<>()).add(subnet));
        for (List<RoutedSubnet> inZone : byZone.values()) {
            String label = SubnetTopology.label(inZone.get(0).subnet());
            List<String> privates = inZone.stream().filter(RoutedSubnet::isPrivate).map(ClusterCheck::describe).toList();
            List<String> publics = inZone.stream().filter(subnet -> !subnet.isPrivate()).map(subnet -> subnet.subnet().subnetId()).toList();
            StringBuilder text = new StringBuilder(label).append(": ");
            if (!privates.isEmpty()) {
                text.append("private ").append(String.join(", ", privates));
            }
            if (!publics.isEmpty()) {
                text.append(privates.isEmpty() ? "" : "; ").append("public ").append(String.join(", ", publics)).append(" (route to an internet gateway)");
            }
            Optional<Subnet> chosen = nlb.subnets().stream().filter(s -> s.availabilityZone().equals(inZone.get(0).subnet().availabilityZone())).findFirst();
            if (chosen.isPresent() && nlb.eniZonesFilled().contains(label)) {
                network.ok(text.append("; the NLB takes ").append(chosen.get().subnetId())
                        .append(", another subnet of the VPC, since a control-plane ENI sits in this zone.").toString());
            } else if (chosen.isPresent()) {
                network.ok(text.append("; the NLB takes ").append(chosen.get().subnetId()).append(privates.size() > 1
                        ? " (the lowest subnet id with at least " + SubnetTopology.NLB_MIN_FREE_ADDRESSES + " free addresses)." : ".").toString());
            } else if (nlb.excludedZones().contains(label)) {
                network.ok(text.append("; excluded by ").append(EXCLUDED_ZONES).append(", so no NLB subnet here.").toString());
            } else if (nlb.fullZones().contains(label)) {
                network.add(Finding.warning(text.append("; no private subnet has the ").append(SubnetTopology.NLB_MIN_FREE_ADDRESSES)
                        .append(" free addresses an NLB needs, so no NLB subnet here.").toString(), CLUSTER_NAME));
            } else {
                network.ok(text.append("; only public subnets, so no NLB subnet here.").toString());
            }
        }
    }

    private static String describe(RoutedSubnet subnet) {
        Integer free = subnet.subnet().availableIpAddressCount();
        return subnet.subnet().subnetId() + " (" + (free == null ? "" : free + " free, ") + subnet.routeTableId() + ")";
    }

    /** What each ExcludedAvailabilityZones entry is in this account: zone names map to different physical zones per account. */
    private void exclusionFindings(ZoneExclusions exclusions, List<Subnet> subnets, Section network) {
        if (exclusions.entries().isEmpty()) {
            network.ok(EXCLUDED_ZONES + " is empty, so every zone with a private cluster subnet gets an NLB subnet.");
            return;
        }
        List<AvailabilityZone> zones;
        try {
            zones = Unreadable.read("ec2:DescribeAvailabilityZones", () -> ec2.describeAvailabilityZones(b -> b.allAvailabilityZones(true)).availabilityZones());
        } catch (Unreadable unreadable) {
            network.unchecked("Could not map " + EXCLUDED_ZONES + " to AZ IDs: " + unreadable.reason() + ".");
            return;
        }
        boolean byNames = false;
        for (String entry : exclusions.entries()) {
            Optional<AvailabilityZone> zone = zones.stream()
                    .filter(z -> entry.equals(lower(z.zoneName())) || entry.equals(lower(z.zoneId()))).findFirst();
            if (zone.isEmpty()) {
                boolean templateDefault = Options.DEFAULT_EXCLUDED_ZONES.contains(entry);
                network.add(new Finding(templateDefault ? Finding.Status.OK : Finding.Status.WARNING, EXCLUDED_ZONES + " entry " + entry
                        + " names no Availability Zone of " + region + ", so it changes nothing" + (templateDefault ? " (the template's default)." : "; check it."),
                        templateDefault ? null : EXCLUDED_ZONES));
                continue;
            }
            String zoneName = zone.get().zoneName();
            long inZone = subnets.stream().filter(s -> zoneName.equals(s.availabilityZone())).count();
            boolean byName = entry.equals(lower(zoneName));
            byNames |= byName;
            network.ok(EXCLUDED_ZONES + " entry " + entry + " is " + (byName ? "AZ ID " + zone.get().zoneId() : "zone " + zoneName)
                    + " in this account" + (inZone == 0 ? ", where the cluster has no subnet." : ", where the cluster has " + inZone + " subnet"
                    + (inZone == 1 ? "." : "s.")));
        }
        if (byNames) {
            network.ok("Zone names map to different physical zones in each account and e6data names the zones it cannot serve by AZ ID, "
                    + "so ask e6data for AZ IDs and prefer them in " + EXCLUDED_ZONES + ".");
        }
    }


    /** The not-found reason with the region's clusters, closest names first, when eks:ListClusters may be called. */
    private String withOtherClusters(String reason, String name) {
        List<String> names = new ArrayList<>();
        try {
            Unreadable.read("eks:ListClusters", () -> {
                eks.listClustersPaginator(b -> b.maxResults(100)).clusters().forEach(names::add);
                return null;
            });
        } catch (Unreadable unreadable) {
            return reason;
        }
        String others;
        if (names.isEmpty()) {
            others = "there is no EKS cluster in " + region;
        } else {
            names.sort(Comparator.comparingInt((String other) -> distance(other.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)))
                    .thenComparing(other -> other));
            List<String> shown = names.subList(0, Math.min(5, names.size()));
            others = "clusters in " + region + ": " + String.join(", ", shown) + (names.size() > shown.size() ? ", …" : "");
        }
        return reason.endsWith(".") ? reason.substring(0, reason.length() - 1) + " (" + others + ")." : reason + " (" + others + ")";
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
