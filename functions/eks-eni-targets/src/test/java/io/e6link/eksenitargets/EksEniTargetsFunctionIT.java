package io.e6link.eksenitargets;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The packaged zip plus the kit layer, run by the Lambda runtime interface client against moto. */
@ExtendWith(MotoExtension.class)
class EksEniTargetsFunctionIT {

    @Test
    void packagedFunctionRegistersAndDeregistersTheEniTargetsAsLambdaRunsIt(Moto moto) throws IOException {
        MotoClients clients = new MotoClients(moto);
        TargetScenario scenario = new TargetScenario(clients.ec2(), clients.eks(), clients.elb());
        Path apiCalls = Files.createTempFile("eni-targets-calls", ".log");
        Map<String, Object> properties = Map.of("TargetGroupArn", scenario.targetGroupArn);
        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("EniTargetsFunction").endpoint(moto).recordApiCallsTo(apiCalls).start()) {
            PackagedFunction.Invocation create = function.invoke(Events.json(Events.prepare("eks-eni-targets/create.json", recorder.newUrl(), properties)));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.data()).containsEntry("RegisteredIps", String.join(",", scenario.currentIps()));
            assertThat(scenario.registered()).isEqualTo(scenario.onPort(scenario.currentIps(), 443));

            Map<String, Object> deleteEvent = Events.prepare("eks-eni-targets/delete.json", recorder.newUrl(), properties);
            deleteEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(deleteEvent));

            assertThat(recorder.await(Duration.ofSeconds(5)).status()).isEqualTo("SUCCESS");
            assertThat(scenario.registered()).isEmpty();
            assertThat(function.logs()).doesNotContain("X-Amz-Signature");
        }
        assertThat(Files.readAllLines(apiCalls)).containsExactly("eks:DescribeCluster", "ec2:DescribeNetworkInterfaces",
                "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DeregisterTargets");
    }
}
