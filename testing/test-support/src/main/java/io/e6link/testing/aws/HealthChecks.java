package io.e6link.testing.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The active health checks of one target group, as the ELB guides describe them: a check every
 * {@code interval}; a target becomes {@code healthy} after {@code healthyThreshold} consecutive
 * passes and {@code unhealthy} after {@code unhealthyThreshold} consecutive failures, starting from
 * {@code initial} (ELB guide, "Health checks for Network Load Balancer target groups"; CreateTargetGroup
 * API reference for the NLB defaults: TCP interval 30 s, healthy threshold 5, unhealthy threshold 2).
 *
 * @param interval           time between two checks of one target (HealthCheckIntervalSeconds)
 * @param healthyThreshold   consecutive passes that make a target healthy (HealthyThresholdCount)
 * @param unhealthyThreshold consecutive failures that make a target unhealthy (UnhealthyThresholdCount)
 */
public record HealthChecks(Duration interval, int healthyThreshold, int unhealthyThreshold) {
    /** What the checks have concluded about a target so far. */
    public enum Verdict { INITIAL, HEALTHY, UNHEALTHY }

    /** NLB defaults for a TCP target group (CreateTargetGroup API reference). */
    public static final HealthChecks NLB_TCP_DEFAULTS = new HealthChecks(Duration.ofSeconds(30), 5, 2);

    public HealthChecks {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("healthyThreshold and unhealthyThreshold must be at least 1, were "
                    + healthyThreshold + " and " + unhealthyThreshold);
        }
    }

    /**
     * Replays the checks made from {@code checksStart} (the first check is one interval later) up to
     * {@code now}.
     *
     * @param reachable whether the target answers a check made at the given instant (its ENI exists)
     * @return INITIAL until a threshold is reached, then the last threshold reached
     */
    public Verdict verdict(Instant checksStart, Predicate<Instant> reachable, Instant now) {
        Verdict verdict = Verdict.INITIAL;
        int passes = 0;
        int failures = 0;
        for (Instant check = checksStart.plus(interval); !check.isAfter(now); check = check.plus(interval)) {
            if (reachable.test(check)) {
                passes++;
                failures = 0;
                if (passes >= healthyThreshold) {
                    verdict = Verdict.HEALTHY;
                }
            } else {
                failures++;
                passes = 0;
                if (failures >= unhealthyThreshold) {
                    verdict = Verdict.UNHEALTHY;
                }
            }
        }
        return verdict;
    }
}
