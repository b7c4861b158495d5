package io.e6link.stack;

import io.e6link.stack.ConvergenceRun.Result;
import io.e6link.testing.aws.AwsClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/** The Markdown that {@link RollingUpgradeIT} writes to {@code target/convergence.md} for docs/performance.md. */
final class ConvergenceReport {
    private ConvergenceReport() {
    }

    /**
     * @param group       the deployed target group as moto stores it (health-check settings from template.yaml)
     * @param attributes  its attributes (deregistration delay)
     * @param nlbZones    Availability Zones the NLB enables
     * @param zoneOfNewIp new ENI IP → its zone
     */
    static String markdown(List<Result> results, TargetGroup group, List<TargetGroupAttribute> attributes, Set<String> nlbZones,
                           Map<String, String> zoneOfNewIp) {
        StringBuilder md = new StringBuilder();
        md.append("| AWS clock | EKS | Schedule | CloudTrail rule | ENI → registered (s, max) | ENI → healthy (s, max) | Zero-healthy s | "
                + "No healthy live target s | New connections to a deleted ENI s | Healthy deregistered | `unused` target-s | Reconciler runs | Converged after s |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        long invocations = 0;
        long millis = 0;
        for (Result result : results) {
            ConvergenceRun.Settings settings = result.settings();
            md.append("| ").append(settings.aws().label()).append(" | ").append(settings.eks() == ControlPlaneReplacement.Mode.KEEPS_OLD_UNTIL_NEW_HEALTHY ? "keeps old until new healthy" : "deletes old after "
                            + RollingUpgradeIT.EARLY_DELETE_SECONDS + " s")
                    .append(" | ").append(settings.scheduleMinutes()).append(" min | ").append(settings.eventsLabel())
                    .append(" | ").append(max(covered(result.registrationLatency(), nlbZones, zoneOfNewIp)))
                    .append(" | ").append(max(covered(result.healthyLatency(), nlbZones, zoneOfNewIp)))
                    .append(" | ").append(result.zeroHealthySeconds()).append(" | ").append(result.noServingSeconds()).append(" | ").append(result.deadRoutedSeconds())
                    .append(" | ").append(result.healthyDeregistered()).append(" | ").append(result.unusedTargetSeconds())
                    .append(" | ").append(result.reconcilerRuns()).append(" | ").append(result.convergedAfter()).append(" |\n");
            invocations += result.reconcilerRuns();
            millis += result.reconcilerMillis();
        }
        String delay = attributes.stream().filter(a -> a.key().equals("deregistration_delay.timeout_seconds")).map(TargetGroupAttribute::value)
                .findFirst().orElse("300");
        md.append("\nPer new ENI (registered / healthy, seconds after the ENI appeared):\n\n");
        for (Result result : results) {
            md.append("- ").append(result.settings().aws().label()).append(", ").append(result.settings().eks()).append(", ").append(result.settings().scheduleMinutes()).append(" min, events ")
                    .append(result.settings().eventsLabel()).append(":");
            for (String ip : zoneOfNewIp.keySet()) {
                md.append(" ").append(ip).append(" (").append(zoneOfNewIp.get(ip)).append(") ").append(orNever(result.registrationLatency().get(ip)))
                        .append(" / ").append(orNever(result.healthyLatency().get(ip))).append(";");
            }
            md.append("\n");
        }
        md.append("\nAssumptions: target group health checks as template.yaml sets them (").append(group.healthCheckProtocolAsString())
                .append(", interval ").append(group.healthCheckIntervalSeconds()).append(" s, healthy threshold ").append(group.healthyThresholdCount())
                .append(", unhealthy threshold ").append(group.unhealthyThresholdCount()).append(", deregistration delay ").append(delay)
                .append(" s); AWS's clock from aws-clock.json at both ends: ").append(clockLine(AwsClock.fast())).append(" (fast) and ")
                .append(clockLine(AwsClock.slow())).append(" (slow); NLB zones ").append(new TreeSet<>(nlbZones))
                .append("; the first new ENI appears ").append(RollingUpgradeIT.UPGRADE_START).append(" s after a schedule tick (the slowest phase);"
                        + " a reconciler run takes 0 simulated seconds (real: ")
                .append(invocations == 0 ? 0 : millis / invocations).append(" ms per invocation on average, ").append(invocations)
                .append(" invocations); 1 s steps.\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ").append(System.getProperty("os.name")).append(" ")
                .append(System.getProperty("os.arch")).append(", Java ").append(System.getProperty("java.version")).append(".\n");
        return md.toString();
    }

    /** The timings of one end of AWS's clock that a convergence run plays. */
    private static String clockLine(AwsClock aws) {
        return "registration " + aws.targetRegistration().toSeconds() + " s, deregistration " + aws.deregistration().toSeconds()
                + " s, unhealthy target still routed " + aws.unhealthyStillRouted().toSeconds() + " s, CloudTrail → EventBridge "
                + aws.cloudTrailToEventBridge().toSeconds() + " s";
    }

    /** The latencies of the new ENIs in zones the NLB enables; null where one never got there. */
    private static List<Long> covered(Map<String, Long> latencies, Set<String> nlbZones, Map<String, String> zoneOfNewIp) {
        return zoneOfNewIp.keySet().stream().filter(ip -> nlbZones.contains(zoneOfNewIp.get(ip))).map(latencies::get).toList();
    }

    private static String max(List<Long> values) {
        return values.isEmpty() || values.contains(null) ? "never" : String.valueOf(values.stream().mapToLong(Long::longValue).max().getAsLong());
    }

    private static String orNever(Long seconds) {
        return seconds == null ? "never" : String.valueOf(seconds);
    }
}
