package io.e6link.endpointservicevalidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.Json;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Polling;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.ResponseRecorder.Put;
import io.e6link.testing.Template;
import io.e6link.testing.aws.AwsClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import io.e6link.testing.TestTiers;
import org.junit.jupiter.api.Tag;

/**
 * A first Create of {@code Custom::EndpointServiceValidation} at AWS's clock (issue 19): the strict world
 * plays target registration at {@link AwsClock}'s ends (up to 300 s in {@code Elb.RegistrationInProgress},
 * then the target group's own checks as template.yaml configures them), on a simulated clock that the
 * function's waits move (nothing sleeps), through the function's handler with the template's Timeout as
 * the Lambda deadline and the wait bounds Lambda uses ({@link Pacing#LAMBDA}).
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class TargetRegistrationAtAwsClockTest {
    private static final String EVENT = "endpoint-service-validation/create.json";
    private static final Instant START = Instant.parse("2026-12-07T00:00:00Z");

    /** Simulated milliseconds since START: the model's clock and the function's polls read and move it. */
    private final AtomicLong now = new AtomicLong();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
    private Moto moto;
    private Ec2Client ec2;
    private ElasticLoadBalancingV2Client elb;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        this.moto = moto;
        MotoClients clients = new MotoClients(moto);
        ec2 = clients.ec2();
        elb = clients.elb();
    }

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
        moto.strict().clear();
    }

    /** Lambda's bounds and backoff, on the simulated clock instead of the system's. */
    private CustomResourceHarness harness() {
        Polling simulated = new Polling(Polling.STATE_CHANGE, now::get, (deadline, pause) -> now.addAndGet(pause.toMillis()));
        Pacing pacing = new Pacing(simulated, Pacing.LAMBDA.targetWait(), Pacing.LAMBDA.closeWait());
        MotoClients clients = new MotoClients(moto);
        PrivateLinkChecks checks = new PrivateLinkChecks(clients.ec2(), clients.elb(), pacing);
        harness = new CustomResourceHarness(new CustomResourceFunction(EndpointServiceValidationResource.TYPE,
                () -> new EndpointServiceValidationResource(checks, new NoConnections(), pacing, log)) { })
                .remainingMillis(templateTimeoutSeconds() * 1000L);
        return harness;
    }

    /** The fixture's PrivateLink path with the stack's target group health checks; the target's ENI exists when {@code eni}. */
    private PrivateLinkFixture.Built build(boolean eni) {
        PrivateLinkFixture.Built built = new PrivateLinkFixture(ec2, elb).build();
        Map<String, Object> group = Template.load().properties("TargetGroup");
        elb.modifyTargetGroup(b -> b.targetGroupArn(built.targetGroupArn())
                .healthCheckIntervalSeconds(number(group, "HealthCheckIntervalSeconds"))
                .healthyThresholdCount(number(group, "HealthyThresholdCount"))
                .unhealthyThresholdCount(number(group, "UnhealthyThresholdCount")));
        if (eni) {
            ec2.createNetworkInterface(b -> b.subnetId(built.subnetId()).privateIpAddress("10.0.1.10"));
        }
        return built;
    }

    private Map<String, Object> properties(PrivateLinkFixture.Built built) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ServiceId", built.serviceId());
        properties.put("NetworkLoadBalancerArn", built.nlbArn());
        properties.put("TargetGroupArn", built.targetGroupArn());
        properties.put("AllowedPrincipal", PrivateLinkFixture.E6DATA_PRINCIPAL);
        properties.put("AcceptConnections", "true");
        properties.put("WaitForConnectionSeconds", "0");
        return properties;
    }

    @ParameterizedTest
    @EnumSource(AwsClock.End.class)
    void aFirstCreateCompletesWhileTheFirstTargetStaysInitialForMinutesAndLogsItsProgress(AwsClock.End end) {
        AwsClock aws = AwsClock.at(end);
        PrivateLinkFixture.Built built = build(true);
        moto.strict().modelTargetHealth(() -> START.plusMillis(now.get()), aws);
        long firstHealthy = aws.targetRegistration().toSeconds() + checksToHealthySeconds();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("HealthyTargetCount", "1");
        assertThat(now.get() / 1000).as("simulated seconds until the Create answered").isBetween(firstHealthy, firstHealthy + 20);
        List<Map<String, Object>> progress = lines().stream().filter(line -> "Waiting for a healthy target".equals(line.get("message"))).toList();
        assertThat(progress).as("progress lines in the function's log").isNotEmpty();
        assertThat(progress.getFirst()).containsEntry("targetGroupArn", built.targetGroupArn())
                .containsEntry("targets", List.of("10.0.1.10:443 initial Elb.RegistrationInProgress"));
        assertThat(progress).anySatisfy(line -> assertThat(line.get("targets")).isEqualTo(List.of("10.0.1.10:443 initial Elb.InitialHealthChecking")));
        assertThat(progress).allSatisfy(line -> assertThat(line).containsKeys("waitedSeconds", "boundSeconds"));
    }

    @ParameterizedTest
    @EnumSource(AwsClock.End.class)
    void aTargetThatNeverBecomesHealthyFailsWithItsReasonCodeAsSoonAsTheChecksHaveFailed(AwsClock.End end) {
        AwsClock aws = AwsClock.at(end);
        PrivateLinkFixture.Built built = build(false);
        moto.strict().modelTargetHealth(() -> START.plusMillis(now.get()), aws);
        long failed = aws.targetRegistration().toSeconds() + checksToUnhealthySeconds();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("No target of target group e6link-eks-api can become healthy: 10.0.1.10:443 unhealthy Target.FailedHealthChecks "
                + "after ").endsWith("; check that the cluster security group allows TCP 443 from the load balancer and that the targets' zones are enabled on it.");
        assertThat(now.get() / 1000).as("ends once the checks have failed, not at the bound").isBetween(failed, failed + 20)
                .isLessThan(Pacing.LAMBDA.targetWait().toSeconds());
    }

    @Test
    void theWaitCoversTheSlowEndAndFitsTheFunctionsTimeoutAndTheCustomResourcesServiceTimeout() {
        long slowest = AwsClock.slow().targetRegistration().toSeconds() + checksToHealthySeconds();
        long bound = Pacing.LAMBDA.targetWait().toSeconds();
        assertThat(bound).as("the target wait covers AWS's slow end (registration + interval x healthy threshold)").isGreaterThanOrEqualTo(slowest + 60);
        assertThat(bound + Pacing.RESERVE.toSeconds() + 5 + 60).as("the target wait, the reserves and a minute of checks fit the function's Timeout")
                .isLessThanOrEqualTo(templateTimeoutSeconds());
        Object serviceTimeout = Template.load().properties("EndpointValidation").get("ServiceTimeout");
        assertThat(Long.parseLong(String.valueOf(serviceTimeout))).as("CloudFormation waits longer than the function may run")
                .isGreaterThan(templateTimeoutSeconds());
    }

    private static long checksToHealthySeconds() {
        Map<String, Object> group = Template.load().properties("TargetGroup");
        return (long) number(group, "HealthCheckIntervalSeconds") * number(group, "HealthyThresholdCount");
    }

    private static long checksToUnhealthySeconds() {
        Map<String, Object> group = Template.load().properties("TargetGroup");
        return (long) number(group, "HealthCheckIntervalSeconds") * number(group, "UnhealthyThresholdCount");
    }

    private static int templateTimeoutSeconds() {
        return number(Template.load().functionProperties("EndpointValidationFunction"), "Timeout");
    }

    private static int number(Map<String, Object> properties, String key) {
        return Integer.parseInt(String.valueOf(properties.get(key)));
    }

    private List<Map<String, Object>> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().map(Json::readObject).toList();
    }

    /** No endpoint connection yet (e6data connects later): nothing to accept or reject. */
    private static final class NoConnections implements EndpointConnections {
        @Override
        public List<EndpointConnection> list(String serviceId) {
            return List.of();
        }

        @Override
        public Map<String, String> accept(String serviceId, Collection<String> endpointIds) {
            return Map.of();
        }

        @Override
        public Map<String, String> reject(String serviceId, Collection<String> endpointIds) {
            return Map.of();
        }
    }
}
