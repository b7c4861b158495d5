package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How the measured values come out of the samples: registration and initial -> healthy seconds per target,
 * the overlap of old and new control-plane ENIs, and e6data's failed probes during the upgrade.
 */
class SamplingTest {
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void registrationIsMeasuredFromFirstSeenToPastRegistrationAndToHealthy() {
        List<Sampler.Sample> samples = List.of(
                sample(0, Map.of("10.0.1.10", "initial/Elb.RegistrationInProgress"), Set.of()),
                sample(65, Map.of("10.0.1.10", "initial/Elb.InitialHealthChecking", "10.0.2.10", "initial/Elb.RegistrationInProgress"), Set.of()),
                sample(100, Map.of("10.0.1.10", "healthy/", "10.0.2.10", "initial/Elb.RegistrationInProgress"), Set.of()),
                sample(200, Map.of("10.0.1.10", "healthy/", "10.0.2.10", "unhealthy/Target.Timeout"), Set.of()));

        Map<String, double[]> registration = Sampler.registration(samples);

        assertThat(registration.get("10.0.1.10")).containsExactly(65.0, 100.0);
        assertThat(registration.get("10.0.2.10")).as("past registration at 200 s, never healthy").containsExactly(135.0, -1.0);
    }

    @Test
    void theEniOverlapIsTheSpanWhereAnOldAndANewEniBothExist() {
        List<Sampler.Sample> samples = List.of(
                sample(0, Map.of(), Set.of("10.0.1.10", "10.0.2.10")),
                sample(30, Map.of(), Set.of("10.0.1.10", "10.0.2.10", "10.0.2.20")),
                sample(90, Map.of(), Set.of("10.0.2.10", "10.0.2.20", "10.0.3.20")),
                sample(120, Map.of(), Set.of("10.0.2.20", "10.0.3.20")));

        assertThat(Sampler.eniOverlap(samples)).isEqualTo(60.0);
        assertThat(samples.get(1).healthy()).isZero();
    }

    @Test
    void theDataPathSamplerCountsRefusedProbesAndIgnoresProbesThatCouldNotRun() throws Exception {
        Deque<Integer> script = new ArrayDeque<>(List.of(200, 0, -1, 403, 0, 200));
        World.DataPath path = (endpoint, attempts) -> {
            Integer next = script.poll();
            if (next == null) {
                return List.of(200);
            }
            if (next < 0) {
                throw new IllegalStateException("TooManyRequestsException");
            }
            return List.of(next);
        };
        DataPathSampler sampler = new DataPathSampler(path, "vpce-1", Clock.systemUTC());
        sampler.every(Duration.ofMillis(5));
        while (!script.isEmpty()) {
            Thread.sleep(5);
        }
        sampler.close();

        assertThat(sampler.failures()).isEqualTo(2);
        assertThat(sampler.attempts()).isGreaterThanOrEqualTo(5);
        assertThat(sampler.failureWindow()).contains(" to ");
    }

    private static Sampler.Sample sample(long seconds, Map<String, String> targets, Set<String> enis) {
        return new Sampler.Sample(T0.plusSeconds(seconds), targets, enis);
    }
}
