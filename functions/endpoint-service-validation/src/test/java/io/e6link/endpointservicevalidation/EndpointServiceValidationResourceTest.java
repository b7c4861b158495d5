package io.e6link.endpointservicevalidation;

import static io.e6link.endpointservicevalidation.PrivateLinkFixture.E6DATA_ACCOUNT;
import static io.e6link.endpointservicevalidation.PrivateLinkFixture.E6DATA_PRINCIPAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.Json;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Polling;
import io.e6link.testing.CallCounter;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import io.e6link.testing.TestTiers;
import io.e6link.testing.ResponseRecorder.Put;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointServiceConfigurationsResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Custom::EndpointServiceValidation through its real entry point: moto holds the endpoint service, NLB,
 * listener and target group; Mockito stands in for the endpoint-connection calls moto does not model. Where a
 * test switches it on, the strict world plays target health (its {@code TargetHealthModel}).
 */
@Tag(TestTiers.EMULATED)
@ExtendWith({MotoExtension.class, MockitoExtension.class})
class EndpointServiceValidationResourceTest {
    private static final String EVENT = "endpoint-service-validation/create.json";
    private static final String FOREIGN_ACCOUNT = "999988887777";
    private static final String NEW_ACCOUNT = "111122223333";
    private static final String NEW_PRINCIPAL = "arn:aws:iam::" + NEW_ACCOUNT + ":root";
    /** The target health model's clock reads this plus {@link #now}. */
    private static final Instant MODEL_START = Instant.parse("2026-12-07T00:00:00Z");
    /** Waits move this counter instead of sleeping: a 1 s wait takes no time. */
    private final AtomicLong now = new AtomicLong();
    private final Polling polling = new Polling(BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(20), Duration.ofMillis(100)),
            now::get, (deadline, pause) -> now.addAndGet(pause.toMillis()));
    private final Pacing fast = new Pacing(polling, Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Mock
    private EndpointConnections connections;
    private Moto moto;
    private Ec2Client ec2;
    private ElasticLoadBalancingV2Client elb;
    private CustomResourceHarness harness;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8));

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
        verifyNoMoreInteractions(connections);
    }

    /** The function as Lambda runs it, on moto clients that pass through the given interceptors. */
    private CustomResourceHarness harness(ExecutionInterceptor... interceptors) {
        return harness(fast, interceptors);
    }

    private CustomResourceHarness harness(Pacing pacing, ExecutionInterceptor... interceptors) {
        MotoClients clients = new MotoClients(moto, interceptors);
        PrivateLinkChecks checks = new PrivateLinkChecks(clients.ec2(), clients.elb(), pacing);
        harness = new CustomResourceHarness(new CustomResourceFunction(EndpointServiceValidationResource.TYPE,
                () -> new EndpointServiceValidationResource(checks, connections, pacing, log)) { });
        return harness;
    }

    /** The resource's own log lines (the kit's operation line goes to stdout). */
    private List<Map<String, Object>> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().map(Json::readObject).toList();
    }

    private List<Map<String, Object>> metricDocuments() {
        return lines().stream().filter(line -> line.containsKey("_aws")).toList();
    }

    private PrivateLinkFixture fixture() {
        return new PrivateLinkFixture(ec2, elb);
    }

    private static Map<String, Object> properties(PrivateLinkFixture.Built built, Object... overrides) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ServiceId", built.serviceId());
        properties.put("NetworkLoadBalancerArn", built.nlbArn());
        properties.put("TargetGroupArn", built.targetGroupArn());
        properties.put("AllowedPrincipal", E6DATA_PRINCIPAL);
        properties.put("AcceptConnections", "true");
        properties.put("WaitForConnectionSeconds", "0");
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put((String) overrides[i], overrides[i + 1]);
        }
        return properties;
    }

    /** Wire-format states, as EC2 really answers: "pendingAcceptance", "available". */
    private static EndpointConnection connection(String endpointId, String owner, String state) {
        return new EndpointConnection(endpointId, owner, state);
    }

    // ---- Create: the happy path and acceptance ----

    @Test
    void createPassesEveryCheckAcceptsOnlyE6dataAndRejectsTheForeignConnection() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance"),
                connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance")));
        when(connections.accept(built.serviceId(), List.of("vpce-0e6da7a000000001"))).thenReturn(Map.of());
        when(connections.reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"))).thenReturn(Map.of());

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo(built.serviceId());
        assertThat(created.data())
                .containsEntry("ServiceName", built.serviceName())
                .containsEntry("ConnectionState", "PendingAcceptance")
                .containsEntry("ConnectedEndpointIds", "vpce-0e6da7a000000001")
                .containsEntry("HealthyTargetCount", "1");
        verify(connections).list(built.serviceId());
        verify(connections).accept(built.serviceId(), List.of("vpce-0e6da7a000000001"));
        verify(connections).reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"));
    }

    @Test
    void createReportsAnAvailableE6dataConnectionWithoutAcceptingAnything() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available"),
                connection("vpce-0e6da7a000000003", E6DATA_ACCOUNT, "rejected")));

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.data()).containsEntry("ConnectionState", "Available").containsEntry("ConnectedEndpointIds", "vpce-0e6da7a000000001");
        verify(connections).list(built.serviceId());
    }

    @Test
    void createWithoutAnyConnectionReportsNone() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of());

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.status()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("ConnectionState", "None").containsEntry("ConnectedEndpointIds", "");
        verify(connections).list(built.serviceId());
    }

    @Test
    void anUnsuccessfulItemInASuccessfulAcceptIsReportedAsStillPending() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance"),
                connection("vpce-0e6da7a000000002", E6DATA_ACCOUNT, "pendingAcceptance")));
        when(connections.accept(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0e6da7a000000002")))
                .thenReturn(Map.of("vpce-0e6da7a000000002", "InvalidVpcEndpoint.NotFound: The Vpc Endpoint Id 'vpce-0e6da7a000000002' does not exist"));

        Put created = harness().create(EVENT, properties(built));

        // The scheduled acceptor retries within minutes; failing the whole stack here would roll back step 1-6.
        assertThat(created.status()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("ConnectionState", "PendingAcceptance")
                .containsEntry("ConnectedEndpointIds", "vpce-0e6da7a000000001");
        verify(connections).list(built.serviceId());
        verify(connections).accept(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0e6da7a000000002"));
    }

    @Test
    void acceptConnectionsFalseLeavesE6dataPending() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance")));

        Put created = harness().create(EVENT, properties(built, "AcceptConnections", "false"));

        assertThat(created.data()).containsEntry("ConnectionState", "PendingAcceptance").containsEntry("ConnectedEndpointIds", "");
        verify(connections).list(built.serviceId());
    }

    @Test
    void waitPollsAndAcceptsUntilE6datasConnectionIsAvailable() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(
                List.of(),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pending")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")));
        when(connections.accept(built.serviceId(), List.of("vpce-0e6da7a000000001"))).thenReturn(Map.of());

        Put created = harness().create(EVENT, properties(built, "WaitForConnectionSeconds", "30"));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("ConnectionState", "Available").containsEntry("ConnectedEndpointIds", "vpce-0e6da7a000000001");
        verify(connections, times(4)).list(built.serviceId());
        verify(connections).accept(built.serviceId(), List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void waitFailsStatingTheStateWhenE6datasConnectionNeverBecomesAvailable() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pending")));

        Put created = harness().create(EVENT, properties(built, "WaitForConnectionSeconds", "1"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("e6data's connection to " + built.serviceName()
                + " did not become available within 1 s: vpce-0e6da7a000000001 is pending.");
        verify(connections, atLeast(2)).list(built.serviceId());
    }

    @Test
    void waitFailsWhenOnlyAForeignAccountRequestedAConnectionAndNeverAcceptsIt() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(
                List.of(connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance")),
                List.of(connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "rejected")));
        when(connections.reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"))).thenReturn(Map.of());

        Put created = harness().create(EVENT, properties(built, "WaitForConnectionSeconds", "1"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("No endpoint connection from e6data's account " + E6DATA_ACCOUNT + " reached " + built.serviceName());
        verify(connections, atLeast(2)).list(built.serviceId());
        // Rejected once (a rejected connection is not rejected again); verifyNoMoreInteractions in tearDown: never accepted.
        verify(connections).reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"));
    }

    @Test
    void updateToAReplacementServiceAnswersWithTheNewServiceId() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of());

        Put updated = harness().update(EVENT, "vpce-svc-0aaaaaaaaaaaaaaaa", properties(built),
                properties(built, "ServiceId", "vpce-svc-0aaaaaaaaaaaaaaaa"));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.physicalResourceId()).isEqualTo(built.serviceId());
        verify(connections).list(built.serviceId());
    }

    // ---- A vendor account change: only the allowed principal's account keeps a connection ----

    @Test
    @SuppressWarnings("unchecked")
    void updateToANewE6dataAccountRejectsTheOldAccountAndStrangersAcceptsTheNewAccountLogsAndCounts() {
        // E6dataAccountId changed: the service now allows only the new account, but connections survive a permission change.
        PrivateLinkFixture.Built built = fixture().allowedPrincipals(NEW_PRINCIPAL).build();
        when(connections.list(built.serviceId())).thenReturn(List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available"),
                connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance"),
                connection("vpce-0e6da7a000000003", E6DATA_ACCOUNT, "rejected"),
                connection("vpce-0a1e2b0000000004", NEW_ACCOUNT, "pendingAcceptance")));
        when(connections.accept(built.serviceId(), List.of("vpce-0a1e2b0000000004"))).thenReturn(Map.of());
        when(connections.reject(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0f0e1a0000000002"))).thenReturn(Map.of());

        Put updated = harness().update(EVENT, built.serviceId(), properties(built, "AllowedPrincipal", NEW_PRINCIPAL), properties(built));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        assertThat(updated.data()).containsEntry("ConnectionState", "PendingAcceptance")
                .containsEntry("ConnectedEndpointIds", "vpce-0a1e2b0000000004");
        verify(connections).list(built.serviceId());
        verify(connections).accept(built.serviceId(), List.of("vpce-0a1e2b0000000004"));
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0f0e1a0000000002"));

        // One line names every rejected endpoint with its owner.
        List<Map<String, Object>> rejections = lines().stream().filter(line -> line.containsKey("rejectedConnections")).toList();
        assertThat(rejections).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("serviceId", built.serviceId()).containsEntry("allowedAccountId", NEW_ACCOUNT);
            assertThat((List<Map<String, Object>>) line.get("rejectedConnections")).containsExactly(
                    Map.of("endpointId", "vpce-0e6da7a000000001", "owner", E6DATA_ACCOUNT, "state", "available"),
                    Map.of("endpointId", "vpce-0f0e1a0000000002", "owner", FOREIGN_ACCOUNT, "state", "pendingAcceptance"));
        });
        // One embedded-metric document, as the scheduled function emits them.
        assertThat(metricDocuments()).singleElement().satisfies(document -> {
            assertThat(document).containsEntry("ServiceId", built.serviceId()).containsEntry("RejectedConnections", 2);
            Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) document.get("_aws")).get("CloudWatchMetrics")).getFirst();
            assertThat(directive).containsEntry("Namespace", "e6link").containsEntry("Dimensions", List.of(List.of("ServiceId")));
            assertThat((List<Map<String, Object>>) directive.get("Metrics")).contains(Map.of("Name", "RejectedConnections", "Unit", "Count"));
        });
    }

    @Test
    void aStrangerThatAwsDoesNotRejectFailsTheUpdateWithOneSentence() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available"),
                connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "available")));
        when(connections.reject(built.serviceId(), List.of("vpce-0f0e1a0000000002")))
                .thenReturn(Map.of("vpce-0f0e1a0000000002", "InvalidState: Endpoint is being modified"));

        Put updated = harness().update(EVENT, built.serviceId(), properties(built), properties(built));

        assertThat(updated.status()).isEqualTo("FAILED");
        assertThat(updated.reason()).isEqualTo("Could not reject the endpoint connection vpce-0f0e1a0000000002 of account " + FOREIGN_ACCOUNT
                + " (InvalidState: Endpoint is being modified) to endpoint service " + built.serviceId() + ", which only e6data's account "
                + E6DATA_ACCOUNT + " may use; reject it in the VPC console → Endpoint services → Endpoint connections, then retry the stack operation.");
        // It was looked at again before failing (it might have closed meanwhile), logged and not counted.
        verify(connections, times(2)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"));
        assertThat(lines()).anySatisfy(line -> assertThat(line).containsEntry("level", "ERROR").containsKey("notRejected"));
        assertThat(metricDocuments()).singleElement().satisfies(document -> assertThat(document).containsEntry("RejectedConnections", 0));
    }

    @Test
    void aRefusedRejectOfAConnectionThatClosedMeanwhileDoesNotFailTheUpdate() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(
                List.of(connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance")),
                List.of(connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "deleted")));
        when(connections.reject(built.serviceId(), List.of("vpce-0f0e1a0000000002")))
                .thenReturn(Map.of("vpce-0f0e1a0000000002", "InvalidVpcEndpointId.NotFound: gone"));

        Put updated = harness().update(EVENT, built.serviceId(), properties(built), properties(built));

        assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
        verify(connections, times(2)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"));
    }

    @Test
    void throttledConnectionLookupFailsWithEc2sReason() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenThrow(Ec2Exception.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("EC2").errorCode("RequestLimitExceeded").errorMessage("Request limit exceeded.").build())
                .build());

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("EC2 refused the request (RequestLimitExceeded): Request limit exceeded.");
        verify(connections).list(built.serviceId());
    }

    @Test
    void aPrincipalThatIsNotAnAccountRootFailsNamingTheProperty() {
        PrivateLinkFixture.Built built = fixture().build();

        Put created = harness().create(EVENT, properties(built, "AllowedPrincipal", "arn:aws:iam::444455556666:role/e6data"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("Property AllowedPrincipal (arn:aws:iam::<E6dataAccountId>:root from E6dataAccountId) has invalid value")
                .contains("arn:aws:iam::444455556666:role/e6data");
    }

    // ---- Checks: each fails with one sentence ----

    @Test
    void aMissingServiceFails() {
        PrivateLinkFixture.Built built = fixture().build();

        Put created = harness().create(EVENT, properties(built, "ServiceId", "vpce-svc-0000000000000000a"));

        assertThat(created.reason()).isEqualTo("Endpoint service vpce-svc-0000000000000000a does not exist; check the ServiceId property.");
    }

    @Test
    void aServiceThatIsNotAvailableFails() {
        PrivateLinkFixture.Built built = fixture().build();

        Put created = harness(ResponseRewriter.always(DescribeVpcEndpointServiceConfigurationsResponse.class, response -> response.toBuilder()
                .serviceConfigurations(response.serviceConfigurations().getFirst().toBuilder().serviceState("Pending").build()).build()))
                .create(EVENT, properties(built));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("Endpoint service " + built.serviceId() + " is Pending, not Available");
    }

    @Test
    void aServiceInFrontOfAnotherLoadBalancerFails() {
        PrivateLinkFixture.Built built = fixture().build();
        String otherNlb = elb.createLoadBalancer(r -> r.name("other").subnets(built.subnetId()).scheme(LoadBalancerSchemeEnum.INTERNAL)
                .type(LoadBalancerTypeEnum.NETWORK)).loadBalancers().getFirst().loadBalancerArn();

        Put created = harness().create(EVENT, properties(built, "NetworkLoadBalancerArn", otherNlb));

        assertThat(created.reason()).isEqualTo("Endpoint service " + built.serviceId() + " fronts " + built.nlbArn()
                + ", not this stack's load balancer " + otherNlb + "; point the service at that load balancer.");
    }

    @Test
    void aLoadBalancerThatNoLongerExistsFails() {
        PrivateLinkFixture.Built built = fixture().build();
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(built.nlbArn()));

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Load balancer " + built.nlbArn() + " does not exist; check the NetworkLoadBalancerArn property.");
    }

    @Test
    void anInternetFacingLoadBalancerFails() {
        PrivateLinkFixture.Built built = fixture().scheme(LoadBalancerSchemeEnum.INTERNET_FACING).build();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Network load balancer e6link-nlb is internet-facing; "
                + "e6data's PrivateLink path needs an internal load balancer, recreate it with Scheme internal.");
    }

    @Test
    void anApplicationLoadBalancerFails() {
        PrivateLinkFixture.Built built = fixture().type(LoadBalancerTypeEnum.APPLICATION).listener(443, ProtocolEnum.HTTP).build();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Load balancer e6link-nlb is of type application; an endpoint service needs a network load balancer.");
    }

    @Test
    void aLoadBalancerThatIsNotActiveFails() {
        PrivateLinkFixture.Built built = fixture().build();

        Put created = harness(ResponseRewriter.always(DescribeLoadBalancersResponse.class, response -> response.toBuilder()
                .loadBalancers(response.loadBalancers().getFirst().toBuilder()
                        .state(s -> s.code("failed").reason("Insufficient capacity in us-east-1a")).build()).build()))
                .create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Network load balancer e6link-nlb is failed (Insufficient capacity in us-east-1a), "
                + "not active; fix the load balancer and retry the stack operation.");
    }

    @Test
    void aLoadBalancerWithoutAListenerOn443Fails() {
        PrivateLinkFixture.Built built = fixture().listener(8443, ProtocolEnum.TCP).build();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Network load balancer e6link-nlb has no listener on port 443; "
                + "add a TCP 443 listener that forwards to the target group.");
    }

    @Test
    void aUdpListenerOn443Fails() {
        PrivateLinkFixture.Built built = fixture().listener(443, ProtocolEnum.UDP).build();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).startsWith("The port 443 listener of network load balancer e6link-nlb uses UDP;");
    }

    @Test
    void aListenerThatForwardsToAnotherTargetGroupFails() {
        PrivateLinkFixture.Built built = fixture().listenerForwardsToAnotherTargetGroup().build();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("The TCP 443 listener of network load balancer e6link-nlb forwards to someone-else, "
                + "not to target group e6link-eks-api; make it forward there.");
    }

    @Test
    void aServiceThatDoesNotAllowE6dataFails() {
        PrivateLinkFixture.Built built = fixture().allowedPrincipals().build();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Endpoint service " + built.serviceId() + " does not allow e6data's principal "
                + E6DATA_PRINCIPAL + "; add it to the service's allowed principals.");
    }

    @Test
    void aWildcardPrincipalBesideE6dataFails() {
        PrivateLinkFixture.Built built = fixture().allowedPrincipals(E6DATA_PRINCIPAL, "*").build();

        Put created = harness().create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Endpoint service " + built.serviceId() + " also allows *, broader than e6data's account "
                + E6DATA_ACCOUNT + "; remove them from the allowed principals.");
    }

    @Test
    void anotherAccountBesideE6dataFailsButARoleInE6datasAccountPasses() {
        PrivateLinkFixture.Built other = fixture().allowedPrincipals(E6DATA_PRINCIPAL, "arn:aws:iam::" + FOREIGN_ACCOUNT + ":root").build();

        Put created = harness().create(EVENT, properties(other));

        assertThat(created.reason()).contains("also allows arn:aws:iam::" + FOREIGN_ACCOUNT + ":root, broader than e6data's account");

        // A narrower principal of e6data's own account is not broader.
        ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(other.serviceId())
                .removeAllowedPrincipals("arn:aws:iam::" + FOREIGN_ACCOUNT + ":root")
                .addAllowedPrincipals("arn:aws:iam::" + E6DATA_ACCOUNT + ":role/e6data-connector"));
        when(connections.list(other.serviceId())).thenReturn(List.of());
        Put retried = harness.create(EVENT, properties(other));
        assertThat(retried.status()).as(retried.reason()).isEqualTo("SUCCESS");
        verify(connections).list(other.serviceId());
    }

    @Test
    void aTargetGroupWithoutTargetsFailsAfterTheBoundedWait() {
        PrivateLinkFixture.Built built = fixture().noTargets().build();
        CallCounter calls = new CallCounter();

        Put created = harness(calls).create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("Target group e6link-eks-api has no registered targets after 1 s; "
                + "the cluster's control-plane ENI IPs must be registered on port 443 (see the EksEniTargets resource).");
        assertThat(calls.count("elasticloadbalancing:DescribeTargetHealth")).isGreaterThan(2);
    }

    @Test
    void unhealthyTargetsFailListingEachTargetsStateAndReasonCode() {
        PrivateLinkFixture.Built built = fixture().build();

        Put created = harness(ResponseRewriter.always(DescribeTargetHealthResponse.class, response -> response.toBuilder()
                .targetHealthDescriptions(
                        unhealthy(response.targetHealthDescriptions().getFirst(), "unhealthy", "Target.FailedHealthChecks"),
                        TargetHealthDescription.builder().target(t -> t.id("10.0.2.20").port(443))
                                .targetHealth(h -> h.state("unused").reason("Target.NotInUse")).build())
                .build()))
                .create(EVENT, properties(built));

        assertThat(created.reason()).as("no target can become healthy by waiting: the Create ends at once")
                .isEqualTo("No target of target group e6link-eks-api can become healthy: "
                + "10.0.1.10:443 unhealthy Target.FailedHealthChecks; 10.0.2.20:443 unused Target.NotInUse after 0 s; "
                + "check that the cluster security group allows TCP 443 from the load balancer and that the targets' zones are enabled on it.");
    }

    @Test
    void aTargetStillInitialAtTheBoundFailsNamingItsReasonCodeAndEveryProbeStateChangeIsLogged() {
        PrivateLinkFixture.Built built = fixture().build();
        CallCounter calls = new CallCounter();

        Put created = harness(calls, ResponseRewriter.always(DescribeTargetHealthResponse.class, response -> response.toBuilder()
                .targetHealthDescriptions(unhealthy(response.targetHealthDescriptions().getFirst(), "initial", "Elb.RegistrationInProgress"))
                .build()))
                .create(EVENT, properties(built));

        assertThat(created.reason()).isEqualTo("No target of target group e6link-eks-api became healthy within 1 s "
                + "(10.0.1.10:443 initial Elb.RegistrationInProgress); "
                + "check that the cluster security group allows TCP 443 from the load balancer and that the targets' zones are enabled on it.");
        assertThat(calls.count("elasticloadbalancing:DescribeTargetHealth")).isGreaterThan(2);
        assertThat(lines()).filteredOn(line -> "Waiting for a healthy target".equals(line.get("message"))).as("one line per state change")
                .singleElement().satisfies(line -> assertThat(line).containsEntry("targets", List.of("10.0.1.10:443 initial Elb.RegistrationInProgress"))
                        .containsEntry("waitedSeconds", 0).containsEntry("boundSeconds", 1));
    }

    @Test
    void targetsStillInInitialAreAwaitedWithBackoffUntilHealthy() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of());
        CallCounter calls = new CallCounter();

        Put created = harness(calls, ResponseRewriter.first(2, DescribeTargetHealthResponse.class, response -> response.toBuilder()
                .targetHealthDescriptions(unhealthy(response.targetHealthDescriptions().getFirst(), "initial", "Elb.RegistrationInProgress"))
                .build()))
                .create(EVENT, properties(built));

        assertThat(created.status()).as(created.reason()).isEqualTo("SUCCESS");
        assertThat(created.data()).containsEntry("HealthyTargetCount", "1");
        assertThat(calls.count("elasticloadbalancing:DescribeTargetHealth")).isEqualTo(3);
        verify(connections).list(built.serviceId());
    }

    /**
     * NLB health checks obey the NLB security group's outbound rules (docs/aws-rules.md row 11g): with the
     * stack's NLB in the cluster security group and that group's egress removed, the strict world fails
     * every check although the target's ENI exists and inbound is open; the reason says outbound. An
     * outbound rule for TCP 443 to the VPC lets the checks pass and the same Create succeeds.
     */
    @Test
    void aClusterSecurityGroupWithoutOutboundRulesKeepsEveryTargetFromBecomingHealthyAndTheReasonSaysOutbound() {
        PrivateLinkFixture.Built built = fixture().inClusterSecurityGroup().build();
        String group = built.clusterSecurityGroupId();
        // What a tightened account does: the default allow-all outbound rule removed.
        ec2.revokeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(p -> p.ipProtocol("-1").ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        long checksToFail = healthChecksAsTheStackConfiguresThem(built);
        when(connections.list(built.serviceId())).thenReturn(List.of());

        Put created = lambdaPacedHarness().create(EVENT, properties(built));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).startsWith("No target of target group e6link-eks-api can become healthy: 10.0.1.10:443 unhealthy Target.FailedHealthChecks after ")
                .endsWith(" s; the load balancer's security groups (" + group + ") allow no outbound TCP 443 to 10.0.1.10, and NLB health checks obey their "
                        + "outbound rules: add an outbound rule for TCP 443 to the control-plane ENIs' subnets (or restore the default allow-all outbound rule).");
        assertThat(now.get() / 1000).as("ends once the checks have failed: interval x unhealthy threshold").isBetween(checksToFail, checksToFail + 20);

        ec2.authorizeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443)
                .ipRanges(r -> r.cidrIp("10.0.0.0/16"))));
        // The operator adds the rule and retries the stack operation a minute later: the checks have passed since.
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        Put again = lambdaPacedHarness().create(EVENT, properties(built));

        assertThat(again.status()).as(again.reason()).isEqualTo("SUCCESS");
        assertThat(again.data()).containsEntry("HealthyTargetCount", "1");
        verify(connections).list(built.serviceId());
    }

    /** Targets that fail for another reason (here their ENI is gone) behind outbound rules that reach them are not blamed on outbound rules. */
    @Test
    void failingTargetsBehindOutboundRulesThatReachThemPointAtTheInboundRule() {
        PrivateLinkFixture.Built built = fixture().inClusterSecurityGroup().build();
        String group = built.clusterSecurityGroupId();
        ec2.revokeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(p -> p.ipProtocol("-1").ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        ec2.authorizeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443)
                .ipRanges(r -> r.cidrIp("10.0.0.0/16"))));
        ec2.describeNetworkInterfaces(b -> b.filters(f -> f.name("addresses.private-ip-address").values("10.0.1.10"))).networkInterfaces()
                .forEach(eni -> ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eni.networkInterfaceId())));
        healthChecksAsTheStackConfiguresThem(built);

        Put created = lambdaPacedHarness().create(EVENT, properties(built));

        assertThat(created.reason()).startsWith("No target of target group e6link-eks-api can become healthy: 10.0.1.10:443 unhealthy Target.FailedHealthChecks after ")
                .endsWith("check that the cluster security group allows TCP 443 from the load balancer and that the targets' zones are enabled on it.");
    }

    /**
     * Gives the fixture's target group the stack's health checks (template.yaml) and switches the strict
     * world's target health model on at the simulated clock the function's waits move.
     *
     * @return seconds from the first check until a target that fails every check is unhealthy
     */
    private long healthChecksAsTheStackConfiguresThem(PrivateLinkFixture.Built built) {
        Map<String, Object> group = Template.load().properties("TargetGroup");
        int interval = Integer.parseInt(String.valueOf(group.get("HealthCheckIntervalSeconds")));
        int unhealthy = Integer.parseInt(String.valueOf(group.get("UnhealthyThresholdCount")));
        elb.modifyTargetGroup(b -> b.targetGroupArn(built.targetGroupArn()).healthCheckIntervalSeconds(interval)
                .healthyThresholdCount(Integer.parseInt(String.valueOf(group.get("HealthyThresholdCount")))).unhealthyThresholdCount(unhealthy));
        moto.strict().modelTargetHealth(() -> MODEL_START.plusMillis(now.get()), Duration.ZERO);
        return (long) interval * unhealthy;
    }

    /** Lambda's wait bounds and backoff on the simulated clock, with the template's Timeout as the deadline. */
    private CustomResourceHarness lambdaPacedHarness() {
        Polling simulated = new Polling(Polling.STATE_CHANGE, now::get, (deadline, pause) -> now.addAndGet(pause.toMillis()));
        Pacing lambda = new Pacing(simulated, Pacing.LAMBDA.targetWait(), Pacing.LAMBDA.closeWait());
        int timeout = Integer.parseInt(String.valueOf(Template.load().functionProperties("EndpointValidationFunction").get("Timeout")));
        if (harness != null) {
            harness.close();
        }
        return harness(lambda).remainingMillis(timeout * 1000L);
    }

    private static TargetHealthDescription unhealthy(TargetHealthDescription target, String state, String reason) {
        return target.toBuilder().targetHealth(h -> h.state(state).reason(reason)).build();
    }

    // ---- Delete ----

    @Test
    void deleteRejectsEveryOpenConnectionOfTheServiceInThePhysicalId() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available"),
                connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance"),
                connection("vpce-0e6da7a000000003", E6DATA_ACCOUNT, "rejected")), List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "rejected"),
                connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "rejected"),
                connection("vpce-0e6da7a000000003", E6DATA_ACCOUNT, "rejected")));
        when(connections.reject(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0f0e1a0000000002"))).thenReturn(Map.of());

        // After a replacement the properties name the new service; the Delete is for the old one, the physical id.
        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built, "ServiceId", "vpce-svc-0bbbbbbbbbbbbbbbb"));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo(built.serviceId());
        verify(connections, times(2)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0f0e1a0000000002"));
    }

    @Test
    void deleteWithAnIdCloudFormationMadeUpRejectsTheConnectionsOfTheServiceInTheProperties() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "rejected")));
        when(connections.reject(built.serviceId(), List.of("vpce-0e6da7a000000001"))).thenReturn(Map.of());

        // The Create accepted e6data, then its answer never reached CloudFormation: the rollback Delete carries a made-up id.
        Put deleted = harness().delete(EVENT, "e6link-EndpointValidation-1A2B3C4D5E6F", properties(built));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo("e6link-EndpointValidation-1A2B3C4D5E6F");
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void deleteWaitsUntilTheRejectedConnectionHasLeftAvailable() {
        PrivateLinkFixture.Built built = fixture().build();
        // EC2 rejects asynchronously: the connection still reads available for two polls after the reject.
        when(connections.list(built.serviceId())).thenReturn(
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "rejected")));
        when(connections.reject(built.serviceId(), List.of("vpce-0e6da7a000000001"))).thenReturn(Map.of());

        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        verify(connections, times(4)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void rejectingAndDeletingConnectionsDoNotHoldTheDelete() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available"),
                        connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "rejecting"),
                        connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "deleting")));
        when(connections.reject(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0f0e1a0000000002"))).thenReturn(Map.of());

        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        verify(connections, times(2)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001", "vpce-0f0e1a0000000002"));
    }

    @Test
    void aConnectionThatArrivesDuringTheWaitIsRejectedToo() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "rejected"),
                        connection("vpce-0e6da7a000000005", E6DATA_ACCOUNT, "pendingAcceptance")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "rejected"),
                        connection("vpce-0e6da7a000000005", E6DATA_ACCOUNT, "rejected")));
        when(connections.reject(anyString(), anyCollection())).thenReturn(Map.of());

        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        verify(connections, times(3)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001"));
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000005"));
    }

    @Test
    void aConnectionThatStaysAvailablePastTheBoundFailsTheDeleteNamingIt() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(
                connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available"),
                connection("vpce-0e6da7a000000003", E6DATA_ACCOUNT, "rejected")));
        when(connections.reject(built.serviceId(), List.of("vpce-0e6da7a000000001"))).thenReturn(Map.of());

        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).isEqualTo("FAILED");
        assertThat(deleted.reason()).isEqualTo("The endpoint connection vpce-0e6da7a000000001 (available) of endpoint service " + built.serviceId()
                + " is still open 1 s after it was rejected and blocks deleting the service; "
                + "reject it in the VPC console → Endpoint services → Endpoint connections, then retry the delete.");
        verify(connections, atLeast(3)).list(built.serviceId());
        // Rejected once, not once per poll.
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void theDeleteWaitEndsBeforeTheLambdaDeadlineWithItsOwnReason() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(connection("vpce-0f0e1a0000000002", FOREIGN_ACCOUNT, "pendingAcceptance")));
        when(connections.reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"))).thenReturn(Map.of());
        Pacing lambda = new Pacing(polling, Duration.ofSeconds(1), Duration.ofMinutes(5));

        // 12 s left: the kit keeps 5.2 s to answer, the wait keeps 5 s of what remains, so it gives up after about 2 s.
        Put deleted = harness(lambda).remainingMillis(12_000).delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).isEqualTo("FAILED");
        assertThat(deleted.reason()).startsWith("The endpoint connection vpce-0f0e1a0000000002 (pendingAcceptance) of endpoint service " + built.serviceId())
                .matches(".* is still open [12] s after it was rejected .*").endsWith("then retry the delete.");
        verify(connections, atLeast(2)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0f0e1a0000000002"));
    }

    @Test
    void deleteSucceedsWithoutTouchingConnectionsWhenTheServiceIsAlreadyGone() {
        PrivateLinkFixture.Built built = fixture().build();
        ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(built.serviceId()));

        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo(built.serviceId());
    }

    @Test
    void deleteFailsNamingTheConnectionThatCouldNotBeRejected() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "available")));
        when(connections.reject(built.serviceId(), List.of("vpce-0e6da7a000000001")))
                .thenReturn(Map.of("vpce-0e6da7a000000001", "InvalidState: Endpoint is being modified"));

        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).isEqualTo("FAILED");
        assertThat(deleted.reason()).isEqualTo("Could not reject the endpoint connections vpce-0e6da7a000000001 (InvalidState: Endpoint is being modified) "
                + "of endpoint service " + built.serviceId() + ", which block its deletion; "
                + "reject them in the VPC console (Endpoint services, Endpoint connections) and retry.");
        verify(connections, times(2)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void deleteSucceedsWhenTheUnrejectedConnectionClosedMeanwhile() {
        PrivateLinkFixture.Built built = fixture().build();
        when(connections.list(built.serviceId())).thenReturn(
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "pendingAcceptance")),
                List.of(connection("vpce-0e6da7a000000001", E6DATA_ACCOUNT, "deleted")));
        when(connections.reject(anyString(), anyCollection()))
                .thenReturn(Map.of("vpce-0e6da7a000000001", "InvalidVpcEndpoint.NotFound: gone"));

        Put deleted = harness().delete(EVENT, built.serviceId(), properties(built));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        verify(connections, times(2)).list(built.serviceId());
        verify(connections).reject(built.serviceId(), List.of("vpce-0e6da7a000000001"));
    }

    @Test
    void rollbackDeleteAfterAFailedCreateTouchesNothing() {
        PrivateLinkFixture.Built built = fixture().build();
        Put created = harness().create(EVENT, properties(built, "ServiceId", "not-a-service"));

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), properties(built, "ServiceId", "not-a-service"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).contains("ServiceId").contains("not-a-service");
        assertThat(deleted.status()).isEqualTo("SUCCESS");
    }
}
