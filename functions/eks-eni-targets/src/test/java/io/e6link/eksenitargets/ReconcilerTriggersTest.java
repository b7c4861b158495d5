package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both of the reconciler's triggers (template.yaml, ReconcilerFunction.Events): the schedule's
 * "Scheduled Event" and the CloudTrail "AWS API Call via CloudTrail" event EventBridge delivers when
 * EKS creates or deletes a control-plane ENI. The run ignores the payload but its time, which the
 * summary line carries for correlation.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class ReconcilerTriggersTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reconciler/scheduled.json", "reconciler/cloudtrail-create-network-interface.json",
            "reconciler/cloudtrail-delete-network-interface.json"})
    void everyTriggerEventStartsAFullReconcile(String eventFile, Moto server) throws IOException {
        MotoClients moto = new MotoClients(server);
        TargetScenario scenario = new TargetScenario(moto.ec2(), moto.eks(), moto.elb());
        Map<String, Object> event = Events.load(eventFile);
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        Map<String, String> environment = Map.of("CLUSTER_NAME", TargetScenario.CLUSTER, "TARGET_GROUP_ARN", scenario.targetGroupArn);
        ReconcilerFunction function = new ReconcilerFunction(environment::get, () -> new ServiceClients(moto.eks(), moto.ec2(), moto.elb()),
                new JsonLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8)));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        function.handleRequest(new ByteArrayInputStream(Events.json(event).getBytes(StandardCharsets.UTF_8)), output, new TestContext(60_000));

        assertThat(Json.readObject(output.toString(StandardCharsets.UTF_8))).containsEntry("outcome", "SUCCESS")
                .containsEntry("scheduledTime", event.get("time"))
                .containsEntry("added", List.copyOf(scenario.currentIps()));
        assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("\"UnservableTargets\":0");
    }
}
