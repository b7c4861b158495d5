package io.e6link.endpointservice;

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
     * New targets sit in "initial" up to ~3 minutes; two minutes covers the usual case without hogging the
     * deploy. A rejected connection leaves Available within seconds; five minutes is generous, and the
     * Lambda deadline bounds it further.
     */
    static final Pacing LAMBDA = new Pacing(Polling.withBackoff(Polling.STATE_CHANGE), Duration.ofSeconds(120), Duration.ofMinutes(5));
    /** Kept back from the kit's deadline so a bounded wait ends with its own reason, not the kit's timeout. */
    static final Duration RESERVE = Duration.ofSeconds(5);

    /** The wait bound: {@code wanted}, or less when the Lambda deadline comes sooner. */
    Duration bound(Duration wanted, Deadline deadline) {
        return Polling.bound(wanted, deadline, RESERVE);
    }
}
