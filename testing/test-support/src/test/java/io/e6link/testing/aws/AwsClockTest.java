package io.e6link.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsClockTest {
    @Test
    void everyTimingTheEmulatedWorldPlaysIsInTheFileWithBothEndsAndASource() {
        AwsClock slow = AwsClock.slow();
        assertThat(slow.timings().keySet()).contains("targetRegistration", "deregistration", "unhealthyStillRouted", "loadBalancerProvisioning",
                "endpointServiceProvisioning", "endpointConnectionAvailable", "cloudTrailToEventBridge", "nativeResource", "iamPropagation");
        slow.timings().values().forEach(timing -> {
            assertThat(timing.fast()).as(timing.name()).isLessThanOrEqualTo(timing.slow());
            assertThat(timing.sources()).as(timing.name()).isNotEmpty();
            assertThat(timing.defaultEnd()).as(timing.name() + ": the slow end of the evidence by default").isEqualTo(AwsClock.End.SLOW);
        });
    }

    @Test
    void theSlowEndIsTheSlowEndOfTheFieldEvidenceAndTheStandardClockPlaysIt() {
        assertThat(AwsClock.slow().targetRegistration()).as("AWS Support in aws-load-balancer-controller #1834: 180-300 s").isEqualTo(Duration.ofSeconds(300));
        assertThat(AwsClock.fast().targetRegistration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(AwsClock.slow().deregistration()).isEqualTo(Duration.ofSeconds(300));
        assertThat(AwsClock.fast().deregistration()).as("about 2 minutes whatever the delay").isEqualTo(Duration.ofSeconds(120));
        assertThat(AwsClock.slow().unhealthyStillRouted()).isEqualTo(Duration.ofSeconds(40));
        assertThat(AwsClock.fast().unhealthyStillRouted()).isEqualTo(Duration.ofSeconds(30));
        assertThat(AwsClock.standard().targetRegistration()).isEqualTo(AwsClock.slow().targetRegistration());
        assertThat(AwsClock.standard().iamPropagation()).isEqualTo(Duration.ofSeconds(60));
        assertThat(AwsClock.standard().label()).isEqualTo("slow end, the default");
        assertThat(AwsClock.fast().label()).isEqualTo("fast");
    }

    @Test
    void aBrokenFileIsRefusedNamingTheTimingAndTheField() {
        assertThatThrownBy(() -> AwsClock.parse(Map.of("timings", Map.of("x", Map.of("fastSeconds", 10, "slowSeconds", 5, "default", "slow",
                "sources", List.of("s"))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timing x: fastSeconds 10 is above slowSeconds 5");
        assertThatThrownBy(() -> AwsClock.parse(Map.of("timings", Map.of("x", Map.of("fastSeconds", 1, "slowSeconds", 5, "default", "slow",
                "sources", List.of())))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timing x names no source");
        assertThatThrownBy(() -> AwsClock.parse(Map.of("timings", Map.of("x", Map.of("fastSeconds", -1, "slowSeconds", 5, "default", "slow",
                "sources", List.of("s"))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("timing x: fastSeconds must be a whole number of seconds");
        assertThatThrownBy(() -> AwsClock.slow().duration("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("aws-clock.json has no timing nope");
    }
}
