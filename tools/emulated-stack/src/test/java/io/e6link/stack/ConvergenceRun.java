package io.e6link.stack;

import io.e6link.kit.Json;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.aws.AwsClock;
import io.e6link.testing.aws.TargetHealthModel;
import io.e6link.testing.aws.TargetHealthModel.TargetState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One simulated EKS control-plane ENI replacement against the deployed stack, in one-second steps of
 * a simulated clock (no real sleeping): each second EKS acts ({@link ControlPlaneReplacement}), the
 * reconciler runs through its packaged Lambda handler at every schedule tick and, with CloudTrail
 * events on, {@code eventDelay} after each ENI change, and the target states are read from the strict
 * world's {@link TargetHealthModel}.
 */
final class ConvergenceRun {
    /** A second of simulated time that a test can step. */
    static final class SimulatedClock implements InstantSource {
        private Instant now;

        SimulatedClock(Instant start) {
            this.now = start;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(Duration step) {
            now = now.plus(step);
        }
    }

    /**
     * @param aws             AWS's clock the run plays (registration, deregistration, routing lag, event delivery)
     * @param scheduleMinutes the reconciler's EventBridge schedule, rate(n minutes)
     * @param eventDelay      CloudTrail → EventBridge delivery delay of the ENI-change rule, or null when the rule is off
     * @param eks             how EKS replaces the ENIs
     */
    record Settings(AwsClock aws, int scheduleMinutes, Duration eventDelay, ControlPlaneReplacement.Mode eks) {
        @Override
        public String toString() {
            return "Settings[aws=" + aws.label() + ", schedule=" + scheduleMinutes + " min, events " + eventsLabel() + ", eks=" + eks + "]";
        }

        String eventsLabel() {
            return eventDelay == null ? "off" : "on, " + eventDelay.toSeconds() + " s delay";
        }
    }

    /**
     * What one run measured, in simulated seconds.
     *
     * @param registrationLatency  new ENI IP → seconds from its appearance to the RegisterTargets that added it (absent: never registered)
     * @param healthyLatency       new ENI IP → seconds from its appearance to its target first reporting healthy (absent: never)
     * @param zeroHealthySeconds   seconds in which no target of the group reported healthy
     * @param noServingSeconds     seconds in which no target was both healthy and backed by an existing ENI
     * @param deadRoutedSeconds    seconds in which the NLB may still send new connections to a deleted ENI: its target
     *                             healthy, draining within AWS's deregistration lag, or unhealthy for less than
     *                             {@link AwsClock#unhealthyStillRouted()} (aws/containers-roadmap #470)
     * @param healthyDeregistered  DeregisterTargets of targets that were healthy at that instant
     * @param unusedTargetSeconds  target-seconds in state unused (ENIs in zones the NLB does not enable)
     * @param convergedAfter       seconds until EKS was done and every target was healthy or unused, none draining; -1 if never
     * @param reconcilerRuns       invocations of the reconciler
     * @param reconcilerMillis     real milliseconds the reconciler invocations took, in all
     * @param runsSeeingUnused     reconciler runs that started while a registered target was {@code unused}
     * @param runsMissingUnservable of those, runs whose summary (the UnservableTargets metric's value) reported 0 unservable targets
     */
    record Result(Settings settings, Map<String, Long> registrationLatency, Map<String, Long> healthyLatency, long zeroHealthySeconds,
                  long noServingSeconds, long deadRoutedSeconds, long healthyDeregistered, long unusedTargetSeconds, long convergedAfter, int reconcilerRuns,
                  long reconcilerMillis, long runsSeeingUnused, long runsMissingUnservable) {
    }

    private final EmulatedStack stack;
    private final TargetHealthModel health;
    private final SimulatedClock clock;
    private final String targetGroupArn;

    ConvergenceRun(EmulatedStack stack, TargetHealthModel health, SimulatedClock clock, String targetGroupArn) {
        this.stack = stack;
        this.health = health;
        this.clock = clock;
        this.targetGroupArn = targetGroupArn;
    }

    /**
     * Plays the replacement from second 0 (a schedule tick) until it has converged or {@code limitSeconds}.
     *
     * @param eks          EKS, ready to start at second {@code start}
     * @param liveIps      the IPs that have an ENI now (EKS keeps it current)
     * @param coveredIps   whether an IP lies in a zone the NLB enables (the others are reported as unused, not asserted)
     * @throws AssertionError when a reconciler run fails
     */
    Result play(Settings settings, ControlPlaneReplacement eks, long start, Set<String> liveIps, Predicate<String> coveredIps, long limitSeconds) {
        Instant runStart = clock.instant();
        long interval = settings.scheduleMinutes() * 60L;
        Map<String, Long> appeared = new LinkedHashMap<>();
        TreeMap<Long, List<Map<String, Object>>> pendingEvents = new TreeMap<>();
        Tally tally = new Tally(settings.aws());
        long converged = -1;
        for (long t = 0; t <= limitSeconds; t++) {
            Map<String, String> before = states();
            for (ControlPlaneReplacement.EniChange change : eks.step(t, start, ip -> "healthy".equals(before.get(ip)))) {
                if (change.eventName().startsWith("Create")) {
                    appeared.put(change.ip(), t);
                    liveIps.add(change.ip());
                } else {
                    liveIps.remove(change.ip());
                }
                if (settings.eventDelay() != null) {
                    pendingEvents.computeIfAbsent(t + settings.eventDelay().toSeconds(), at -> new ArrayList<>()).add(change.detail());
                }
            }
            reconcile(t, t > 0 && t % interval == 0, pendingEvents.getOrDefault(t, List.of()), tally);
            pendingEvents.remove(t);
            Map<String, String> now = states();
            Map<String, String> stateAtDeregistration = new LinkedHashMap<>();
            health.deregistrations().forEach(d -> stateAtDeregistration.put(d.ip(), d.stateBefore()));
            tally.second(t, now, appeared, liveIps, stateAtDeregistration);
            boolean settled = now.values().stream().allMatch(state -> state.equals("healthy") || state.equals("unused"))
                    && liveIps.stream().filter(coveredIps).allMatch(ip -> "healthy".equals(now.get(ip)));
            // Events still in flight then only start reconciler runs that find nothing to do: not waited for.
            if (eks.done() && settled) {
                converged = t;
                break;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        Map<String, Long> registered = new LinkedHashMap<>();
        for (TargetHealthModel.Registration registration : health.registrations()) {
            Long at = appeared.get(registration.ip());
            if (at != null && !registration.at().isBefore(runStart.plusSeconds(at))) {
                registered.putIfAbsent(registration.ip(), Duration.between(runStart, registration.at()).toSeconds() - at);
            }
        }
        long healthyDeregistered = health.deregistrations().stream()
                .filter(d -> !d.at().isBefore(runStart) && "healthy".equals(d.stateBefore())).count();
        return new Result(settings, registered, tally.healthyLatency, tally.zeroHealthy, tally.noServing, tally.deadRouted, healthyDeregistered, tally.unused,
                converged, tally.runs, tally.millis, tally.runsSeeingUnused, tally.runsMissingUnservable);
    }

    /** Runs the reconciler for a schedule tick and for each CloudTrail event due at second {@code t}, all at the same simulated instant. */
    private void reconcile(long t, boolean tick, List<Map<String, Object>> events, Tally tally) {
        boolean unusedBefore = health.describe(targetGroupArn).stream().anyMatch(state -> "unused".equals(state.state()));
        List<PackagedFunction.Invocation> invocations = new ArrayList<>();
        if (tick) {
            invocations.add(stack.runScheduled("ReconcilerFunction"));
        }
        for (Map<String, Object> event : events) {
            invocations.add(stack.runOnEvent("ReconcilerFunction", "AWS API Call via CloudTrail", "aws.ec2", event, clock.instant().toString()));
        }
        for (PackagedFunction.Invocation run : invocations) {
            tally.runs++;
            tally.millis += run.millis();
            if (run.error()) {
                throw new AssertionError("reconciler run at second " + t + " failed: " + run.body() + "\n" + stack.functionLogs("ReconcilerFunction"));
            }
            // The run's answer is its summary line; unservableTargets is the value of the UnservableTargets metric.
            if (unusedBefore) {
                tally.runsSeeingUnused++;
                Object unservable = Json.readObject(run.body()).get("unservableTargets");
                if (!(unservable instanceof Number number) || number.longValue() < 1) {
                    tally.runsMissingUnservable++;
                }
            }
        }
    }

    /** The per-second counts of one run. */
    private static final class Tally {
        final Map<String, Long> healthyLatency = new LinkedHashMap<>();
        /** IP → its target's last state, and the second until which the NLB may still send it new connections. */
        final Map<String, String> lastState = new LinkedHashMap<>();
        final Map<String, Long> routedUntil = new LinkedHashMap<>();
        final long unhealthyRouted;
        final long deregistrationLag;
        long zeroHealthy;
        long noServing;
        long deadRouted;
        long unused;
        int runs;
        long millis;
        long runsSeeingUnused;
        long runsMissingUnservable;

        Tally(AwsClock aws) {
            this.unhealthyRouted = aws.unhealthyStillRouted().toSeconds();
            this.deregistrationLag = aws.deregistration().toSeconds();
        }

        /**
         * Counts second {@code t} with the target states {@code now} (IP → state); {@code stateAtDeregistration}: IP → the
         * state its target was in when it was last deregistered (it may have turned unhealthy within the same second).
         */
        void second(long t, Map<String, String> now, Map<String, Long> appeared, Set<String> liveIps, Map<String, String> stateAtDeregistration) {
            appeared.forEach((ip, at) -> {
                if ("healthy".equals(now.get(ip))) {
                    healthyLatency.putIfAbsent(ip, t - at);
                }
            });
            zeroHealthy += now.containsValue("healthy") ? 0 : 1;
            noServing += now.entrySet().stream().anyMatch(e -> e.getValue().equals("healthy") && liveIps.contains(e.getKey())) ? 0 : 1;
            unused += now.values().stream().filter("unused"::equals).count();
            now.forEach((ip, state) -> {
                String before = lastState.put(ip, state);
                if (state.equals(before)) {
                    return;
                }
                // Until when the NLB may still send this target new connections, from this change on.
                boolean routedBefore = routedUntil.getOrDefault(ip, Long.MIN_VALUE) > t;
                switch (state) {
                    case "healthy" -> routedUntil.put(ip, Long.MAX_VALUE);
                    case "unhealthy" -> routedUntil.put(ip, routedBefore ? Math.min(routedUntil.get(ip), t + unhealthyRouted) : t);
                    // A target deregistered while it still received connections keeps receiving them for AWS's deregistration lag.
                    case "draining" -> {
                        String at = stateAtDeregistration.getOrDefault(ip, before);
                        if ("unhealthy".equals(at) && "healthy".equals(before)) {
                            // Turned unhealthy and was deregistered within this second: routed for the unhealthy lag only.
                            routedUntil.put(ip, t + unhealthyRouted);
                        } else {
                            routedUntil.put(ip, routedBefore ? Math.min(routedUntil.get(ip), t + deregistrationLag) : t);
                        }
                    }
                    default -> routedUntil.put(ip, t);
                }
            });
            deadRouted += now.keySet().stream().anyMatch(ip -> !liveIps.contains(ip) && routedUntil.getOrDefault(ip, Long.MIN_VALUE) > t) ? 1 : 0;
        }
    }

    /** Target IP → state, as DescribeTargetHealth would answer now. */
    private Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        for (TargetState state : health.describe(targetGroupArn)) {
            states.put(state.ip(), state.state());
        }
        return states;
    }
}
