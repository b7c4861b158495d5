package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.aws.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reconciler as Lambda runs it on its schedule: packaged zip, kit layer, template environment. */
@ExtendWith(MotoExtension.class)
class ReconcilerFunctionIT {
    private static final String EVENT = Events.json(Events.load("reconciler/scheduled.json"));

    @Test
    void packagedReconcilerRegistersNewEnisThenCostsThreeCallsAndFailsVisiblyWhenTheGroupIsGone(Moto moto) throws IOException {
        MotoClients clients = new MotoClients(moto);
        TargetScenario scenario = new TargetScenario(clients.ec2(), clients.eks(), clients.elb());
        Path apiCalls = Files.createTempFile("reconciler-calls", ".log");
        try (PackagedFunction function = PackagedFunction.fromTemplate("ReconcilerFunction").endpoint(moto).recordApiCallsTo(apiCalls)
                .environment("CLUSTER_NAME", TargetScenario.CLUSTER)
                .environment("TARGET_GROUP_ARN", scenario.targetGroupArn).start()) {
            PackagedFunction.Invocation first = function.invoke(EVENT);

            assertThat(first.error()).as(function.logs()).isFalse();
            assertThat(Json.readObject(first.body())).containsEntry("outcome", "SUCCESS").containsEntry("added", List.copyOf(scenario.currentIps()));
            assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));
            Files.writeString(apiCalls, "");

            PackagedFunction.Invocation steady = function.invoke(EVENT);

            assertThat(steady.error()).isFalse();
            assertThat(Files.readAllLines(apiCalls)).containsExactly("eks:DescribeCluster", "ec2:DescribeNetworkInterfaces",
                    "elasticloadbalancing:DescribeTargetHealth");
            assertThat(function.logs()).contains("\"CloudWatchMetrics\":[{\"Namespace\":\"e6link\",\"Dimensions\":[[\"ClusterName\"]]")
                    .contains("\"message\":\"Target reconcile finished\"");

            clients.elb().deleteTargetGroup(r -> r.targetGroupArn(scenario.targetGroupArn));
            PackagedFunction.Invocation broken = function.invoke(EVENT);

            // An error answer is what Lambda counts in its Errors metric, which the stack's alarm watches.
            assertThat(broken.error()).as(function.logs()).isTrue();
            assertThat(broken.body()).contains("TargetGroupNotFound");
            assertThat(function.logs()).contains("\"message\":\"Target reconcile failed\"");
        }
    }

    /**
     * A run whose role stays (implicitly) denied says so in its log line within its 60 s timeout: the next scheduled
     * run, a minute later, is the retry, so the reconciler does not wait out IAM's propagation window as a custom
     * resource does (that wait ended in Lambda's "Task timed out" and no reason at all).
     */
    @Test
    void aDeniedRunEndsWithItsReasonLongBeforeItsTimeout(Moto moto) {
        MotoClients clients = new MotoClients(moto);
        TargetScenario scenario = new TargetScenario(clients.ec2(), clients.eks(), clients.elb());
        moto.strict().injectFault("elasticloadbalancing:DescribeTargetHealth", Fault.ACCESS_DENIED, 1_000);
        try (PackagedFunction function = PackagedFunction.fromTemplate("ReconcilerFunction").endpoint(moto)
                .environment("CLUSTER_NAME", TargetScenario.CLUSTER)
                .environment("TARGET_GROUP_ARN", scenario.targetGroupArn).start()) {
            long started = System.nanoTime();
            PackagedFunction.Invocation denied = function.invoke(EVENT);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;

            assertThat(denied.error()).as(function.logs()).isTrue();
            assertThat(function.logs()).contains("\"message\":\"Target reconcile failed\"")
                    .contains("\"reason\":\"The function's IAM role may not call elasticloadbalancing:DescribeTargetHealth on ");
            assertThat(seconds).as("seconds until the denied run ended").isLessThan(30);
        } finally {
            moto.strict().clearFaults();
        }
    }
}
