package io.e6link.acceptance;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Progress on the terminal: what the run is doing, what it waits for and for how long (elapsed and
 * the bound), one line each, timestamped in UTC. Goes to stderr so stdout stays free for the summary.
 */
public final class Progress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private final PrintStream out;
    private final Clock clock;

    public Progress(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** A step that starts now. */
    public void step(String what) {
        out.println(TIME.format(clock.instant()) + " " + what);
        out.flush();
    }

    /** Announces a wait: what for and the most it will wait. Returns the start, for {@link #waited}. */
    public Instant waiting(String forWhat, Duration atMost) {
        Instant start = clock.instant();
        out.println(TIME.format(start) + "   waiting for " + forWhat + " (up to " + human(atMost) + ")");
        out.flush();
        return start;
    }

    /** A still-waiting line (at most one a minute is useful): elapsed so far and the latest state seen. */
    public void still(String forWhat, Instant since, String state) {
        out.println(TIME.format(clock.instant()) + "   still waiting for " + forWhat + " after " + human(Duration.between(since, clock.instant()))
                + (state == null ? "" : ": " + state));
        out.flush();
    }

    /** The end of a wait, with how long it took. */
    public Duration waited(String forWhat, Instant since, String outcome) {
        Duration took = Duration.between(since, clock.instant());
        out.println(TIME.format(clock.instant()) + "   " + forWhat + ": " + outcome + " after " + human(took));
        out.flush();
        return took;
    }

    public Clock clock() {
        return clock;
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }
}
