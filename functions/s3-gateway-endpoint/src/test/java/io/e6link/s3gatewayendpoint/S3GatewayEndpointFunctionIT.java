package io.e6link.s3gatewayendpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The packaged zip plus the kit layer, run by the Lambda runtime interface client against moto. */
@ExtendWith(MotoExtension.class)
class S3GatewayEndpointFunctionIT {

    @Test
    void packagedFunctionCreatesAndDeletesTheEndpointAsLambdaRunsIt(Moto moto) {
        Ec2Client ec2 = new MotoClients(moto).ec2();
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String routeTable = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
        Map<String, Object> properties = Map.of("VpcId", vpcId, "RouteTableIds", List.of(routeTable));

        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("S3GatewayEndpointFunction").endpoint(moto).start()) {
            PackagedFunction.Invocation create = function.invoke(Events.json(
                    Events.prepare("s3-gateway-endpoint/create.json", recorder.newUrl(), properties)));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.data()).containsEntry("Adopted", "false").containsEntry("AddedRouteTableIds", routeTable);
            assertThat(ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(created.physicalResourceId())).vpcEndpoints().get(0).serviceName())
                    .isEqualTo("com.amazonaws.us-east-1.s3");

            Map<String, Object> deleteEvent = Events.prepare("s3-gateway-endpoint/delete.json", recorder.newUrl(), properties);
            deleteEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(deleteEvent));
            ResponseRecorder.Put deleted = recorder.await(Duration.ofSeconds(5));

            assertThat(deleted.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(created.physicalResourceId())).vpcEndpoints().get(0).stateAsString())
                    .isEqualTo("deleted");
            assertThat(function.logs()).contains("\"outcome\":\"SUCCESS\"").doesNotContain("X-Amz-Signature");
        }
    }
}
