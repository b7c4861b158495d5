package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-run metrics computed from what DescribeTargetHealth reported and what the run changed. */
class ReconcilerRunTest {

    @ParameterizedTest(name = "{0} target, removed by the run: {1} -> unservable {2}")
    @CsvSource({
            "unused, false, 1",
            "unhealthy, false, 1",
            "unused, true, 0",
            "unhealthy, true, 0",
            "healthy, false, 0",
            "initial, false, 0",
            "draining, false, 0",
            "unhealthy.draining, false, 0",
            "unavailable, false, 0"})
    void aTargetIsUnservableWhenItStaysRegisteredUnusedOrUnhealthy(String state, boolean removedByRun, int unservable) {
        ReconcilerRun run = new ReconcilerRun();
        run.observed.add(new TargetGroupTargets.Target("10.0.1.10", state, null));
        if (removedByRun) {
            run.removed.add("10.0.1.10");
        }

        assertThat(run.unservableTargets()).isEqualTo(unservable);
    }

    @Test
    void aRollingUpgradeHalfWayCountsOnlyTheTargetsLeftThatCannotServe() {
        ReconcilerRun run = new ReconcilerRun();
        run.currentIps.addAll(List.of("10.0.1.10", "10.0.2.10", "10.0.3.10"));
        run.observed.addAll(List.of(
                new TargetGroupTargets.Target("10.0.1.10", "healthy", null),
                new TargetGroupTargets.Target("10.0.2.10", "unused", "Target.NotInUse"),
                new TargetGroupTargets.Target("10.0.9.1", "unhealthy", "Target.FailedHealthChecks"),
                new TargetGroupTargets.Target("10.0.9.2", "unhealthy", "Target.FailedHealthChecks"),
                new TargetGroupTargets.Target("10.0.9.3", "draining", "Target.DeregistrationInProgress")));
        run.observedTargets = true;
        run.added.add("10.0.3.10");
        run.removed.addAll(List.of("10.0.9.1", "10.0.9.3"));

        assertThat(run.unservableTargets()).isEqualTo(2);
        assertThat(run.healthyTargets()).isEqualTo(1);
        assertThat(run.fields()).containsEntry("unservableTargets", 2).containsEntry("registeredTargets", 4);
        assertThat(ReconcilerMetrics.document("prod", run, 0L)).containsEntry("UnservableTargets", 2);
        assertThat(ReconcilerMetrics.NAMES).contains("UnservableTargets");
    }
}
