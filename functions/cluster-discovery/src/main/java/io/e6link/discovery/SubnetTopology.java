package io.e6link.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Side-effect-free rules over what EC2 returned: which cluster subnets are private, which route
 * table serves each, and which subnet the NLB takes in each availability zone.
 */
final class SubnetTopology {
    /** An NLB needs at least 8 free IPv4 addresses in each of its subnets. */
    static final int NLB_MIN_FREE_ADDRESSES = 8;

    private SubnetTopology() {
    }

    /** A cluster subnet with the route table that actually serves it. */
    record RoutedSubnet(Subnet subnet, String routeTableId, boolean isPrivate) {
        String zone() {
            return subnet.availabilityZone();
        }
    }

    /**
     * The NLB subnets and what the choice saw, for the failure reason.
     *
     * @param subnets one per zone, ordered by zone name
     */
    record NlbSubnets(List<Subnet> subnets, SortedSet<String> zonesSeen, SortedSet<String> publicOnlyZones,
                      SortedSet<String> excludedZones, SortedSet<String> fullZones) {
    }

    /**
     * Each subnet's route table is its explicit association, else the VPC's main table. A subnet is
     * private when that table has no route to an internet gateway ({@code igw-}; an egress-only
     * {@code eigw-} is IPv6 outbound only and keeps the subnet private).
     */
    static List<RoutedSubnet> route(List<Subnet> subnets, List<RouteTable> vpcRouteTables) {
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

    /** Route tables of the private subnets, main table included where it serves implicitly; sorted. */
    static List<String> privateRouteTables(List<RoutedSubnet> routed) {
        return routed.stream().filter(RoutedSubnet::isPrivate).map(RoutedSubnet::routeTableId)
                .distinct().sorted().toList();
    }

    /**
     * One private subnet per non-excluded zone. The rule: among the zone's private cluster subnets
     * with at least {@value #NLB_MIN_FREE_ADDRESSES} free addresses, the lowest subnet id. It does
     * not prefer the emptiest subnet on purpose: free-address counts drift, and an NLB cannot move to
     * another subnet of a zone it already uses, so a re-run must return the same subnet.
     */
    static NlbSubnets chooseNlbSubnets(List<RoutedSubnet> routed, ZoneExclusions exclusions) {
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
        candidates.forEach((zone, subnets) -> {
            Optional<Subnet> pick = subnets.stream()
                    .filter(subnet -> subnet.availableIpAddressCount() == null || subnet.availableIpAddressCount() >= NLB_MIN_FREE_ADDRESSES)
                    .min(Comparator.comparing(Subnet::subnetId));
            pick.ifPresentOrElse(chosen::add, () -> full.add(label(subnets.get(0))));
        });
        SortedSet<String> publicOnly = new TreeSet<>(seen);
        publicOnly.removeAll(privateZones);
        return new NlbSubnets(List.copyOf(chosen), seen, publicOnly, excluded, full);
    }

    /** "us-east-1a (use1-az6)": both forms, since exclusions may use either. */
    static String label(Subnet subnet) {
        return subnet.availabilityZoneId() == null ? subnet.availabilityZone()
                : subnet.availabilityZone() + " (" + subnet.availabilityZoneId() + ")";
    }
}
