package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.stack.ControlPlaneReplacement.Mode;
import io.e6link.stack.ConvergenceRun.Result;
import io.e6link.stack.ConvergenceRun.Settings;
import io.e6link.stack.ConvergenceRun.SimulatedClock;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import io.e6link.testing.aws.AwsClock;
import io.e6link.testing.aws.TargetHealthModel;
import io.e6link.testing.aws.TargetHealthModel.TargetState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * An EKS control-plane ENI replacement played against the deployed stack on a simulated clock
 * (issue 13 §1) at both ends of AWS's clock ({@link AwsClock}: registration, deregistration lag,
 * CloudTrail delivery): EKS creates new ENIs and deletes the old ones, targets go initial → healthy
 * after AWS's registration and the target group's own health-check settings ({@link TargetHealthModel}), and the reconciler runs
 * through its packaged Lambda handler on its schedule and, with the CloudTrail rule, after each ENI
 * change. When EKS keeps an old ENI until its replacement is healthy, the target group must never be
 * without a healthy target, must never lose a healthy target to the reconciler, and must register a
 * new ENI within one schedule interval (or the event delay). When EKS deletes old ENIs early the
 * outage is measured and reported, not asserted away. Writes the table of docs/performance.md to
 * {@code target/convergence.md}.
 */
@ExtendWith(MotoExtension.class)
class RollingUpgradeIT {
    /** Seconds after a schedule tick at which EKS creates the first new ENI: just missing a tick is the slowest case. */
    static final long UPGRADE_START = 1;
    /** The adversarial EKS deletes the old ENIs this long after creating their replacements. */
    static final long EARLY_DELETE_SECONDS = 10;
    static final long LIMIT_SECONDS = 3600;
    private static final Map<String, String> CANONICAL = Map.of("10.0.1.10", "us-east-1a", "10.0.2.10", "us-east-1b");

    @Test
    void anEniReplacementNeverLeavesTheTargetGroupWithoutAHealthyTargetWhileEksKeepsTheOldEniUntilTheNewIsHealthy(Moto moto, @TempDir Path calls)
            throws IOException {
        MotoClients clients = new MotoClients(moto);
        SampleCluster cluster = SampleCluster.seed(clients);
        Ec2Client ec2 = clients.ec2();
        List<String> events = new ArrayList<>();
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-rolling", events::add, calls)) {
            EmulatedStack.Result created = stack.deploy(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                    "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET));
            assertThat(created.status()).as(created.reason() + "\n" + String.join("\n", events)).isEqualTo("CREATE_COMPLETE");
            String targetGroup = stack.physicalId("TargetGroup");
            Set<String> nlbZones = clients.elb().describeLoadBalancers(b -> b.loadBalancerArns(stack.physicalId("LoadBalancer"))).loadBalancers().get(0)
                    .availabilityZones().stream().map(zone -> zone.zoneName()).collect(Collectors.toSet());
            Map<String, String> subnetZones = ec2.describeSubnets(b -> b.subnetIds(cluster.privateSubnetIds)).subnets().stream()
                    .collect(Collectors.toMap(Subnet::subnetId, Subnet::availabilityZone));
            // Old ENIs in us-east-1a and us-east-1b; replacements in us-east-1c and us-east-1b; a third new ENI in
            // us-east-1e, which the stack's NLB leaves out by default (ExcludedAvailabilityZones).
            List<ControlPlaneReplacement.Swap> swaps = List.of(
                    new ControlPlaneReplacement.Swap("10.0.1.10", cluster.privateSubnetIds.get(2), "10.0.3.20"),
                    new ControlPlaneReplacement.Swap("10.0.2.10", cluster.privateSubnetIds.get(1), "10.0.2.20"));
            Map<String, String> extras = Map.of(cluster.privateSubnetIds.get(3), "10.0.4.20");
            Map<String, String> zoneOfNewIp = new LinkedHashMap<>();
            swaps.forEach(swap -> zoneOfNewIp.put(swap.newIp(), subnetZones.get(swap.newSubnetId())));
            extras.forEach((subnet, ip) -> zoneOfNewIp.put(ip, subnetZones.get(subnet)));

            SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-30T00:00:00Z"));
            List<Result> results = new ArrayList<>();
            for (AwsClock aws : List.of(AwsClock.slow(), AwsClock.fast())) {
                for (Mode mode : Mode.values()) {
                    for (int minutes : new int[] {1, 5}) {
                        for (Duration delay : new Duration[] {null, aws.cloudTrailToEventBridge()}) {
                            TargetHealthModel health = moto.strict().modelTargetHealth(clock, aws);
                            Map<String, String> enis = settle(stack, ec2, cluster, health, clock, targetGroup);
                            ControlPlaneReplacement eks = new ControlPlaneReplacement(ec2, SampleCluster.NAME, cluster.clusterSecurityGroupId, mode,
                                    EARLY_DELETE_SECONDS, swaps, extras, enis);
                            Result result = new ConvergenceRun(stack, health, clock, targetGroup).play(new Settings(aws, minutes, delay, mode), eks,
                                    UPGRADE_START, new HashSet<>(enis.keySet()), ip -> nlbZones.contains(zoneOfNewIp.getOrDefault(ip, CANONICAL.get(ip))),
                                    LIMIT_SECONDS);
                            results.add(result);
                            System.out.println(result);
                        }
                    }
                }
            }
            TargetGroup group = clients.elb().describeTargetGroups(b -> b.targetGroupArns(targetGroup)).targetGroups().get(0);
            Files.writeString(Path.of("target", "convergence.md"), ConvergenceReport.markdown(results, group,
                    clients.elb().describeTargetGroupAttributes(b -> b.targetGroupArn(targetGroup)).attributes(), nlbZones, zoneOfNewIp));

            assertThat(results).as("some reconciler run finds the us-east-1e ENI's target unused (else the UnservableTargets check proves nothing)")
                    .anyMatch(result -> result.runsSeeingUnused() > 0);
            for (Result result : results) {
                Settings settings = result.settings();
                long interval = settings.scheduleMinutes() * 60L;
                long bound = settings.eventDelay() == null ? interval : Math.min(interval, settings.eventDelay().toSeconds());
                assertThat(result.convergedAfter()).as("%s converges within %d s", settings, LIMIT_SECONDS).isNotNegative();
                if (settings.eks() == Mode.KEEPS_OLD_UNTIL_NEW_HEALTHY) {
                    assertThat(result.zeroHealthySeconds()).as("%s: seconds without a healthy target", settings).isZero();
                    assertThat(result.noServingSeconds()).as("%s: seconds without a healthy target on a live ENI", settings).isZero();
                    assertThat(result.healthyDeregistered()).as("%s: healthy targets deregistered", settings).isZero();
                } else {
                    assertThat(result.noServingSeconds()).as("%s: EKS deleting old ENIs early leaves a gap the simulation must see", settings)
                            .isPositive();
                }
                // An ENI in a zone the NLB leaves out is registered and never serves: every run that finds it must count it.
                assertThat(result.runsMissingUnservable()).as("%s: runs reporting UnservableTargets 0 while a target was unused", settings).isZero();
                zoneOfNewIp.forEach((ip, zone) -> {
                    if (nlbZones.contains(zone)) {
                        assertThat(result.registrationLatency()).as("%s: %s registered", settings, ip).containsKey(ip);
                        assertThat(result.registrationLatency().get(ip)).as("%s: seconds from ENI %s to registration", settings, ip)
                                .isLessThanOrEqualTo(bound);
                    }
                });
            }
        }
    }

    /**
     * Brings the cluster back to its two original control-plane ENIs and lets an hour of schedule
     * ticks pass (reconciler runs included) until exactly those two targets are healthy and nothing
     * drains, so every run starts from the same steady state.
     *
     * @return the control-plane ENIs, IP → ENI id
     */
    private static Map<String, String> settle(EmulatedStack stack, Ec2Client ec2, SampleCluster cluster, TargetHealthModel health, SimulatedClock clock,
                                              String targetGroup) {
        Map<String, String> enis = new LinkedHashMap<>();
        for (NetworkInterface eni : ec2.describeNetworkInterfaces(b -> b.filters(f -> f.name("description").values("Amazon EKS " + SampleCluster.NAME)))
                .networkInterfaces()) {
            if (CANONICAL.containsKey(eni.privateIpAddress())) {
                enis.put(eni.privateIpAddress(), eni.networkInterfaceId());
            } else {
                ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eni.networkInterfaceId()));
            }
        }
        CANONICAL.forEach((ip, zone) -> enis.computeIfAbsent(ip, missing -> ec2.createNetworkInterface(b -> b
                .subnetId(cluster.privateSubnetIds.get(zone.endsWith("a") ? 0 : 1)).privateIpAddress(ip).groups(cluster.clusterSecurityGroupId)
                .description("Amazon EKS " + SampleCluster.NAME)).networkInterface().networkInterfaceId()));
        for (int hour = 0; hour < 2; hour++) {
            clock.advance(Duration.ofHours(1));
            assertThat(stack.runScheduled("ReconcilerFunction").error()).as(stack.functionLogs("ReconcilerFunction")).isFalse();
        }
        clock.advance(Duration.ofHours(1));
        assertThat(health.describe(targetGroup)).as("steady state before the upgrade").extracting(TargetState::ip, TargetState::state)
                .containsExactlyInAnyOrder(CANONICAL.keySet().stream().map(ip -> org.assertj.core.groups.Tuple.tuple(ip, "healthy")).toArray(
                        org.assertj.core.groups.Tuple[]::new));
        return enis;
    }
}
