package io.e6link.stack;

import io.e6link.testing.PackagedFunction;
import io.e6link.testing.aws.TargetHealthModel;
import io.e6link.testing.aws.TargetHealthModel.TargetState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
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
     * @param scheduleMinutes the reconciler's EventBridge schedule, rate(n minutes)
     * @param eventDelay      CloudTrail → EventBridge delivery delay of the ENI-change rule, or null when the rule is off
     * @param eks             how EKS replaces the ENIs
     */
    record Settings(int scheduleMinutes, Duration eventDelay, ControlPlaneReplacement.Mode eks) {
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
     * @param healthyDeregistered  DeregisterTargets of targets that were healthy at that instant
     * @param unusedTargetSeconds  target-seconds in state unused (ENIs in zones the NLB does not enable)
     * @param convergedAfter       seconds until EKS was done and every target was healthy or unused, none draining; -1 if never
     * @param reconcilerRuns       invocations of the reconciler
     * @param reconcilerMillis     real milliseconds the reconciler invocations took, in all
     */
    record Result(Settings settings, Map<String, Long> registrationLatency, Map<String, Long> healthyLatency, long zeroHealthySeconds,
                  long noServingSeconds, long healthyDeregistered, long unusedTargetSeconds, long convergedAfter, int reconcilerRuns,
                  long reconcilerMillis) {
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
        Map<String, Long> healthyLatency = new LinkedHashMap<>();
        TreeMap<Long, String> eventRuns = new TreeMap<>();
        long zeroHealthy = 0;
        long noServing = 0;
        long unused = 0;
        long converged = -1;
        int runs = 0;
        long millis = 0;
        for (long t = 0; t <= limitSeconds; t++) {
            Map<String, String> states = states();
            for (ControlPlaneReplacement.EniChange change : eks.step(t, start, ip -> "healthy".equals(states.get(ip)))) {
                if (change.eventName().startsWith("Create")) {
                    appeared.put(change.ip(), t);
                    liveIps.add(change.ip());
                } else {
                    liveIps.remove(change.ip());
                }
                if (settings.eventDelay() != null) {
                    eventRuns.putIfAbsent(t + settings.eventDelay().toSeconds(), change.eventName());
                }
            }
            boolean tick = t > 0 && t % interval == 0;
            String event = eventRuns.remove(t);
            if (tick || event != null) {
                // Runs at one instant of simulated time: a tick and an event in the same second make one run.
                PackagedFunction.Invocation run = tick ? stack.runScheduled("ReconcilerFunction")
                        : stack.runOnEvent("ReconcilerFunction", "AWS API Call via CloudTrail", "aws.ec2",
                        Map.of("eventSource", "ec2.amazonaws.com", "eventName", event), clock.instant().toString());
                runs++;
                millis += run.millis();
                if (run.error()) {
                    throw new AssertionError("reconciler run at second " + t + " failed: " + run.body() + "\n" + stack.functionLogs("ReconcilerFunction"));
                }
            }
            Map<String, String> now = states();
            for (Map.Entry<String, Long> eni : appeared.entrySet()) {
                if ("healthy".equals(now.get(eni.getKey())) && !healthyLatency.containsKey(eni.getKey())) {
                    healthyLatency.put(eni.getKey(), t - eni.getValue());
                }
            }
            long healthyTargets = now.values().stream().filter("healthy"::equals).count();
            long serving = now.entrySet().stream().filter(e -> e.getValue().equals("healthy") && liveIps.contains(e.getKey())).count();
            zeroHealthy += healthyTargets == 0 ? 1 : 0;
            noServing += serving == 0 ? 1 : 0;
            unused += now.values().stream().filter("unused"::equals).count();
            boolean settled = now.values().stream().allMatch(state -> state.equals("healthy") || state.equals("unused"))
                    && liveIps.stream().filter(coveredIps).allMatch(ip -> "healthy".equals(now.get(ip)));
            if (eks.done() && settled && eventRuns.isEmpty()) {
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
        return new Result(settings, registered, healthyLatency, zeroHealthy, noServing, healthyDeregistered, unused, converged, runs, millis);
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
