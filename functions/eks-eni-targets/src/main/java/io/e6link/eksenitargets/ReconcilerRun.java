package io.e6link.eksenitargets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one reconcile saw and did, filled in as it goes so that a run failing half-way (throttled,
 * say) still reports what it had already changed.
 */
final class ReconcilerRun {
    /** DescribeTargetHealth states of a registered target that cannot serve; draining ones are on their way out. */
    static final Set<String> UNSERVABLE_STATES = Set.of("unused", "unhealthy");
    final List<String> currentIps = new ArrayList<>();
    final List<TargetGroupTargets.Target> observed = new ArrayList<>();
    final Set<String> added = new TreeSet<>();
    final Set<String> removed = new TreeSet<>();
    /** Not current ENIs but still healthy or initial: left alone until they fail or drain. */
    final Set<String> keptStale = new TreeSet<>();
    boolean observedTargets;

    /** Targets on the port after this run: active ones, minus removed, plus added. */
    int registeredTargets() {
        Set<String> registered = new TreeSet<>();
        observed.stream().filter(target -> !target.isDraining()).forEach(target -> registered.add(target.ip()));
        registered.removeAll(removed);
        registered.addAll(added);
        return registered.size();
    }

    /**
     * Targets that stay registered after this run (not draining, not removed by it) but cannot carry
     * traffic: {@code unused} (its zone is not enabled on the NLB, or the group serves no listener) or
     * {@code unhealthy} (failing health checks). Targets this run added are {@code initial} and not
     * counted. States per ELB's TargetHealth API reference.
     */
    int unservableTargets() {
        return (int) observed.stream().filter(target -> UNSERVABLE_STATES.contains(target.state()) && !removed.contains(target.ip())).count();
    }

    int healthyTargets() {
        return (int) observed.stream().filter(target -> "healthy".equals(target.state()) && !removed.contains(target.ip())).count();
    }

    /** Differences between ENIs and targets found at the start of the run (0 in steady state). */
    int eniDrift() {
        Set<String> current = new TreeSet<>(currentIps);
        Set<String> active = new TreeSet<>();
        observed.stream().filter(target -> !target.isDraining()).forEach(target -> active.add(target.ip()));
        Set<String> observedIps = new TreeSet<>();
        observed.forEach(target -> observedIps.add(target.ip()));
        long missing = current.stream().filter(ip -> !active.contains(ip)).count();
        long stale = observedIps.stream().filter(ip -> !current.contains(ip)).count();
        return (int) (missing + stale);
    }

    Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("eniIps", currentIps);
        fields.put("added", added);
        fields.put("removed", removed);
        fields.put("keptStale", keptStale);
        if (observedTargets) {
            fields.put("registeredTargets", registeredTargets());
            fields.put("healthyTargets", healthyTargets());
            fields.put("unservableTargets", unservableTargets());
            fields.put("eniDrift", eniDrift());
        }
        return fields;
    }
}
