package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.e6link.kit.Json;
import io.e6link.kit.JsonLog;
import io.e6link.kit.ScheduledRunFailedException;
import io.e6link.testing.CallCounter;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/** The scheduled reconciler, driven through handleRequest with the sample EventBridge event. */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class ReconcilerFunctionTest {
    private static final String EVENT = Events.json(Events.load("reconciler/scheduled.json"));

    private final CallCounter calls = new CallCounter();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    private MotoClients moto;
    private TargetScenario scenario;
    private Map<String, String> environment;

    @BeforeEach
    void setUp(Moto server) {
        moto = new MotoClients(server, calls);
        // The scenario uses uncounted clients; only the function's calls are counted.
        MotoClients plain = new MotoClients(server);
        scenario = new TargetScenario(plain.ec2(), plain.eks(), plain.elb());
        environment = new HashMap<>(Map.of("CLUSTER_NAME", "prod", "TARGET_GROUP_ARN", scenario.targetGroupArn, "TARGET_PORT", "443"));
        calls.clear();
    }

    private ReconcilerFunction function(ElasticLoadBalancingV2Client elb) {
        return function(() -> new ServiceClients(moto.eks(), moto.ec2(), elb));
    }

    private ReconcilerFunction function(Supplier<ServiceClients> clients) {
        return new ReconcilerFunction(environment::get, clients, log);
    }

    private static Map<String, Object> run(ReconcilerFunction function) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)), output, new TestContext(60_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.readObject(output.toString(StandardCharsets.UTF_8));
    }

    private List<Map<String, Object>> logLines() {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : logBytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.readObject(line));
            }
        }
        return lines;
    }

    private Map<String, Object> lastMetrics() {
        List<Map<String, Object>> documents = logLines().stream().filter(line -> line.containsKey("_aws")).toList();
        return documents.get(documents.size() - 1);
    }

    /** moto reports every IP target healthy; this answers DescribeTargetHealth with the states EKS would cause. */
    private ElasticLoadBalancingV2Client reportingStates(Map<String, TargetHealthStateEnum> states) {
        ElasticLoadBalancingV2Client real = moto.elb();
        ElasticLoadBalancingV2Client elb = mock(ElasticLoadBalancingV2Client.class, delegatesTo(real));
        doAnswer(invocation -> {
            DescribeTargetHealthResponse response = real.describeTargetHealth((DescribeTargetHealthRequest) invocation.getArgument(0));
            return response.toBuilder().targetHealthDescriptions(response.targetHealthDescriptions().stream()
                    .map(d -> states.containsKey(d.target().id())
                            ? d.toBuilder().targetHealth(h -> h.state(states.get(d.target().id())).reason("Target.FailedHealthChecks")).build()
                            : d)
                    .toList()).build();
        }).when(elb).describeTargetHealth(any(DescribeTargetHealthRequest.class));
        return elb;
    }

    @Test
    void oneRunAfterAnEksUpgradeConvergesTheTargetGroupAndTheNextCostsThreeCalls() {
        run(function(moto.elb()));
        List<String> oldIps = scenario.addUpgradeEnis();
        scenario.deleteOldEnis();
        Map<String, TargetHealthStateEnum> states = new HashMap<>();
        oldIps.forEach(ip -> states.put(ip, TargetHealthStateEnum.UNHEALTHY));
        ReconcilerFunction function = function(reportingStates(states));
        calls.clear();

        Map<String, Object> converged = run(function);

        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));
        assertThat(converged).containsEntry("outcome", "SUCCESS")
                .containsEntry("added", List.copyOf(scenario.currentIps()))
                .containsEntry("removed", oldIps.stream().sorted().toList())
                .containsEntry("eniDrift", 4);
        calls.clear();

        Map<String, Object> steady = run(function);

        assertThat(steady).containsEntry("added", List.of()).containsEntry("removed", List.of()).containsEntry("eniDrift", 0);
        assertThat(calls.calls()).containsExactly("eks:DescribeCluster", "ec2:DescribeNetworkInterfaces", "elasticloadbalancing:DescribeTargetHealth");
        assertThat(lastMetrics()).containsEntry("ClusterName", "prod").containsEntry("RegisteredTargets", 2).containsEntry("HealthyTargets", 2)
                .containsEntry("TargetsAdded", 0).containsEntry("TargetsRemoved", 0).containsEntry("EniDrift", 0);
    }

    @Test
    void duringAnUpgradeNewEnisAreRegisteredAtOnceAndHealthyOldTargetsStay() {
        ReconcilerFunction function = function(moto.elb());
        run(function);
        List<String> oldIps = scenario.addUpgradeEnis();

        Map<String, Object> sideBySide = run(function);
        scenario.deleteOldEnis();
        Map<String, Object> oldGone = run(function);

        assertThat(sideBySide).containsEntry("added", List.copyOf(scenario.currentIps())).containsEntry("removed", List.of());
        // moto keeps reporting the old targets healthy: a healthy target is never pulled, ENI or not.
        assertThat(oldGone).containsEntry("removed", List.of()).containsEntry("keptStale", oldIps.stream().sorted().toList())
                .containsEntry("eniDrift", 2).containsEntry("registeredTargets", 4);
        assertThat(scenario.registered()).hasSize(4);
        assertThat(lastMetrics()).containsEntry("EniDrift", 2).containsEntry("RegisteredTargets", 4);
    }

    @Test
    void staleTargetsLeaveOnlyWhenUnhealthyOrUnusedDrainingOnesFinishAndCurrentEnisAlwaysStay() {
        List<String> current = List.copyOf(scenario.currentIps());
        ElasticLoadBalancingV2Client elb = mock(ElasticLoadBalancingV2Client.class);
        when(elb.describeTargetHealth(any(DescribeTargetHealthRequest.class))).thenReturn(health(
                target(current.get(0), 443, TargetHealthStateEnum.HEALTHY),
                target(current.get(1), 443, TargetHealthStateEnum.UNHEALTHY),
                target("10.0.9.1", 443, TargetHealthStateEnum.HEALTHY),
                target("10.0.9.2", 443, TargetHealthStateEnum.INITIAL),
                target("10.0.9.3", 443, TargetHealthStateEnum.UNHEALTHY),
                target("10.0.9.4", 443, TargetHealthStateEnum.UNUSED),
                target("10.0.9.5", 443, TargetHealthStateEnum.DRAINING),
                target("10.0.9.6", 8443, TargetHealthStateEnum.UNHEALTHY)));
        when(elb.deregisterTargets(any(DeregisterTargetsRequest.class))).thenReturn(DeregisterTargetsResponse.builder().build());

        Map<String, Object> summary = run(function(elb));

        ArgumentCaptor<DeregisterTargetsRequest> deregistered = ArgumentCaptor.forClass(DeregisterTargetsRequest.class);
        verify(elb).describeTargetHealth(any(DescribeTargetHealthRequest.class));
        verify(elb).deregisterTargets(deregistered.capture());
        verifyNoMoreInteractions(elb);
        assertThat(deregistered.getValue().targets()).extracting(TargetDescription::id, TargetDescription::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.9.3", 443), org.assertj.core.groups.Tuple.tuple("10.0.9.4", 443));
        assertThat(summary).containsEntry("keptStale", List.of("10.0.9.1", "10.0.9.2")).containsEntry("added", List.of());
        assertThat(lastMetrics()).containsEntry("RegisteredTargets", 4).containsEntry("HealthyTargets", 2)
                .containsEntry("TargetsRemoved", 2).containsEntry("EniDrift", 5);
    }

    @Test
    void throttlingMidReconcileFailsTheRunAndTheNextRunFinishesTheJob() {
        List<String> current = List.copyOf(scenario.currentIps());
        ElasticLoadBalancingV2Client elb = mock(ElasticLoadBalancingV2Client.class);
        when(elb.describeTargetHealth(any(DescribeTargetHealthRequest.class)))
                .thenReturn(health(target(current.get(0), 443, TargetHealthStateEnum.HEALTHY), target("10.0.9.3", 443, TargetHealthStateEnum.UNHEALTHY)))
                .thenReturn(health(target(current.get(0), 443, TargetHealthStateEnum.HEALTHY), target(current.get(1), 443, TargetHealthStateEnum.INITIAL),
                        target("10.0.9.3", 443, TargetHealthStateEnum.UNHEALTHY)));
        when(elb.registerTargets(any(RegisterTargetsRequest.class))).thenReturn(RegisterTargetsResponse.builder().build());
        when(elb.deregisterTargets(any(DeregisterTargetsRequest.class)))
                .thenThrow(ElasticLoadBalancingV2Exception.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded")
                                .serviceName("ElasticLoadBalancingV2").build()).build())
                .thenReturn(DeregisterTargetsResponse.builder().build());
        ReconcilerFunction function = function(elb);

        assertThatThrownBy(() -> run(function)).isInstanceOf(ScheduledRunFailedException.class)
                .hasMessage("ElasticLoadBalancingV2 refused the request (Throttling): Rate exceeded");
        Map<String, Object> failed = logLines().get(logLines().size() - 1);
        Map<String, Object> next = run(function);

        assertThat(failed).containsEntry("level", "ERROR").containsEntry("outcome", "FAILED")
                .containsEntry("added", List.of(current.get(1))).containsEntry("removed", List.of());
        assertThat(logLines().stream().filter(line -> line.containsKey("_aws"))).hasSize(1);
        assertThat(next).containsEntry("outcome", "SUCCESS").containsEntry("added", List.of()).containsEntry("removed", List.of("10.0.9.3"));
        verify(elb, times(2)).describeTargetHealth(any(DescribeTargetHealthRequest.class));
        verify(elb).registerTargets(any(RegisterTargetsRequest.class));
        verify(elb, times(2)).deregisterTargets(any(DeregisterTargetsRequest.class));
        verifyNoMoreInteractions(elb);
    }

    @Test
    void noControlPlaneEnisFailsTheRunAndLeavesTheTargetGroupAlone() {
        run(function(moto.elb()));
        Map<String, TargetHealthStateEnum> states = new HashMap<>();
        scenario.currentIps().forEach(ip -> states.put(ip, TargetHealthStateEnum.UNHEALTHY));
        var before = scenario.registered();
        scenario.eniIds.forEach(id -> scenario.ec2.deleteNetworkInterface(r -> r.networkInterfaceId(id)));

        assertThatThrownBy(() -> run(function(reportingStates(states))))
                .hasMessageStartingWith("No control-plane network interfaces described 'Amazon EKS prod' were found in the subnets of EKS cluster 'prod'");
        assertThat(scenario.registered()).isEqualTo(before).hasSize(2);
    }

    @Test
    void clientsThatFailToBuildAreBuiltAgainByTheNextRunAndThenReused() {
        AtomicInteger builds = new AtomicInteger();
        ReconcilerFunction function = function(() -> {
            if (builds.incrementAndGet() == 1) {
                throw new IllegalStateException("no credentials yet");
            }
            return new ServiceClients(moto.eks(), moto.ec2(), moto.elb());
        });

        assertThatThrownBy(() -> run(function)).isInstanceOf(ScheduledRunFailedException.class)
                .hasMessageContaining("no credentials yet");
        Map<String, Object> second = run(function);
        Map<String, Object> third = run(function);

        assertThat(second).containsEntry("outcome", "SUCCESS").containsEntry("added", List.copyOf(scenario.currentIps()));
        assertThat(third).containsEntry("outcome", "SUCCESS").containsEntry("eniDrift", 0);
        assertThat(builds).hasValue(2);
    }

    @Test
    void missingOrInvalidEnvironmentFailsNamingTheVariableBeforeAnyCall() {
        environment.remove("TARGET_GROUP_ARN");
        AtomicInteger builds = new AtomicInteger();
        ReconcilerFunction missing = function(() -> {
            builds.incrementAndGet();
            return new ServiceClients(moto.eks(), moto.ec2(), moto.elb());
        });

        assertThatThrownBy(() -> run(missing))
                .hasMessage("Environment variable TARGET_GROUP_ARN is not set; the template sets it on ReconcilerFunction.");
        environment.put("TARGET_GROUP_ARN", scenario.targetGroupArn);
        environment.put("TARGET_PORT", "https");
        assertThatThrownBy(() -> run(missing))
                .hasMessage("Environment variable TARGET_PORT has invalid value 'https': expected a port from 1 to 65535.");
        assertThat(builds).hasValue(0);
        assertThat(calls.count()).isZero();
    }

    private static DescribeTargetHealthResponse health(TargetHealthDescription... targets) {
        return DescribeTargetHealthResponse.builder().targetHealthDescriptions(targets).build();
    }

    private static TargetHealthDescription target(String ip, int port, TargetHealthStateEnum state) {
        return TargetHealthDescription.builder().target(t -> t.id(ip).port(port)).targetHealth(h -> h.state(state)).build();
    }
}
