package io.e6link.acceptance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Repeats a deletion AWS refuses for a while (a subnet whose Lambda ENIs are still being released). */
final class Retry {
    private Retry() {
    }

    /**
     * Runs {@code action} until it succeeds or {@code atMost} has passed, every {@code every}.
     *
     * @throws Exception the last failure, when time ran out
     */
    static void until(String what, Duration atMost, Duration every, Progress progress, Ledger.Deletion action) throws Exception {
        Clock clock = progress.clock();
        Instant start = clock.instant();
        Exception last;
        boolean announced = false;
        while (true) {
            try {
                action.delete();
                return;
            } catch (Exception e) {
                last = e;
            }
            if (!clock.instant().plus(every).isBefore(start.plus(atMost))) {
                throw last;
            }
            if (!announced) {
                progress.waiting(what + " (" + last.getMessage() + ")", atMost);
                announced = true;
            }
            Thread.sleep(every.toMillis());
        }
    }
}
