package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.e6link.kit.Json;
import io.e6link.kit.JsonLog;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * Reconciles that overlap, as they do without reserved concurrency: the one-minute schedule and an
 * ENI event arriving together, or a slow run still going when the next starts. Each run is its own
 * {@link ReconcilerFunction} (its own Lambda execution environment), driven through handleRequest
 * against moto behind StrictAws, which answers DeregisterTargets of a target that is no longer
 * registered with InvalidTarget as ELB does. moto reports every IP target healthy; ELB would fail the
 * health checks of an IP whose ENI EKS deleted, so DescribeTargetHealth reports those unhealthy here.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class OverlappingReconcilesTest {
    private static final String SCHEDULED = Events.json(Events.load("reconciler/scheduled.json"));

    private final Set<String> deletedEniIps = ConcurrentHashMap.newKeySet();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    private final ExecutorService containers = Executors.newCachedThreadPool();
    private MotoClients moto;
    private TargetScenario scenario;

    @BeforeEach
    void setUp(Moto server) {
        moto = new MotoClients(server);
        scenario = new TargetScenario(moto.ec2(), moto.eks(), moto.elb());
        assertThat(run(container(null))).containsEntry("outcome", "SUCCESS");
        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));
    }

    @AfterEach
    void tearDown() {
        containers.shutdownNow();
    }

    /** Something a run does just before it reads the target group, once. */
    interface BeforeDescribe {
        void await() throws Exception;
    }

    /** One execution environment: its own function and clients; {@code hook} runs before its first DescribeTargetHealth. */
    private ReconcilerFunction container(BeforeDescribe hook) {
        ElasticLoadBalancingV2Client real = moto.elb();
        ElasticLoadBalancingV2Client elb = mock(ElasticLoadBalancingV2Client.class, delegatesTo(real));
        AtomicBoolean first = new AtomicBoolean(true);
        doAnswer(invocation -> {
            if (hook != null && first.getAndSet(false)) {
                hook.await();
            }
            DescribeTargetHealthResponse response = real.describeTargetHealth((DescribeTargetHealthRequest) invocation.getArgument(0));
            return response.toBuilder().targetHealthDescriptions(response.targetHealthDescriptions().stream()
                    .map(d -> deletedEniIps.contains(d.target().id())
                            ? d.toBuilder().targetHealth(h -> h.state(TargetHealthStateEnum.UNHEALTHY).reason("Target.FailedHealthChecks")).build()
                            : d)
                    .toList()).build();
        }).when(elb).describeTargetHealth(any(DescribeTargetHealthRequest.class));
        Map<String, String> environment = Map.of("CLUSTER_NAME", TargetScenario.CLUSTER, "TARGET_GROUP_ARN", scenario.targetGroupArn, "TARGET_PORT", "443");
        return new ReconcilerFunction(environment::get, () -> new ServiceClients(moto.eks(), moto.ec2(), elb), log);
    }

    private static Map<String, Object> run(ReconcilerFunction function) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(SCHEDULED.getBytes(StandardCharsets.UTF_8)), output, new TestContext(60_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.readObject(output.toString(StandardCharsets.UTF_8));
    }

    private Future<Map<String, Object>> start(ReconcilerFunction function) {
        return containers.submit(() -> run(function));
    }

    private static Map<String, Object> result(Future<Map<String, Object>> run) throws Exception {
        return run.get(60, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static List<String> listed(Map<String, Object> summary, String field) {
        return (List<String>) summary.get(field);
    }

    /** Every target moto holds, duplicates kept: ELB keys a target by IP and port, so there must be none. */
    private List<String> targetList() {
        return moto.elb().describeTargetHealth(r -> r.targetGroupArn(scenario.targetGroupArn)).targetHealthDescriptions().stream()
                .map(d -> d.target().id() + ":" + d.target().port()).toList();
    }

    @Test
    void threeRunsThatReadTheSameStateAfterAnUpgradeAllSucceedAndEachStaleTargetLeavesOnce() throws Exception {
        List<String> oldIps = scenario.addUpgradeEnis();
        scenario.deleteOldEnis();
        deletedEniIps.addAll(oldIps);
        // All three have read the ENIs and the target group before any of them writes.
        CyclicBarrier sameView = new CyclicBarrier(3);
        List<Future<Map<String, Object>>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(start(container(() -> sameView.await(30, TimeUnit.SECONDS))));
        }

        List<Map<String, Object>> summaries = new ArrayList<>();
        for (Future<Map<String, Object>> run : runs) {
            summaries.add(result(run));
        }

        List<String> removed = new ArrayList<>();
        for (Map<String, Object> summary : summaries) {
            assertThat(summary).containsEntry("outcome", "SUCCESS").containsEntry("eniIps", List.copyOf(scenario.currentIps()));
            // Registering a registered target is a no-op: each run may register the new ENIs.
            assertThat(listed(summary, "added")).isSubsetOf(scenario.currentIps());
            removed.addAll(listed(summary, "removed"));
        }
        // InvalidTarget for the runs that lost the race: each stale target is deregistered by exactly one run.
        assertThat(removed).containsExactlyInAnyOrderElementsOf(oldIps);
        assertThat(targetList()).doesNotHaveDuplicates();
        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));
    }

    @Test
    void aRunHoldingAnEniViewFromBeforeADeleteOverlapsAFreshRunAndTheNextRunConverges() throws Exception {
        List<String> oldIps = scenario.addUpgradeEnis();
        Set<String> sideBySide = scenario.currentIps();
        CountDownLatch slowHasReadEnis = new CountDownLatch(1);
        CountDownLatch enisDeleted = new CountDownLatch(1);
        // The slow run read the four ENIs of the upgrade's middle; it reads the target group only after EKS deleted the old ones.
        Future<Map<String, Object>> slow = start(container(() -> {
            slowHasReadEnis.countDown();
            assertThat(enisDeleted.await(30, TimeUnit.SECONDS)).isTrue();
        }));
        assertThat(slowHasReadEnis.await(30, TimeUnit.SECONDS)).isTrue();
        scenario.deleteOldEnis();
        deletedEniIps.addAll(oldIps);

        Map<String, Object> fresh = run(container(null));
        enisDeleted.countDown();
        Map<String, Object> stale = result(slow);

        assertThat(fresh).containsEntry("outcome", "SUCCESS").containsEntry("removed", oldIps.stream().sorted().toList());
        // The stale view puts the deleted ENIs' IPs back; they fail health checks from the start...
        assertThat(stale).containsEntry("outcome", "SUCCESS").containsEntry("eniIps", List.copyOf(sideBySide))
                .containsEntry("added", oldIps.stream().sorted().toList());
        assertThat(targetList()).doesNotHaveDuplicates().hasSize(4);

        // ...and the next run (at most a minute later, or at the next ENI event) takes them out again.
        Map<String, Object> next = run(container(null));

        assertThat(next).containsEntry("outcome", "SUCCESS").containsEntry("removed", oldIps.stream().sorted().toList());
        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));
    }
}
