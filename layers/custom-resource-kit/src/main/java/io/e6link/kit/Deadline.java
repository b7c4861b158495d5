package io.e6link.kit;

import java.time.Clock;
import java.time.Duration;

/**
 * The time a resource may use before the kit answers FAILED on its behalf. Waits and polls ask it
 * how long they may still take, and record which step they are in so the timeout reason says so.
 */
public final class Deadline {
    private final Clock clock;
    private final long startMillis;
    private final long budgetEndMillis;
    private volatile String step = "starting";

    public Deadline(Clock clock, Duration budget) {
        this.clock = clock;
        this.startMillis = clock.millis();
        this.budgetEndMillis = startMillis + Math.max(0, budget.toMillis());
    }

    public static Deadline after(Duration budget) {
        return new Deadline(Clock.systemUTC(), budget);
    }

    public long remainingMillis() {
        return Math.max(0, budgetEndMillis - clock.millis());
    }

    public long elapsedMillis() {
        return clock.millis() - startMillis;
    }

    public boolean hasAtLeast(Duration duration) {
        return remainingMillis() >= duration.toMillis();
    }

    /** Names what the resource is doing now; used in the timeout reason and the progress log. */
    public void step(String description) {
        this.step = description;
    }

    public String currentStep() {
        return step;
    }

    /** Sleeps for {@code wanted}, or less if the budget ends sooner; false when no time is left. */
    public boolean sleep(Duration wanted) {
        long millis = Math.min(wanted.toMillis(), remainingMillis());
        if (millis <= 0) {
            return false;
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CustomResourceException("Interrupted while " + step + ".", e);
        }
    }
}
