package io.e6link.acceptance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * e6data's view during the EKS upgrade (the runbook's curl loop): one GET /readyz through the endpoint
 * every few seconds on its own thread, each answer kept with its time. 0 (refused, timed out, TLS
 * failure) counts as a failure; 200, 401 and 403 reached the API server.
 */
final class DataPathSampler implements AutoCloseable {
    private record Answer(Instant at, int code) {
    }

    private final World.DataPath path;
    private final String endpoint;
    private final Clock clock;
    private final List<Answer> answers = new ArrayList<>();
    private Periodic schedule;

    DataPathSampler(World.DataPath path, String endpoint, Clock clock) {
        this.path = path;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** Probes once every {@code every} until {@link #close()}. */
    void every(Duration every) {
        schedule = Periodic.start("e6link-acceptance-data-path", every, Duration.ofSeconds(30), this::probeOnce);
    }

    private void probeOnce() {
        int code;
        try {
            code = path.probe(endpoint, 1).get(0);
        } catch (RuntimeException e) {
            return; // the probe itself failed (Lambda throttled, say): not counted
        }
        if (code < 0) {
            return;
        }
        synchronized (answers) {
            answers.add(new Answer(clock.instant(), code));
        }
    }

    long attempts() {
        synchronized (answers) {
            return answers.size();
        }
    }

    long failures() {
        synchronized (answers) {
            return answers.stream().filter(a -> a.code() == 0).count();
        }
    }

    /** From the first to the last failed probe, in UTC. */
    String failureWindow() {
        synchronized (answers) {
            List<Answer> failed = answers.stream().filter(a -> a.code() == 0).toList();
            return failed.isEmpty() ? "none" : failed.get(0).at() + " to " + failed.get(failed.size() - 1).at();
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
    }
}
