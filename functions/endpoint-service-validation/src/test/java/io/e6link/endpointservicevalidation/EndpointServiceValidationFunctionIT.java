package io.e6link.endpointservicevalidation;

import static io.e6link.endpointservicevalidation.PrivateLinkFixture.E6DATA_ACCOUNT;
import static io.e6link.endpointservicevalidation.PrivateLinkFixture.E6DATA_PRINCIPAL;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged zip plus the kit layer under the Lambda runtime interface client: moto serves the endpoint
 * service, NLB, listener and target group; the EC2 connection stub serves the connection calls moto lacks.
 */
@ExtendWith(MotoExtension.class)
class EndpointServiceValidationFunctionIT {
    private static final String FOREIGN_ACCOUNT = "999988887777";
    private static final String NEW_ACCOUNT = "111122223333";
    private static final String NEW_PRINCIPAL = "arn:aws:iam::" + NEW_ACCOUNT + ":root";

    @Test
    void packagedFunctionAcceptsOnlyE6dataRejectsOtherAccountsFollowsAnAccountChangeAndRejectsEveryOpenConnectionOnDelete(Moto moto)
            throws IOException {
        MotoClients clients = new MotoClients(moto);
        PrivateLinkFixture.Built built = new PrivateLinkFixture(clients.ec2(), clients.elb()).build();
        Path apiCalls = Files.createTempFile("endpoint-validation-calls", ".log");
        try (Ec2ConnectionsStub ec2 = new Ec2ConnectionsStub(moto.endpoint())
                     .connection(built.serviceId(), "vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance")
                     .connection(built.serviceId(), "vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance");
             ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("EndpointValidationFunction").endpoint(moto)
                     // The template's E6LINK_VERSION is !FindInMap (the release); its deployed value, as any intrinsic.
                     .environment("E6LINK_VERSION", "0.0.0-test")
                     .environment("AWS_ENDPOINT_URL_EC2", ec2.url()).recordApiCallsTo(apiCalls).start()) {
            Map<String, Object> properties = Map.of("ServiceId", built.serviceId(), "NetworkLoadBalancerArn", built.nlbArn(),
                    "TargetGroupArn", built.targetGroupArn(), "AllowedPrincipal", E6DATA_PRINCIPAL);

            PackagedFunction.Invocation create = function.invoke(Events.json(
                    Events.prepare("endpoint-service-validation/create.json", recorder.newUrl(), properties)));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.physicalResourceId()).isEqualTo(built.serviceId());
            assertThat(created.data()).containsEntry("ServiceName", built.serviceName())
                    .containsEntry("ConnectionState", "PendingAcceptance")
                    .containsEntry("ConnectedEndpointIds", "vpce-0e6da7a000000001")
                    .containsEntry("HealthyTargetCount", "1");
            assertThat(ec2.calls("AcceptVpcEndpointConnections")).singleElement()
                    .satisfies(call -> assertThat(call.endpointIds()).containsExactly("vpce-0e6da7a000000001"))
                    .satisfies(call -> assertThat(call.parameters()).containsEntry("ServiceId", built.serviceId()));
            assertThat(ec2.calls("RejectVpcEndpointConnections")).singleElement()
                    .satisfies(call -> assertThat(call.endpointIds()).containsExactly("vpce-0f0e1a0000000002"));
            assertThat(ec2.state("vpce-0f0e1a0000000002")).isEqualTo("rejected");
            assertThat(function.logs()).contains("\"RejectedConnections\":1");

            // E6dataAccountId changes: the permission now names the new account; the old account's connection is available.
            clients.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(built.serviceId())
                    .removeAllowedPrincipals(E6DATA_PRINCIPAL).addAllowedPrincipals(NEW_PRINCIPAL));
            ec2.connection(built.serviceId(), "vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")
                    .connection(built.serviceId(), "vpce-0a1e2b0000000003", NEW_ACCOUNT, "pendingAcceptance");
            Map<String, Object> newProperties = new HashMap<>(properties);
            newProperties.put("AllowedPrincipal", NEW_PRINCIPAL);
            Map<String, Object> updateEvent = Events.prepare("endpoint-service-validation/update-e6data-account.json", recorder.newUrl(), newProperties);
            updateEvent.put("PhysicalResourceId", created.physicalResourceId());
            @SuppressWarnings("unchecked")
            Map<String, Object> oldProperties = new HashMap<>((Map<String, Object>) updateEvent.get("OldResourceProperties"));
            oldProperties.putAll(properties);
            updateEvent.put("OldResourceProperties", oldProperties);
            function.invoke(Events.json(updateEvent));
            ResponseRecorder.Put updated = recorder.await(Duration.ofSeconds(5));

            assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
            assertThat(updated.data()).containsEntry("ConnectionState", "PendingAcceptance").containsEntry("ConnectedEndpointIds", "vpce-0a1e2b0000000003");
            assertThat(ec2.state("vpce-0e6da7a000000001")).as("the previous account's connection").isEqualTo("rejected");
            assertThat(ec2.state("vpce-0a1e2b0000000003")).as("the new account's connection, accepted").isEqualTo("pending");
            assertThat(ec2.calls("RejectVpcEndpointConnections")).hasSize(2).last()
                    .satisfies(call -> assertThat(call.endpointIds()).containsExactly("vpce-0e6da7a000000001"));
            assertThat(function.logs()).contains("\"owner\":\"" + E6DATA_ACCOUNT + "\"");

            Map<String, Object> deleteEvent = Events.prepare("endpoint-service-validation/delete.json", recorder.newUrl(), newProperties);
            deleteEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(deleteEvent));
            ResponseRecorder.Put deleted = recorder.await(Duration.ofSeconds(10));

            assertThat(deleted.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(ec2.calls("RejectVpcEndpointConnections")).hasSize(3).last()
                    .satisfies(call -> assertThat(call.endpointIds()).containsExactly("vpce-0a1e2b0000000003"));
            assertThat(ec2.state("vpce-0a1e2b0000000003")).isEqualTo("rejected");
            assertThat(function.logs()).contains("\"outcome\":\"SUCCESS\"").doesNotContain("X-Amz-Signature");
            assertThat(Files.readAllLines(apiCalls)).containsOnly(
                    "ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DescribeVpcEndpointServicePermissions",
                    "ec2:DescribeVpcEndpointConnections", "ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections",
                    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeTargetHealth");
        }
    }
}
