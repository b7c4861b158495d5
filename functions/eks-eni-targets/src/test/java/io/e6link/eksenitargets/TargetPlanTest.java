package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.eksenitargets.TargetGroupTargets.Target;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reconcile decision ({@link TargetPlan}) as a table: current ENI IPs and the targets
 * DescribeTargetHealth reported, then what is registered, deregistered and kept. The rules are
 * Reconciler's: new ENI IPs register at once; a target leaves only when it is not a current ENI
 * and is unhealthy or unused; a draining target is already leaving (never deregistered again) and is
 * not active, so a current ENI in that state is registered again. No AWS, no moto.
 */
class TargetPlanTest {
    private static final String A = "10.0.1.10";
    private static final String B = "10.0.2.10";
    private static final String C = "10.0.3.10";
    private static final String OLD_A = "10.0.1.99";
    private static final String OLD_B = "10.0.2.99";

    record Row(String name, List<String> current, List<Target> observed, List<String> register, List<String> deregister, List<String> kept) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("steady state: every current ENI healthy, nothing to do",
                        current(A, B), observed(t(A, "healthy"), t(B, "healthy")), register(), deregister(), kept()),
                row("first run on an empty target group registers every current ENI",
                        current(B, A), observed(), register(A, B), deregister(), kept()),
                row("a new ENI IP is registered at once, before it could ever be reported",
                        current(A, B, C), observed(t(A, "healthy"), t(B, "healthy")), register(C), deregister(), kept()),
                row("EKS upgrade side by side: new ENIs registered, old healthy ones kept",
                        current(A, B), observed(t(OLD_A, "healthy"), t(OLD_B, "healthy")), register(A, B), deregister(), kept(OLD_A, OLD_B)),
                row("a healthy stale target is kept: it still carries traffic",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "healthy")), register(), deregister(), kept(OLD_A)),
                row("an initial stale target is kept: its health is not known yet",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "initial")), register(), deregister(), kept(OLD_A)),
                row("an unavailable stale target (health checks off) is kept",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "unavailable")), register(), deregister(), kept(OLD_A)),
                row("a stale target without a reported state is kept",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "unknown")), register(), deregister(), kept(OLD_A)),
                row("an unhealthy stale target is deregistered",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "unhealthy")), register(), deregister(OLD_A), kept()),
                row("an unused stale target is deregistered",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "unused")), register(), deregister(OLD_A), kept()),
                row("a draining stale target is left to finish draining, not deregistered again",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "draining")), register(), deregister(), kept()),
                row("an unhealthy.draining stale target is left to finish draining, not deregistered again",
                        current(A), observed(t(A, "healthy"), t(OLD_A, "unhealthy.draining")), register(), deregister(), kept()),
                row("a draining current ENI is registered again, never deregistered",
                        current(A, B), observed(t(A, "draining"), t(B, "healthy")), register(A), deregister(), kept()),
                row("an unhealthy.draining current ENI is registered again",
                        current(A), observed(t(A, "unhealthy.draining")), register(A), deregister(), kept()),
                row("an unhealthy current ENI stays registered and is not registered again",
                        current(A, B), observed(t(A, "unhealthy"), t(B, "initial")), register(), deregister(), kept()),
                row("an unused current ENI (zone not enabled on the NLB) stays as it is",
                        current(A), observed(t(A, "unused")), register(), deregister(), kept()),
                row("mixed: each target is decided by its own IP and state",
                        current(A, B, C),
                        observed(t(A, "healthy"), t(B, "draining"), t(OLD_A, "healthy"), t(OLD_B, "unhealthy"), t("10.0.9.1", "unused"),
                                t("10.0.9.2", "initial")),
                        register(B, C), deregister("10.0.9.1", OLD_B), kept(OLD_A, "10.0.9.2")),
                row("an ENI IP listed twice is registered once",
                        current(C, A, C), observed(t(A, "healthy")), register(C), deregister(), kept()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void planFollowsTheReconcileRules(Row row) {
        TargetPlan plan = TargetPlan.of(row.current(), row.observed());

        assertThat(plan.toRegister()).as("toRegister").containsExactlyElementsOf(row.register());
        assertThat(plan.toDeregister()).as("toDeregister").containsExactlyElementsOf(row.deregister());
        assertThat(plan.keptStale()).as("keptStale").containsExactlyElementsOf(row.kept());
        // Whatever the states: a current ENI is never deregistered nor reported stale.
        assertThat(plan.toDeregister()).doesNotContainAnyElementsOf(row.current());
        assertThat(plan.keptStale()).doesNotContainAnyElementsOf(row.current());
    }

    private static Row row(String name, List<String> current, List<Target> observed, List<String> register, List<String> deregister,
                           List<String> kept) {
        return new Row(name, current, observed, register, deregister, kept);
    }

    private static Target t(String ip, String state) {
        return new Target(ip, state, null);
    }

    private static List<String> current(String... ips) {
        return List.of(ips);
    }

    private static List<Target> observed(Target... targets) {
        return List.of(targets);
    }

    /** Expected IPs in the plan's order: sorted. */
    private static List<String> register(String... ips) {
        return sorted(ips);
    }

    private static List<String> deregister(String... ips) {
        return sorted(ips);
    }

    private static List<String> kept(String... ips) {
        return sorted(ips);
    }

    private static List<String> sorted(String... ips) {
        Set<String> sorted = new TreeSet<>(List.of(ips));
        return List.copyOf(sorted);
    }
}
