package io.e6link.eksenitargets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one reconcile changes in the target group, decided from the cluster's current control-plane
 * ENI IPs and the targets DescribeTargetHealth reported on the port; no calls, no state.
 *
 * <p>The rules: a current ENI IP that is not an active target (absent, or {@code draining} /
 * {@code unhealthy.draining}, i.e. on its way out) is registered at once. A target that is not a
 * current ENI is deregistered only when its state is in {@link #REMOVABLE_STATES}; a draining one is
 * already leaving and is left to finish (deregistering it again would be a write on every run of the
 * deregistration delay, and ELB's answer to it is not documented consistently — docs/aws-rules.md 11f);
 * in any other state ({@code healthy}, {@code initial}, {@code unavailable}, ...) it is kept, because
 * during an EKS upgrade the old ENIs keep serving until EKS removes them. ELB's target states and their reasons:
 * ELB API Reference, "TargetHealth", https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 *
 * @param toRegister   current ENI IPs to register, sorted
 * @param toDeregister targets that are not current ENIs and are unhealthy or unused, sorted
 * @param keptStale    targets that are not current ENIs, not draining, and left alone for now, sorted
 */
record TargetPlan(List<String> toRegister, SortedSet<String> toDeregister, SortedSet<String> keptStale) {
    /** States in which a target that is not a current ENI is deregistered. */
    static final Set<String> REMOVABLE_STATES = Set.of("unhealthy", "unused");

    TargetPlan {
        toRegister = List.copyOf(toRegister);
        toDeregister = Collections.unmodifiableSortedSet(new TreeSet<>(toDeregister));
        keptStale = Collections.unmodifiableSortedSet(new TreeSet<>(keptStale));
    }

    /**
     * @param currentIps the IPv4 addresses of the cluster's current control-plane ENIs
     * @param observed   the targets registered on the reconciled port, with their health state
     */
    static TargetPlan of(Collection<String> currentIps, List<TargetGroupTargets.Target> observed) {
        Set<String> current = new TreeSet<>(currentIps);
        Set<String> active = new TreeSet<>();
        SortedSet<String> toDeregister = new TreeSet<>();
        SortedSet<String> keptStale = new TreeSet<>();
        for (TargetGroupTargets.Target target : observed) {
            if (!target.isDraining()) {
                active.add(target.ip());
            }
            if (!current.contains(target.ip()) && !target.isDraining()) {
                if (REMOVABLE_STATES.contains(target.state())) {
                    toDeregister.add(target.ip());
                } else {
                    keptStale.add(target.ip());
                }
            }
        }
        List<String> toRegister = new ArrayList<>(current);
        toRegister.removeAll(active);
        return new TargetPlan(toRegister, toDeregister, keptStale);
    }
}
