package io.e6link.stack;

import io.e6link.testing.aws.AwsClock;
import io.e6link.testing.aws.HealthChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long a stack Create that the emulated stack just ran would take on AWS's clock, and how much of
 * it is e6link's own work (issue 19 §6). CloudFormation starts a resource when everything it refers to
 * (Ref, GetAtt, Sub, DependsOn) is complete; each resource then takes
 * <ul>
 *   <li>a custom resource: its function's measured execution here (e6link's own work: the packaged
 *       function under the Lambda runtime interface client, cold start included, its AWS calls answered
 *       by moto), plus, for {@code Custom::EndpointServiceValidation}, the wait for the first healthy
 *       target: AWS's target registration ({@link AwsClock#targetRegistration()}) from the end of the
 *       {@code Custom::EksEniTargets} that registered the targets, then the target group's own interval ×
 *       healthy threshold (e6data's connection wait is not counted: it is e6data's time);</li>
 *   <li>a network load balancer: {@link AwsClock#loadBalancerProvisioning()}; an endpoint service:
 *       {@link AwsClock#endpointServiceProvisioning()}; any other native resource:
 *       {@link AwsClock#nativeResource()}.</li>
 * </ul>
 * The total is when the last resource completes; e6link's share is its function time on the critical
 * path (the chain of resources each of which waited for the one before) divided by that total.
 */
public final class AwsTimeline {
    /**
     * One resource on the timeline, in milliseconds from the start of the Create.
     *
     * @param logicalId   the resource's logical id
     * @param type        its resource type
     * @param startMillis when CloudFormation starts it
     * @param e6linkMillis e6link's function execution (0 for native resources)
     * @param awsMillis   AWS's own time (provisioning, target registration and checks)
     * @param after       the resource it waited for last (its critical predecessor), or null
     */
    public record Step(String logicalId, String type, long startMillis, long e6linkMillis, long awsMillis, String after) {
        /** When it completes. */
        public long endMillis() {
            return startMillis + e6linkMillis + awsMillis;
        }
    }

    private final AwsClock aws;
    private final Map<String, Step> steps;
    private final List<Step> criticalPath;

    private AwsTimeline(AwsClock aws, Map<String, Step> steps) {
        this.aws = aws;
        this.steps = steps;
        List<Step> path = new ArrayList<>();
        Step last = steps.values().stream().max(java.util.Comparator.comparingLong(Step::endMillis)).orElse(null);
        for (Step step = last; step != null; step = step.after() == null ? null : steps.get(step.after())) {
            path.add(step);
        }
        Collections.reverse(path);
        this.criticalPath = List.copyOf(path);
    }

    /**
     * Lays out a Create on AWS's clock.
     *
     * @param model          the template and its dependency graph, with the stack's parameters and conditions
     * @param created        logical ids of the resources the Create made, in creation order
     * @param functionMillis custom resource logical id → its function's measured execution in ms
     * @param properties     logical id → the resource's resolved properties (the target group's health checks)
     * @param aws            AWS's clock
     */
    static AwsTimeline of(StackModel model, List<String> created, Map<String, Long> functionMillis, Map<String, Map<String, Object>> properties,
                          AwsClock aws) {
        Map<String, Step> steps = new LinkedHashMap<>();
        long checks = firstHealthyChecks(model, created, properties).toMillis();
        for (String id : created) {
            String type = model.type(id);
            long start = 0;
            String after = null;
            for (String dependency : model.dependenciesOf(id)) {
                Step before = steps.get(dependency);
                if (before != null && before.endMillis() >= start) {
                    start = before.endMillis();
                    after = dependency;
                }
            }
            long e6link = 0;
            long awsMillis;
            if (CustomResourceChain.isCustomResource(type)) {
                e6link = functionMillis.getOrDefault(id, 0L);
                awsMillis = 0;
                if (type.equals("Custom::EndpointServiceValidation")) {
                    Step registering = steps.values().stream().filter(step -> step.type().equals("Custom::EksEniTargets"))
                            .max(java.util.Comparator.comparingLong(Step::endMillis)).orElse(null);
                    long registered = registering == null ? start : registering.endMillis();
                    awsMillis = Math.max(0, registered + aws.targetRegistration().toMillis() + checks - start - e6link);
                    if (awsMillis > 0 && registering != null) {
                        // The wait for the first healthy target ends the resource: the targets' registration is what it waited for.
                        after = registering.logicalId();
                    }
                }
            } else {
                awsMillis = switch (type) {
                    case "AWS::ElasticLoadBalancingV2::LoadBalancer" -> aws.loadBalancerProvisioning().toMillis();
                    case "AWS::EC2::VPCEndpointService" -> aws.endpointServiceProvisioning().toMillis();
                    default -> aws.nativeResource().toMillis();
                };
            }
            steps.put(id, new Step(id, type, start, e6link, awsMillis, after));
        }
        return new AwsTimeline(aws, steps);
    }

    /** Interval × healthy threshold of the stack's IP target group (NLB TCP defaults where unset). */
    private static Duration firstHealthyChecks(StackModel model, List<String> created, Map<String, Map<String, Object>> properties) {
        for (String id : created) {
            if (model.type(id).equals("AWS::ElasticLoadBalancingV2::TargetGroup")) {
                Map<String, Object> group = properties.getOrDefault(id, Map.of());
                HealthChecks defaults = HealthChecks.NLB_TCP_DEFAULTS;
                long interval = group.containsKey("HealthCheckIntervalSeconds")
                        ? Long.parseLong(String.valueOf(group.get("HealthCheckIntervalSeconds"))) : defaults.interval().toSeconds();
                long threshold = group.containsKey("HealthyThresholdCount")
                        ? Long.parseLong(String.valueOf(group.get("HealthyThresholdCount"))) : defaults.healthyThreshold();
                return Duration.ofSeconds(interval * threshold);
            }
        }
        return Duration.ZERO;
    }

    /** Every resource, in creation order. */
    public List<Step> steps() {
        return List.copyOf(steps.values());
    }

    /** The resources the Create waited for one after another, first to last. */
    public List<Step> criticalPath() {
        return criticalPath;
    }

    /** From the Create's start until its last resource completes, on AWS's clock. */
    public Duration total() {
        return Duration.ofMillis(criticalPath.isEmpty() ? 0 : criticalPath.getLast().endMillis());
    }

    /** e6link's function execution on the critical path. */
    public Duration e6linkOnCriticalPath() {
        return Duration.ofMillis(criticalPath.stream().mapToLong(Step::e6linkMillis).sum());
    }

    /** e6link's share of the total, 0 to 1. */
    public double e6linkShare() {
        long total = total().toMillis();
        return total == 0 ? 0 : (double) e6linkOnCriticalPath().toMillis() / total;
    }

    /**
     * The lines the local deploy and the stack test end with: total, e6link's share, and the critical path
     * with each step's AWS time since the step before it and its e6link time (the steps add up to the total).
     */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        String end = aws.label().contains("end") ? aws.label() : aws.label() + " end";
        lines.add(String.format(Locale.ROOT, "On AWS's clock (%s; aws-clock.json) this Create would take %s; e6link's own work on its critical path: "
                + "%.1f s (%.1f %%).", end, minutes(total()), e6linkOnCriticalPath().toMillis() / 1000.0, 100 * e6linkShare()));
        StringBuilder path = new StringBuilder("  critical path:");
        long previousEnd = 0;
        for (Step step : criticalPath) {
            // AWS's time from the step before it on the path, so the steps add up to the total: the first healthy
            // target is waited for from the end of the registration (EniTargets), not from when validation started.
            long awsSincePrevious = step.endMillis() - step.e6linkMillis() - previousEnd;
            path.append(String.format(Locale.ROOT, " %s (AWS %.0f s%s) →", step.logicalId(), awsSincePrevious / 1000.0,
                    step.e6linkMillis() == 0 ? "" : String.format(Locale.ROOT, ", e6link %.1f s", step.e6linkMillis() / 1000.0)));
            previousEnd = step.endMillis();
        }
        lines.add(path.substring(0, path.length() - 2));
        return lines;
    }

    private static String minutes(Duration duration) {
        long seconds = Math.round(duration.toMillis() / 1000.0);
        return seconds / 60 + " min " + seconds % 60 + " s";
    }
}
