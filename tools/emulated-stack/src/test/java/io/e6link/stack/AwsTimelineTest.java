package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Template;
import io.e6link.testing.aws.AwsClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's Create laid out on AWS's clock, on a template shaped like the stack's critical part. */
class AwsTimelineTest {
    private static final String TEMPLATE = """
            Resources:
              Discovery:
                Type: Custom::ClusterDiscovery
                Properties: {ServiceToken: x}
              TargetGroup:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties: {VpcId: !GetAtt Discovery.VpcId, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3}
              EniTargets:
                Type: Custom::EksEniTargets
                Properties: {ServiceToken: x, TargetGroupArn: !Ref TargetGroup}
              LoadBalancer:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: {Subnets: !GetAtt Discovery.SubnetIds}
              Listener:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: {LoadBalancerArn: !Ref LoadBalancer}
              EndpointValidation:
                Type: Custom::EndpointServiceValidation
                DependsOn: [EniTargets, Listener]
                Properties: {ServiceToken: x}
            """;
    private static final Map<String, Long> FUNCTION_MILLIS = Map.of("Discovery", 2000L, "EniTargets", 1000L, "EndpointValidation", 1000L);
    private static final Map<String, Map<String, Object>> PROPERTIES = Map.of("TargetGroup", Map.of("HealthCheckIntervalSeconds", "10",
            "HealthyThresholdCount", "3"));

    @TempDir
    Path dir;

    private AwsTimeline timeline(AwsClock aws) throws IOException {
        StackModel model = new StackModel(Template.load(Files.writeString(dir.resolve("template.yaml"), TEMPLATE)));
        return AwsTimeline.of(model, List.of("Discovery", "TargetGroup", "EniTargets", "LoadBalancer", "Listener", "EndpointValidation"),
                FUNCTION_MILLIS, PROPERTIES, aws);
    }

    @Test
    void atTheSlowEndTheFirstHealthyTargetEndsTheCreateAndTheRegistrationChainIsTheCriticalPath() throws IOException {
        AwsTimeline slow = timeline(AwsClock.slow());

        // Discovery 0-2 s, TargetGroup 2-17 s, EniTargets 17-18 s; LoadBalancer 2-302 s, Listener 302-317 s;
        // EndpointValidation from 317 s until the target registered at 18 s is healthy: 18 + 300 + 10 x 3 = 348 s.
        assertThat(slow.total()).isEqualTo(Duration.ofSeconds(348));
        assertThat(slow.criticalPath()).extracting(AwsTimeline.Step::logicalId)
                .containsExactly("Discovery", "TargetGroup", "EniTargets", "EndpointValidation");
        assertThat(slow.e6linkOnCriticalPath()).isEqualTo(Duration.ofSeconds(4));
        assertThat(slow.e6linkShare()).isCloseTo(4.0 / 348, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(slow.report().getFirst()).isEqualTo("On AWS's clock (slow end; aws-clock.json) this Create would take 5 min 48 s; "
                + "e6link's own work on its critical path: 4.0 s (1.1 %).");
        // The steps add up to the total: 2 + 15 + 1 + (330 waited from EniTargets' end, of which 1 s is e6link's).
        assertThat(slow.report().get(1)).isEqualTo("  critical path: Discovery (AWS 0 s, e6link 2.0 s) → TargetGroup (AWS 15 s) → "
                + "EniTargets (AWS 0 s, e6link 1.0 s) → EndpointValidation (AWS 329 s, e6link 1.0 s)");
    }

    @Test
    void atTheFastEndTheSameCreateTakesAMinuteAndAHalfAndE6linksShareGrows() throws IOException {
        AwsTimeline fast = timeline(AwsClock.fast());

        // TargetGroup 2-3 s, EniTargets 3-4 s; LoadBalancer 2-62 s, Listener 62-63 s; healthy at 4 + 60 + 30 = 94 s.
        assertThat(fast.total()).isEqualTo(Duration.ofSeconds(94));
        assertThat(fast.e6linkShare()).isCloseTo(4.0 / 94, org.assertj.core.data.Offset.offset(1e-9));
    }
}
