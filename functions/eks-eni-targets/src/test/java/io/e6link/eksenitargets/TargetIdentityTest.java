package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.kit.CustomResourceException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which group and port the targets live on, as tables: the physical id {@code <TargetGroupArn>|<Port>}
 * ({@link RegisteredPort}), the reconciler's environment ({@link ReconcilerSettings}), and which target
 * states count as draining. No AWS, no moto.
 */
class TargetIdentityTest {
    private static final String GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef";

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(textBlock = """
            arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef|443, 443
            arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:targetgroup/e6link-api/0123456789abcdef|8443, 8443
            arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef|65535, 65535
            arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef|0,
            arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef|65536,
            arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef|https,
            arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef,
            arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/e6link/0123456789abcdef|443,
            e6link-create-failed-0f7d3a9c-2c4e-4b4a-9d7e-6a1b2c3d4e5f,
            e6link-EniTargets-ABCDEF123456,
            """)
    void onlyIdsThisResourceMadeNameAGroupAndPort(String physicalId, Integer port) {
        Optional<RegisteredPort> parsed = RegisteredPort.parse(physicalId);

        if (port == null) {
            assertThat(parsed).isEmpty();
            return;
        }
        assertThat(parsed).contains(new RegisteredPort(physicalId.substring(0, physicalId.lastIndexOf('|')), port));
        assertThat(parsed.orElseThrow().physicalResourceId()).isEqualTo(physicalId);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            TARGET_PORT      | null        | 443
            TARGET_PORT      | ''          | 443
            TARGET_PORT      | ' 8443 '    | 8443
            CLUSTER_NAME     | ' prod '    | 443
            """)
    void settingsComeFromTheEnvironmentWithPort443ByDefault(String variable, String value, int port) {
        Map<String, String> environment = environment();
        environment.put(variable, value);

        ReconcilerSettings settings = ReconcilerSettings.from(environment::get);

        assertThat(settings).isEqualTo(new ReconcilerSettings("prod", GROUP, port));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            CLUSTER_NAME     | null           | Environment variable CLUSTER_NAME is not set; the template sets it on ReconcilerFunction.
            CLUSTER_NAME     | '  '           | Environment variable CLUSTER_NAME is not set; the template sets it on ReconcilerFunction.
            TARGET_GROUP_ARN | null           | Environment variable TARGET_GROUP_ARN is not set; the template sets it on ReconcilerFunction.
            TARGET_GROUP_ARN | e6link-api     | Environment variable TARGET_GROUP_ARN has invalid value 'e6link-api': expected a target group ARN.
            TARGET_PORT      | https          | Environment variable TARGET_PORT has invalid value 'https': expected a port from 1 to 65535.
            TARGET_PORT      | 0              | Environment variable TARGET_PORT has invalid value '0': expected a port from 1 to 65535.
            TARGET_PORT      | 65536          | Environment variable TARGET_PORT has invalid value '65536': expected a port from 1 to 65535.
            """)
    void aMissingOrInvalidVariableIsNamedWithWhatWasExpected(String variable, String value, String reason) {
        Map<String, String> environment = environment();
        environment.put(variable, value);

        assertThatThrownBy(() -> ReconcilerSettings.from(environment::get)).isInstanceOf(CustomResourceException.class).hasMessage(reason);
    }

    /** ELB target states (API Reference, TargetHealth): only the two draining ones mean the target is on its way out. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"draining, true", "unhealthy.draining, true", "healthy, false", "initial, false", "unhealthy, false", "unused, false",
            "unavailable, false", "unknown, false"})
    void onlyDrainingStatesAreDraining(String state, boolean draining) {
        assertThat(new TargetGroupTargets.Target("10.0.1.10", state, null).isDraining()).isEqualTo(draining);
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put(ReconcilerSettings.CLUSTER_NAME, "prod");
        environment.put(ReconcilerSettings.TARGET_GROUP_ARN, GROUP);
        environment.put(ReconcilerSettings.TARGET_PORT, "443");
        return environment;
    }
}
