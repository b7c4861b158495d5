package io.e6link.eksclusterdiscovery;

import io.e6link.kit.CustomResourceException;
import io.e6link.kit.eks.EksCluster;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Side-effect-free rules over what EC2 and ELB returned: which cluster subnets are private, which
 * route table serves each, and which subnet the NLB takes in each availability zone (on Create, and
 * on Update when the stack's NLB already exists).
 */
public final class SubnetTopology {
    /** An NLB needs at least 8 free IPv4 addresses in each of its subnets. */
    public static final int NLB_MIN_FREE_ADDRESSES = 8;

    private SubnetTopology() {
    }

    /** A cluster subnet with the route table that actually serves it. */
    public record RoutedSubnet(Subnet subnet, String routeTableId, boolean isPrivate) {
        String zone() {
            return subnet.availabilityZone();
        }
    }

    /**
     * The NLB subnets and what the choice saw, for the log line and the failure reason.
     *
     * @param subnets       one per zone, ordered by zone name
     * @param keptSubnetIds the existing NLB's subnets, all of them in {@code subnets}; empty on Create
     * @param addedZones    zones (labels) whose subnet was chosen by the Create rule: every zone on
     *                      Create, only the zones the existing NLB does not cover yet on Update
     * @param eniZonesFilled zones (labels) among {@code addedZones} whose subnet {@link #coverEniZones}
     *                      took from the rest of the VPC: they hold a control-plane ENI but no eligible
     *                      private cluster subnet
     */
    public record NlbSubnets(List<Subnet> subnets, List<String> keptSubnetIds, SortedSet<String> addedZones, SortedSet<String> zonesSeen,
                      SortedSet<String> publicOnlyZones, SortedSet<String> excludedZones, SortedSet<String> fullZones,
                      SortedSet<String> eniZonesFilled) {
    }

    /**
     * Each subnet's route table is its explicit association, else the VPC's main table. A subnet is
     * private when that table has no route to an internet gateway ({@code igw-}; an egress-only
     * {@code eigw-} is IPv6 outbound only and keeps the subnet private).
     */
    public static List<RoutedSubnet> route(List<Subnet> subnets, List<RouteTable> vpcRouteTables) {
        Map<String, RouteTable> explicit = new LinkedHashMap<>();
        RouteTable main = null;
        for (RouteTable table : vpcRouteTables) {
            for (RouteTableAssociation association : table.associations()) {
                if (Boolean.TRUE.equals(association.main())) {
                    main = table;
                } else if (association.subnetId() != null) {
                    explicit.put(association.subnetId(), table);
                }
            }
        }
        List<RoutedSubnet> routed = new ArrayList<>();
        for (Subnet subnet : subnets) {
            RouteTable table = explicit.getOrDefault(subnet.subnetId(), main);
            // No table at all cannot happen in a real VPC; treating it as public keeps the NLB off it.
            boolean isPrivate = table != null && table.routes().stream()
                    .noneMatch(route -> route.gatewayId() != null && route.gatewayId().startsWith("igw-"));
            routed.add(new RoutedSubnet(subnet, table == null ? null : table.routeTableId(), isPrivate));
        }
        return routed;
    }

    /**
     * The subnets when their route tables cannot be read (a VPC shared by another account): each is
     * taken as private, with no route table.
     */
    public static List<RoutedSubnet> unrouted(List<Subnet> subnets) {
        return subnets.stream().map(subnet -> new RoutedSubnet(subnet, null, true)).toList();
    }

    /** Route tables of the private subnets, main table included where it serves implicitly; sorted. */
    public static List<String> privateRouteTables(List<RoutedSubnet> routed) {
        return routed.stream().filter(RoutedSubnet::isPrivate).map(RoutedSubnet::routeTableId).filter(java.util.Objects::nonNull)
                .distinct().sorted().toList();
    }

    /**
     * One private subnet per non-excluded zone. The rule: among the zone's private cluster subnets
     * with at least {@value #NLB_MIN_FREE_ADDRESSES} free addresses, the lowest subnet id. It does
     * not prefer the emptiest subnet on purpose: free-address counts drift, and an NLB cannot move to
     * another subnet of a zone it already uses, so a re-run must return the same subnet.
     */
    public static NlbSubnets chooseNlbSubnets(List<RoutedSubnet> routed, ZoneExclusions exclusions) {
        SortedSet<String> seen = new TreeSet<>();
        SortedSet<String> privateZones = new TreeSet<>();
        SortedSet<String> excluded = new TreeSet<>();
        Map<String, List<Subnet>> candidates = new TreeMap<>();
        for (RoutedSubnet subnet : routed) {
            String zone = label(subnet.subnet());
            seen.add(zone);
            if (!subnet.isPrivate()) {
                continue;
            }
            privateZones.add(zone);
            if (exclusions.excludes(subnet.subnet())) {
                excluded.add(zone);
                continue;
            }
            candidates.computeIfAbsent(subnet.zone(), key -> new ArrayList<>()).add(subnet.subnet());
        }
        SortedSet<String> full = new TreeSet<>();
        List<Subnet> chosen = new ArrayList<>();
        SortedSet<String> added = new TreeSet<>();
        candidates.forEach((zone, subnets) -> {
            Optional<Subnet> pick = subnets.stream()
                    .filter(subnet -> subnet.availableIpAddressCount() == null || subnet.availableIpAddressCount() >= NLB_MIN_FREE_ADDRESSES)
                    .min(Comparator.comparing(Subnet::subnetId));
            pick.ifPresentOrElse(subnet -> {
                chosen.add(subnet);
                added.add(label(subnet));
            }, () -> full.add(label(subnets.get(0))));
        });
        SortedSet<String> publicOnly = new TreeSet<>(seen);
        publicOnly.removeAll(privateZones);
        return new NlbSubnets(List.copyOf(chosen), List.of(), added, seen, publicOnly, excluded, full, new TreeSet<>());
    }

    /**
     * The NLB subnets when the stack's NLB already exists. ELB changes a subnet within a zone only by
     * removing it and adding another (never in one SetSubnets call) and refuses to remove a subnet
     * while the NLB has endpoint associations, so every subnet the NLB has is kept, in its zone,
     * whatever its free addresses or a lower subnet id in that zone now say. Only zones the NLB does
     * not cover yet are added, each with the Create rule of {@link #chooseNlbSubnets}: a private
     * cluster subnet, not excluded, with at least {@value #NLB_MIN_FREE_ADDRESSES} free addresses.
     *
     * @param nlbSubnets the existing NLB's subnets as EC2 describes them (zone name and zone id)
     * @throws CustomResourceException when ExcludedAvailabilityZones excludes a zone the NLB uses
     */
    static NlbSubnets keepNlbSubnets(List<Subnet> nlbSubnets, List<RoutedSubnet> routed, ZoneExclusions exclusions) {
        List<Subnet> excludedInUse = nlbSubnets.stream().filter(exclusions::excludes)
                .sorted(Comparator.comparing(Subnet::availabilityZone)).toList();
        if (!excludedInUse.isEmpty()) {
            throw new CustomResourceException(excludedZoneInUse(excludedInUse, exclusions));
        }
        NlbSubnets fresh = chooseNlbSubnets(routed, exclusions);
        Map<String, Subnet> byZone = new TreeMap<>();
        nlbSubnets.forEach(subnet -> byZone.put(subnet.availabilityZone(), subnet));
        SortedSet<String> keptZones = new TreeSet<>();
        nlbSubnets.forEach(subnet -> keptZones.add(label(subnet)));
        SortedSet<String> added = new TreeSet<>();
        for (Subnet candidate : fresh.subnets()) {
            if (byZone.putIfAbsent(candidate.availabilityZone(), candidate) == null) {
                added.add(label(candidate));
            }
        }
        SortedSet<String> full = new TreeSet<>(fresh.fullZones());
        full.removeAll(keptZones);
        List<String> kept = nlbSubnets.stream().sorted(Comparator.comparing(Subnet::availabilityZone)).map(Subnet::subnetId).toList();
        return new NlbSubnets(List.copyOf(byZone.values()), kept, added, fresh.zonesSeen(), fresh.publicOnlyZones(),
                fresh.excludedZones(), full, new TreeSet<>());
    }

    /** Zone names that hold a control-plane ENI but no subnet of {@code nlb}; sorted. */
    public static SortedSet<String> uncoveredEniZones(NlbSubnets nlb, Collection<String> eniZones) {
        SortedSet<String> uncovered = new TreeSet<>();
        eniZones.stream().filter(Objects::nonNull).forEach(uncovered::add);
        nlb.subnets().forEach(subnet -> uncovered.remove(subnet.availabilityZone()));
        return uncovered;
    }

    /**
     * Gives the NLB a subnet in each zone that holds a control-plane ENI but got none from the cluster
     * subnets (all of that zone's cluster subnets public or full): a target in a zone the NLB does not
     * enable is {@code unused} (ELB user guide, target groups, "Register targets"), so that ENI would
     * carry no traffic. An internal NLB may use any subnet of its VPC, public ones included. Per zone:
     * subnets not excluded and with at least {@value #NLB_MIN_FREE_ADDRESSES} free addresses, private
     * before public, then the lowest subnet id (stable across re-runs, like the Create rule). Subnets
     * already in {@code nlb} are never changed, so the keep-existing rule of {@link #keepNlbSubnets}
     * holds; a zone with no such subnet stays uncovered.
     *
     * @param nlb        the subnets chosen by {@link #chooseNlbSubnets} or {@link #keepNlbSubnets}
     * @param eniZones   zone names from {@link #uncoveredEniZones}
     * @param vpcSubnets the VPC's subnets in those zones, routed with {@link #route}
     * @return {@code nlb} with the filled zones' subnets added (ordered by zone name) and listed in
     *         {@code addedZones} and {@code eniZonesFilled}
     */
    public static NlbSubnets coverEniZones(NlbSubnets nlb, SortedSet<String> eniZones, List<RoutedSubnet> vpcSubnets, ZoneExclusions exclusions) {
        Map<String, Subnet> byZone = new TreeMap<>();
        nlb.subnets().forEach(subnet -> byZone.put(subnet.availabilityZone(), subnet));
        SortedSet<String> added = new TreeSet<>(nlb.addedZones());
        SortedSet<String> filled = new TreeSet<>(nlb.eniZonesFilled());
        for (String zone : eniZones) {
            if (byZone.containsKey(zone)) {
                continue;
            }
            vpcSubnets.stream()
                    .filter(routed -> zone.equals(routed.zone()) && !exclusions.excludes(routed.subnet()))
                    .filter(routed -> routed.subnet().availableIpAddressCount() == null
                            || routed.subnet().availableIpAddressCount() >= NLB_MIN_FREE_ADDRESSES)
                    .min(Comparator.comparing((RoutedSubnet routed) -> !routed.isPrivate()).thenComparing(routed -> routed.subnet().subnetId()))
                    .ifPresent(routed -> {
                        byZone.put(zone, routed.subnet());
                        added.add(label(routed.subnet()));
                        filled.add(label(routed.subnet()));
                    });
        }
        return new NlbSubnets(List.copyOf(byZone.values()), nlb.keptSubnetIds(), added, nlb.zonesSeen(), nlb.publicOnlyZones(),
                nlb.excludedZones(), nlb.fullZones(), filled);
    }

    private static String excludedZoneInUse(List<Subnet> inUse, ZoneExclusions exclusions) {
        String zones = String.join(", ", inUse.stream().map(SubnetTopology::label).toList());
        String subnets = String.join(", ", inUse.stream().map(Subnet::subnetId).toList());
        return ZoneExclusions.PROPERTY + "=" + String.join(",", exclusions.entries()) + " excludes " + zones
                + ", where the stack's Network Load Balancer already has " + (inUse.size() == 1 ? "subnet " : "subnets ") + subnets
                + "; ELB cannot remove a subnet from a Network Load Balancer that has endpoint connections and this stack never drops"
                + " an NLB subnet, so remove " + zones + " from " + ZoneExclusions.PROPERTY
                + ", or delete and recreate the stack to move the NLB.";
    }

    /** "us-east-1a (use1-az6)": both forms, since exclusions may use either. */
    public static String label(Subnet subnet) {
        return subnet.availabilityZoneId() == null ? subnet.availabilityZone()
                : subnet.availabilityZone() + " (" + subnet.availabilityZoneId() + ")";
    }

    /**
     * Refuses a cluster that reports no subnets, before they are described.
     *
     * @throws CustomResourceException naming the cluster
     */
    public static void requireSubnetIds(EksCluster cluster) {
        if (cluster.subnetIds().isEmpty()) {
            throw new CustomResourceException("EKS cluster '" + cluster.name() + "' reports no subnets; check its networking configuration.");
        }
    }

    /**
     * The cluster's subnets that still exist: those described (by a subnet-id filter, so one deleted
     * subnet does not fail the lookup) in the cluster's VPC when EKS reports it.
     *
     * @return a new mutable list, never empty
     * @throws CustomResourceException when none of the cluster's subnets exists
     */
    public static List<Subnet> existingClusterSubnets(EksCluster cluster, List<Subnet> described) {
        List<Subnet> subnets = new ArrayList<>(described);
        if (cluster.vpcId() != null) {
            subnets.removeIf(subnet -> !cluster.vpcId().equals(subnet.vpcId()));
        }
        if (subnets.isEmpty()) {
            throw new CustomResourceException("None of the subnets of EKS cluster '" + cluster.name() + "' " + cluster.subnetIds()
                    + " exist any more; restore them or update the cluster's subnets.");
        }
        return subnets;
    }

    /** The cluster's subnet ids not among {@code existing}, sorted (empty when all exist). */
    public static SortedSet<String> missingSubnets(EksCluster cluster, List<Subnet> existing) {
        SortedSet<String> missing = new TreeSet<>(cluster.subnetIds());
        existing.forEach(subnet -> missing.remove(subnet.subnetId()));
        return missing;
    }

    /** The cluster's VPC (discovery and preflight): DescribeCluster reports the VPC on real clusters; otherwise every cluster subnet sits in it. */
    public static String vpcOf(EksCluster cluster, List<Subnet> subnets) {
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

    /** The one-sentence reason when no NLB subnet is left (discovery's FAILED reason, preflight's blocker). */
    public static String noSubnetLeft(String name, NlbSubnets nlb, ZoneExclusions exclusions) {
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
