package io.e6link.eksclusterdiscovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.e6link.eksclusterdiscovery.SubnetTopology.NlbSubnets;
import io.e6link.eksclusterdiscovery.SubnetTopology.RoutedSubnet;
import io.e6link.kit.CustomResourceException;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * The NLB-subnet decision on Update when the stack's NLB exists ({@link SubnetTopology#keepNlbSubnets}),
 * as a table: no AWS, no moto. Subnet ids are written so that their order is obvious
 * ({@code subnet-a1} &lt; {@code subnet-a2}); zone ids follow moto's us-east-1 mapping.
 */
class SubnetTopologyTest {
    private static final Map<String, String> ZONE_IDS = Map.of("us-east-1a", "use1-az6", "us-east-1b", "use1-az1",
            "us-east-1c", "use1-az2", "us-east-1d", "use1-az4", "us-east-1e", "use1-az3");
    private static final int ROOMY = 200;

    /**
     * One row of the control-plane-ENI zone rule ({@link SubnetTopology#coverEniZones}): the NLB's subnets
     * so far, the zones (letters) holding a control-plane ENI, the VPC's subnets as routed, the
     * exclusions, and the expected SubnetIds and filled zones.
     */
    record EniZoneRow(String name, List<Subnet> nlb, List<String> eniZones, List<RoutedSubnet> vpc, List<String> excluded,
                      List<String> subnetIds, List<String> filledZones) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<EniZoneRow> eniZoneRows() {
        return Stream.of(
                new EniZoneRow("a zone whose only cluster subnet is public gets that public subnet (an internal NLB may use it)",
                        nlb(subnet("subnet-a1", "a")), List.of("a", "b"), cluster(priv("subnet-a1", "a"), pub("subnet-b1", "b")), none(),
                        ids("subnet-a1", "subnet-b1"), zones("us-east-1b (use1-az1)")),
                new EniZoneRow("a private subnet of the VPC is preferred over a public one, whatever the ids",
                        nlb(subnet("subnet-a1", "a")), List.of("a", "b"), cluster(pub("subnet-b1", "b"), priv("subnet-b9", "b")), none(),
                        ids("subnet-a1", "subnet-b9"), zones("us-east-1b (use1-az1)")),
                new EniZoneRow("among subnets alike the lowest id wins, so a re-run returns the same one",
                        nlb(), List.of("b"), cluster(priv("subnet-b3", "b"), priv("subnet-b2", "b")), none(),
                        ids("subnet-b2"), zones("us-east-1b (use1-az1)")),
                new EniZoneRow("a subnet with fewer than 8 free addresses is passed over",
                        nlb(subnet("subnet-a1", "a")), List.of("b"), cluster(priv(subnet("subnet-b1", "b", 7)), pub("subnet-b2", "b")), none(),
                        ids("subnet-a1", "subnet-b2"), zones("us-east-1b (use1-az1)")),
                new EniZoneRow("an excluded zone stays uncovered (by name)",
                        nlb(subnet("subnet-a1", "a")), List.of("a", "e"), cluster(pub("subnet-e1", "e")), List.of("us-east-1e"),
                        ids("subnet-a1"), zones()),
                new EniZoneRow("an excluded zone stays uncovered (by AZ ID)",
                        nlb(subnet("subnet-a1", "a")), List.of("e"), cluster(priv("subnet-e1", "e")), List.of("use1-az3"),
                        ids("subnet-a1"), zones()),
                new EniZoneRow("a zone the NLB already covers keeps its subnet, even where the VPC has a lower id",
                        nlb(subnet("subnet-a5", "a")), List.of("a"), cluster(priv("subnet-a1", "a")), none(),
                        ids("subnet-a5"), zones()),
                new EniZoneRow("a zone without an ENI gets nothing from the rest of the VPC",
                        nlb(subnet("subnet-a1", "a")), List.of("a"), cluster(priv("subnet-c1", "c")), none(),
                        ids("subnet-a1"), zones()),
                new EniZoneRow("an ENI zone with no usable subnet at all stays uncovered",
                        nlb(subnet("subnet-a1", "a")), List.of("d"), cluster(new RoutedSubnet(subnet("subnet-d1", "d", 0), "rtb-public", false)), none(),
                        ids("subnet-a1"), zones()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eniZoneRows")
    void everyZoneHoldingAControlPlaneEniGetsAnNlbSubnetWhenTheVpcHasOne(EniZoneRow row) {
        ZoneExclusions exclusions = new ZoneExclusions(row.excluded());
        NlbSubnets before = SubnetTopology.keepNlbSubnets(row.nlb(), List.of(), exclusions);
        SortedSet<String> uncovered = SubnetTopology.uncoveredEniZones(before, row.eniZones().stream().map(letter -> "us-east-1" + letter).toList());

        NlbSubnets after = SubnetTopology.coverEniZones(before, uncovered, row.vpc(), exclusions);

        assertThat(after.subnets()).extracting(Subnet::subnetId).containsExactlyElementsOf(row.subnetIds());
        assertThat(after.subnets()).extracting(Subnet::availabilityZone).isSorted().doesNotHaveDuplicates();
        assertThat(after.eniZonesFilled()).containsExactlyElementsOf(row.filledZones());
        assertThat(after.addedZones()).containsAll(row.filledZones());
        assertThat(after.keptSubnetIds()).isEqualTo(before.keptSubnetIds());
    }

    /**
     * One row: the NLB's subnets, the cluster's subnets as routed, the exclusions, and either the
     * expected SubnetIds with the zones added, or the expected failure reason.
     */
    record Row(String name, List<Subnet> nlb, List<RoutedSubnet> cluster, List<String> excluded,
               List<String> subnetIds, List<String> addedZones, String failure) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                ok("keeps every subnet the NLB has",
                        nlb(subnet("subnet-a1", "a"), subnet("subnet-b1", "b")),
                        cluster(priv("subnet-a1", "a"), priv("subnet-b1", "b")), none(),
                        ids("subnet-a1", "subnet-b1"), zones()),
                ok("adds a zone the NLB does not cover yet, by the Create rule",
                        nlb(subnet("subnet-a1", "a")),
                        cluster(priv("subnet-a1", "a"), priv("subnet-b2", "b"), priv("subnet-b1", "b")), none(),
                        ids("subnet-a1", "subnet-b1"), zones("us-east-1b (use1-az1)")),
                ok("keeps a subnet whose free addresses dropped below 8",
                        nlb(subnet("subnet-a1", "a", 3)),
                        cluster(priv(subnet("subnet-a1", "a", 3)), priv("subnet-a2", "a")), none(),
                        ids("subnet-a1"), zones()),
                ok("does not choose a new lower-id subnet in a kept zone",
                        nlb(subnet("subnet-a5", "a")),
                        cluster(priv("subnet-a0", "a"), priv("subnet-a5", "a")), none(),
                        ids("subnet-a5"), zones()),
                ok("keeps a subnet that is no longer a cluster subnet",
                        nlb(subnet("subnet-d9", "d")),
                        cluster(priv("subnet-a1", "a")), none(),
                        ids("subnet-a1", "subnet-d9"), zones("us-east-1a (use1-az6)")),
                ok("keeps a subnet whose route table now reaches an internet gateway",
                        nlb(subnet("subnet-a1", "a")),
                        cluster(pub("subnet-a1", "a")), none(),
                        ids("subnet-a1"), zones()),
                ok("adds no zone that is excluded (by name or by AZ ID), public only or full",
                        nlb(subnet("subnet-a1", "a")),
                        cluster(priv("subnet-a1", "a"), priv("subnet-b1", "b"), pub("subnet-c1", "c"),
                                priv(subnet("subnet-d1", "d", 7)), priv("subnet-e1", "e")),
                        List.of("us-east-1b", "use1-az3"),
                        ids("subnet-a1"), zones()),
                ok("adds a zone that needs the 8-free-address rule only for the new zone",
                        nlb(subnet("subnet-a1", "a", 0)),
                        cluster(priv(subnet("subnet-b1", "b", 7)), priv(subnet("subnet-b2", "b", 8))), none(),
                        ids("subnet-a1", "subnet-b2"), zones("us-east-1b (use1-az1)")),
                ok("an NLB without subnets falls back to the Create rule",
                        nlb(),
                        cluster(priv("subnet-a2", "a"), priv("subnet-a1", "a")), none(),
                        ids("subnet-a1"), zones("us-east-1a (use1-az6)")),
                failed("an excluded zone the NLB uses fails, naming the parameter, the zone and what to do",
                        nlb(subnet("subnet-a1", "a"), subnet("subnet-b1", "b")),
                        cluster(priv("subnet-a1", "a"), priv("subnet-b1", "b")), List.of("us-east-1e", "us-east-1a"),
                        "ExcludedAvailabilityZones=us-east-1e,us-east-1a excludes us-east-1a (use1-az6), where the stack's Network Load"
                                + " Balancer already has subnet subnet-a1; ELB cannot remove a subnet from a Network Load Balancer that has"
                                + " endpoint connections and this stack never drops an NLB subnet, so remove us-east-1a (use1-az6) from"
                                + " ExcludedAvailabilityZones, or delete and recreate the stack to move the NLB."),
                failed("an excluded AZ ID the NLB uses fails the same way, naming both forms of every zone hit",
                        nlb(subnet("subnet-b1", "b"), subnet("subnet-a1", "a")),
                        cluster(priv("subnet-a1", "a"), priv("subnet-b1", "b")), List.of("use1-az1", "use1-az6"),
                        "ExcludedAvailabilityZones=use1-az1,use1-az6 excludes us-east-1a (use1-az6), us-east-1b (use1-az1), where the"
                                + " stack's Network Load Balancer already has subnets subnet-a1, subnet-b1; ELB cannot remove a subnet from a"
                                + " Network Load Balancer that has endpoint connections and this stack never drops an NLB subnet, so remove"
                                + " us-east-1a (use1-az6), us-east-1b (use1-az1) from ExcludedAvailabilityZones, or delete and recreate the"
                                + " stack to move the NLB."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anExistingNlbKeepsItsSubnetsAndOnlyGainsZones(Row row) {
        ZoneExclusions exclusions = new ZoneExclusions(row.excluded());
        if (row.failure() != null) {
            Throwable failure = catchThrowable(() -> SubnetTopology.keepNlbSubnets(row.nlb(), row.cluster(), exclusions));
            assertThat(failure).isInstanceOf(CustomResourceException.class).hasMessage(row.failure());
            return;
        }

        NlbSubnets chosen = SubnetTopology.keepNlbSubnets(row.nlb(), row.cluster(), exclusions);

        assertThat(chosen.subnets()).extracting(Subnet::subnetId).containsExactlyElementsOf(row.subnetIds());
        assertThat(chosen.keptSubnetIds()).containsExactlyInAnyOrderElementsOf(row.nlb().stream().map(Subnet::subnetId).toList());
        assertThat(chosen.addedZones()).containsExactlyElementsOf(row.addedZones());
        assertThat(chosen.subnets()).extracting(Subnet::availabilityZone).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void createChoosesTheLowestIdWithRoomAndReportsEveryZoneAsAdded() {
        NlbSubnets chosen = SubnetTopology.chooseNlbSubnets(
                cluster(priv(subnet("subnet-a1", "a", 7)), priv("subnet-a3", "a"), priv("subnet-a2", "a"), priv("subnet-b1", "b")),
                new ZoneExclusions(List.of()));

        assertThat(chosen.subnets()).extracting(Subnet::subnetId).containsExactly("subnet-a2", "subnet-b1");
        assertThat(chosen.keptSubnetIds()).isEmpty();
        assertThat(chosen.addedZones()).containsExactly("us-east-1a (use1-az6)", "us-east-1b (use1-az1)");
    }

    // ---- The Create rule zone by zone, and the reason when no zone is left ----------------------

    /** One row: the cluster's subnets as routed, the exclusions, the SubnetIds chosen, and the zones reported per cause. */
    record CreateRow(String name, List<RoutedSubnet> cluster, List<String> excluded, List<String> subnetIds,
                     List<String> publicOnly, List<String> excludedZones, List<String> full) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<CreateRow> createRows() {
        return Stream.of(
                new CreateRow("a public subnet is never chosen, even with a lower id than the zone's private one",
                        cluster(pub("subnet-a0", "a"), priv("subnet-a5", "a")), none(),
                        ids("subnet-a5"), zones(), zones(), zones()),
                new CreateRow("a zone with only public subnets is reported as such",
                        cluster(priv("subnet-a1", "a"), pub("subnet-b1", "b"), pub("subnet-b2", "b")), none(),
                        ids("subnet-a1"), zones("us-east-1b (use1-az1)"), zones(), zones()),
                new CreateRow("exactly 8 free addresses is enough, 7 is not",
                        cluster(priv(subnet("subnet-a1", "a", 7)), priv(subnet("subnet-a2", "a", 8)), priv(subnet("subnet-b1", "b", 7))), none(),
                        ids("subnet-a2"), zones(), zones(), zones("us-east-1b (use1-az1)")),
                new CreateRow("zones are excluded by name or by AZ ID, and a zone named in no subnet changes nothing",
                        cluster(priv("subnet-a1", "a"), priv("subnet-b1", "b"), priv("subnet-c1", "c")), List.of("us-east-1a", "use1-az1", "us-east-1e"),
                        ids("subnet-c1"), zones(), zones("us-east-1a (use1-az6)", "us-east-1b (use1-az1)"), zones()),
                new CreateRow("an exclusion of a zone with only public subnets reports the zone as public only",
                        cluster(pub("subnet-a1", "a"), priv("subnet-b1", "b")), List.of("us-east-1a"),
                        ids("subnet-b1"), zones("us-east-1a (use1-az6)"), zones(), zones()),
                new CreateRow("exclusions that leave no zone choose nothing",
                        cluster(priv("subnet-a1", "a"), priv("subnet-b1", "b")), List.of("use1-az6", "us-east-1b"),
                        ids(), zones(), zones("us-east-1a (use1-az6)", "us-east-1b (use1-az1)"), zones()),
                new CreateRow("one subnet per zone, zones in name order",
                        cluster(priv("subnet-c1", "c"), priv("subnet-a1", "a"), priv("subnet-b2", "b"), priv("subnet-b1", "b")), none(),
                        ids("subnet-a1", "subnet-b1", "subnet-c1"), zones(), zones(), zones()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createRows")
    void createTakesOnePrivateSubnetWithRoomPerZoneLeft(CreateRow row) {
        NlbSubnets chosen = SubnetTopology.chooseNlbSubnets(row.cluster(), new ZoneExclusions(row.excluded()));

        assertThat(chosen.subnets()).extracting(Subnet::subnetId).containsExactlyElementsOf(row.subnetIds());
        assertThat(chosen.publicOnlyZones()).as("publicOnlyZones").containsExactlyElementsOf(row.publicOnly());
        assertThat(chosen.excludedZones()).as("excludedZones").containsExactlyElementsOf(row.excludedZones());
        assertThat(chosen.fullZones()).as("fullZones").containsExactlyElementsOf(row.full());
        assertThat(chosen.zonesSeen()).containsExactlyElementsOf(
                row.cluster().stream().map(routed -> SubnetTopology.label(routed.subnet())).distinct().sorted().toList());
    }

    @Test
    void whenNoZoneIsLeftTheReasonNamesEveryCauseAndWhatToDo() {
        ZoneExclusions exclusions = new ZoneExclusions(List.of("us-east-1a", "use1-az1"));
        NlbSubnets chosen = SubnetTopology.chooseNlbSubnets(cluster(priv("subnet-a1", "a"), priv("subnet-b1", "b"), pub("subnet-c1", "c"),
                priv(subnet("subnet-d1", "d", 3))), exclusions);

        assertThat(chosen.subnets()).isEmpty();
        assertThat(SubnetTopology.noSubnetLeft("prod", chosen, exclusions)).isEqualTo("No private subnet of EKS cluster 'prod' is left for the"
                + " NLB: the cluster's subnets are in us-east-1a (use1-az6), us-east-1b (use1-az1), us-east-1c (use1-az2), us-east-1d (use1-az4);"
                + " only public subnets in us-east-1c (use1-az2); excluded by ExcludedAvailabilityZones=us-east-1a,use1-az1: us-east-1a (use1-az6),"
                + " us-east-1b (use1-az1); fewer than 8 free addresses in us-east-1d (use1-az4). Remove a zone from ExcludedAvailabilityZones or"
                + " give the cluster a private subnet in another zone.");
    }

    @Test
    void whenOnlyExclusionsLeaveNoZoneTheReasonNamesOnlyThem() {
        ZoneExclusions exclusions = new ZoneExclusions(List.of("us-east-1a"));
        NlbSubnets chosen = SubnetTopology.chooseNlbSubnets(cluster(priv("subnet-a1", "a"), priv("subnet-a2", "a")), exclusions);

        assertThat(SubnetTopology.noSubnetLeft("prod", chosen, exclusions)).isEqualTo("No private subnet of EKS cluster 'prod' is left for the"
                + " NLB: the cluster's subnets are in us-east-1a (use1-az6); excluded by ExcludedAvailabilityZones=us-east-1a: us-east-1a (use1-az6)."
                + " Remove a zone from ExcludedAvailabilityZones or give the cluster a private subnet in another zone.");
    }

    private static Row ok(String name, List<Subnet> nlb, List<RoutedSubnet> cluster, List<String> excluded,
                          List<String> subnetIds, List<String> addedZones) {
        return new Row(name, nlb, cluster, excluded, subnetIds, addedZones, null);
    }

    private static Row failed(String name, List<Subnet> nlb, List<RoutedSubnet> cluster, List<String> excluded, String failure) {
        return new Row(name, nlb, cluster, excluded, null, null, failure);
    }

    private static Subnet subnet(String id, String zoneLetter) {
        return subnet(id, zoneLetter, ROOMY);
    }

    private static Subnet subnet(String id, String zoneLetter, int free) {
        String zone = "us-east-1" + zoneLetter;
        return Subnet.builder().subnetId(id).availabilityZone(zone).availabilityZoneId(ZONE_IDS.get(zone))
                .availableIpAddressCount(free).vpcId("vpc-1").build();
    }

    private static RoutedSubnet priv(String id, String zoneLetter) {
        return priv(subnet(id, zoneLetter));
    }

    private static RoutedSubnet priv(Subnet subnet) {
        return new RoutedSubnet(subnet, "rtb-private", true);
    }

    private static RoutedSubnet pub(String id, String zoneLetter) {
        return new RoutedSubnet(subnet(id, zoneLetter), "rtb-public", false);
    }

    private static List<Subnet> nlb(Subnet... subnets) {
        return List.of(subnets);
    }

    private static List<RoutedSubnet> cluster(RoutedSubnet... subnets) {
        return List.of(subnets);
    }

    private static List<String> none() {
        return List.of();
    }

    private static List<String> ids(String... ids) {
        return List.of(ids);
    }

    private static List<String> zones(String... zones) {
        return List.of(zones);
    }
}
