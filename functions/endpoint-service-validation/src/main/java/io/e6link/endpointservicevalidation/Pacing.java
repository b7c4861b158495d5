package io.e6link.endpointservicevalidation;

import io.e6link.kit.Deadline;
import io.e6link.kit.Polling;
import java.time.Duration;

/**
 * How this function waits: the kit's {@link Polling}, the bound on waiting for healthy targets, and the
 * bound on waiting, on Delete, for rejected connections to leave the states that block deleting the
 * endpoint service. Lambda uses {@link #LAMBDA}; tests poll on a counter instead of sleeping.
 */
record Pacing(Polling polling, Duration targetWait, Duration closeWait) {
    /**
     * The target wait covers AWS's slow end for a first Create: NLB IP target registration takes up to 300 s
     * before health checks start (AWS Support, quoted in aws-load-balancer-controller #1834: "3-5 minutes";
     * testing/test-support's aws-clock.json), then the target group's 10 s × 3 checks: 330 s; seven minutes
     * leaves 90 s of margin and ends earlier once no target can still become healthy. It leaves the function's
     * 900 s Timeout room for the other checks; the connection wait gets what remains (its bound says so).
     * A rejected connection leaves Available within seconds; five minutes is generous, and the Lambda deadline
     * bounds it further.
     */
    static final Pacing LAMBDA = new Pacing(Polling.withBackoff(Polling.STATE_CHANGE), Duration.ofMinutes(7), Duration.ofMinutes(5));
    /** Kept back from the kit's deadline so a bounded wait ends with its own reason, not the kit's timeout. */
    static final Duration RESERVE = Duration.ofSeconds(5);

    /** The wait bound: {@code wanted}, or less when the Lambda deadline comes sooner. */
    Duration bound(Duration wanted, Deadline deadline) {
        return Polling.bound(wanted, deadline, RESERVE);
    }
}
