package io.e6link.endpointservice;

import io.e6link.kit.Deadline;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How long and how often to poll: exponential backoff from {@code firstPause} to {@code maxPause}, the
 * bound on waiting for healthy targets, and the bound on waiting, on Delete, for rejected connections to
 * leave the states that block deleting the endpoint service. Tests pass millisecond values; Lambda uses
 * {@link #LAMBDA}.
 */
record Pacing(Duration firstPause, Duration maxPause, Duration targetWait, Duration closeWait) {
    /**
     * New targets sit in "initial" up to ~3 minutes; two minutes covers the usual case without hogging the
     * deploy. A rejected connection leaves Available within seconds; five minutes is generous, and the
     * Lambda deadline bounds it further.
     */
    static final Pacing LAMBDA = new Pacing(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofSeconds(120), Duration.ofMinutes(5));
    /** Kept back from the kit's deadline so a bounded wait ends with its own reason, not the kit's timeout. */
    static final Duration RESERVE = Duration.ofSeconds(5);

    /** The wait bound: {@code wanted}, or less when the Lambda deadline comes sooner. */
    Duration bound(Duration wanted, Deadline deadline) {
        long available = Math.max(0, deadline.remainingMillis() - RESERVE.toMillis());
        return Duration.ofMillis(Math.min(wanted.toMillis(), available));
    }

    /** Probes until {@code done} holds or {@code bound} has passed; returns the last probe either way. */
    <T> T poll(Deadline deadline, Duration bound, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + bound.toNanos();
        Duration pause = firstPause;
        while (true) {
            T result = probe.get();
            long left = (end - System.nanoTime()) / 1_000_000;
            if (done.test(result) || left <= 0) {
                return result;
            }
            if (!deadline.sleep(Duration.ofMillis(Math.min(pause.toMillis(), left)))) {
                return result;
            }
            pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
        }
    }
}
