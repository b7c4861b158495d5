package io.e6link.endpointservicevalidation;

import static io.e6link.endpointservicevalidation.PrivateLinkFixture.E6DATA_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Json;
import io.e6link.kit.JsonLog;
import io.e6link.kit.ScheduledRunFailedException;
import io.e6link.testing.Events;
import io.e6link.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** The scheduled acceptor through handleRequest, with the EventBridge sample event; Mockito for the connection calls. */
@ExtendWith(MockitoExtension.class)
class ConnectionAcceptanceFunctionTest {
    private static final String SERVICE = "vpce-svc-0123456789abcdef0";
    private static final String FOREIGN_ACCOUNT = "999988887777";
    private static final Map<String, String> ENVIRONMENT = Map.of("SERVICE_ID", SERVICE, "E6DATA_ACCOUNT_ID", E6DATA_ACCOUNT);

    @Mock
    private EndpointConnections connections;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8));

    @AfterEach
    void noOtherCalls() {
        verifyNoMoreInteractions(connections);
    }

    private ConnectionAcceptanceFunction function(Map<String, String> environment) {
        return new ConnectionAcceptanceFunction(() -> connections, environment::get, log);
    }

    private static String run(ConnectionAcceptanceFunction function) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String event = Events.json(Events.load("connection-acceptance/scheduled.json"));
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, new TestContext(60_000));
        return output.toString(StandardCharsets.UTF_8);
    }

    private List<Map<String, Object>> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().map(Json::readObject).toList();
    }

    private Map<String, Object> metricsDocument() {
        List<Map<String, Object>> documents = lines().stream().filter(line -> line.containsKey("_aws")).toList();
        assertThat(documents).hasSize(1);
        return documents.getFirst();
    }

    @Test
    void acceptsE6datasPendingConnectionAndRejectsTheForeignOne() throws IOException {
        when(connections.list(SERVICE)).thenReturn(List.of(
                new EndpointConnection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance"),
                new EndpointConnection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance")));
        when(connections.accept(SERVICE, List.of("vpce-0e6da7a000000001"))).thenReturn(Map.of());
        when(connections.reject(SERVICE, List.of("vpce-0f0e1a0000000002"))).thenReturn(Map.of());

        String output = run(function(ENVIRONMENT));

        verify(connections).list(SERVICE);
        verify(connections).accept(SERVICE, List.of("vpce-0e6da7a000000001"));
        verify(connections).reject(SERVICE, List.of("vpce-0f0e1a0000000002"));
        assertThat(Json.readObject(output)).containsEntry("connectionState", "PendingAcceptance").containsEntry("outcome", "SUCCESS");
        assertThat(lines()).hasSize(2);
        Map<String, Object> line = lines().stream().filter(l -> !l.containsKey("_aws")).findFirst().orElseThrow();
        assertThat(line).containsEntry("level", "INFO").containsEntry("serviceId", SERVICE)
                .containsEntry("acceptedEndpointIds", List.of("vpce-0e6da7a000000001"))
                .containsEntry("rejectedConnections", List.of(Map.of("endpointId", "vpce-0f0e1a0000000002", "owner", FOREIGN_ACCOUNT, "state", "pendingAcceptance")));
    }

    @Test
    void afterAVendorAccountChangeTheRunRejectsTheOldAccountAndStrangersAcceptsTheNewAccountLogsAndCounts() throws IOException {
        // E6DATA_ACCOUNT_ID is the new account; the old one's connection is still available.
        String oldAccount = "111122223333";
        when(connections.list(SERVICE)).thenReturn(List.of(
                new EndpointConnection("vpce-0a1d000000000001", oldAccount, "available"),
                new EndpointConnection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance"),
                new EndpointConnection("vpce-0a1d000000000003", oldAccount, "rejected"),
                new EndpointConnection("vpce-0e6da7a000000004", E6DATA_ACCOUNT, "pendingAcceptance")));
        when(connections.accept(SERVICE, List.of("vpce-0e6da7a000000004"))).thenReturn(Map.of());
        when(connections.reject(SERVICE, List.of("vpce-0a1d000000000001", "vpce-0f0e1a0000000002"))).thenReturn(Map.of());

        String output = run(function(ENVIRONMENT));

        verify(connections).list(SERVICE);
        verify(connections).accept(SERVICE, List.of("vpce-0e6da7a000000004"));
        verify(connections).reject(SERVICE, List.of("vpce-0a1d000000000001", "vpce-0f0e1a0000000002"));
        assertThat(Json.readObject(output)).containsEntry("connectionState", "PendingAcceptance").containsEntry("acceptedEndpointIds", List.of("vpce-0e6da7a000000004"));
        Map<String, Object> line = lines().stream().filter(l -> !l.containsKey("_aws")).findFirst().orElseThrow();
        assertThat(line).containsEntry("level", "INFO").containsEntry("rejectedConnections", List.of(
                Map.of("endpointId", "vpce-0a1d000000000001", "owner", oldAccount, "state", "available"),
                Map.of("endpointId", "vpce-0f0e1a0000000002", "owner", FOREIGN_ACCOUNT, "state", "pendingAcceptance")));
        assertThat(metricsDocument()).containsEntry("RejectedConnections", 2).containsEntry("AcceptedConnections", 1)
                .containsEntry("ConnectionState", 1);
    }

    @Test
    void aStrangerThatAwsDoesNotRejectIsLoggedCountedAndEndsTheRunAsALambdaError() {
        when(connections.list(SERVICE)).thenReturn(List.of(
                new EndpointConnection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available"),
                new EndpointConnection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "available"),
                new EndpointConnection("vpce-0f0e1a0000000003", FOREIGN_ACCOUNT, "pendingAcceptance")));
        when(connections.reject(SERVICE, List.of("vpce-0f0e1a0000000002", "vpce-0f0e1a0000000003")))
                .thenReturn(Map.of("vpce-0f0e1a0000000002", "InvalidState: Endpoint is being modified"));

        assertThatThrownBy(() -> run(function(ENVIRONMENT)))
                .isInstanceOf(ScheduledRunFailedException.class)
                .hasMessage("AWS did not reject the endpoint connections of accounts other than e6data's to " + SERVICE
                        + ": vpce-0f0e1a0000000002 of account " + FOREIGN_ACCOUNT + " (InvalidState: Endpoint is being modified)");

        // Looked at again before failing (it might have closed meanwhile); the one rejected is counted.
        verify(connections, times(2)).list(SERVICE);
        verify(connections).reject(SERVICE, List.of("vpce-0f0e1a0000000002", "vpce-0f0e1a0000000003"));
        assertThat(metricsDocument()).containsEntry("RejectedConnections", 1).containsEntry("ConnectionState", 2);
        List<Map<String, Object>> errors = lines().stream().filter(l -> "ERROR".equals(l.get("level"))).toList();
        assertThat(errors).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("rejectedConnections", List.of(Map.of("endpointId", "vpce-0f0e1a0000000003", "owner", FOREIGN_ACCOUNT, "state", "pendingAcceptance")))
                .containsEntry("notRejected", List.of(Map.of("endpointId", "vpce-0f0e1a0000000002", "owner", FOREIGN_ACCOUNT, "state", "available",
                        "error", "InvalidState: Endpoint is being modified"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void emitsAnEmbeddedMetricDocumentWithTheConnectionStateAndAcceptedCount() throws IOException {
        when(connections.list(SERVICE)).thenReturn(List.of(new EndpointConnection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance")));
        when(connections.accept(SERVICE, List.of("vpce-0e6da7a000000001"))).thenReturn(Map.of());

        run(function(ENVIRONMENT));

        Map<String, Object> document = metricsDocument();
        assertThat(document).containsEntry("ServiceId", SERVICE).containsEntry("ConnectionState", 1).containsEntry("AcceptedConnections", 1)
                .containsEntry("RejectedConnections", 0);
        Map<String, Object> aws = (Map<String, Object>) document.get("_aws");
        assertThat(aws.get("Timestamp")).isInstanceOf(Number.class);
        Map<String, Object> directive = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).getFirst();
        assertThat(directive).containsEntry("Namespace", "e6link").containsEntry("Dimensions", List.of(List.of("ServiceId")));
        assertThat((List<Map<String, Object>>) directive.get("Metrics")).extracting(m -> m.get("Name"))
                .containsExactlyInAnyOrder("ConnectionState", "AcceptedConnections", "RejectedConnections");
        verify(connections).list(SERVICE);
        verify(connections).accept(SERVICE, List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void anAvailableConnectionIsReportedAsTwoAndNothingIsAccepted() throws IOException {
        when(connections.list(SERVICE)).thenReturn(List.of(new EndpointConnection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")));

        run(function(ENVIRONMENT));

        assertThat(metricsDocument()).containsEntry("ConnectionState", 2).containsEntry("AcceptedConnections", 0);
        verify(connections).list(SERVICE);
    }

    @Test
    void noConnectionAtAllIsReportedAsZero() throws IOException {
        when(connections.list(SERVICE)).thenReturn(List.of(new EndpointConnection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "rejected")));

        run(function(ENVIRONMENT));

        assertThat(metricsDocument()).containsEntry("ConnectionState", 0).containsEntry("AcceptedConnections", 0);
        verify(connections).list(SERVICE);
    }

    @Test
    void anUnsuccessfulAcceptEndsTheRunAsALambdaErrorAfterEmittingTheMetrics() {
        when(connections.list(SERVICE)).thenReturn(List.of(new EndpointConnection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance")));
        when(connections.accept(SERVICE, List.of("vpce-0e6da7a000000001")))
                .thenReturn(Map.of("vpce-0e6da7a000000001", "InvalidState: Endpoint is being modified"));

        assertThatThrownBy(() -> run(function(ENVIRONMENT)))
                .isInstanceOf(ScheduledRunFailedException.class)
                .hasMessage("AWS did not accept e6data's endpoint connections to " + SERVICE
                        + ": vpce-0e6da7a000000001 (InvalidState: Endpoint is being modified)");

        assertThat(metricsDocument()).containsEntry("ConnectionState", 1).containsEntry("AcceptedConnections", 0);
        assertThat(lines().stream().filter(l -> "ERROR".equals(l.get("level"))).toList()).hasSize(1);
        verify(connections).list(SERVICE);
        verify(connections).accept(SERVICE, List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void aFailedLookupEndsTheRunAsALambdaErrorWithoutMetrics() {
        when(connections.list(SERVICE)).thenThrow(Ec2Exception.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("EC2").errorCode("UnauthorizedOperation").errorMessage("not authorized").build()).build());

        assertThatThrownBy(() -> run(function(ENVIRONMENT))).isInstanceOf(ScheduledRunFailedException.class).hasCauseInstanceOf(Ec2Exception.class);

        assertThat(lines()).hasSize(1);
        assertThat(lines().getFirst()).containsEntry("level", "ERROR").containsEntry("message", "Connection acceptance run failed")
                .containsEntry("outcome", "FAILED")
                .containsEntry("reason", "The function's IAM role is not allowed to do this in EC2 (UnauthorizedOperation): not authorized");
        verify(connections).list(SERVICE);
    }

    @Test
    void aMissingAccountIdFailsLoudlyBeforeAnyCall() {
        assertThatThrownBy(() -> run(function(Map.of("SERVICE_ID", SERVICE))))
                .isInstanceOf(ScheduledRunFailedException.class)
                .hasMessage("E6DATA_ACCOUNT_ID is 'null', not a 12-digit AWS account id.");
        assertThat(lines()).singleElement().satisfies(line -> assertThat(line).containsEntry("level", "ERROR")
                .containsEntry("reason", "E6DATA_ACCOUNT_ID is 'null', not a 12-digit AWS account id."));
    }

    @Test
    void clientsAreBuiltOnceAndAFailedBuildIsRetriedByTheNextRun() throws IOException {
        AtomicInteger builds = new AtomicInteger();
        Supplier<EndpointConnections> factory = () -> {
            if (builds.incrementAndGet() == 1) {
                throw new CustomResourceException("AWS_REGION is not set; the function cannot tell which region to call.");
            }
            return connections;
        };
        ConnectionAcceptanceFunction function = new ConnectionAcceptanceFunction(factory, ENVIRONMENT::get, log);
        when(connections.list(SERVICE)).thenReturn(List.of());

        assertThatThrownBy(() -> run(function)).hasMessage("AWS_REGION is not set; the function cannot tell which region to call.");
        run(function);
        run(function);

        assertThat(builds).hasValue(2);
        verify(connections, times(2)).list(SERVICE);
    }
}
