package io.e6link.endpointservicevalidation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pure rules of connection acceptance as tables: what each EC2 endpoint-connection state means
 * ({@link EndpointConnection}), the ConnectionState attribute and metric ({@link ConnectionState}), which
 * of e6data's endpoints count as connected ({@link ConnectionRound}), and how principals and ARNs are
 * read ({@link PrivateLinkChecks}, {@link EndpointServiceValidationProperties#isServiceId}). EC2 states:
 * PendingAcceptance, Pending, Available, Deleting, Deleted, Rejected, Failed, Expired, Partial (EC2 API
 * Reference, "VpcEndpointConnection", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpointConnection.html),
 * sent on the wire in lower camel case. No AWS, no moto.
 */
class ConnectionStateTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // state,           open,  requested or available
            "pendingAcceptance, true,  true",
            "PendingAcceptance, true,  true",
            "pending,           true,  false",
            "available,         true,  true",
            "Available,         true,  true",
            "deleting,          false, false",
            "deleted,           false, false",
            "rejected,          false, false",
            "failed,            false, false",
            "expired,           false, false",
            "partial,           false, false",
            ",                  false, false"})
    void eachStateIsOpenAndRequestedAsEc2Means(String state, boolean open, boolean requestedOrAvailable) {
        EndpointConnection connection = new EndpointConnection("vpce-1", "111122223333", state);

        assertThat(connection.isOpen()).as("blocks deleting the service").isEqualTo(open);
        assertThat(connection.isRequestedOrAvailable()).as("must be rejected when not e6data's").isEqualTo(requestedOrAvailable);
    }

    /** The best state among e6data's connections; an accepted one passes through "pending" and is not usable yet. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'', None, 0",
            "rejected, None, 0",
            "'rejected,deleted,failed,expired', None, 0",
            "pendingAcceptance, PendingAcceptance, 1",
            "pending, PendingAcceptance, 1",
            "'rejected,pendingAcceptance', PendingAcceptance, 1",
            "available, Available, 2",
            "'pendingAcceptance,available,rejected', Available, 2",
            "Available, Available, 2"})
    void theConnectionStateIsTheBestOfE6datasConnections(String states, ConnectionState expected, int metric) {
        ConnectionState state = ConnectionState.of(connections(states));

        assertThat(state).isEqualTo(expected);
        assertThat(state.metricValue).isEqualTo(metric);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'', ''",
            "'available,pendingAcceptance,pending,rejected', 'vpce-0,vpce-2'",
            "'pending,available', 'vpce-0,vpce-1'"})
    void connectedEndpointsAreTheAvailableOrAcceptedOnesSorted(String states, String expected) {
        List<EndpointConnection> e6data = new ArrayList<>(connections(states));
        Collections.reverse(e6data);
        ConnectionRound round = new ConnectionRound(e6data, List.of(), Map.of(), List.of(), List.of());

        assertThat(round.connectedEndpointIds()).containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(",")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "arn:aws:iam::123456789012:root, 123456789012",
            "arn:aws:iam::123456789012:role/e6data-engine, 123456789012",
            "arn:aws-cn:iam::123456789012:root, 123456789012",
            "arn:aws-us-gov:iam::123456789012:user/alice, 123456789012",
            "arn:aws:iam::12345678901:root, ",
            "*, ",
            "123456789012, "})
    void theAccountOfAnAllowedPrincipalIsReadFromItsArn(String principal, String account) {
        assertThat(PrivateLinkChecks.accountOf(principal)).isEqualTo(account);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/e6link-api/0123456789abcdef, e6link-api",
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/e6link-nlb/0123456789abcdef, e6link-nlb",
            "not-an-arn, not-an-arn"})
    void namesAreReadFromElbArnsForReasons(String arn, String name) {
        String read = arn.contains(":loadbalancer/") ? PrivateLinkChecks.loadBalancerName(arn) : PrivateLinkChecks.targetGroupName(arn);

        assertThat(read).isEqualTo(name);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"vpce-svc-0123456789abcdef0, true", "vpce-svc-01234567, true", "vpce-svc-0123456, false", "vpce-0123456789abcdef0, false",
            "VPCE-SVC-0123456789ABCDEF0, false", "e6link-create-failed-0f7d3a9c-2c4e-4b4a-9d7e-6a1b2c3d4e5f, false", ", false"})
    void onlyEndpointServiceIdsAreServiceIds(String value, boolean serviceId) {
        assertThat(EndpointServiceValidationProperties.isServiceId(value)).isEqualTo(serviceId);
    }

    /** Connections vpce-0, vpce-1, ... of e6data's account in the given comma-separated states. */
    private static List<EndpointConnection> connections(String states) {
        List<EndpointConnection> connections = new ArrayList<>();
        if (!states.isEmpty()) {
            String[] each = states.split(",");
            for (int i = 0; i < each.length; i++) {
                connections.add(new EndpointConnection("vpce-" + i, "111122223333", each[i]));
            }
        }
        return connections;
    }
}
