package io.e6link.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.testing.aws.HealthChecks.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The health-check replay behind the target health model: thresholds count consecutive checks, one per interval. */
class HealthChecksTest {
    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");
    private final HealthChecks checks = new HealthChecks(Duration.ofSeconds(10), 3, 2);

    @Test
    void aTargetThatNeverAnswersGoesFromInitialToUnhealthyAfterUnhealthyThresholdChecks() {
        assertThat(checks.verdict(START, at -> false, START.plusSeconds(19))).isEqualTo(Verdict.INITIAL);
        assertThat(checks.verdict(START, at -> false, START.plusSeconds(20))).isEqualTo(Verdict.UNHEALTHY);
    }

    @Test
    void anUnhealthyTargetRecoversAfterHealthyThresholdConsecutivePassesAndOneFailureDoesNotResetAHealthyOne() {
        Instant back = START.plusSeconds(45);

        assertThat(checks.verdict(START, at -> at.isAfter(back), START.plusSeconds(60))).as("passes at 50, 60: two of three").isEqualTo(Verdict.UNHEALTHY);
        assertThat(checks.verdict(START, at -> at.isAfter(back), START.plusSeconds(70))).isEqualTo(Verdict.HEALTHY);
        assertThat(checks.verdict(START, at -> !at.equals(START.plusSeconds(40)), START.plusSeconds(45))).as("one failure after three passes")
                .isEqualTo(Verdict.HEALTHY);
    }

    @Test
    void anIntervalOrThresholdThatCannotBeIsRefusedNamingIt() {
        assertThatThrownBy(() -> new HealthChecks(Duration.ZERO, 3, 3)).hasMessageContaining("interval");
        assertThatThrownBy(() -> new HealthChecks(Duration.ofSeconds(10), 0, 3)).hasMessageContaining("healthyThreshold");
    }
}
